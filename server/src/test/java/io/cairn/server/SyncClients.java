package io.cairn.server;

import io.cairn.client.SyncCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs {@code cairn sync} in this JVM against a {@link TestServer}, as a person would from the
 * command line, and reads synced folders back for comparison. A {@link Gate} between a client and
 * the server takes the client offline (connections refused and cut) and back.
 */
final class SyncClients {
  /** One run's exit status and what it printed. */
  record Run(int status, String out, String err) {
    Run expect(int wanted) {
      if (status != wanted) {
        throw new AssertionError("cairn sync exited " + status + ", not " + wanted + "\nout: " + out + "\nerr: " + err);
      }
      return this;
    }
  }

  private final Path passwordFile;

  SyncClients(Path scratch) throws IOException {
    this.passwordFile = scratch.resolve("password");
    Files.writeString(passwordFile, TestServer.ADMIN_PASSWORD);
  }

  /** The file holding admin's password, for {@code --password-file}. */
  Path passwordFile() {
    return passwordFile;
  }

  /** {@code cairn sync DIR URL --user admin --password-file F --quiet EXTRA...}. */
  Run sync(Path dir, String url, String... extra) {
    List<String> args = new ArrayList<>(List.of(dir.toString(), url, "--user", "admin", "--password-file",
        passwordFile.toString(), "--quiet"));
    args.addAll(List.of(extra));
    return run(args.toArray(String[]::new));
  }

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = SyncCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Every file below {@code dir} (the index folder aside) by relative path, with its SHA-256. */
  static TreeMap<String, String> files(Path dir) throws IOException {
    TreeMap<String, String> out = new TreeMap<>();
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
        return d.getFileName() != null && d.getFileName().toString().equals(".cairn-sync") ? FileVisitResult.SKIP_SUBTREE
            : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
        out.put("/" + dir.relativize(f).toString().replace('\\', '/'), sha256(Files.readAllBytes(f)));
        return FileVisitResult.CONTINUE;
      }
    });
    return out;
  }

  /** Every folder below {@code dir} (the index folder aside), by relative path. */
  static Set<String> folders(Path dir) throws IOException {
    Set<String> out = new java.util.TreeSet<>();
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
        if (d.getFileName() != null && d.getFileName().toString().equals(".cairn-sync")) {
          return FileVisitResult.SKIP_SUBTREE;
        }
        if (!d.equals(dir)) {
          out.add("/" + dir.relativize(d).toString().replace('\\', '/'));
        }
        return FileVisitResult.CONTINUE;
      }
    });
    return out;
  }

  /** The content of every file version in the history of {@code path} on the server (as admin). */
  static List<byte[]> versions(TestServer server, String path) throws Exception {
    String admin = TestServer.basic("admin", TestServer.ADMIN_PASSWORD);
    List<byte[]> out = new ArrayList<>();
    java.net.http.HttpResponse<byte[]> res = server.send(admin, "GET", "/.cairn/api/v1/history?limit=1000&path=" + query(path), null);
    if (res.statusCode() != 200) {
      return out;
    }
    for (Object o : new io.vertx.core.json.JsonObject(new String(res.body(), StandardCharsets.UTF_8)).getJsonArray("versions")) {
      io.vertx.core.json.JsonObject v = (io.vertx.core.json.JsonObject) o;
      if ("file".equals(v.getString("kind"))) {
        java.net.http.HttpResponse<byte[]> content = server.send(admin, "GET",
            "/.cairn/api/v1/content?path=" + query(v.getString("path")) + "&version=" + v.getLong("version"), null);
        if (content.statusCode() != 200) {
          throw new AssertionError("version " + v + " cannot be read: " + content.statusCode());
        }
        out.add(content.body());
      }
    }
    return out;
  }

  /** The content of the file at {@code path} on the server (as admin), or null when there is none. */
  static String serverFile(TestServer server, String path) throws Exception {
    StringBuilder encoded = new StringBuilder();
    for (String part : path.split("/")) {
      if (!part.isEmpty()) {
        encoded.append('/').append(query(part));
      }
    }
    java.net.http.HttpResponse<byte[]> res =
        server.send(TestServer.basic("admin", TestServer.ADMIN_PASSWORD), "GET", encoded.toString(), null);
    return res.statusCode() == 404 ? null : new String(res.body(), StandardCharsets.UTF_8);
  }

  /** {@code s} for a query string. */
  static String query(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A TCP relay to the server that can be shut like a network going away: while closed, new
   * connections are refused (accepted and dropped at once) and open ones are cut.
   */
  static final class Gate implements AutoCloseable {
    private final ServerSocket listener;
    private final int target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean up = true;

    Gate(int target) throws IOException {
      this.target = target;
      this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread.ofVirtual().start(this::accept);
    }

    String url(String path) {
      return "http://127.0.0.1:" + listener.getLocalPort() + path;
    }

    void up(boolean on) {
      up = on;
      if (!on) {
        for (Socket s : open) {
          closeQuietly(s);
        }
        open.clear();
      }
    }

    private void accept() {
      while (!listener.isClosed()) {
        try {
          Socket client = listener.accept();
          if (!up) {
            closeQuietly(client);
            continue;
          }
          Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
          open.add(client);
          open.add(server);
          Thread.ofVirtual().start(() -> pump(client, server));
          Thread.ofVirtual().start(() -> pump(server, client));
        } catch (IOException e) {
          // closed, or one connection failed: keep accepting until closed
        }
      }
    }

    private void pump(Socket from, Socket to) {
      byte[] buf = new byte[64 << 10];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
          out.write(buf, 0, n);
        }
      } catch (IOException e) {
        // cut
      } finally {
        closeQuietly(from);
        closeQuietly(to);
        open.remove(from);
        open.remove(to);
      }
    }

    private static void closeQuietly(Socket s) {
      try {
        s.close();
      } catch (IOException e) {
        // closing anyway
      }
    }

    @Override
    public void close() throws IOException {
      up(false);
      listener.close();
    }
  }
}
