package io.cairn.server.admin;

import io.cairn.server.auth.Accounts;
import io.cairn.server.http.JsonRoutes;
import io.cairn.server.http.JsonRoutes.Answer;
import io.cairn.server.http.JsonRoutes.Refusal;
import io.cairn.server.retention.HistoryPurge;
import io.cairn.server.retention.NamespaceRetention;
import io.cairn.storage.users.AppToken;
import io.cairn.storage.users.AppTokens;
import io.cairn.storage.users.Grant;
import io.cairn.storage.users.User;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The admin API's endpoints, one method each, called by {@link AdminApi}'s routes on a virtual
 * thread once the caller is authenticated. Each returns its answer or throws a {@link Refusal} (its
 * status, code and message go to the client) or a {@code CairnException} (its kind's status).
 */
final class AdminEndpoints {
  private static final Answer NO_CONTENT = new Answer(204, null);

  private final Accounts accounts;
  private final HistoryPurge purge;
  private final NamespaceRetention retention;
  private final ServerStatus status;
  private final QuotaReport quotas;

  AdminEndpoints(Accounts accounts, HistoryPurge purge, NamespaceRetention retention, ServerStatus status,
      QuotaReport quotas) {
    this.accounts = accounts;
    this.purge = purge;
    this.retention = retention;
    this.status = status;
    this.quotas = quotas;
  }

  Answer listUsers(JsonRoutes.Call c) {
    requireAdmin(c);
    JsonArray out = new JsonArray();
    accounts.listUsers().forEach(u -> out.add(user(u)));
    return new Answer(200, new JsonObject().put("users", out));
  }

  Answer addUser(JsonRoutes.Call c) {
    requireAdmin(c);
    JsonObject in = c.json();
    User u = accounts.addUser(string(in, "name"), string(in, "password"), in.getBoolean("admin", false));
    return new Answer(201, user(u));
  }

  Answer removeUser(JsonRoutes.Call c) {
    requireAdmin(c);
    accounts.removeUser(c.param("name"));
    return NO_CONTENT;
  }

  Answer setPassword(JsonRoutes.Call c) {
    requireAdminOrSelf(c);
    accounts.setPassword(c.param("name"), string(c.json(), "password"));
    // Whoever is logged in with the old password is logged out; the browser asking keeps its session.
    String session = c.credentials() != null && c.credentials().startsWith("Bearer ")
        && c.request().getHeader("Authorization") == null ? c.credentials().substring("Bearer ".length()) : null;
    accounts.endSessions(c.param("name"), session == null ? null : AppTokens.idOf(session));
    return NO_CONTENT;
  }

  /** {"disabled": true|false}; an admin cannot disable themselves (they would lock themselves out). */
  Answer setDisabled(JsonRoutes.Call c) {
    requireAdmin(c);
    Object disabled = c.json().getValue("disabled");
    if (!(disabled instanceof Boolean d)) {
      throw new Refusal(400, "invalid", "disabled is required (true or false)");
    }
    if (d && c.user().equals(c.param("name"))) {
      throw new Refusal(400, "invalid", "you cannot disable yourself");
    }
    accounts.setDisabled(c.param("name"), d);
    return NO_CONTENT;
  }

  Answer setQuota(JsonRoutes.Call c) {
    requireAdmin(c);
    Long bytes = c.json().getLong("bytes");
    if (bytes == null) {
      throw new Refusal(400, "invalid", "bytes is required (-1 for no quota)");
    }
    accounts.setQuota(c.param("name"), bytes);
    return NO_CONTENT;
  }

  Answer quota(JsonRoutes.Call c) {
    requireAdminOrSelf(c);
    return new Answer(200, quotas.of(c.param("name")).toJson());
  }

  Answer listTokens(JsonRoutes.Call c) {
    requireAdminOrSelf(c);
    JsonArray out = new JsonArray();
    accounts.listTokens(c.param("name")).forEach(t -> out.add(token(t)));
    return new Answer(200, new JsonObject().put("tokens", out));
  }

  Answer createToken(JsonRoutes.Call c) {
    requireAdminOrSelf(c);
    JsonObject in = c.json();
    Long seconds = in.getLong("expiresInSeconds");
    if (seconds == null || seconds <= 0) {
      throw new Refusal(400, "invalid", "expiresInSeconds must be a positive number");
    }
    Accounts.IssuedToken t = accounts.createToken(c.param("name"), string(in, "name"), Duration.ofSeconds(seconds));
    return new Answer(201, token(t.token()).put("token", t.secret()));
  }

  Answer revokeToken(JsonRoutes.Call c) {
    requireAdminOrSelf(c);
    accounts.revokeToken(c.param("name"), c.param("id"));
    return NO_CONTENT;
  }

  /** Every shared namespace with its grants, by name. */
  Answer listNamespaces(JsonRoutes.Call c) {
    requireAdmin(c);
    JsonArray out = new JsonArray();
    accounts.sharedNamespaces().forEach((name, grants) -> {
      JsonArray g = new JsonArray();
      grants.forEach(x -> g.add(new JsonObject().put("user", x.user()).put("access", x.access().name().toLowerCase(Locale.ROOT))));
      out.add(new JsonObject().put("name", name).put("grants", g));
    });
    return new Answer(200, new JsonObject().put("namespaces", out));
  }

  Answer status(JsonRoutes.Call c) {
    requireAdmin(c);
    return new Answer(200, status.json());
  }

  Answer createNamespace(JsonRoutes.Call c) {
    requireAdmin(c);
    String ns = accounts.createShared(string(c.json(), "name"));
    return new Answer(201, new JsonObject().put("namespace", ns));
  }

  Answer grant(JsonRoutes.Call c) {
    requireAdmin(c);
    Grant.Access access =
        switch (string(c.json(), "access").toLowerCase(Locale.ROOT)) {
          case "read" -> Grant.Access.READ;
          case "write" -> Grant.Access.WRITE;
          default -> throw new Refusal(400, "invalid", "access is read or write");
        };
    accounts.grant(c.param("name"), c.param("user"), access);
    return NO_CONTENT;
  }

  Answer revokeGrant(JsonRoutes.Call c) {
    requireAdmin(c);
    accounts.revokeGrant(c.param("name"), c.param("user"));
    return NO_CONTENT;
  }

  Answer retention(JsonRoutes.Call c) {
    requireAdmin(c);
    return new Answer(200, settings(retention.of(c.param("name"))));
  }

  /** {KEY: days | "default"}: the namespace's own retention settings (INVALID: 400, nothing written). */
  Answer setRetention(JsonRoutes.Call c) {
    requireAdmin(c);
    Map<String, String> changes = new LinkedHashMap<>();
    c.json().forEach(e -> changes.put(e.getKey(), String.valueOf(e.getValue())));
    return new Answer(200, settings(retention.set(c.param("name"), changes)));
  }

  private static JsonObject settings(NamespaceRetention.Settings s) {
    return new JsonObject().put("own", new JsonObject(new LinkedHashMap<>(s.own())))
        .put("effective", new JsonObject(new LinkedHashMap<>(s.effective().asSettings())));
  }

  /** Expires every earlier version of one file (and with "trash": true its trash): a leaked secret. */
  Answer purge(JsonRoutes.Call c) {
    requireAdmin(c);
    JsonObject in = c.json();
    String path = string(in, "path");
    if (!path.startsWith("/") || path.equals("/")) {
      throw new Refusal(400, "invalid", "path must name a file: /folder/name");
    }
    HistoryPurge.Purged p = purge.purge(c.param("name"), path, in.getBoolean("trash", false));
    return new Answer(200, new JsonObject().put("namespace", c.param("name")).put("path", path)
        .put("versions", new JsonArray(p.versions())).put("trash", new JsonArray(p.trash())));
  }

  private boolean admin(JsonRoutes.Call c) {
    User me = accounts.user(c.user());
    return me != null && me.admin();
  }

  private void requireAdmin(JsonRoutes.Call c) {
    if (!admin(c)) {
      throw new Refusal(403, "forbidden", "only an admin may do this");
    }
  }

  private void requireAdminOrSelf(JsonRoutes.Call c) {
    if (!c.user().equals(c.param("name")) && !admin(c)) {
      throw new Refusal(403, "forbidden", "only the user or an admin may do this");
    }
  }

  private static String string(JsonObject in, String key) {
    Object v = in.getValue(key);
    if (!(v instanceof String s)) {
      throw new Refusal(400, "invalid", key + " is required (a string)");
    }
    return s;
  }

  private static JsonObject user(User u) {
    return new JsonObject().put("name", u.name()).put("admin", u.admin()).put("home", u.home()).put("quotaBytes", u.quotaBytes())
        .put("disabled", Accounts.disabled(u));
  }

  private static JsonObject token(AppToken t) {
    return new JsonObject().put("id", t.id()).put("user", t.user()).put("name", t.name()).put("expiresAt", t.expiresAtMillis());
  }
}
