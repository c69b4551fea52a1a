package io.cairn.webdav.views;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names of members of the views: a version of {@code report.txt} is {@code 2026-12-03
 * 121302,417 v17.txt}, and a deleted {@code report.txt} is {@code report (deleted 2026-12-03
 * 121302,417 v42).txt} (a deleted folder has no extension to keep). The time is the commit's, in
 * UTC, to the millisecond (ISO 8601's decimal comma, so the name gains no dot that could pass for
 * an extension), in fixed width, so that names sort by time as text: two versions saved in the
 * same second still list in order, where an unpadded {@code v9} would sort after {@code v10}.
 * {@code v} is the commit's jid, which makes a name unique within its folder (two commits of one
 * namespace never share a jid) and is the version the sync API names. The file's extension stays
 * last so that applications open the file as what it is. A name is looked up by its jid and must
 * then equal the name this class writes for what that jid found, so no other spelling reaches
 * anything.
 */
public final class ViewNames {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HHmmss,SSS").withZone(ZoneOffset.UTC);
  private static final Pattern VERSION = Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{6},\\d{3} v(\\d{1,18})(\\..*)?");
  private static final Pattern DELETED = Pattern.compile(".* \\(deleted \\d{4}-\\d{2}-\\d{2} \\d{6},\\d{3} v(\\d{1,18})\\)(\\..*)?");

  private ViewNames() {}

  /** The name of the version {@code jid}, committed at {@code at}, of the file named {@code fileName}. */
  public static String version(String fileName, long jid, Instant at) {
    return STAMP.format(at) + " v" + jid + extension(fileName);
  }

  /** The name of {@code name} (a file unless {@code folder}) deleted by commit {@code jid} at {@code at}. */
  public static String deleted(String name, boolean folder, long jid, Instant at) {
    String ext = folder ? "" : extension(name);
    String stem = name.substring(0, name.length() - ext.length());
    return stem + " (deleted " + STAMP.format(at) + " v" + jid + ")" + ext;
  }

  /** The jid a version name names, or -1 when {@code name} is not shaped like one. */
  public static long versionJid(String name) {
    return jid(VERSION.matcher(name));
  }

  /** The jid of the deleting commit a trash name names, or -1 when it is not shaped like one. */
  public static long deletedJid(String name) {
    return jid(DELETED.matcher(name));
  }

  private static long jid(Matcher m) {
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  /**
   * The extension of a file name with its dot ({@code .txt}), or empty: the text after the last
   * dot, unless that dot starts the name ({@code .profile}) or the text holds a space or is over
   * 16 characters (then it is no extension an application would know).
   */
  static String extension(String name) {
    int dot = name.lastIndexOf('.');
    if (dot <= 0 || name.length() - dot > 17 || name.indexOf(' ', dot) >= 0) {
      return "";
    }
    return name.substring(dot);
  }
}
