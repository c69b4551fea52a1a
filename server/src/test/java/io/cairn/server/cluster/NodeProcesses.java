package io.cairn.server.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Cairn nodes as separate JVM processes ({@code java -cp <test classpath> io.cairn.server.Main
 * --config FILE}), each with its own HTTP and Hazelcast port on 127.0.0.1, all listing each other
 * as members. Logs go to {@code <dir>/nodeN.log}.
 */
public final class NodeProcesses implements AutoCloseable {
  /** The password the user admin gets at a launched node's first start. */
  public static final String ADMIN_PASSWORD = DavClient.ADMIN_PASSWORD;

  private final Path dir;
  private final List<Process> processes = new ArrayList<>();
  private final List<Integer> httpPorts = new ArrayList<>();

  private NodeProcesses(Path dir) {
    this.dir = dir;
  }

  /** Starts {@code count} nodes with {@code settings} in common; returns once all answer HTTP. */
  static NodeProcesses start(Path dir, int count, Map<String, String> settings) throws Exception {
    NodeProcesses nodes = new NodeProcesses(dir);
    List<Integer> clusterPorts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      nodes.httpPorts.add(freePort());
      clusterPorts.add(freePort());
    }
    String members =
        String.join(",", clusterPorts.stream().map(p -> "127.0.0.1:" + p).toList());
    String name = "cairn-test-" + ProcessHandle.current().pid();
    try {
      for (int i = 0; i < count; i++) {
        StringBuilder conf = new StringBuilder();
        settings.forEach((k, v) -> conf.append(k).append(" = ").append(v).append('\n'));
        conf.append("port = ").append(nodes.httpPorts.get(i)).append('\n');
        conf.append("data.dir = ").append(dir.resolve("node" + i)).append('\n');
        conf.append("management.port = 0\n");
        conf.append("cluster.enabled = true\n");
        conf.append("cluster.name = ").append(name).append('\n');
        conf.append("cluster.port = ").append(clusterPorts.get(i)).append('\n');
        conf.append("cluster.members = ").append(members).append('\n');
        conf.append("cluster.failure.seconds = 3\n");
        conf.append("shutdown.grace.seconds = 1\n");
        Path file = dir.resolve("node" + i + ".properties");
        Files.writeString(file, conf);
        nodes.processes.add(launch(file, dir.resolve("node" + i + ".log")));
      }
      for (int i = 0; i < count; i++) {
        nodes.awaitReady(i, Duration.ofSeconds(90));
      }
    } catch (Exception | Error e) {
      nodes.close();
      throw e;
    }
    return nodes;
  }

  /** Starts one process of Main with {@code config}, its output to {@code log}. */
  public static Process launch(Path config, Path log) throws IOException {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    ProcessBuilder pb =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--enable-native-access=ALL-UNNAMED",
            "-Xmx256m",
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-cp",
            classpath,
            "io.cairn.server.Main",
            "--config",
            config.toString());
    pb.environment().put("CAIRN_ADMIN_PASSWORD", DavClient.ADMIN_PASSWORD);
    pb.redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    return pb.start();
  }

  String url(int i) {
    return "http://127.0.0.1:" + httpPorts.get(i);
  }

  int size() {
    return processes.size();
  }

  /** SIGKILL: the node gets no chance to say goodbye to the cluster. */
  void kill(int i) throws InterruptedException {
    Process p = processes.get(i);
    p.destroyForcibly();
    p.waitFor(10, TimeUnit.SECONDS);
  }

  Path log(int i) {
    return dir.resolve("node" + i + ".log");
  }

  private void awaitReady(int i, Duration limit) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (!processes.get(i).isAlive()) {
        throw new AssertionError("node " + i + " exited:\n" + Files.readString(log(i)));
      }
      try {
        http.send(
            HttpRequest.newBuilder(URI.create(url(i) + "/"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.discarding());
        return;
      } catch (IOException e) {
        Thread.sleep(300);
      }
    }
    throw new AssertionError("node " + i + " did not answer within " + limit + ":\n" + Files.readString(log(i)));
  }

  @Override
  public void close() {
    for (Process p : processes) {
      p.destroy();
    }
    for (Process p : processes) {
      try {
        if (!p.waitFor(15, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
