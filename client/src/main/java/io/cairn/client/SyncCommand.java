package io.cairn.client;

import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * {@code cairn sync}: the command line of the sync client.
 *
 * <pre>
 * cairn sync LOCAL_DIR URL [--user U] [--token-file F] [--prefer local|remote] [--watch] [--quiet]
 *     [--workers N] [--retry-for SECONDS]
 * cairn sync conflicts LOCAL_DIR
 * </pre>
 *
 * Exit status: 0 when both sides are equal, 1 when some paths could not be synced (each is named),
 * 2 for a usage error, failed authentication, or a server that cannot be reached.
 */
public final class SyncCommand {
  public static final String USAGE =
      """
      Sync a local folder with a folder on a Cairn server, both ways:

        cairn sync LOCAL_DIR URL [options]    make LOCAL_DIR and the server's folder at URL equal
                                              (e.g. http://127.0.0.1:8080/ or .../team/docs)
        cairn sync conflicts LOCAL_DIR        list the conflicts met, with base, local and remote

        --user U            log in as U; the password from CAIRN_PASSWORD, --password-file or a prompt
        --password-file F   read the password from F
        --token-file F      authenticate with the app token in F (cairn token create) instead
        --prefer local|remote  settle conflicts for this side (the other side's version stays in
                            the server's history or trash); default: keep both, as conflict copies
        --watch             keep syncing: local changes from file-system events, remote ones from
                            the server's live change stream; offline, keep retrying
        --quiet             no progress line, only the summary and problems
        --workers N         files moved at once (default 8)
        --retry-for SECONDS how long a run waits for a server that stays unavailable (503, 429 or a
                            lost connection), retrying what is safe to send again (default 300;
                            0: never wait)

      The index (what both sides last agreed on) lives in LOCAL_DIR/.cairn-sync/, which is never synced.
      """;

  /** A run that failed for a reason that may pass (the server unreachable or busy): --watch retries. */
  private static final int RETRY = 3;

  private SyncCommand() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command; returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (java.util.Arrays.asList(args).contains("--help") || java.util.Arrays.asList(args).contains("-h")) {
      out.print(USAGE);
      return 0;
    }
    try {
      if (args.length >= 1 && args[0].equals("conflicts")) {
        if (args.length != 2) {
          throw new Usage("conflicts takes LOCAL_DIR only");
        }
        return conflicts(Path.of(args[1]), out);
      }
      return sync(Options.parse(args), out, err);
    } catch (Usage e) { // one line: what is wrong, what to type, where the rest is
      boolean conflicts = args.length >= 1 && args[0].equals("conflicts");
      err.println("cairn sync: " + e.getMessage() + "; usage: cairn sync "
          + (conflicts ? "conflicts LOCAL_DIR" : "LOCAL_DIR URL [options] (cairn sync --help lists the options)"));
      return 2;
    }
  }

  static final class Usage extends RuntimeException {
    Usage(String message) {
      super(message);
    }
  }

  /** The command line, parsed. */
  record Options(Path dir, URI url, String user, String authorization, Sync.Policy policy, boolean watch, boolean quiet,
      int workers, java.time.Duration retryFor) {
    /** How long a run waits for a server that stays unavailable, by default. */
    static final int RETRY_FOR_SECONDS = 300;

    static Options parse(String[] args) {
      List<String> positional = new java.util.ArrayList<>();
      String user = null;
      String passwordFile = null;
      String tokenFile = null;
      Sync.Policy policy = Sync.Policy.KEEP_BOTH;
      boolean watch = false;
      boolean quiet = false;
      int workers = 8;
      int retryFor = RETRY_FOR_SECONDS;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--user" -> user = value(args, ++i, "--user");
          case "--password-file" -> passwordFile = value(args, ++i, "--password-file");
          case "--token-file" -> tokenFile = value(args, ++i, "--token-file");
          case "--prefer" -> {
            String p = value(args, ++i, "--prefer");
            policy = switch (p) {
              case "local" -> Sync.Policy.LOCAL;
              case "remote" -> Sync.Policy.REMOTE;
              default -> throw new Usage("--prefer takes local or remote, not " + p);
            };
          }
          case "--watch" -> watch = true;
          case "--quiet" -> quiet = true;
          case "--workers" -> {
            try {
              workers = Integer.parseInt(value(args, ++i, "--workers"));
            } catch (NumberFormatException e) {
              throw new Usage("--workers takes a number");
            }
            if (workers < 1 || workers > 64) {
              throw new Usage("--workers takes 1 to 64");
            }
          }
          case "--retry-for" -> {
            try {
              retryFor = Integer.parseInt(value(args, ++i, "--retry-for"));
            } catch (NumberFormatException e) {
              throw new Usage("--retry-for takes a number of seconds");
            }
            if (retryFor < 0 || retryFor > 86_400) {
              throw new Usage("--retry-for takes 0 to 86400 seconds");
            }
          }
          default -> {
            if (args[i].startsWith("--")) {
              throw new Usage("unknown option " + args[i]);
            }
            positional.add(args[i]);
          }
        }
      }
      if (positional.size() != 2) {
        throw new Usage("give LOCAL_DIR and URL");
      }
      URI url;
      try {
        url = new URI(positional.get(1));
      } catch (URISyntaxException e) {
        throw new Usage("not a URL: " + positional.get(1));
      }
      if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
        throw new Usage("the URL must be http:// or https:// with a host: " + url);
      }
      String authorization;
      if (tokenFile != null) {
        authorization = "Bearer " + read(tokenFile);
      } else {
        if (user == null) {
          throw new Usage("give --user U (with a password) or --token-file F");
        }
        String password = passwordFile != null ? read(passwordFile) : System.getenv("CAIRN_PASSWORD");
        if (password == null) {
          Console console = System.console();
          if (console == null) {
            throw new Usage("no password: set CAIRN_PASSWORD or give --password-file");
          }
          char[] typed = console.readPassword("password for %s: ", user);
          password = typed == null ? "" : new String(typed);
        }
        authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
      }
      return new Options(Path.of(positional.get(0)).toAbsolutePath().normalize(), url, user, authorization, policy, watch,
          quiet, workers, java.time.Duration.ofSeconds(retryFor));
    }

    /** The server folder the URL names: its path, NFC, without a trailing slash ({@code /} for the root). */
    String remoteRoot() {
      String p = url.getPath() == null ? "" : Normalizer.normalize(url.getPath(), Normalizer.Form.NFC);
      while (p.endsWith("/")) {
        p = p.substring(0, p.length() - 1);
      }
      return p.isEmpty() ? "/" : p;
    }

    URI origin() {
      return URI.create(url.getScheme() + "://" + url.getRawAuthority() + "/");
    }
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      throw new Usage(flag + " needs a value");
    }
    return args[i];
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file)).strip();
    } catch (IOException e) {
      throw new Usage("cannot read " + file + ": " + e.getMessage());
    }
  }

  private static int sync(Options o, PrintStream out, PrintStream err) {
    if (!Files.isDirectory(o.dir())) {
      err.println("cairn sync: " + o.dir() + " is not a folder; create it first");
      return 2;
    }
    boolean terminal = !o.quiet() && System.console() != null;
    // On a terminal the progress line says it; else a line each time, unless asked to be quiet.
    Retries retries = new Retries(o.retryFor(), Clock.systemUTC(), notice -> {
      if (!o.quiet() && !terminal) {
        err.println("cairn sync: " + notice);
      }
    });
    Remote remote = new Remote(o.origin(), o.authorization(), retries);
    Path lockFile = o.dir().resolve(Index.DIR).resolve("lock");
    try (java.nio.channels.FileChannel lockChannel = open(lockFile);
        java.nio.channels.FileLock lock = tryLock(lockChannel);
        Index index = lock == null ? null : Index.open(o.dir(), Clock.systemUTC())) {
      if (lock == null) { // two runs planning from one base would undo each other
        err.println("cairn sync: another cairn sync is running on " + o.dir() + "; wait for it, or stop it first");
        return 2;
      }
      String target = o.origin() + o.remoteRoot().substring(1);
      String known = index.meta("url");
      if (known != null && !known.equals(target)) {
        err.println("cairn sync: " + o.dir() + " is synced with " + known + ", not " + target
            + "; sync another folder, or remove " + o.dir().resolve(Index.DIR) + " to start over");
        return 2;
      }
      if (!o.watch()) {
        int status = once(o, remote, retries, index, target, true, out, err);
        return status == RETRY ? 2 : status;
      }
      return watch(o, remote, retries, index, target, out, err);
    } catch (IOException e) {
      err.println("cairn sync: " + e.getMessage());
      return 2;
    }
  }

  /**
   * One run. {@code always}: print the summary even when nothing changed (a single run, and the
   * first run of --watch; later runs of --watch speak only when they did something).
   */
  /** The folder's lock, or null when another run (in this process or another) holds it. */
  private static java.nio.channels.FileLock tryLock(java.nio.channels.FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException e) {
      return null;
    }
  }

  private static java.nio.channels.FileChannel open(Path lockFile) throws IOException {
    Files.createDirectories(lockFile.getParent());
    return java.nio.channels.FileChannel.open(lockFile, java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.WRITE);
  }

  private static int once(Options o, Remote remote, Retries retries, Index index, String target, boolean always,
      PrintStream out, PrintStream err) {
    long start = System.nanoTime();
    try (Sync sync = open(o, remote, index)) {
      if (!sync.tree.rootExists()) {
        err.println("cairn sync: the server folder " + o.remoteRoot() + " does not exist (or is not a folder);"
            + " create it, or check the URL. Nothing was changed here.");
        return 2;
      }
      index.meta("url", target); // from now on this folder syncs with this URL only
      index.meta("root", o.remoteRoot());
      Progress progress = Progress.start(sync.stats, retries, !o.quiet() && System.console() != null, err);
      try {
        sync.run();
      } finally {
        progress.stop();
      }
      long millis = (System.nanoTime() - start) / 1_000_000;
      if (!o.watch()) {
        out.println("cairn sync: " + sync.stats.summary(millis));
      } else if (always || sync.stats.changedAnything()) {
        out.println("cairn sync: " + sync.stats.summary(millis) + " (" + java.time.LocalTime.now().withNano(0) + ")");
      }
      List<String> problems = sync.stats.problems();
      problems.forEach(p -> err.println("cairn sync: not synced: " + p));
      return problems.isEmpty() ? 0 : 1;
    } catch (Remote.ApiError e) {
      err.println("cairn sync: " + e.getMessage() + " (" + e.status + ")");
      return e.status >= 500 || e.status == 429 ? RETRY : 2;
    } catch (Remote.Unreachable e) {
      err.println("cairn sync: " + e.getMessage());
      return RETRY;
    } catch (IOException e) {
      err.println("cairn sync: " + e.getMessage());
      return 2;
    } catch (RuntimeException e) { // a bug: say so in one line; the trace only when asked for
      err.println("cairn sync: stopped by an internal error: " + e
          + (System.getenv("CAIRN_SYNC_DEBUG") == null ? " (CAIRN_SYNC_DEBUG=1 shows where)" : ""));
      if (System.getenv("CAIRN_SYNC_DEBUG") != null) {
        e.printStackTrace(err);
      }
      return 2;
    }
  }

  private static int watch(Options o, Remote remote, Retries retries, Index index, String target, PrintStream out,
      PrintStream err) throws IOException {
    int status = once(o, remote, retries, index, target, true, out, err);
    if (status == 2) {
      return 2; // refused (credentials, URL): retrying would not help, and would lock the user out
    }
    long backoff = 1;
    try (Watch watch = new Watch(o.dir(), remote)) {
      out.println("cairn sync: watching " + o.dir() + " and " + target + " (Ctrl-C stops)");
      while (true) {
        long wait;
        if (status == RETRY) {
          wait = backoff;
          err.println("cairn sync: retrying in " + wait + " s; local changes are picked up then");
          backoff = Math.min(60, backoff * 2);
        } else {
          backoff = 1;
          wait = 60;
        }
        watch.await(wait);
        status = once(o, remote, retries, index, target, false, out, err);
        if (status == 2) {
          return 2;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  private static Sync open(Options o, Remote remote, Index index) throws IOException {
    Map<String, Object> server = remote.server();
    @SuppressWarnings("unchecked")
    Map<String, Object> sizes = (Map<String, Object>) server.get("chunker");
    io.cairn.core.chunk.ChunkerParams params = new io.cairn.core.chunk.ChunkerParams(
        ((Number) sizes.get("min")).intValue(), ((Number) sizes.get("avg")).intValue(), ((Number) sizes.get("max")).intValue());
    return new Sync(o.dir(), remote, index, o.remoteRoot(), params, o.policy(), o.user() == null ? "cairn" : o.user(),
        Clock.systemUTC(), o.workers());
  }

  private static int conflicts(Path dir, PrintStream out) {
    if (!Files.isDirectory(dir.resolve(Index.DIR))) {
      out.println(dir + " is not a synced folder (no " + Index.DIR + ")");
      return 2;
    }
    try (Index index = Index.open(dir, Clock.systemUTC())) {
      List<Index.Conflict> all = index.conflicts();
      if (all.isEmpty()) {
        out.println("no conflicts");
        return 0;
      }
      for (Index.Conflict c : all) {
        String root = index.meta("root");
        String rel = c.copy() == null ? null : RemoteTree.relative(root == null ? "/" : root, c.copy());
        boolean open = rel != null && Files.exists(dir.resolve(rel.substring(1)));
        out.printf("%s  %s: %s%n  %s%s%n", Instant.ofEpochMilli(c.at()), c.path(), c.shape(), c.outcome(),
            open ? " (open: the copy is still here)" : "");
        out.println("    base:   " + describe(c.base()));
        out.println("    local:  " + describe(c.local()));
        out.println("    remote: " + describe(c.remote()));
      }
      return 0;
    } catch (IOException e) {
      out.println("cairn sync: " + e.getMessage());
      return 2;
    }
  }

  private static String describe(Node n) {
    if (n == null) {
      return "(none)";
    }
    String v = n.version() > 0 ? "version " + n.version() + ", " : "";
    return v + n.size() + " bytes, modified " + Instant.ofEpochMilli(n.mtime()) + ", hash " + n.hash().substring(0, 16) + "…";
  }
}
