package io.cairn.server;

import io.cairn.server.cluster.NodeProcesses;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Cairn server as a JVM process of its own ({@link NodeProcesses#launch}), on the storage
 * {@code settings} name, so that a test can kill it with SIGKILL and start it again on the same
 * storage. Each start takes a fresh free port; the configuration lives in {@code dir}.
 */
final class ServerProcess implements AutoCloseable {
  static final String ADMIN = TestServer.basic("admin", NodeProcesses.ADMIN_PASSWORD);
  private final Path dir;
  private final Map<String, String> settings;
  private int starts;
  private Process process;
  private int port;

  /** {@code settings}: journal.uri and chunks.uri and the like; data.dir is {@code dir/data}. */
  ServerProcess(Path dir, Map<String, String> settings) {
    this.dir = dir;
    this.settings = settings;
  }

  /** The configuration file the maintenance commands get with --config (the last start's). */
  Path config() {
    return dir.resolve("cairn.properties");
  }

  /** Starts the server and returns once it answers HTTP (90 s at most). */
  void start() throws Exception {
    port = NodeProcesses.freePort();
    StringBuilder conf = new StringBuilder();
    settings.forEach((k, v) -> conf.append(k).append(" = ").append(v).append('\n'));
    conf.append("data.dir = ").append(dir.resolve("data")).append('\n');
    conf.append("port = ").append(port).append('\n');
    conf.append("management.port = 0\n");
    conf.append("shutdown.grace.seconds = 1\n");
    Files.writeString(config(), conf);
    Path log = dir.resolve("server" + (++starts) + ".log");
    process = NodeProcesses.launch(config(), log);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("the server exited:\n" + Files.readString(log));
      }
      try {
        http.send(HttpRequest.newBuilder(URI.create(url("/"))).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
        return;
      } catch (IOException e) {
        Thread.sleep(200);
      }
    }
    throw new AssertionError("the server did not answer within 90 s:\n" + Files.readString(log));
  }

  String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  /** SIGKILL (Process.destroyForcibly on Linux): no shutdown hook, no flush, no goodbye. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      throw new AssertionError("the server did not die of SIGKILL within 20 s");
    }
  }

  /** SIGTERM and wait for the graceful stop. */
  void stop() throws InterruptedException {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      kill();
    }
  }

  @Override
  public void close() {
    try {
      stop();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
