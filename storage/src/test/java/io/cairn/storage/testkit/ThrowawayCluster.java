package io.cairn.storage.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster in a temporary directory, started from the installed binaries with trust
 * authentication on 127.0.0.1 and a free port, for one JVM's tests. As root the cluster runs as the
 * {@code postgres} user (initdb refuses root). fsync is off: the data is thrown away anyway.
 *
 * <p>The directory holds the owning JVM's pid, so a later run reaps clusters whose JVM was killed
 * before its shutdown hook could stop them.
 */
final class ThrowawayCluster {
  /** Overrides where initdb and pg_ctl are looked for. */
  static final String ENV_BIN = "CAIRN_TEST_PG_BIN";

  private static final String DIR_PREFIX = "cairn-pg-";
  private static final String OWNER_FILE = "owner.pid";
  private static final long COMMAND_TIMEOUT_SECONDS = 120;
  private static final int START_ATTEMPTS = 3;

  private final Path bin;
  private final Path root;
  private final int port;

  private ThrowawayCluster(Path bin, Path root, int port) {
    this.bin = bin;
    this.root = root;
    this.port = port;
  }

  int port() {
    return port;
  }

  Path dataDirectory() {
    return root.resolve("data");
  }

  /** initdb and pg_ctl start; IOException saying what failed (with the server's log) otherwise. */
  static ThrowawayCluster start() throws IOException {
    Path bin = findBinaries();
    reapOrphans(bin);
    Path root = Files.createTempDirectory(DIR_PREFIX);
    Files.writeString(root.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
    try {
      if (isRoot()) {
        UserPrincipal postgres =
            root.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
        Files.setOwner(root, postgres);
      }
      run(
          bin,
          root,
          List.of(
              "initdb", "-D", root.resolve("data").toString(), "-A", "trust", "-U", "postgres",
              "-E", "UTF8", "--locale=C", "--no-sync"),
          root.resolve("initdb.log"));
      IOException last = null;
      for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
        int port = freePort();
        try {
          run(bin, root, startCommand(root, port), root.resolve("pg_ctl.log"));
          return new ThrowawayCluster(bin, root, port);
        } catch (IOException e) {
          last = e; // most likely the port was taken between probing and binding: try another
        }
      }
      throw last;
    } catch (IOException | RuntimeException e) {
      deleteTree(root);
      throw e;
    }
  }

  /**
   * Stops the server at once, as a crash would ({@code pg_ctl stop -m immediate}: no checkpoint,
   * every connection cut), keeping its data for {@link #restart()}.
   */
  void halt() throws IOException {
    run(bin, root, List.of("pg_ctl", "-D", dataDirectory().toString(), "-m", "immediate", "-w", "stop"),
        root.resolve("pg_ctl-stop.log"));
  }

  /** Starts the server again on the same data and port after {@link #halt()} (it recovers from its WAL). */
  void restart() throws IOException {
    run(bin, root, startCommand(root, port), root.resolve("pg_ctl.log"));
  }

  /** Stops the server at once (no checkpoint) and deletes its directory. Never throws. */
  void stop() {
    stopServer(bin, root);
    deleteTree(root);
  }

  private static List<String> startCommand(Path root, int port) {
    return List.of(
        "pg_ctl", "-D", root.resolve("data").toString(), "-l",
        root.resolve("server.log").toString(), "-w", "-t", "60", "-o",
        "-p " + port + " -k " + root + " -c listen_addresses=127.0.0.1 -c fsync=off"
            + " -c full_page_writes=off -c max_connections=300"
            // more server settings for a measurement, e.g. "-c shared_buffers=1GB" (bench/journal-scale.sh)
            + " " + System.getProperty("cairn.test.pg.settings", ""),
        "start");
  }

  private static void stopServer(Path bin, Path root) {
    try {
      run(
          bin,
          root,
          List.of("pg_ctl", "-D", root.resolve("data").toString(), "-m", "immediate", "-w", "stop"),
          null);
    } catch (IOException | RuntimeException e) {
      System.err.println("cairn tests: pg_ctl stop in " + root + " failed: " + e.getMessage());
    }
  }

  private static Path findBinaries() throws IOException {
    List<Path> candidates = new ArrayList<>();
    String env = System.getenv(ENV_BIN);
    if (env != null && !env.isBlank()) {
      candidates.add(Path.of(env));
    }
    for (String base : List.of("/usr/lib/postgresql", "/usr/local/lib/postgresql")) {
      Path dir = Path.of(base);
      if (Files.isDirectory(dir)) {
        try (Stream<Path> versions = Files.list(dir)) {
          versions
              .map(v -> v.resolve("bin"))
              .sorted(Comparator.comparing(ThrowawayCluster::versionOf).reversed())
              .forEach(candidates::add);
        }
      }
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String entry : path.split(java.io.File.pathSeparator)) {
        if (!entry.isEmpty()) {
          candidates.add(Path.of(entry));
        }
      }
    }
    candidates.add(Path.of("/usr/local/pgsql/bin"));
    for (Path dir : candidates) {
      if (Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl"))) {
        return dir;
      }
    }
    throw new IOException(
        "initdb and pg_ctl were found in none of /usr/lib/postgresql/*/bin, "
            + ENV_BIN
            + " or PATH");
  }

  private static int versionOf(Path binDir) {
    try {
      return Integer.parseInt(binDir.getParent().getFileName().toString());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Clusters left by JVMs that died without their shutdown hook. */
  private static void reapOrphans(Path bin) {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, DIR_PREFIX + "*")) {
      for (Path dir : dirs) {
        Optional<Long> owner = readOwner(dir);
        if (owner.isPresent() && ProcessHandle.of(owner.get()).isEmpty()) {
          stopServer(bin, dir);
          deleteTree(dir);
        }
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("cairn tests: could not look for stale PostgreSQL clusters: " + e);
    }
  }

  private static Optional<Long> readOwner(Path dir) {
    try {
      return Optional.of(Long.parseLong(Files.readString(dir.resolve(OWNER_FILE)).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static void run(Path bin, Path workDir, List<String> command, Path log)
      throws IOException {
    List<String> full = new ArrayList<>();
    if (isRoot()) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.add(bin.resolve(command.get(0)).toString());
    full.addAll(command.subList(1, command.size()));
    Path output = log != null ? log : Files.createTempFile("cairn-pg-cmd", ".log");
    Process process =
        new ProcessBuilder(full)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    try {
      if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(String.join(" ", full) + " did not finish in time");
      }
      if (process.exitValue() != 0) {
        throw new IOException(
            String.join(" ", full)
                + " exited with "
                + process.exitValue()
                + ": "
                + tail(output)
                + tail(workDir.resolve("server.log")));
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + full, e);
    } finally {
      if (log == null) {
        Files.deleteIfExists(output);
      }
    }
  }

  private static String tail(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8).strip();
      return text.length() > 2000 ? "…" + text.substring(text.length() - 2000) : text;
    } catch (IOException e) {
      return "";
    }
  }

  private static boolean isRoot() {
    try {
      return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    } catch (IOException | RuntimeException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      System.err.println("cairn tests: could not delete " + root + ": " + e.getMessage());
    }
  }
}
