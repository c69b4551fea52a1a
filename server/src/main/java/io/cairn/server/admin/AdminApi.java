package io.cairn.server.admin;

import io.cairn.core.CairnException;
import io.cairn.server.auth.Accounts;
import io.cairn.server.http.BoundedBody;
import io.cairn.storage.users.AppToken;
import io.cairn.storage.users.Grant;
import io.cairn.storage.users.User;
import io.cairn.webdav.auth.RequestAuthenticator;
import io.cairn.webdav.http.ClientAddress;
import io.cairn.webdav.http.DavRequestHandler;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small JSON API for administration, authenticated like every request (Basic or Bearer):
 *
 * <pre>
 * GET    /.cairn/admin/users                          admin: list users
 * POST   /.cairn/admin/users                          admin: {"name","password","admin"?} → 201
 * DELETE /.cairn/admin/users/NAME                     admin
 * PUT    /.cairn/admin/users/NAME/password            admin or NAME: {"password"}
 * PUT    /.cairn/admin/users/NAME/quota               admin: {"bytes"} (-1: none)
 * GET    /.cairn/admin/users/NAME/tokens              admin or NAME
 * POST   /.cairn/admin/users/NAME/tokens              admin or NAME: {"name","expiresInSeconds"} → 201 with the token, shown once
 * DELETE /.cairn/admin/users/NAME/tokens/ID           admin or NAME
 * POST   /.cairn/admin/namespaces                     admin: {"name"} → 201
 * PUT    /.cairn/admin/namespaces/NAME/grants/USER    admin: {"access": "read"|"write"}
 * DELETE /.cairn/admin/namespaces/NAME/grants/USER    admin
 * </pre>
 *
 * Errors answer {@code {"error": "..."}}: 400 bad input, 401/429 as for WebDAV, 403 not allowed,
 * 404 unknown user, token or namespace, 405 wrong method, 409 exists already, 413 body too large.
 */
public final class AdminApi implements Handler<HttpServerRequest> {
  /** Every admin URL starts with this; WebDAV never sees these paths. */
  public static final String PREFIX = "/.cairn/admin/";

  private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
  private static final int MAX_BODY = 64 * 1024;

  private final Accounts accounts;
  private final RequestAuthenticator authenticator;
  private final ClientAddress clients;
  private final ExecutorService executor;

  /**
   * @param clients who a request is from, for the login throttle: as for WebDAV requests
   * @param executor runs each request (they block on the store): virtual threads
   */
  public AdminApi(
      Accounts accounts, RequestAuthenticator authenticator, ClientAddress clients, ExecutorService executor) {
    this.accounts = accounts;
    this.authenticator = authenticator;
    this.clients = clients;
    this.executor = executor;
  }

  /** Whether {@code path} (raw, undecoded) is an admin API URL. */
  public static boolean handles(String path) {
    return path != null && (path.startsWith(PREFIX) || path.equals(PREFIX.substring(0, PREFIX.length() - 1)));
  }

  /**
   * Authenticates on the headers alone, on a virtual thread, while the body waits unread; only an
   * allowed caller's body is read, and at most {@link #MAX_BODY} bytes of it, whatever the framing.
   */
  @Override
  public void handle(HttpServerRequest req) {
    req.pause();
    executor.execute(() -> admit(req));
  }

  private void admit(HttpServerRequest req) {
    RequestAuthenticator.Verdict v;
    try {
      v = authenticator.authenticate(req.getHeader("Authorization"), clientAddress(req));
    } catch (RuntimeException e) {
      LOG.error("admin API failed: {} {}", req.method(), req.path(), e);
      send(req, 500, error("internal error"));
      return;
    }
    if (!v.allowed()) {
      if (v.status() == 401) {
        req.response().putHeader("WWW-Authenticate", DavRequestHandler.CHALLENGE);
      }
      if (v.retryAfterSeconds() > 0) {
        req.response().putHeader("Retry-After", Long.toString(v.retryAfterSeconds()));
      }
      if (hasBody(req)) {
        // The body is never read for a caller we do not know: answer, then drop the connection.
        BoundedBody.answerAndClose(req, v.status(), "application/json", error(v.reason()).encode());
      } else {
        send(req, v.status(), error(v.reason()));
      }
      return;
    }
    if (BoundedBody.declaredOver(req, MAX_BODY)) {
      BoundedBody.answerAndClose(req, 413, "application/json", error(new BoundedBody.TooLarge(MAX_BODY).getMessage()).encode());
      return;
    }
    BoundedBody.read(req, MAX_BODY)
        .onSuccess(body -> executor.execute(() -> respond(req, v, body)))
        .onFailure(err -> {
          if (err instanceof BoundedBody.TooLarge) {
            BoundedBody.answerAndClose(req, 413, "application/json", error(err.getMessage()).encode());
          } else {
            send(req, 400, error("cannot read the request body"));
          }
        });
  }

  private static boolean hasBody(HttpServerRequest req) {
    String length = req.getHeader("Content-Length");
    return req.getHeader("Transfer-Encoding") != null || (length != null && !length.trim().equals("0"));
  }

  private void respond(HttpServerRequest req, RequestAuthenticator.Verdict v, Buffer body) {
    try {
      String caller = v.user().name();
      User me = accounts.user(caller);
      boolean admin = me != null && me.admin();
      String rest = req.path().length() <= PREFIX.length() ? "" : req.path().substring(PREFIX.length());
      List<String> parts = Arrays.stream(rest.split("/")).filter(s -> !s.isEmpty()).toList();
      route(req, parts, caller, admin, body);
    } catch (Refusal r) {
      send(req, r.status, error(r.getMessage()));
    } catch (CairnException e) {
      int status =
          switch (e.kind()) {
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS -> 409;
            case CONFLICT, PRECONDITION_FAILED -> 400;
            case TRANSIENT -> 503;
            default -> 500;
          };
      if (status == 500) {
        LOG.error("admin API failed: {} {}", req.method(), req.path(), e);
      }
      send(req, status, error(status == 500 ? "internal error" : e.getMessage()));
    } catch (RuntimeException e) {
      LOG.error("admin API failed: {} {}", req.method(), req.path(), e);
      send(req, 500, error("internal error"));
    }
  }

  /** The client's address, resolved as for WebDAV requests; repeated headers joined as one list. */
  private String clientAddress(HttpServerRequest req) {
    String peer = req.remoteAddress() == null ? null : req.remoteAddress().hostAddress();
    List<String> xff = req.headers().getAll("X-Forwarded-For");
    List<String> fwd = req.headers().getAll("Forwarded");
    return clients.resolve(peer, xff.isEmpty() ? null : String.join(", ", xff), fwd.isEmpty() ? null : String.join(", ", fwd));
  }

  private void route(HttpServerRequest req, List<String> p, String caller, boolean admin, Buffer body) {
    String m = req.method().name();
    int n = p.size();
    if (n >= 1 && p.get(0).equals("users")) {
      if (n == 1) {
        requireAdmin(admin);
        switch (m) {
          case "GET" -> {
            JsonArray out = new JsonArray();
            accounts.listUsers().forEach(u -> out.add(user(u)));
            send(req, 200, new JsonObject().put("users", out));
          }
          case "POST" -> {
            JsonObject in = json(body);
            User u = accounts.addUser(string(in, "name"), string(in, "password"), in.getBoolean("admin", false));
            send(req, 201, user(u));
          }
          default -> throw new Refusal(405, "use GET or POST");
        }
        return;
      }
      String name = p.get(1);
      boolean self = name.equals(caller);
      if (n == 2) {
        requireAdmin(admin);
        method(m, "DELETE");
        accounts.removeUser(name);
        send(req, 204, null);
        return;
      }
      switch (p.get(2)) {
        case "password" -> {
          if (n != 3) {
            throw new Refusal(404, "no such resource");
          }
          requireAdminOrSelf(admin, self);
          method(m, "PUT");
          accounts.setPassword(name, string(json(body), "password"));
          send(req, 204, null);
        }
        case "quota" -> {
          if (n != 3) {
            throw new Refusal(404, "no such resource");
          }
          requireAdmin(admin);
          method(m, "PUT");
          Long bytes = json(body).getLong("bytes");
          if (bytes == null) {
            throw new Refusal(400, "bytes is required (-1 for no quota)");
          }
          accounts.setQuota(name, bytes);
          send(req, 204, null);
        }
        case "tokens" -> {
          requireAdminOrSelf(admin, self);
          if (n == 3 && m.equals("GET")) {
            JsonArray out = new JsonArray();
            accounts.listTokens(name).forEach(t -> out.add(token(t)));
            send(req, 200, new JsonObject().put("tokens", out));
          } else if (n == 3 && m.equals("POST")) {
            JsonObject in = json(body);
            Long seconds = in.getLong("expiresInSeconds");
            if (seconds == null || seconds <= 0) {
              throw new Refusal(400, "expiresInSeconds must be a positive number");
            }
            Accounts.IssuedToken t = accounts.createToken(name, string(in, "name"), Duration.ofSeconds(seconds));
            send(req, 201, token(t.token()).put("token", t.secret()));
          } else if (n == 4 && m.equals("DELETE")) {
            accounts.revokeToken(name, p.get(3));
            send(req, 204, null);
          } else {
            throw new Refusal(n <= 4 ? 405 : 404, "no such operation on tokens");
          }
        }
        default -> throw new Refusal(404, "no such resource");
      }
      return;
    }
    if (n >= 1 && p.get(0).equals("namespaces")) {
      requireAdmin(admin);
      if (n == 1) {
        method(m, "POST");
        String ns = accounts.createShared(string(json(body), "name"));
        send(req, 201, new JsonObject().put("namespace", ns));
        return;
      }
      if (n == 4 && p.get(2).equals("grants")) {
        switch (m) {
          case "PUT" -> {
            String access = string(json(body), "access").toLowerCase(Locale.ROOT);
            Grant.Access a =
                switch (access) {
                  case "read" -> Grant.Access.READ;
                  case "write" -> Grant.Access.WRITE;
                  default -> throw new Refusal(400, "access is read or write");
                };
            accounts.grant(p.get(1), p.get(3), a);
            send(req, 204, null);
          }
          case "DELETE" -> {
            accounts.revokeGrant(p.get(1), p.get(3));
            send(req, 204, null);
          }
          default -> throw new Refusal(405, "use PUT or DELETE");
        }
        return;
      }
    }
    throw new Refusal(404, "no such resource");
  }

  /** A refusal with its status; the message goes to the client. */
  private static final class Refusal extends RuntimeException {
    final int status;

    Refusal(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  private static void requireAdmin(boolean admin) {
    if (!admin) {
      throw new Refusal(403, "only an admin may do this");
    }
  }

  private static void requireAdminOrSelf(boolean admin, boolean self) {
    if (!admin && !self) {
      throw new Refusal(403, "only the user or an admin may do this");
    }
  }

  private static void method(String actual, String wanted) {
    if (!actual.equals(wanted)) {
      throw new Refusal(405, "use " + wanted);
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

  private static JsonObject error(String message) {
    return new JsonObject().put("error", message == null ? "refused" : message);
  }

  private static void send(HttpServerRequest req, int status, JsonObject body) {
    var r = req.response().setStatusCode(status).putHeader("Cache-Control", "no-store");
    if (body == null) {
      r.end();
    } else {
      r.putHeader("Content-Type", "application/json").end(body.encode());
    }
  }
}
