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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.function.Function;

/**
 * {@code cairn user|token|quota|ns ...}: parses a command, runs it on an {@link
 * Accounts} and prints the outcome. Every mistake (unknown command, missing argument, unknown
 * user, bad expiry or size) ends in one line saying what is wrong and exit status 2 (usage) or 1
 * (refused by the store).
 */
public final class AdminCli {
  public static final String USAGE =
      """
      Administration (against the journal database of --data DIR or --config FILE):
        user add NAME [--admin]        create a user and their home (password prompted,
                                       or read from stdin with --password-stdin)
        user passwd NAME               set a new password
        user remove NAME               remove a user, their tokens and grants (files stay)
        user list                      list users
        token create USER NAME [--expires 30d]
                                       create an app token (shown once); expiry in m, h or d
        token list USER                list a user's tokens
        token revoke USER ID           revoke a token at once
        quota set USER SIZE|none       bytes USER's home may hold (K, M, G, T suffixes)
        quota show USER                what USER's home holds: live files, versions, trash
        ns create NAME                 create a shared namespace
        ns grant NAME USER read|write  show it to USER as the folder /NAME/ of their home
        ns revoke NAME USER            withdraw it at once
        ns retention NAME [KEY=DAYS|KEY=default ...]
                                       show or set NAME's own retention.* settings (KEY
                                       without "retention.", e.g. keep.all.days=7)
        ns purge NAME PATH [--trash]   expire every earlier version of PATH in namespace NAME
                                       (home:USER for a home), and with --trash its trash:
                                       gone from history; gc frees the chunks after its grace
      """;

  /** A command-line mistake: the message is printed with the usage; exit status 2. */
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

  /** The commands, as "group verb". */
  static final List<String> COMMANDS = USAGE.lines()
      .filter(l -> l.startsWith("  ") && !l.isBlank() && Character.isLetter(l.strip().charAt(0)))
      .map(l -> l.strip().split("\\s+"))
      .filter(w -> w.length >= 2 && isCommand(w[0]))
      .map(w -> w[0] + " " + w[1])
      .toList();

  /** The usage lines of {@code group}'s commands (with their continuation lines); all for another word. */
  static String usageOf(String group) {
    if (!isCommand(group)) {
      return USAGE;
    }
    StringBuilder b = new StringBuilder();
    boolean in = false;
    for (String line : USAGE.lines().toList()) {
      if (line.startsWith("  ") && !line.startsWith("   ")) {
        in = line.strip().startsWith(group + " ");
      } else if (!line.startsWith("   ")) {
        in = false;
      }
      if (in) {
        b.append(line).append('\n');
      }
    }
    return b.append("(cairn --help lists every command)\n").toString();
  }

  /** Whether {@code word} starts an administration command. */
  public static boolean isCommand(String word) {
    return word.equals("user") || word.equals("token") || word.equals("quota") || word.equals("ns");
  }

  /**
   * Runs {@code args} (the command and its arguments, server flags already removed) with the
   * accounts {@code open} gives for the configuration; returns the exit status.
   */
  public int run(List<String> args, ServerConfig config, Function<ServerConfig, AccountsHandle> open) {
    if (args.contains("--help") || args.contains("-h")) {
      out.print(usageOf(args.get(0)));
      return 0;
    }
    try {
      Command command = parse(args);
      try (AccountsHandle h = open.apply(config)) {
        command.run(h);
      }
      return 0;
    } catch (UsageError e) {
      err.println("cairn: " + e.getMessage());
      err.print(usageOf(args.isEmpty() ? "" : args.get(0)));
      return 2;
    } catch (CairnException e) {
      err.println("cairn: " + e.getMessage());
      return 1;
    } catch (ServerConfig.InvalidConfig e) {
      err.println("cairn: " + e.getMessage());
      return 2;
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
    if (args.size() < 2) {
      throw new UsageError(args.isEmpty() ? "missing command" : args.get(0) + " needs a command, one of these:");
    }
    String group = args.get(0);
    String verb = args.get(1);
    List<String> rest = new ArrayList<>(args.subList(2, args.size()));
    return switch (group + " " + verb) {
      case "user add" -> {
        boolean admin = rest.remove("--admin");
        boolean fromStdin = rest.remove("--password-stdin");
        String name = single(rest, "user add NAME");
        yield a -> {
          String pw = fromStdin ? readLine() : prompt("Password for " + name + ": ", true);
          User u = a.addUser(name, pw, admin);
          out.println("created user " + u.name() + (u.admin() ? " (admin)" : "") + " with home " + u.home());
        };
      }
      case "user passwd" -> {
        boolean fromStdin = rest.remove("--password-stdin");
        String name = single(rest, "user passwd NAME");
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
        String name = single(rest, "user remove NAME");
        yield a -> {
          a.removeUser(name);
          out.println("removed user " + name + " with their tokens and grants; the files of home:" + name + " stay");
        };
      }
      case "user list" -> {
        none(rest, "user list");
        yield a -> {
          for (User u : a.listUsers()) {
            out.printf("%-24s %-6s home=%s quota=%s%n", u.name(), u.admin() ? "admin" : "", u.home(), u.quotaBytes() < 0 ? "none" : u.quotaBytes());
          }
        };
      }
      case "token create" -> {
        Duration expiry = Duration.ofDays(30);
        int at = rest.indexOf("--expires");
        if (at >= 0) {
          if (at + 1 >= rest.size()) {
            throw new UsageError("--expires needs a value such as 30d, 12h or 90m");
          }
          expiry = duration(rest.get(at + 1));
          rest.remove(at + 1);
          rest.remove(at);
        }
        if (rest.size() != 2) {
          throw new UsageError("usage: token create USER NAME [--expires 30d]");
        }
        String user = rest.get(0);
        String name = rest.get(1);
        Duration lifetime = expiry;
        yield a -> {
          Accounts.IssuedToken t = a.createToken(user, name, lifetime);
          out.println(t.secret());
          err.println("token " + t.token().id() + " '" + name + "' of " + user + ", expires "
              + Instant.ofEpochMilli(t.token().expiresAtMillis()) + "; it is shown this once");
        };
      }
      case "token list" -> {
        String user = single(rest, "token list USER");
        yield a -> {
          long now = System.currentTimeMillis();
          for (AppToken t : a.listTokens(user)) {
            out.printf("%s  %-24s expires %s%s%n", t.id(), t.name(), Instant.ofEpochMilli(t.expiresAtMillis()), t.expiredAt(now) ? " (expired)" : "");
          }
        };
      }
      case "token revoke" -> {
        if (rest.size() != 2) {
          throw new UsageError("usage: token revoke USER ID");
        }
        yield a -> {
          a.revokeToken(rest.get(0), rest.get(1));
          out.println("revoked token " + rest.get(1) + " of " + rest.get(0));
        };
      }
      case "quota set" -> {
        if (rest.size() != 2) {
          throw new UsageError("usage: quota set USER SIZE|none");
        }
        long bytes = rest.get(1).equalsIgnoreCase("none") ? -1 : size(rest.get(1));
        yield a -> {
          a.setQuota(rest.get(0), bytes);
          out.println("quota of " + rest.get(0) + ": " + (bytes < 0 ? "none" : bytes + " bytes"));
        };
      }
      case "quota show" -> {
        String name = single(rest, "quota show USER");
        yield (JournalCommand) h -> printQuota(h.quotas().of(name));
      }
      case "ns create" -> {
        String name = single(rest, "ns create NAME");
        yield a -> out.println("created shared namespace " + a.createShared(name) + "; grant it with: ns grant " + name + " USER read|write");
      }
      case "ns grant" -> {
        if (rest.size() != 3) {
          throw new UsageError("usage: ns grant NAME USER read|write");
        }
        Grant.Access access =
            switch (rest.get(2).toLowerCase(Locale.ROOT)) {
              case "read" -> Grant.Access.READ;
              case "write" -> Grant.Access.WRITE;
              default -> throw new UsageError("access is read or write, not " + rest.get(2));
            };
        yield a -> {
          a.grant(rest.get(0), rest.get(1), access);
          out.println(rest.get(1) + " now sees /" + rest.get(0) + "/ (" + access.name().toLowerCase(Locale.ROOT) + ")");
        };
      }
      case "ns retention" -> {
        if (rest.isEmpty()) {
          throw new UsageError("usage: ns retention NAME [KEY=DAYS|KEY=default ...]");
        }
        String ns = rest.removeFirst();
        Map<String, String> changes = new LinkedHashMap<>();
        for (String kv : rest) {
          int eq = kv.indexOf('=');
          if (eq <= 0) {
            throw new UsageError("a retention setting is KEY=DAYS or KEY=default, not " + kv);
          }
          changes.put("retention." + kv.substring(0, eq).replaceFirst("^retention\\.", ""), kv.substring(eq + 1));
        }
        yield (JournalCommand) h -> {
          NamespaceRetention.Settings s = changes.isEmpty() ? h.retention().of(ns) : h.retention().set(ns, changes);
          s.effective().asSettings().forEach((key, value) -> out.println(key + " = " + value
              + (s.own().containsKey(key) ? " (" + ns + "'s own)" : " (the server's)")));
        };
      }
      case "ns purge" -> {
        boolean trash = rest.remove("--trash");
        if (rest.size() != 2) {
          throw new UsageError("usage: ns purge NAME PATH [--trash]");
        }
        yield (JournalCommand) h -> {
          HistoryPurge.Purged p = h.purge().purge(rest.get(0), rest.get(1), trash);
          out.println("expired " + p.versions().size() + " earlier versions of " + rest.get(1) + " in " + rest.get(0)
              + (trash ? " and " + p.trash().size() + " trash items" : "")
              + "; their chunks go at the first gc run gc.grace.hours from now");
        };
      }
      case "ns revoke" -> {
        if (rest.size() != 2) {
          throw new UsageError("usage: ns revoke NAME USER");
        }
        yield a -> {
          a.revokeGrant(rest.get(0), rest.get(1));
          out.println(rest.get(1) + " no longer sees /" + rest.get(0) + "/");
        };
      }
      default -> {
        String meant = Spelling.nearest(group + " " + verb, COMMANDS, 3);
        throw new UsageError("unknown command: " + group + " " + verb + (meant == null ? "" : " (did you mean " + meant + "?)"));
      }
    };
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

  private static String single(List<String> rest, String usage) {
    if (rest.size() != 1 || rest.get(0).startsWith("--")) {
      throw new UsageError("usage: " + usage);
    }
    return rest.get(0);
  }

  private static void none(List<String> rest, String usage) {
    if (!rest.isEmpty()) {
      throw new UsageError("usage: " + usage);
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
        throw new UsageError("no password on standard input");
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
