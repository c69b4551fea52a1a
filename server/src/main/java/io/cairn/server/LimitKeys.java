package io.cairn.server;

import io.cairn.core.TreePaths;
import io.cairn.files.FileLimits;
import java.util.Map;
import java.util.Set;

/**
 * The configuration keys of what one request may create or send, for every front door
 * (docs/operations.md "Limits"): the largest upload, the most entries in a folder, the deepest
 * path, the longest name and path, the largest PROPFIND listing ({@link FileLimits}, held by the
 * files layer), and the largest WebDAV XML body. The name and path lengths default to, and may only
 * lower, the ceilings every layer holds ({@link TreePaths#MAX_SEGMENT}, {@link TreePaths#MAX_PATH}).
 */
final class LimitKeys {
  static final Set<String> KEYS = Set.of("upload.max.size", "folder.max.entries", "path.max.depth",
      "path.max.name", "path.max.length", "webdav.max.propfind.entries", "webdav.max.xml.body");

  /** The default deepest path: far beyond what people make, short of what breaks clients. */
  static final int DEFAULT_PATH_DEPTH = 256;

  /** The default largest PROPFIND, PROPPATCH or LOCK body. */
  static final int DEFAULT_XML_BODY = 1 << 20;

  private LimitKeys() {}

  static FileLimits files(Map<String, String> values) {
    return new FileLimits(
        ServerConfig.size(values, "upload.max.size", 0),
        (int) ServerConfig.number(values, "folder.max.entries", 0, 0, 10_000_000),
        (int) ServerConfig.number(values, "path.max.depth", DEFAULT_PATH_DEPTH, 0, 2048),
        (int) ServerConfig.number(values, "path.max.name", TreePaths.MAX_SEGMENT, 1, TreePaths.MAX_SEGMENT),
        (int) ServerConfig.number(values, "path.max.length", TreePaths.MAX_PATH, 1, TreePaths.MAX_PATH),
        (int) ServerConfig.number(values, "webdav.max.propfind.entries", 0, 0, 100_000_000));
  }

  static int xmlBody(Map<String, String> values) {
    long bytes = ServerConfig.size(values, "webdav.max.xml.body", DEFAULT_XML_BODY);
    if (bytes < 4096 || bytes > 64 << 20) {
      throw new ServerConfig.InvalidConfig("webdav.max.xml.body must be between 4K and 64M, not "
          + values.get("webdav.max.xml.body"));
    }
    return (int) bytes;
  }
}
