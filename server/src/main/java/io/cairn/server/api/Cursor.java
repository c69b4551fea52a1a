package io.cairn.server.api;

import io.cairn.server.http.JsonRoutes.Refusal;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * A position in every namespace one user sees: for each, the last journal id already seen. Clients
 * treat it as opaque text ({@code c1.} and base64url JSON); the server checks that it names the
 * caller and only namespaces they may still read.
 *
 * @param user whose cursor it is
 * @param positions namespace → the last jid seen there (absent: nothing seen yet)
 */
record Cursor(String user, Map<String, Long> positions) {
  private static final String PREFIX = "c1.";

  Cursor {
    positions = Map.copyOf(positions);
  }

  /** The jid seen in {@code ns}, 0 when none. */
  long at(String ns) {
    return positions.getOrDefault(ns, 0L);
  }

  /** This cursor moved to {@code jid} in {@code ns}. */
  Cursor with(String ns, long jid) {
    Map<String, Long> next = new TreeMap<>(positions);
    next.put(ns, jid);
    return new Cursor(user, next);
  }

  String encode() {
    JsonObject n = new JsonObject();
    new TreeMap<>(positions).forEach(n::put);
    byte[] json = new JsonObject().put("u", user).put("n", n).encode().getBytes(StandardCharsets.UTF_8);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(json);
  }

  /**
   * The cursor {@code text} names, for {@code user}; 400 {@code bad_cursor} when it is not a
   * cursor or belongs to someone else.
   */
  static Cursor parse(String text, String user) {
    if (text == null) {
      throw bad("a cursor is required: start with GET cursor");
    }
    if (!text.startsWith(PREFIX) || text.length() > 64 * 1024) {
      throw bad("not a cursor");
    }
    JsonObject o;
    try {
      o = new JsonObject(new String(Base64.getUrlDecoder().decode(text.substring(PREFIX.length())), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
      throw bad("not a cursor");
    }
    if (!(o.getValue("u") instanceof String u) || !u.equals(user) || !(o.getValue("n") instanceof JsonObject n)) {
      throw bad("this cursor is not yours");
    }
    Map<String, Long> positions = new TreeMap<>();
    for (String ns : n.fieldNames()) {
      if (!(n.getValue(ns) instanceof Number jid) || jid.longValue() < 0) {
        throw bad("not a cursor");
      }
      positions.put(ns, jid.longValue());
    }
    return new Cursor(user, positions);
  }

  private static Refusal bad(String message) {
    return new Refusal(400, "bad_cursor", message);
  }
}
