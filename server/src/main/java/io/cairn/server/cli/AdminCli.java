package io.cairn.server.cli;

import io.cairn.core.CairnException;
import io.cairn.server.ServerConfig;
import io.cairn.server.admin.QuotaReport;
import io.cairn.server.auth.Accounts;
import io.cairn.server.retention.HistoryPurge;
import io.cairn.server.retention.NamespaceRetention;
import io.cairn.storage.users.AppToken;
import io.cairn.storage.users.Grant;
import io.cairn.storage.users.User;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.function.Function;

/**
 * {@code cairn user|token|quota|ns ...} ({@link CommandUsage#ADMIN}): parses a command, runs it on
 * an {@link Accounts} and prints the outcome. Every mistake ends in one line saying what is wrong
 * and what to type: exit status 2 for the command line (unknown command or option, a missing or
 * extra argument, a bad expiry or size, no journal where --data points), 1 when the store refuses
 * (unknown user or namespace, a value out of range, the journal unreachable).
 */
public final class AdminCli {
  /** A command-line mistake: its message is the one line printed after "cairn: "; exit status 2. */
  static final class UsageError extends RuntimeException {
    UsageError(String message) {
      super(message);
    }
  }

  private final PrintStream out;
  private final PrintStream err;
  private final BufferedReader stdin;

  public AdminCli(PrintStream out, PrintStream err, java.io.InputStream in) {
    this.out = out;
    this.err = err;
    this.stdin = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }

  /**
   * Runs {@code args} (the command and its arguments, server flags already removed) with the
   * accounts {@code open} gives for the configuration; returns the exit status.
   */
  public int run(List<String> args, ServerConfig config, Function<ServerConfig, AccountsHandle> open) {
    if (args.contains("--help") || args.contains("-h")) {
      out.print(CommandUsage.ofGroup(args.isEmpty() ? "" : args.get(0)));
      return 0;
    }
    try {
      Command command = parse(args);
      String name = args.get(0) + " " + args.get(1);
      if (!CREATES_A_JOURNAL.contains(name)) {
        requireJournal(config);
      }
      try (AccountsHandle h = open.apply(config)) {
        command.run(h);
      }
      return 0;
    } catch (UsageError e) {
      err.println("cairn: " + e.getMessage());
      return CommandUsage.USAGE_ERROR;
    } catch (CairnException e) {
      err.println("cairn: " + e.getMessage());
      return 1;
    } catch (ServerConfig.InvalidConfig e) {
      err.println("cairn: " + e.getMessage());
      return CommandUsage.USAGE_ERROR;
    }
  }

  /** The commands that may start a new embedded journal: the first user or namespace, before a first start. */
  private static final java.util.Set<String> CREATES_A_JOURNAL = java.util.Set.of("user add", "ns create");

  /**
   * A mistyped --data would otherwise open (and create) an empty journal: a list of no users, or
   * "no user alice", where the operator needs to hear that nothing is there.
   */
  private static void requireJournal(ServerConfig config) {
    String uri = config.journalUri();
    if (!uri.startsWith("sqlite:")) {
      return; // PostgreSQL: an unreachable or empty database answers for itself
    }
    Path file = io.cairn.storage.sqlite.SqliteJournal.pathOf(uri);
    if (!Files.isRegularFile(file)) {
      throw new UsageError("no journal at " + file.toAbsolutePath() + ": give the --data DIR (or --config FILE)"
          + " the server uses; cairn user add or a first start creates one");
    }
  }

  /** Accounts on an open database, closed after the command. */
  public interface AccountsHandle extends AutoCloseable {
    Accounts accounts();

    /** The purge of one file's history, on the same journal. */
    HistoryPurge purge();

    /** Namespaces' own retention settings, on the same journal. */
    NamespaceRetention retention();

    /** Users' usage against their quotas, on the same journal. */
    QuotaReport quotas();

    @Override
    void close();
  }

  private interface Command {
    void run(Accounts a);

    default void run(AccountsHandle h) {
      run(h.accounts());
    }
  }

  /** A command that needs the journal (retention settings, purge), not only the accounts. */
  @FunctionalInterface
  private interface JournalCommand extends Command {
    void runWith(AccountsHandle h);

    @Override
    default void run(Accounts a) {
      throw new IllegalStateException("needs the journal");
    }

    @Override
    default void run(AccountsHandle h) {
      runWith(h);
    }
  }

  Command parse(List<String> args) {
    if (args.size() < 2 || args.get(1).startsWith("-")) {
      String group = args.isEmpty() ? "" : args.get(0);
      List<String> verbs = CommandUsage.COMMANDS.stream().filter(c -> c.startsWith(group + " "))
          .map(c -> c.substring(group.length() + 1)).toList();
      throw new UsageError(group + " needs a command: " + String.join(", ", verbs) + "; cairn " + group
          + " --help says what each does");
    }
    String group = args.get(0);
    String verb = args.get(1);
    String command = group + " " + verb;
    if (!CommandUsage.COMMANDS.contains(command)) {
      String meant = Spelling.nearest(command, CommandUsage.COMMANDS, 3);
      throw new UsageError("unknown command " + command + (meant == null ? "" : " (did you mean " + meant + "?)")
          + "; cairn " + group + " --help lists " + group + "'s commands");
    }
    List<String> rest = new ArrayList<>(args.subList(2, args.size()));
    Duration expiry = command.equals("token create") ? expiry(rest) : null;
    List<String> takes = CommandUsage.optionsIn(CommandUsage.synopsis(CommandUsage.ADMIN, command));
    boolean admin = takes.contains("--admin") && rest.remove("--admin");
    boolean fromStdin = takes.contains("--password-stdin") && rest.remove("--password-stdin");
    boolean trash = takes.contains("--trash") && rest.remove("--trash");
    return switch (command) {
      case "user add" -> {
        String name = operands(rest, command, "NAME").get(0);
        yield a -> {
          String pw = fromStdin ? readLine() : prompt("Password for " + name + ": ", true);
          User u = a.addUser(name, pw, admin);
          out.println("created user " + u.name() + (u.admin() ? " (admin)" : "") + " with home " + u.home());
        };
      }
      case "user passwd" -> {
        String name = operands(rest, command, "NAME").get(0);
        yield a -> {
          User u = a.user(name);
          if (u == null) {
            throw CairnException.notFound("no user " + name);
          }
          if (Accounts.fromLdap(u)) { // before the prompt: no password to type for nothing
            throw CairnException.invalid(name + " logs in through LDAP: change their password in the directory");
          }
          a.setPassword(name, fromStdin ? readLine() : prompt("New password for " + name + ": ", true));
          out.println("password of " + name + " changed; sessions using the old one end within a second");
        };
      }
      case "user remove" -> {
        String name = operands(rest, command, "NAME").get(0);
        yield a -> {
          a.removeUser(name);
          out.println("removed user " + name + " with their tokens and grants; the files of home:" + name + " stay");
        };
      }
      case "user list" -> {
        operands(rest, command);
        yield a -> {
          for (User u : a.listUsers()) {
            out.printf("%-24s %-6s home=%s quota=%s%n", u.name(), u.admin() ? "admin" : "", u.home(), u.quotaBytes() < 0 ? "none" : u.quotaBytes());
          }
        };
      }
      case "token create" -> {
        List<String> o = operands(rest, command, "USER", "NAME");
        yield a -> {
          Accounts.IssuedToken t = a.createToken(o.get(0), o.get(1), expiry);
          out.println(t.secret());
          err.println("token " + t.token().id() + " '" + o.get(1) + "' of " + o.get(0) + ", expires "
              + Instant.ofEpochMilli(t.token().expiresAtMillis()) + "; it is shown this once");
        };
      }
      case "token list" -> {
        String user = operands(rest, command, "USER").get(0);
        yield a -> {
          long now = System.currentTimeMillis();
          for (AppToken t : a.listTokens(user)) {
            out.printf("%s  %-24s expires %s%s%n", t.id(), t.name(), Instant.ofEpochMilli(t.expiresAtMillis()), t.expiredAt(now) ? " (expired)" : "");
          }
        };
      }
      case "token revoke" -> {
        List<String> o = operands(rest, command, "USER", "ID");
        yield a -> {
          a.revokeToken(o.get(0), o.get(1));
          out.println("revoked token " + o.get(1) + " of " + o.get(0));
        };
      }
      case "quota set" -> {
        List<String> o = operands(rest, command, "USER", "SIZE|none");
        long bytes = o.get(1).equalsIgnoreCase("none") ? -1 : size(o.get(1));
        yield a -> {
          a.setQuota(o.get(0), bytes);
          out.println("quota of " + o.get(0) + ": " + (bytes < 0 ? "none" : bytes + " bytes"));
        };
      }
      case "quota show" -> {
        String name = operands(rest, command, "USER").get(0);
        yield (JournalCommand) h -> printQuota(h.quotas().of(name));
      }
      case "ns create" -> {
        String name = operands(rest, command, "NAME").get(0);
        yield a -> out.println("created shared namespace " + a.createShared(name) + "; grant it with: cairn ns grant " + name + " USER read|write");
      }
      case "ns grant" -> {
        List<String> o = operands(rest, command, "NAME", "USER", "read|write");
        Grant.Access access =
            switch (o.get(2).toLowerCase(Locale.ROOT)) {
              case "read" -> Grant.Access.READ;
              case "write" -> Grant.Access.WRITE;
              default -> throw new UsageError(CommandUsage.mistake("access is read or write, not " + o.get(2),
                  CommandUsage.synopsis(CommandUsage.ADMIN, command)));
            };
        yield a -> {
          a.grant(o.get(0), o.get(1), access);
          out.println(o.get(1) + " now sees /" + o.get(0) + "/ (" + access.name().toLowerCase(Locale.ROOT) + ")");
        };
      }
      case "ns revoke" -> {
        List<String> o = operands(rest, command, "NAME", "USER");
        yield a -> {
          a.revokeGrant(o.get(0), o.get(1));
          out.println(o.get(1) + " no longer sees /" + o.get(0) + "/");
        };
      }
      case "ns retention" -> {
        options(rest, command);
        if (rest.isEmpty()) {
          throw new UsageError(CommandUsage.mistake("ns retention needs NAME", CommandUsage.synopsis(CommandUsage.ADMIN, command)));
        }
        String name = rest.removeFirst();
        Map<String, String> changes = new LinkedHashMap<>();
        for (String kv : rest) {
          int eq = kv.indexOf('=');
          if (eq <= 0) {
            throw new UsageError(CommandUsage.mistake("a retention setting is KEY=DAYS or KEY=default, not " + kv,
                CommandUsage.synopsis(CommandUsage.ADMIN, command)));
          }
          changes.put("retention." + kv.substring(0, eq).replaceFirst("^retention\\.", ""), kv.substring(eq + 1));
        }
        yield (JournalCommand) h -> {
          String ns = namespace(name);
          NamespaceRetention.Settings s = knownNamespace(name,
              () -> changes.isEmpty() ? h.retention().of(ns) : h.retention().set(ns, changes));
          s.effective().asSettings().forEach((key, value) -> out.println(key + " = " + value
              + (s.own().containsKey(key) ? " (" + name + "'s own)" : " (the server's)")));
        };
      }
      case "ns purge" -> {
        List<String> o = operands(rest, command, "NAME", "PATH");
        yield (JournalCommand) h -> {
          HistoryPurge.Purged p = knownNamespace(o.get(0), () -> h.purge().purge(namespace(o.get(0)), o.get(1), trash));
          out.println("expired " + p.versions().size() + " earlier versions of " + o.get(1) + " in " + o.get(0)
              + (trash ? " and " + p.trash().size() + " trash items" : "")
              + "; their chunks go at the first gc run gc.grace.hours from now");
        };
      }
      default -> throw new IllegalStateException("a command of the usage text without a parser: " + command);
    };
  }

  /**
   * The namespace {@code ns retention} and {@code ns purge} name: {@code home:USER} or {@code
   * shared:NAME} as given, a bare name a shared namespace's (as {@code ns create} and {@code ns
   * grant} take it).
   */
  static String namespace(String name) {
    return name.contains(":") ? name : "shared:" + name;
  }

  /** {@code action}, its NOT_FOUND for the namespace said in the words the command was given. */
  private static <T> T knownNamespace(String name, java.util.function.Supplier<T> action) {
    try {
      return action.get();
    } catch (CairnException e) {
      if (e.kind() == CairnException.Kind.NOT_FOUND && e.getMessage().startsWith("no namespace")) {
        throw CairnException.notFound(name.contains(":") ? "no namespace " + name
            : "no shared namespace " + name + " (cairn ns create " + name + " makes one; a home is home:USER)");
      }
      throw e;
    }
  }

  /**
   * Exactly the operands {@code names} of {@code command}, after its options were taken out: an
   * option it does not take, a missing operand or one too many is a usage error saying so.
   */
  private static List<String> operands(List<String> rest, String command, String... names) {
    options(rest, command);
    String synopsis = CommandUsage.synopsis(CommandUsage.ADMIN, command);
    if (rest.size() < names.length) {
      throw new UsageError(CommandUsage.mistake(command + " needs " + names[rest.size()], synopsis));
    }
    if (rest.size() > names.length) {
      throw new UsageError(CommandUsage.mistake(command + " takes " + (names.length == 0 ? "no arguments"
          : String.join(" ", names)) + ", not also " + rest.get(names.length), synopsis));
    }
    return List.copyOf(rest);
  }

  /** Refuses a word starting with "--" (or "-" and a letter) that {@code command} does not take. */
  private static void options(List<String> rest, String command) {
    String synopsis = CommandUsage.synopsis(CommandUsage.ADMIN, command);
    for (String word : rest) {
      if (word.startsWith("--") || word.matches("-\\p{Alpha}.*")) {
        throw new UsageError(CommandUsage.mistake(CommandUsage.unknownOption(command, word, synopsis), synopsis));
      }
    }
  }

  /** Takes {@code --expires D} out of {@code rest}; 30 days without it. */
  private static Duration expiry(List<String> rest) {
    int at = rest.indexOf("--expires");
    if (at < 0) {
      return Duration.ofDays(30);
    }
    if (at + 1 >= rest.size()) {
      throw new UsageError(CommandUsage.mistake("--expires needs a value such as 30d, 12h or 90m",
          CommandUsage.synopsis(CommandUsage.ADMIN, "token create")));
    }
    Duration d = duration(rest.get(at + 1));
    rest.remove(at + 1);
    rest.remove(at);
    return d;
  }

  /**
   * {@code quota show}: the home's live, version and trash bytes (logical, before dedup), their
   * total, and what counts against the quota.
   */
  private void printQuota(QuotaReport.Usage u) {
    var b = u.bytes();
    out.printf("%s (%s)%n", u.user(), b.name());
    out.printf("  live      %15d bytes%n", b.liveBytes());
    out.printf("  versions  %15d bytes%n", b.versionBytes());
    out.printf("  trash     %15d bytes%n", b.trashBytes());
    out.printf("  total     %15d bytes%n", b.totalBytes());
    String counted = u.countsHistory() ? "live, versions and trash count (quota.counts.history = true)"
        : "live files count; versions and trash do not (quota.counts.history = false)";
    if (u.quotaBytes() < 0) {
      out.println("  quota     none; " + counted);
    } else {
      out.printf("  quota     %15d bytes, %d%% used; %s%n", u.quotaBytes(),
          u.quotaBytes() == 0 ? 100 : Math.round(100.0 * u.countedBytes() / u.quotaBytes()), counted);
    }
  }

  /** 30d, 12h, 90m. */
  static Duration duration(String s) {
    String v = s.trim().toLowerCase(Locale.ROOT);
    try {
      if (v.length() >= 2) {
        long n = Long.parseLong(v.substring(0, v.length() - 1));
        if (n > 0 && n <= 100_000) {
          switch (v.charAt(v.length() - 1)) {
            case 'm' -> {
              return Duration.ofMinutes(n);
            }
            case 'h' -> {
              return Duration.ofHours(n);
            }
            case 'd' -> {
              return Duration.ofDays(n);
            }
            default -> { }
          }
        }
      }
    } catch (NumberFormatException e) {
      // falls through to the message below
    }
    throw new UsageError("bad expiry '" + s + "': use a positive number with m, h or d, such as 30d");
  }

  static long size(String s) {
    try {
      return ServerConfig.load(null, java.util.Map.of("quota", s)).quotaBytes();
    } catch (ServerConfig.InvalidConfig e) {
      throw new UsageError("bad size '" + s + "': use a number with an optional K, M, G or T suffix, or none");
    }
  }

  private String readLine() {
    try {
      String line = stdin.readLine();
      if (line == null) {
        throw new UsageError("no password on standard input: run it at a terminal to be asked, or pipe one line to it");
      }
      return line;
    } catch (IOException e) {
      throw new UsageError("cannot read standard input: " + e.getMessage());
    }
  }

  private String prompt(String text, boolean twice) {
    Console c = System.console();
    if (c == null) {
      return readLine();
    }
    char[] first = c.readPassword("%s", text);
    if (first == null) {
      throw new UsageError("no password given");
    }
    if (twice) {
      char[] again = c.readPassword("Again: ");
      if (again == null || !new String(first).equals(new String(again))) {
        throw new UsageError("the two passwords differ");
      }
    }
    return new String(first);
  }
}
