package io.cairn.server;

import io.cairn.core.CairnException;
import io.cairn.client.SyncCommand;
import io.cairn.server.backup.BackupCommand;
import io.cairn.server.admin.LastRun;
import io.cairn.server.cli.AdminCli;
import io.cairn.server.cli.CommandUsage;
import io.cairn.server.cli.Spelling;
import io.cairn.server.fsck.FsckCommand;
import io.cairn.server.gc.GcCommand;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code cairn [--port N] [--bind HOST] [--data DIR] [--config FILE]} ({@code bin/cairn} in a checkout,
 * which runs this jar with a Java 21 or newer): starts one
 * node and runs until SIGTERM or SIGINT, which shut it down gracefully. Without flags: single node
 * on 127.0.0.1:8080 with its SQLite journal and chunks under {@code ./data}.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  static final String USAGE =
      """
      Usage: cairn [options]                  serve (bin/cairn in a checkout)
             cairn COMMAND [arguments]        run one command, listed below

      Commands: user, token, quota, ns (administration), fsck (integrity), gc (garbage collection),
                backup (a copy beside a running server), sync (the client), help [COMMAND]

        --port N        TCP port to listen on (default 8080; 0 picks a free one)
        --bind HOST     address to listen on (default 127.0.0.1)
        --data DIR      data directory for the default SQLite journal and chunk store (default ./data)
        --config FILE   a key = value configuration file (see conf/cairn.properties)
        --admin-password PW  the password of the user admin created on first start (else
                        CAIRN_ADMIN_PASSWORD, else a random one printed once)
        --debug         a failed start shows its stack trace (also CAIRN_DEBUG=1)
        --version       the version of Cairn and of the Java running it
        --help          this text

      Flags override the configuration file; the file overrides the defaults. Exit status of the
      server: 2 for a flag or configuration it refuses, 1 when it cannot start (one line says why).
      A mistake on the command line is one line saying what to type instead; cairn COMMAND --help
      shows one command's usage.

      """ + CommandUsage.ADMIN + "\n" + FsckCommand.USAGE + "\n" + GcCommand.USAGE + "\n" + BackupCommand.USAGE + "\n"
      + SyncCommand.USAGE;

  private Main() {}

  /** The command line, parsed: what to override, which file, which admin password, which command. */
  private record Args(Map<String, String> overrides, Path config, String adminPassword, List<String> command,
      boolean debug) {}

  public static void main(String[] args) {
    if (args.length > 0 && (args[0].equals("help") || args.length == 2 && List.of("--help", "-h").contains(args[0]))) {
      // cairn help [COMMAND] and cairn --help COMMAND: the same as cairn [COMMAND] --help
      args = args.length == 1 ? new String[] {"--help"} : new String[] {args[1], "--help"};
    }
    if (args.length > 0 && args[0].equals("sync")) { // the client: nothing of the server is started
      System.exit(SyncCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
    }
    for (String[] command : new String[][] {{"fsck", FsckCommand.USAGE}, {"gc", GcCommand.USAGE},
        {"backup", BackupCommand.USAGE}}) {
      int at = commandAt(args, command[0]);
      if (at >= 0 && (List.of(args).contains("--help") || List.of(args).contains("-h"))) {
        System.out.print(command[1]);
        System.exit(0);
      }
    }
    int fsckAt = commandAt(args, "fsck");
    if (fsckAt >= 0) { // read-only: nothing of the server is started
      List<String> rest = new ArrayList<>(List.of(args));
      rest.remove(fsckAt);
      System.exit(fsck(rest.toArray(String[]::new), System.out, System.err));
    }
    int gcAt = commandAt(args, "gc");
    if (gcAt >= 0) { // nothing of the server is started
      List<String> rest = new ArrayList<>(List.of(args));
      rest.remove(gcAt);
      System.exit(gc(rest.toArray(String[]::new), System.out, System.err));
    }
    int backupAt = commandAt(args, "backup");
    if (backupAt >= 0) { // nothing of the server is started
      List<String> rest = new ArrayList<>(List.of(args));
      rest.remove(backupAt);
      System.exit(backup(rest.toArray(String[]::new), System.out, System.err));
    }
    Args parsed = parse(args);
    if (parsed == null) {
      System.out.print(USAGE);
    } else if (!parsed.command().isEmpty()) {
      System.exit(runCommand(parsed));
    } else {
      serve(parsed);
    }
  }

  /** The parsed arguments; null for --help. Exits with the usage for anything it does not know. */
  private static Args parse(String[] args) {
    Map<String, String> overrides = new LinkedHashMap<>();
    Path config = null;
    String adminPassword = System.getenv("CAIRN_ADMIN_PASSWORD");
    boolean debug = System.getenv("CAIRN_DEBUG") != null;
    List<String> command = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      boolean inCommand = !command.isEmpty() || (!arg.startsWith("-") && CommandUsage.isAdminGroup(arg));
      if (inCommand && !arg.equals("--data") && !arg.equals("--config") && !arg.equals("--debug")) {
        command.add(arg);
        continue;
      }
      switch (arg) {
        case "--help", "-h" -> {
          return null;
        }
        case "--version" -> {
          System.out.println("cairn " + version() + " (Java " + Runtime.version() + ")");
          System.exit(0);
        }
        case "--admin-password" -> adminPassword = value(args, ++i, arg);
        case "--port" -> overrides.put("port", value(args, ++i, arg));
        case "--bind" -> overrides.put("bind.host", value(args, ++i, arg));
        case "--data" -> overrides.put("data.dir", value(args, ++i, arg));
        case "--config" -> config = Path.of(value(args, ++i, arg));
        case "--debug" -> debug = true;
        default -> exitUsage(unknown(arg));
      }
    }
    return new Args(overrides, config, adminPassword, command, debug);
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      exitUsage(flag + " needs a value");
    }
    return args[i];
  }

  /** An administration command against the configured database; its exit status. */
  private static int runCommand(Args a) {
    ServerConfig loaded;
    try {
      loaded = ServerConfig.load(a.config(), a.overrides());
    } catch (ServerConfig.InvalidConfig e) {
      System.err.println("cairn: " + e.getMessage());
      return 2;
    }
    return new AdminCli(System.out, System.err, System.in).run(a.command(), loaded, CairnServer::openAccounts);
  }

  /** Where the word {@code command} is, when only --data, --config or --debug come before it; else -1. */
  private static int commandAt(String[] args, String command) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals(command)) {
        return i;
      }
      switch (args[i]) {
        case "--data", "--config" -> i++;
        case "--debug" -> { }
        default -> {
          return -1;
        }
      }
    }
    return -1;
  }

  /** {@code fsck ARGS}: the integrity check; its exit status (0 clean, 1 problems, 2 could not run). */
  static int fsck(String[] args, PrintStream out, PrintStream err) {
    return new FsckCommand(out, err, Duration.ofSeconds(5)).run(List.of(args), OfflineStorage::openReadOnly,
        OfflineStorage::openForRepair, (config, run) -> OfflineStorage.record(config, LastRun.FSCK, run, err));
  }

  /** {@code gc ARGS}: chunk garbage collection; its exit status (0 done, 1 failed, 2 could not run). */
  static int gc(String[] args, PrintStream out, PrintStream err) {
    return new GcCommand(out, err, java.time.Clock.systemUTC(), Duration.ofSeconds(5))
        .run(List.of(args), OfflineStorage::openReadOnly, OfflineStorage::openForSweep);
  }

  /** {@code backup ARGS}: a copy of the embedded storage; its exit status (0 done, 1 failed, 2 could not run). */
  static int backup(String[] args, PrintStream out, PrintStream err) {
    return new BackupCommand(out, err, java.time.Clock.systemUTC(), Duration.ofSeconds(5)).run(List.of(args));
  }

  /** Starts a node and leaves it to run until SIGTERM or SIGINT; exits 2 for bad input, 1 else. */
  private static void serve(Args a) {
    CairnServer server;
    try {
      server = CairnServer.start(ServerConfig.load(a.config(), a.overrides()), a.adminPassword());
    } catch (ServerConfig.InvalidConfig e) {
      System.err.println("cairn: " + e.getMessage());
      System.exit(2);
      return;
    } catch (CairnException e) {
      if (e.kind() != CairnException.Kind.INVALID) {
        exitCannotStart(e, a.debug());
        return;
      }
      // A value we were given is refused (a too-short admin password, say): a message, no trace.
      System.err.println("cairn: cannot start: " + e.getMessage());
      System.exit(2);
      return;
    } catch (RuntimeException e) {
      exitCannotStart(e, a.debug());
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "cairn-shutdown"));
  }

  /**
   * A start that failed: one line saying why (the port taken, a backend unreachable…), exit 1; the
   * stack trace only with {@code --debug} (or CAIRN_DEBUG set).
   */
  private static void exitCannotStart(RuntimeException e, boolean debug) {
    String why = why(e);
    System.err.println("cairn: " + (why.startsWith("cannot") ? why : "cannot start: " + why));
    if (debug) {
      LOG.error("cairn failed to start", e);
    } else {
      System.err.println("cairn: (--debug shows where it failed)");
    }
    System.exit(1);
  }

  /** The version in the jar's manifest; "development" when run from classes (tests, an IDE). */
  static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "development" : v;
  }

  /** The failure in words: the outermost message, with the usual socket errors said plainly. */
  static String why(Throwable e) {
    String top = e.getMessage() == null ? e.toString() : e.getMessage();
    for (Throwable c = e; c != null; c = c.getCause()) {
      String m = String.valueOf(c.getMessage());
      if (m.contains("Address already in use")) {
        return top.replaceAll(":\\s.*", "") + ": the address is in use (another program, or another Cairn, listens there)";
      }
      if (m.contains("Cannot assign requested address")) {
        return top.replaceAll(":\\s.*", "") + ": that address is not one of this machine's";
      }
      if (m.contains("Permission denied") && top.contains("listening")) {
        return top.replaceAll(":\\s.*", "") + ": permission denied (ports below 1024 need privileges)";
      }
    }
    return top;
  }

  private static void exitUsage(String message) {
    System.err.println("cairn: " + message + "; cairn --help lists every command and flag");
    System.exit(CommandUsage.USAGE_ERROR);
  }

  /**
   * What is wrong with an argument no command or flag takes, and what to type instead: the nearest
   * flag or command, the flag a path was probably meant for, or what a familiar word is in Cairn.
   */
  static String unknown(String arg) {
    String what = (arg.startsWith("-") ? "unknown flag " : "unknown command ") + arg;
    if (List.of("serve", "server", "start", "run").contains(arg)) {
      return what + ": cairn with no command serves (cairn [--port N] [--data DIR] [--config FILE])";
    }
    if (arg.equals("restore")) {
      return what + ": a backup is restored by serving it (cairn --data BACKUP_DIR) or copying it back"
          + " (docs/operations.md, Backup and restore)";
    }
    if (arg.equals("sync")) { // the client: nothing of the server's flags applies
      return "sync comes first: cairn sync LOCAL_DIR URL [options] (cairn sync --help)";
    }
    if (List.of("fsck", "gc", "backup").contains(arg)) { // after a flag of the server's
      return arg + " comes first, or after --data DIR, --config FILE or --debug only: cairn " + arg + " --help";
    }
    String meant = List.of("-v", "-V", "version").contains(arg) ? "--version" : null;
    if (meant == null && !arg.startsWith("-") && arg.contains("/")) {
      meant = (arg.endsWith(".properties") || arg.endsWith(".conf") ? "--config " : "--data ") + arg;
    }
    if (meant == null) {
      List<String> words = arg.startsWith("-")
          ? List.of("--port", "--bind", "--data", "--config", "--admin-password", "--debug", "--version", "--help")
          : List.of("user", "token", "quota", "ns", "fsck", "gc", "backup", "sync", "help");
      meant = Spelling.nearest(arg, words, 2);
    }
    return what + (meant == null ? "" : " (did you mean " + meant + "?)");
  }
}
