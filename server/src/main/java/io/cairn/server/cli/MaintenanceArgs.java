package io.cairn.server.cli;

import io.cairn.server.ServerConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line of a maintenance command ({@code fsck}, {@code gc}): its own switches, and
 * {@code --data DIR}, {@code --config FILE}, {@code --debug} (also CAIRN_DEBUG set).
 *
 * @param switches the command's own switches given
 * @param config the configuration file, or null
 * @param overrides configuration keys set by flags ({@code data.dir})
 * @param debug whether a failure shows its stack trace
 */
public record MaintenanceArgs(Set<String> switches, Path config, Map<String, String> overrides, boolean debug) {

  /**
   * Parses {@code args}; null after writing one line to {@code err} for an unknown argument or a
   * flag without its value: what is wrong, the nearest option when one was mistyped, and the
   * command's synopsis from {@code usage} (exit status 2).
   */
  public static MaintenanceArgs parse(String command, List<String> args, Set<String> known, PrintStream err,
      String usage) {
    Set<String> switches = new HashSet<>();
    boolean debug = System.getenv("CAIRN_DEBUG") != null;
    Path config = null;
    Map<String, String> overrides = new LinkedHashMap<>();
    String synopsis = CommandUsage.synopsis(usage, command);
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (known.contains(arg)) {
        switches.add(arg);
      } else if (arg.equals("--debug")) {
        debug = true;
      } else if (arg.equals("--data") || arg.equals("--config")) {
        if (i + 1 >= args.size()) {
          return refused(arg + (arg.equals("--data") ? " needs a directory" : " needs a file"), err, synopsis);
        }
        String value = args.get(++i);
        if (arg.equals("--data")) {
          overrides.put("data.dir", value);
        } else {
          config = Path.of(value);
        }
      } else if (arg.startsWith("-")) {
        return refused(CommandUsage.unknownOption(command, arg, synopsis, "--debug"), err, synopsis);
      } else {
        return refused(command + " takes no argument " + arg, err, synopsis);
      }
    }
    return new MaintenanceArgs(Set.copyOf(switches), config, overrides, debug);
  }

  /** Whether {@code flag} was given. */
  public boolean has(String flag) {
    return switches.contains(flag);
  }

  /** The configuration these flags name; null after writing why to {@code err} (exit status 2). */
  public ServerConfig load(PrintStream err) {
    try {
      return ServerConfig.load(config, overrides);
    } catch (ServerConfig.InvalidConfig e) {
      err.println("cairn: " + e.getMessage());
      return null;
    }
  }

  private static MaintenanceArgs refused(String message, PrintStream err, String synopsis) {
    err.println("cairn: " + CommandUsage.mistake(message, synopsis));
    return null;
  }
}
