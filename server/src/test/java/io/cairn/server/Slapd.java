package io.cairn.server;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway OpenLDAP server for a test: Debian's {@code /usr/sbin/slapd} with its own
 * {@code slapd.conf}, an mdb database in a temporary directory, loaded with {@code slapadd}, and a
 * free loopback port; never the system's slapd service. Without slapd the test fails (bin/test
 * installs it), it is never skipped.
 */
final class Slapd implements AutoCloseable {
  static final Path SLAPD = Path.of("/usr/sbin/slapd");
  static final Path SLAPADD = Path.of("/usr/sbin/slapadd");
  static final String SUFFIX = "dc=example,dc=org";
  static final String ROOT_DN = "cn=root," + SUFFIX;
  static final String ROOT_PASSWORD = "root-secret";

  private final Path dir;
  private final int port;
  private Process process;

  private Slapd(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** Starts slapd in {@code dir} with the entries of {@code ldif} (after the suffix entry). */
  static Slapd start(Path dir, String ldif) throws Exception {
    if (!Files.isExecutable(SLAPD) || !Files.isExecutable(SLAPADD)) {
      fail(SLAPD + " not found: install OpenLDAP's server to run the LDAP tests"
          + " (apt-get install slapd; bin/test installs it)");
    }
    Files.createDirectories(dir.resolve("db"));
    Files.writeString(dir.resolve("slapd.conf"), config(dir));
    Files.writeString(dir.resolve("data.ldif"),
        "dn: " + SUFFIX + "\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: Example\n\n" + ldif);
    run(List.of(SLAPADD.toString(), "-f", dir.resolve("slapd.conf").toString(), "-l", dir.resolve("data.ldif").toString()));
    Slapd s = new Slapd(dir, freePort());
    s.startAgain();
    return s;
  }

  private static String config(Path dir) {
    return String.join("\n",
        "include /etc/ldap/schema/core.schema",
        "include /etc/ldap/schema/cosine.schema",
        "include /etc/ldap/schema/nis.schema",
        "include /etc/ldap/schema/inetorgperson.schema",
        "pidfile " + dir.resolve("slapd.pid"),
        "modulepath /usr/lib/ldap",
        "moduleload back_mdb",
        "database mdb",
        "maxsize 16777216",
        "suffix \"" + SUFFIX + "\"",
        "rootdn \"" + ROOT_DN + "\"",
        "rootpw " + ROOT_PASSWORD,
        "directory " + dir.resolve("db"),
        // Anonymous clients may bind and nothing else: a search has to be the service account's.
        "access to attrs=userPassword by anonymous auth by * none",
        "access to * by users read by * none",
        "");
  }

  String url() {
    return "ldap://127.0.0.1:" + port;
  }

  /** Starts slapd (again) on its port and waits until it accepts connections. */
  void startAgain() throws Exception {
    process = new ProcessBuilder(SLAPD.toString(), "-d", "0", "-f", dir.resolve("slapd.conf").toString(),
        "-h", url() + "/")
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("slapd.log").toFile())
        .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        fail("slapd exited with " + process.exitValue() + ": " + Files.readString(dir.resolve("slapd.log")));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    fail("slapd did not listen on " + url() + " within 20 s: " + Files.readString(dir.resolve("slapd.log")));
  }

  /** Stops slapd and waits until it has. */
  void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  private static void run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      fail(String.join(" ", command) + " failed: " + out);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
