package io.cairn.server.admin;

import io.cairn.server.auth.Accounts;
import io.cairn.storage.users.AppToken;
import io.cairn.storage.users.Grant;
import io.cairn.storage.users.User;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Locale;

/**
 * The admin API's endpoints, one method each, called by {@link AdminApi}'s routes on a virtual
 * thread once the caller is authenticated and the body read. Each returns its answer or throws a
 * {@link Refusal} (its status and message go to the client) or a {@code CairnException} (its
 * kind's status).
 */
final class AdminEndpoints {
  /** One endpoint: blocking, on the request's virtual thread. */
  @FunctionalInterface
  interface Endpoint {
    Answer serve(Call call);
  }

  /** A request as an endpoint sees it: who calls, whether they are an admin, the path and body. */
  record Call(RoutingContext ctx, String caller, boolean admin, Buffer body) {
    String param(String name) {
      return ctx.pathParam(name);
    }

    /** Whether the {@code :name} in the path is the caller. */
    boolean self() {
      return caller.equals(param("name"));
    }
  }

  /** A status and a JSON body (null: none). */
  record Answer(int status, JsonObject body) {}

  /** A refusal with its status; the message goes to the client. */
  static final class Refusal extends RuntimeException {
    private final int status;

    Refusal(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }

    int status() {
      return status;
    }
  }

  private static final Answer NO_CONTENT = new Answer(204, null);

  private final Accounts accounts;

  AdminEndpoints(Accounts accounts) {
    this.accounts = accounts;
  }

  Call call(RoutingContext ctx, String caller, Buffer body) {
    User me = accounts.user(caller);
    return new Call(ctx, caller, me != null && me.admin(), body);
  }

  Answer listUsers(Call c) {
    requireAdmin(c);
    JsonArray out = new JsonArray();
    accounts.listUsers().forEach(u -> out.add(user(u)));
    return new Answer(200, new JsonObject().put("users", out));
  }

  Answer addUser(Call c) {
    requireAdmin(c);
    JsonObject in = json(c.body());
    User u = accounts.addUser(string(in, "name"), string(in, "password"), in.getBoolean("admin", false));
    return new Answer(201, user(u));
  }

  Answer removeUser(Call c) {
    requireAdmin(c);
    accounts.removeUser(c.param("name"));
    return NO_CONTENT;
  }

  Answer setPassword(Call c) {
    requireAdminOrSelf(c);
    accounts.setPassword(c.param("name"), string(json(c.body()), "password"));
    return NO_CONTENT;
  }

  Answer setQuota(Call c) {
    requireAdmin(c);
    Long bytes = json(c.body()).getLong("bytes");
    if (bytes == null) {
      throw new Refusal(400, "bytes is required (-1 for no quota)");
    }
    accounts.setQuota(c.param("name"), bytes);
    return NO_CONTENT;
  }

  Answer listTokens(Call c) {
    requireAdminOrSelf(c);
    JsonArray out = new JsonArray();
    accounts.listTokens(c.param("name")).forEach(t -> out.add(token(t)));
    return new Answer(200, new JsonObject().put("tokens", out));
  }

  Answer createToken(Call c) {
    requireAdminOrSelf(c);
    JsonObject in = json(c.body());
    Long seconds = in.getLong("expiresInSeconds");
    if (seconds == null || seconds <= 0) {
      throw new Refusal(400, "expiresInSeconds must be a positive number");
    }
    Accounts.IssuedToken t = accounts.createToken(c.param("name"), string(in, "name"), Duration.ofSeconds(seconds));
    return new Answer(201, token(t.token()).put("token", t.secret()));
  }

  Answer revokeToken(Call c) {
    requireAdminOrSelf(c);
    accounts.revokeToken(c.param("name"), c.param("id"));
    return NO_CONTENT;
  }

  Answer createNamespace(Call c) {
    requireAdmin(c);
    String ns = accounts.createShared(string(json(c.body()), "name"));
    return new Answer(201, new JsonObject().put("namespace", ns));
  }

  Answer grant(Call c) {
    requireAdmin(c);
    Grant.Access access =
        switch (string(json(c.body()), "access").toLowerCase(Locale.ROOT)) {
          case "read" -> Grant.Access.READ;
          case "write" -> Grant.Access.WRITE;
          default -> throw new Refusal(400, "access is read or write");
        };
    accounts.grant(c.param("name"), c.param("user"), access);
    return NO_CONTENT;
  }

  Answer revokeGrant(Call c) {
    requireAdmin(c);
    accounts.revokeGrant(c.param("name"), c.param("user"));
    return NO_CONTENT;
  }

  private static void requireAdmin(Call c) {
    if (!c.admin()) {
      throw new Refusal(403, "only an admin may do this");
    }
  }

  private static void requireAdminOrSelf(Call c) {
    if (!c.admin() && !c.self()) {
      throw new Refusal(403, "only the user or an admin may do this");
    }
  }

  private static JsonObject json(Buffer body) {
    try {
      return body == null || body.length() == 0 ? new JsonObject() : new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      throw new Refusal(400, "the body must be a JSON object");
    }
  }

  private static String string(JsonObject in, String key) {
    Object v = in.getValue(key);
    if (!(v instanceof String s)) {
      throw new Refusal(400, key + " is required (a string)");
    }
    return s;
  }

  private static JsonObject user(User u) {
    return new JsonObject().put("name", u.name()).put("admin", u.admin()).put("home", u.home()).put("quotaBytes", u.quotaBytes());
  }

  private static JsonObject token(AppToken t) {
    return new JsonObject().put("id", t.id()).put("user", t.user()).put("name", t.name()).put("expiresAt", t.expiresAtMillis());
  }
}
