package io.cairn.server.api;

import io.cairn.core.BlockRef;
import io.cairn.core.Blocklist;
import io.cairn.core.ChunkHash;
import io.cairn.core.TreePaths;
import io.cairn.server.http.JsonRoutes;
import io.cairn.server.http.JsonRoutes.Refusal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Strict reading of the sync API's input: a field the route does not know, a value of the wrong
 * type, a path that is not one, a hash that is not 64 lower-case hex digits is a 400 with a JSON
 * error naming it, before anything is done.
 */
final class Input {
  private Input() {}

  /** The body as an object holding only {@code allowed} fields, every one of {@code required}. */
  static JsonObject object(JsonRoutes.Call call, Set<String> allowed, Set<String> required) {
    JsonObject o = call.json();
    for (String field : o.fieldNames()) {
      if (!allowed.contains(field)) {
        throw bad("unknown field \"" + field + "\"; this route takes " + new java.util.TreeSet<>(allowed));
      }
    }
    for (String field : required) {
      if (!o.containsKey(field)) {
        throw bad("\"" + field + "\" is required");
      }
    }
    return o;
  }

  static String string(JsonObject o, String field) {
    Object v = o.getValue(field);
    if (!(v instanceof String s)) {
      throw bad("\"" + field + "\" must be a string");
    }
    return s;
  }

  /** A whole number, or null when absent or null. */
  static Long optionalLong(JsonObject o, String field) {
    Object v = o.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw bad("\"" + field + "\" must be a whole number");
    }
    return n.longValue();
  }

  /** A view path as the client wrote it, normalized ({@link TreePaths#fromClient}). */
  static String path(String raw, String field) {
    if (raw == null) {
      throw bad("\"" + field + "\" is required");
    }
    return TreePaths.fromClient(raw);
  }

  /** A chunk's name: exactly 64 lower-case hex digits. */
  static ChunkHash hash(Object raw) {
    if (!(raw instanceof String s) || s.length() != 64 || !s.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      throw new Refusal(400, "bad_hash", "a chunk hash is 64 lower-case hex digits (SHA-256): " + raw);
    }
    return ChunkHash.parse(s);
  }

  /** A list of chunk hashes, at most {@code max}. */
  static List<ChunkHash> hashes(JsonArray raw, int max) {
    if (raw.size() > max) {
      throw bad("at most " + max + " hashes a call");
    }
    List<ChunkHash> out = new ArrayList<>(raw.size());
    for (Object h : raw) {
      out.add(hash(h));
    }
    return out;
  }

  /** A blocklist {@code [{"hash","size"}]} whose sizes must add up to {@code size}. */
  static Blocklist blocklist(Object raw, long size, int maxChunk) {
    if (!(raw instanceof JsonArray array)) {
      throw bad("\"blocklist\" must be an array of {\"hash\", \"size\"}");
    }
    List<BlockRef> blocks = new ArrayList<>(array.size());
    long total = 0;
    for (Object item : array) {
      if (!(item instanceof JsonObject b) || b.size() != 2 || !(b.getValue("size") instanceof Number n)) {
        throw bad("each block is {\"hash\", \"size\"}");
      }
      long length = n.longValue();
      if (length <= 0 || length > maxChunk || n.doubleValue() != length) {
        throw bad("a block's size is a whole number from 1 to " + maxChunk);
      }
      blocks.add(new BlockRef(hash(b.getValue("hash")), (int) length));
      total += length;
    }
    if (total != size) {
      throw bad("the blocklist's sizes add up to " + total + ", not the size " + size);
    }
    return new Blocklist(blocks);
  }

  /** A query parameter as a whole number in [min, max], {@code dflt} when absent. */
  static long query(JsonRoutes.Call call, String name, long dflt, long min, long max) {
    String v = call.query(name);
    if (v == null) {
      return dflt;
    }
    try {
      long n = Long.parseLong(v);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw bad("\"" + name + "\" is a whole number from " + min + " to " + max);
  }

  /** What {@code restore} and {@code trash/restore} name: a path, a version of it, and where to put it. */
  record Restore(String view, long version, String to) {}

  /** The body {@code {"path", "version", "to"?}}; {@code to} defaults to the path. */
  static Restore restore(JsonRoutes.Call call, String versionIs) {
    JsonObject in = object(call, Set.of("path", "version", "to"), Set.of("path", "version"));
    String view = path(string(in, "path"), "path");
    Long version = optionalLong(in, "version");
    if (version == null) {
      throw bad("\"version\" is " + versionIs);
    }
    String to = in.getValue("to") == null ? view : path(string(in, "to"), "to");
    return new Restore(view, version, to);
  }

  static Refusal bad(String message) {
    return new Refusal(400, "bad_request", message);
  }
}
