package io.cairn.core;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The name a conflict copy gets, on the server and in {@code cairn sync} alike:
 * {@code NAME (conflicted copy YYYY-MM-DD HHMMSS USER).EXT} beside the file, the time in UTC.
 */
public final class ConflictNames {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HHmmss").withZone(ZoneOffset.UTC);

  private ConflictNames() {}

  /** The conflict copy's path beside {@code path} (a {@link TreePaths} path). */
  public static String copyOf(String path, Instant at, String user) {
    String name = TreePaths.name(path);
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    String ext = dot > 0 ? name.substring(dot) : "";
    return TreePaths.child(TreePaths.parent(path), stem + " (conflicted copy " + TIME.format(at) + " " + user + ")" + ext);
  }
}
