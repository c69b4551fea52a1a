package io.cairn.webdav;

import java.net.FileNameMap;
import java.net.URLConnection;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Guesses a file's media type from its name's extension: a few common types the JDK's table lacks
 * or gets wrong first, then the JDK's table, then {@code application/octet-stream}.
 */
public final class ContentTypes {
  public static final String DEFAULT = "application/octet-stream";
  private static final FileNameMap JDK = URLConnection.getFileNameMap();
  private static final Map<String, String> OWN =
      Map.ofEntries(
          Map.entry("txt", "text/plain; charset=utf-8"),
          Map.entry("md", "text/markdown; charset=utf-8"),
          Map.entry("csv", "text/csv; charset=utf-8"),
          Map.entry("html", "text/html; charset=utf-8"),
          Map.entry("htm", "text/html; charset=utf-8"),
          Map.entry("css", "text/css; charset=utf-8"),
          Map.entry("js", "text/javascript; charset=utf-8"),
          Map.entry("mjs", "text/javascript; charset=utf-8"),
          Map.entry("json", "application/json"),
          Map.entry("xml", "application/xml"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("webp", "image/webp"),
          Map.entry("avif", "image/avif"),
          Map.entry("heic", "image/heic"),
          Map.entry("mp4", "video/mp4"),
          Map.entry("mov", "video/quicktime"),
          Map.entry("webm", "video/webm"),
          Map.entry("mp3", "audio/mpeg"),
          Map.entry("m4a", "audio/mp4"),
          Map.entry("flac", "audio/flac"),
          Map.entry("ogg", "audio/ogg"),
          Map.entry("pdf", "application/pdf"),
          Map.entry("zip", "application/zip"),
          Map.entry("gz", "application/gzip"),
          Map.entry("tar", "application/x-tar"),
          Map.entry("7z", "application/x-7z-compressed"),
          Map.entry("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
          Map.entry("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
          Map.entry("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
          Map.entry("odt", "application/vnd.oasis.opendocument.text"),
          Map.entry("ods", "application/vnd.oasis.opendocument.spreadsheet"),
          Map.entry("wasm", "application/wasm"));

  /** The JDK's answers, remembered: its lookup cost a few percent of a large PROPFIND. */
  private static final Map<String, String> FROM_JDK = new ConcurrentHashMap<>();

  private static final int FROM_JDK_LIMIT = 1024;

  private ContentTypes() {}

  /** The media type for a file named {@code name}. */
  public static String guess(String name) {
    int dot = name.lastIndexOf('.');
    if (dot < 0 || dot == name.length() - 1) {
      return DEFAULT;
    }
    String ext = name.substring(dot + 1).toLowerCase(Locale.ROOT);
    String own = OWN.get(ext);
    if (own != null) {
      return own;
    }
    String known = FROM_JDK.get(ext);
    if (known != null) {
      return known;
    }
    String jdk = JDK.getContentTypeFor("x." + ext);
    String type = jdk != null ? jdk : DEFAULT;
    // Names come from clients: remember only a bounded number of extensions.
    if (FROM_JDK.size() < FROM_JDK_LIMIT) {
      FROM_JDK.put(ext, type);
    }
    return type;
  }
}
