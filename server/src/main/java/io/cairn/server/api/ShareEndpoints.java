package io.cairn.server.api;

import io.cairn.files.Caller;
import io.cairn.server.http.JsonRoutes;
import io.cairn.server.http.JsonRoutes.Answer;
import io.cairn.server.share.ShareLinks;
import io.cairn.storage.users.ShareLink;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Set;

/**
 * The caller's share links: {@code GET shares}, {@code POST shares} (the token is answered once,
 * in {@code url}, and stored nowhere) and {@code DELETE shares/:id}. The rules are {@link
 * ShareLinks}'; this is the JSON around them.
 */
final class ShareEndpoints {
  private static final Set<String> CREATE_FIELDS = Set.of("path", "mode", "expires_at", "password");

  private final ShareLinks links;

  ShareEndpoints(ShareLinks links) {
    this.links = links;
  }

  Answer list(JsonRoutes.Call call) {
    Caller caller = Caller.current();
    JsonArray out = new JsonArray();
    for (ShareLink link : links.list(caller.name())) {
      out.add(json(caller, link));
    }
    return Answer.ok(new JsonObject().put("shares", out));
  }

  Answer create(JsonRoutes.Call call) {
    Caller caller = Caller.current();
    JsonObject in = Input.object(call, CREATE_FIELDS, Set.of("path"));
    String view = Input.path(Input.string(in, "path"), "path");
    ShareLink.Mode mode = switch (in.getValue("mode") == null ? "read" : String.valueOf(in.getValue("mode"))) {
      case "read" -> ShareLink.Mode.READ;
      case "drop" -> ShareLink.Mode.DROP;
      default -> throw Input.bad("\"mode\" is read or drop");
    };
    String password = in.getValue("password") == null ? null : Input.string(in, "password");
    ShareLinks.Issued issued = links.create(caller, view, mode, Input.optionalLong(in, "expires_at"), password);
    return Answer.ok(json(caller, issued.link()).put("url", issued.url()));
  }

  Answer revoke(JsonRoutes.Call call) {
    Caller caller = Caller.current();
    links.revoke(caller, call.param("id"));
    return Answer.ok(new JsonObject().put("id", call.param("id")).put("revoked", true));
  }

  private static JsonObject json(Caller caller, ShareLink link) {
    return new JsonObject()
        .put("id", link.id())
        .put("path", ApiJson.visible(caller, link.ns(), link.path()))
        .put("mode", link.mode().name().toLowerCase(Locale.ROOT))
        .put("password", link.hasPassword())
        .put("created_at", link.createdAtMillis())
        .put("expires_at", link.expiresAtMillis() < 0 ? null : link.expiresAtMillis())
        .put("downloads", link.downloads());
  }
}
