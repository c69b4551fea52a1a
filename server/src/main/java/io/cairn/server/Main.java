package io.cairn.server;

import io.cairn.core.CairnException;
import io.cairn.server.cli.AdminCli;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar cairn.jar [--port N] [--bind HOST] [--data DIR] [--config FILE]}: starts one
 * node and runs until SIGTERM or SIGINT, which shut it down gracefully. Without flags: single node
 * on 127.0.0.1:8080 with its SQLite journal and chunks under {@code ./data}.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  static final String USAGE =
      """
      Usage: java -jar cairn.jar [options]

        --port N        TCP port to listen on (default 8080; 0 picks a free one)
        --bind HOST     address to listen on (default 127.0.0.1)
        --data DIR      data directory for the default SQLite journal and chunk store (default ./data)
        --config FILE   a key = value configuration file (see conf/cairn.properties)
        --admin-password PW  the password of the user admin created on first start (else
                        CAIRN_ADMIN_PASSWORD, else a random one printed once)
        --help          this text

      Flags override the configuration file; the file overrides the defaults.

      """ + AdminCli.USAGE;

  private Main() {}

  public static void main(String[] args) {
    Map<String, String> overrides = new LinkedHashMap<>();
    Path config = null;
    String adminPassword = System.getenv("CAIRN_ADMIN_PASSWORD");
    List<String> command = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!command.isEmpty() || (!arg.startsWith("-") && AdminCli.isCommand(arg))) {
        if (arg.equals("--data") || arg.equals("--config")) {
          if (i + 1 >= args.length) {
            exitUsage(arg + " needs a value");
          }
          if (arg.equals("--data")) {
            overrides.put("data.dir", args[++i]);
          } else {
            config = Path.of(args[++i]);
          }
        } else {
          command.add(arg);
        }
        continue;
      }
      switch (arg) {
        case "--help", "-h" -> {
          System.out.print(USAGE);
          return;
        }
        case "--admin-password" -> {
          if (i + 1 >= args.length) {
            exitUsage(arg + " needs a value");
          }
          adminPassword = args[++i];
        }
        case "--port", "--bind", "--data", "--config" -> {
          if (i + 1 >= args.length) {
            exitUsage(arg + " needs a value");
          }
          String value = args[++i];
          switch (arg) {
            case "--port" -> overrides.put("port", value);
            case "--bind" -> overrides.put("bind.host", value);
            case "--data" -> overrides.put("data.dir", value);
            default -> config = Path.of(value);
          }
        }
        default -> exitUsage("unknown argument: " + arg);
      }
    }
    if (!command.isEmpty()) {
      ServerConfig loaded;
      try {
        loaded = ServerConfig.load(config, overrides);
      } catch (ServerConfig.InvalidConfig e) {
        System.err.println("cairn: " + e.getMessage());
        System.exit(2);
        return;
      }
      int status = new AdminCli(System.out, System.err, System.in).run(command, loaded, CairnServer::openAccounts);
      System.exit(status);
      return;
    }
    CairnServer server;
    try {
      server = CairnServer.start(ServerConfig.load(config, overrides), adminPassword);
    } catch (ServerConfig.InvalidConfig e) {
      System.err.println("cairn: " + e.getMessage());
      System.exit(2);
      return;
    } catch (CairnException e) {
      if (e.kind() != CairnException.Kind.CONFLICT) {
        LOG.error("cairn failed to start: {}", e.getMessage(), e);
        System.exit(1);
        return;
      }
      // A value we were given is refused (a too-short admin password, say): a message, no trace.
      System.err.println("cairn: cannot start: " + e.getMessage());
      System.exit(2);
      return;
    } catch (RuntimeException e) {
      LOG.error("cairn failed to start: {}", e.getMessage(), e);
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "cairn-shutdown"));
  }

  private static void exitUsage(String message) {
    System.err.println("cairn: " + message);
    System.err.print(USAGE);
    System.exit(2);
  }
}
