package io.cairn.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The names the local file system cannot hold: on a case-insensitive one (macOS, Windows) two
 * server names that differ only in case; on Windows, names with {@code < > : " \ | ? *}, names
 * ending in a dot or a space, and the reserved device names. Such a path is not synced and is
 * reported, so one file is never written over another; the server keeps it as it is.
 */
final class LocalNames {
  private static final Pattern WINDOWS_RESERVED =
      Pattern.compile("(?i)(CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])(\\..*)?");

  private final boolean caseInsensitive;
  private final boolean windows;

  LocalNames(boolean caseInsensitive, boolean windows) {
    this.caseInsensitive = caseInsensitive;
    this.windows = windows;
  }

  /**
   * What the file system under {@code root} can hold, found by trying: a file created in the
   * index's folder is looked up under another case. The system property {@code
   * cairn.sync.case-insensitive=true} makes a case-sensitive file system behave as one that is not
   * (to try the rule where it would not apply).
   */
  static LocalNames probe(Path root) throws IOException {
    Path dir = Files.createDirectories(root.resolve(Index.DIR));
    Path probe = dir.resolve("Case-Probe");
    Files.deleteIfExists(probe);
    Files.createFile(probe);
    boolean insensitive = Files.exists(dir.resolve("case-probe")) || Boolean.getBoolean("cairn.sync.case-insensitive");
    Files.delete(probe);
    boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    return new LocalNames(insensitive, windows);
  }

  /**
   * The paths of {@code all} this file system cannot hold, each with why. Of names that differ
   * only in case, the one already here (or the first by name) is kept.
   */
  Map<String, String> refused(Collection<String> all, Set<String> here) {
    Map<String, String> out = new TreeMap<>();
    for (String p : all) {
      String why = windowsProblem(p);
      if (why != null) {
        out.put(p, why);
      }
    }
    if (caseInsensitive) {
      Map<String, String> kept = new HashMap<>();
      for (String p : new java.util.TreeSet<>(all)) {
        String key = p.toLowerCase(Locale.ROOT);
        String other = kept.get(key);
        if (other == null) {
          kept.put(key, p);
        } else if (here.contains(p) && !here.contains(other)) {
          kept.put(key, p);
          out.put(other, "differs only in case from " + p + ", which this file system cannot hold beside it");
        } else {
          out.put(p, "differs only in case from " + other + ", which this file system cannot hold beside it");
        }
      }
    }
    return out;
  }

  private String windowsProblem(String path) {
    if (!windows) {
      return null;
    }
    for (String name : path.substring(1).split("/")) {
      if (name.chars().anyMatch(c -> "<>:\"\\|?*".indexOf(c) >= 0)) {
        return "Windows cannot hold the name \"" + name + "\" (< > : \" \\ | ? * are not allowed)";
      }
      if (name.endsWith(".") || name.endsWith(" ")) {
        return "Windows cannot hold the name \"" + name + "\" (it ends in a dot or a space)";
      }
      if (WINDOWS_RESERVED.matcher(name).matches()) {
        return "Windows cannot hold the name \"" + name + "\" (a reserved device name)";
      }
    }
    return null;
  }
}
