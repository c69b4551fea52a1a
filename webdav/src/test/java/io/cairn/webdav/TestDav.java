package io.cairn.webdav;

import io.cairn.files.Await;
import io.cairn.files.ChunkSplitter;
import io.cairn.core.chunk.Chunker;
import io.cairn.core.chunk.ChunkerParams;
import io.cairn.storage.ChunkStore;
import io.cairn.storage.Journal;
import io.cairn.storage.JournalRow;
import io.cairn.storage.fs.FsChunkStore;
import io.cairn.storage.sqlite.SqliteJournal;
import io.cairn.files.Caller;
import io.cairn.webdav.http.DavFront;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real Cairn WebDAV server for tests: SQLite journal and file chunk store in a temporary
 * directory, the FastCDC chunker with small chunks (so a few hundred KiB make many chunks), and a
 * Vert.x HTTP server on a free loopback port; plus a java.net.http client to talk to it.
 */
final class TestDav implements AutoCloseable {
  static final String NS = "test";
  /** Chunks of 4 to 64 KiB, around 16 KiB: a few hundred KiB of content make many chunks. */
  static final ChunkerParams SMALL_CHUNKS = new ChunkerParams(4 << 10, 16 << 10, 64 << 10);

  final Vertx vertx;
  final Journal journal;
  final ChunkStore chunks;
  final CairnDav dav;
  final HttpServer http;
  final HttpClient client;
  final String base;

  private TestDav(Vertx vertx, Journal journal, ChunkStore chunks, CairnDav dav, HttpServer http) {
    this.vertx = vertx;
    this.journal = journal;
    this.chunks = chunks;
    this.dav = dav;
    this.http = http;
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    this.base = "http://127.0.0.1:" + http.actualPort();
  }

  static TestDav start(Path dir) {
    return start(dir, b -> {});
  }

  static TestDav start(Path dir, java.util.function.Consumer<CairnDav.Builder> configure) {
    return start(dir, store -> store, configure);
  }

  /** As {@link #start(Path, java.util.function.Consumer)}, the file chunk store wrapped by {@code wrap}. */
  static TestDav start(
      Path dir,
      java.util.function.UnaryOperator<ChunkStore> wrap,
      java.util.function.Consumer<CairnDav.Builder> configure) {
    return start(dir, wrap, configure, () -> null);
  }

  /** A server whose every request runs as {@code caller} (with {@code perUser()} on the builder). */
  static TestDav startAs(Caller caller, Path dir, java.util.function.Consumer<CairnDav.Builder> configure) {
    return start(dir, store -> store, configure, () -> caller);
  }

  /** A server whose every request runs as whoever {@code caller} names at the time (tests that switch users). */
  static TestDav startAs(
      java.util.function.Supplier<Caller> caller, Path dir, java.util.function.Consumer<CairnDav.Builder> configure) {
    return start(dir, store -> store, configure, caller);
  }

  private static TestDav start(
      Path dir,
      java.util.function.UnaryOperator<ChunkStore> wrap,
      java.util.function.Consumer<CairnDav.Builder> configure,
      java.util.function.Supplier<Caller> caller) {
    Vertx vertx = Vertx.vertx();
    Journal journal = SqliteJournal.open(dir.resolve("journal.db"));
    ChunkStore chunks = wrap.apply(Await.result(FsChunkStore.open(dir.resolve("chunks"))));
    CairnDav.Builder builder = CairnDav.builder(journal, chunks, ChunkSplitter.of(new Chunker(SMALL_CHUNKS))).namespace(NS);
    configure.accept(builder);
    CairnDav dav = builder.build();
    HttpServer http =
        Await.result(
            vertx
                .createHttpServer(
                    new HttpServerOptions()
                        .setHost("127.0.0.1")
                        .setPort(0)
                        .setHandle100ContinueAutomatically(false))
                .requestHandler(serving(dav, caller))
                .listen());
    return new TestDav(vertx, journal, chunks, dav, http);
  }

  /**
   * What the server's edge does with WebDAV requests, without authentication: accept on the event
   * loop, serve on a virtual thread as {@code caller} (anonymously when null).
   */
  private static Handler<HttpServerRequest> serving(CairnDav dav, java.util.function.Supplier<Caller> who) {
    ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    return req -> {
      DavFront.Call call = dav.front().accept(req, req.remoteAddress().hostAddress());
      req.response().closeHandler(v -> call.connectionClosed());
      Caller caller = who.get();
      threads.execute(() -> {
        try {
          if (caller == null || call.anonymous()) {
            call.serve();
          } else {
            Caller.callAs(caller, () -> {
              call.serve();
              return null;
            });
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
    };
  }

  int port() {
    return http.actualPort();
  }

  /** Sends a request; {@code headers} are name, value pairs. */
  HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(60))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try {
      return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpResponse<byte[]> send(String method, String path, String body, String... headers) {
    return send(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8), headers);
  }

  HttpResponse<byte[]> get(String path, String... headers) {
    return send("GET", path, (byte[]) null, headers);
  }

  HttpResponse<byte[]> put(String path, byte[] body, String... headers) {
    return send("PUT", path, body, headers);
  }

  int status(String method, String path, String... headers) {
    return send(method, path, (byte[]) null, headers).statusCode();
  }

  /** The namespace's last jid: what tests compare to prove nothing was committed. */
  long lastJid() {
    return Await.result(journal.namespace(NS)).lastJid();
  }

  List<JournalRow> history(String path) {
    return Await.result(journal.history(NS, path, 1000));
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    dav.close();
    Await.result(http.close());
    chunks.close();
    journal.close();
    Await.result(vertx.close());
  }
}
