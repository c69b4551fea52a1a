package io.cairn.server;

import io.cairn.core.chunk.Chunker;
import io.cairn.core.chunk.ChunkerParams;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sync API figures on one node (SQLite + local disk), run by bench/sync.sh, never by CI: bytes on
 * the wire and time to re-sync four edits of a 1 GiB file through the commit API against a WebDAV
 * PUT of the whole file; changes listed per second; SSE latency from the start of a PUT to its
 * event. Knobs: -Dcairn.bench.size (bytes, default 1 GiB), -Dcairn.bench.changes (10000),
 * -Dcairn.bench.events (300).
 */
class SyncBench {
  static final long SIZE = Long.getLong("cairn.bench.size", 1L << 30);
  static final int CHANGES = Integer.getInteger("cairn.bench.changes", 10_000);
  static final int EVENTS = Integer.getInteger("cairn.bench.events", 300);
  static final String API = "/.cairn/api/v1/";

  record Pattern(String name, Supplier<InputStream> content, boolean rename) {}

  @Test
  void figures(@TempDir Path dir) throws Exception {
    try (TestServer s = TestServer.start(dir)) {
      String admin = TestServer.basic("admin", TestServer.ADMIN_PASSWORD);
      String base = "http://127.0.0.1:" + s.port();
      editPatterns(s, admin, base);
      listing(s, admin, base);
      System.out.println(SseLatency.measure(admin, base, base, EVENTS, "single node"));
    }
  }

  private static void editPatterns(TestServer s, String admin, String base) throws Exception {
    long mib = 1 << 20;
    List<Pattern> patterns = List.of(
        new Pattern("insert 1 KiB in the middle", () -> Synthetic.content(SIZE, Synthetic.Edit.insert(SIZE / 2, 1024)), false),
        new Pattern("append 1 MiB", () -> Synthetic.content(SIZE, Synthetic.Edit.insert(SIZE, mib)), false),
        new Pattern("overwrite 1 MiB in the middle", () -> Synthetic.content(SIZE, Synthetic.Edit.overwrite(SIZE / 2, mib)), false),
        new Pattern("rename", () -> Synthetic.content(SIZE, Synthetic.Edit.NONE), true));
    ApiSync api = new ApiSync(base, admin, new Chunker(ChunkerParams.DEFAULT));
    for (Pattern p : patterns) {
      String path = "/bench-" + p.name().replace(' ', '-') + ".bin";
      long version = api.upload(path, null, () -> Synthetic.content(SIZE, Synthetic.Edit.NONE)).getLong("version");
      long sentBefore = api.sent();
      long t0 = System.nanoTime();
      if (p.rename()) {
        api.upload(path + ".renamed", null, p.content());
        api.post("delete", new JsonObject().put("path", path).put("base", version));
      } else {
        api.upload(path, version, p.content());
      }
      double apiSeconds = (System.nanoTime() - t0) / 1e9;
      long apiBytes = api.sent() - sentBefore;
      long t1 = System.nanoTime();
      HttpRequest put = HttpRequest.newBuilder(URI.create(base + path + ".dav")).header("Authorization", admin)
          .timeout(Duration.ofMinutes(10)).PUT(HttpRequest.BodyPublishers.ofInputStream(p.content())).build();
      int status = s.client.send(put, HttpResponse.BodyHandlers.discarding()).statusCode();
      double davSeconds = (System.nanoTime() - t1) / 1e9;
      long davBytes = p.rename() ? SIZE : contentLength(p.content().get());
      System.out.printf("edit %-30s api %,13d bytes %7.2f s | webdav PUT (%d) %,13d bytes %7.2f s | bytes %.4f%%, time %.2fx%n",
          p.name(), apiBytes, apiSeconds, status, davBytes, davSeconds, 100.0 * apiBytes / davBytes, davSeconds / apiSeconds);
    }
  }

  private static long contentLength(InputStream in) throws Exception {
    long n = 0;
    byte[] buf = new byte[1 << 16];
    for (int r = in.read(buf); r > 0; r = in.read(buf)) {
      n += r;
    }
    return n;
  }

  private static void listing(TestServer s, String admin, String base) throws Exception {
    ApiSync api = new ApiSync(base, admin, new Chunker(ChunkerParams.DEFAULT));
    String cursor = ApiSync.json(api.send("GET", API + "cursor", null, null), 200).getString("cursor");
    for (int i = 0; i < CHANGES; i++) {
      s.send(admin, "PUT", "/list-" + i + ".txt", ("change " + i).getBytes());
    }
    long t0 = System.nanoTime();
    int seen = 0;
    for (boolean more = true; more; ) {
      JsonObject page = ApiSync.json(api.send("GET", API + "changes?limit=1000&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8), null, null), 200);
      seen += page.getJsonArray("changes").size();
      cursor = page.getString("cursor");
      more = page.getBoolean("has_more");
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf("changes listing: %d changes in %.2f s, %.0f changes/s (pages of 1000)%n", seen, seconds, seen / seconds);
  }

}
