package io.cairn.storage.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real S3 server for tests: s3proxy 4.1.0 (filesystem backend) as a child process on a free
 * loopback port, or, when the environment variable {@code CAIRN_TEST_S3_URL} is set, an existing S3
 * named by a store URI ({@code s3://ACCESS:SECRET@BUCKET[/PREFIX]?endpoint=URL&region=R}).
 *
 * <p>The s3proxy jar is found through the system property {@code cairn.s3proxy.jar} (the storage
 * pom copies it to {@code target/test-tools/s3proxy.jar} and sets the property for surefire; a
 * module reusing this class needs the same two pieces in its pom). If the server cannot be started,
 * {@link #start()} throws, saying what is missing: a test needing S3 fails, never skips. The
 * child's output goes to {@code target/test-logs/s3proxy-PORT.log}; it is stopped by {@link
 * #close()} and, should a test forget, by a JVM shutdown hook.
 */
public final class S3Server implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(S3Server.class);
  public static final String URL_ENV = "CAIRN_TEST_S3_URL";
  public static final String JAR_PROPERTY = "cairn.s3proxy.jar";
  public static final String DEFAULT_BUCKET = "cairn-test";
  private static final String REGION = "us-east-1";
  private static final long START_TIMEOUT_MILLIS = 60_000;
  private static final int START_TRIES = 3;

  private static S3Server shared;

  private final URI base;
  private volatile Process process;
  private final ProcessBuilder command;
  private final int port;
  private final Path baseDir;
  private final Path logFile;
  private final Thread shutdownHook;

  private S3Server(URI base, Process process, ProcessBuilder command, int port, Path baseDir, Path logFile) {
    this.base = base;
    this.process = process;
    this.command = command;
    this.port = port;
    this.baseDir = baseDir;
    this.logFile = logFile;
    this.shutdownHook = process == null ? null : new Thread(this::stopProcess, "s3proxy-stop");
    if (shutdownHook != null) {
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }
  }

  /** Starts a fresh s3proxy, or wraps {@code CAIRN_TEST_S3_URL} when it is set. */
  public static S3Server start() {
    String external = System.getenv(URL_ENV);
    if (external != null && !external.isBlank()) {
      return new S3Server(URI.create(external.trim()), null, null, 0, null, null);
    }
    return startS3Proxy();
  }

  /**
   * A child s3proxy of the caller's own, whatever {@code CAIRN_TEST_S3_URL} says, for a test that
   * stops and restarts it ({@link #halt()}, {@link #restart()}); {@link #close()} removes it.
   */
  public static S3Server startOwn() {
    return startS3Proxy();
  }

  /** One server for the whole JVM, started on first use and stopped when the JVM exits. */
  public static synchronized S3Server shared() {
    if (shared == null || (shared.process != null && !shared.process.isAlive())) {
      shared = start();
    }
    return shared;
  }

  /**
   * A store URI for a location nobody used before in this server: bucket {@code bucket}, key prefix
   * {@code name/} (under the external URL's own prefix, if it has one), with the endpoint, region
   * and credentials to reach it.
   */
  public URI uri(String bucket, String name) {
    String path = base.getRawPath() == null ? "" : base.getRawPath();
    if (!path.endsWith("/")) {
      path = path + "/";
    }
    String query = base.getRawQuery() == null ? "" : "?" + base.getRawQuery();
    String userInfo = base.getRawUserInfo() == null ? "" : base.getRawUserInfo() + "@";
    return URI.create("s3://" + userInfo + bucket + path + encode(name) + "/" + query);
  }

  /** {@link #uri(String, String)} in the server's default bucket. */
  public URI uri(String name) {
    return uri(bucket(), name);
  }

  /** The bucket of the external URL, or {@value #DEFAULT_BUCKET} for s3proxy. */
  public String bucket() {
    String authority = base.getRawAuthority();
    return authority.substring(authority.lastIndexOf('@') + 1);
  }

  /**
   * Where the child s3proxy (filesystem backend) keeps the objects: {@code <dir>/<bucket>/<key>},
   * each object's Last-Modified being its file's modification time. Null for an external S3.
   */
  public Path objectsDir() {
    return baseDir == null ? null : baseDir.resolve("data");
  }

  /** True when this is a child s3proxy, not an external S3. */
  public boolean isLocal() {
    return process != null;
  }

  /**
   * Kills a child s3proxy (SIGKILL: connections are cut, not drained), keeping its objects, so
   * that clients find nothing answering on its port until {@link #restart()}. A test doing this
   * must have a server of its own ({@link #startOwn()}), never {@link #shared()}.
   */
  public void halt() {
    requireLocal();
    try {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping s3proxy", e);
    }
  }

  /** Starts a {@link #halt()}ed s3proxy again on the same port, credentials and objects. */
  public void restart() {
    requireLocal();
    try {
      Process next = command.start();
      process = next;
      String failure = awaitReady(next, port);
      if (failure != null) {
        throw new IllegalStateException("s3proxy did not come back: " + failure + "; log " + logFile + ":\n" + tail(logFile));
      }
    } catch (IOException e) {
      throw new IllegalStateException("could not restart s3proxy: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while restarting s3proxy", e);
    }
  }

  private void requireLocal() {
    if (process == null) {
      throw new IllegalStateException("an external S3 (" + URL_ENV + ") cannot be stopped by a test");
    }
  }

  /** Stops s3proxy and deletes its data; does nothing for an external S3. */
  @Override
  public void close() {
    if (process == null) {
      return;
    }
    stopProcess();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down; the hook does the same work.
    }
    deleteTree(baseDir);
  }

  @Override
  public String toString() {
    return isLocal() ? "s3proxy at " + base.getQuery() + " (log " + logFile + ")" : "external S3";
  }

  private void stopProcess() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static S3Server startS3Proxy() {
    Path jar = s3proxyJar();
    Path logDir = Path.of(System.getProperty("cairn.test.logs", "target/test-logs"));
    List<String> failures = new ArrayList<>();
    for (int tryNo = 1; tryNo <= START_TRIES; tryNo++) {
      Path baseDir = null;
      try {
        Files.createDirectories(logDir);
        baseDir = Files.createTempDirectory("cairn-s3proxy-");
        int port = freePort();
        String identity = "cairn";
        String credential = "cairn-secret-" + UUID.randomUUID();
        Path props = baseDir.resolve("s3proxy.properties");
        Path data = Files.createDirectories(baseDir.resolve("data"));
        Files.writeString(
            props,
            String.join(
                "\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + identity,
                "s3proxy.credential=" + credential,
                "jclouds.provider=filesystem",
                "jclouds.identity=" + identity,
                "jclouds.credential=" + credential,
                "jclouds.filesystem.basedir=" + data,
                ""));
        Path log = logDir.resolve("s3proxy-" + port + ".log");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb =
            new ProcessBuilder(
                java.toString(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-jar",
                jar.toString(),
                "--properties",
                props.toString());
        pb.environment().put("LOG_LEVEL", "info");
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        long started = System.nanoTime();
        Process process = pb.start();
        String failure = awaitReady(process, port);
        if (failure == null) {
          LOG.info(
              "s3proxy answers on 127.0.0.1:{} after {} ms (log {})",
              port,
              (System.nanoTime() - started) / 1_000_000,
              log);
          URI base =
              URI.create(
                  "s3://"
                      + identity
                      + ":"
                      + encode(credential)
                      + "@"
                      + DEFAULT_BUCKET
                      + "/?endpoint="
                      + encode("http://127.0.0.1:" + port)
                      + "&region="
                      + REGION);
          pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())); // for restart()
          return new S3Server(base, process, pb, port, baseDir, log);
        }
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        failures.add(
            "try " + tryNo + ": " + failure + "; last lines of " + log + ":\n" + tail(log));
      } catch (IOException e) {
        failures.add("try " + tryNo + ": " + e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting s3proxy", e);
      }
      deleteTree(baseDir);
    }
    throw new IllegalStateException(
        "could not start s3proxy from " + jar + ":\n" + String.join("\n", failures));
  }

  private static Path s3proxyJar() {
    String configured = System.getProperty(JAR_PROPERTY);
    String howTo =
        "Tests that need S3 run s3proxy 4.1.0 as a child process. Run them through"
            + " Maven (the storage pom copies org.gaul:s3proxy:4.1.0:jar-with-dependencies to"
            + " target/test-tools/s3proxy.jar and passes -D"
            + JAR_PROPERTY
            + "=... to surefire),"
            + " or point "
            + URL_ENV
            + " at an existing S3 (s3://ACCESS:SECRET@BUCKET?endpoint=URL).";
    if (configured == null || configured.isBlank()) {
      throw new IllegalStateException("system property " + JAR_PROPERTY + " is not set. " + howTo);
    }
    Path jar = Path.of(configured);
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("s3proxy jar not found at " + jar + ". " + howTo);
    }
    return jar;
  }

  /** Polls until s3proxy answers HTTP; returns null when ready, else why it is not. */
  private static String awaitReady(Process process, int port) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MILLIS);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        return "s3proxy exited with status " + process.exitValue();
      }
      if (answersHttp(port)) {
        return null;
      }
      Thread.sleep(50);
    }
    return "s3proxy did not answer on port " + port + " within " + START_TIMEOUT_MILLIS + " ms";
  }

  private static boolean answersHttp(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      socket.setSoTimeout(2_000);
      OutputStream out = socket.getOutputStream();
      out.write("GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] head = in.readNBytes(8);
      // Any HTTP answer counts: s3proxy refuses anonymous requests with 403.
      return new String(head, StandardCharsets.US_ASCII).startsWith("HTTP/");
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  // Best effort: a leftover temp directory is harmless.
                }
              });
    } catch (IOException | UncheckedIOException e) {
      // Best effort, as above.
    }
  }
}
