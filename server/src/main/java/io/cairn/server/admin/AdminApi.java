package io.cairn.server.admin;

import static io.cairn.server.http.JsonRoutes.op;

import io.cairn.server.auth.Accounts;
import io.cairn.server.http.JsonRoutes;
import io.cairn.server.retention.HistoryPurge;
import io.cairn.server.retention.NamespaceRetention;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;

/**
 * A small JSON API for administration, a front of the server's edge (which authenticates every
 * request, Basic or Bearer, before its body is read); the endpoints are in {@link AdminEndpoints},
 * one route each:
 *
 * <pre>
 * GET    /.cairn/admin/users                          admin: list users
 * POST   /.cairn/admin/users                          admin: {"name","password","admin"?} → 201
 * DELETE /.cairn/admin/users/:name                    admin
 * PUT    /.cairn/admin/users/:name/password           admin or NAME: {"password"}
 * GET    /.cairn/admin/users/:name/quota              admin or NAME: {"name","namespace","quotaBytes","countsHistory",
 *                                                     "liveBytes","versionBytes","trashBytes","totalBytes","countedBytes"}
 * PUT    /.cairn/admin/users/:name/quota              admin: {"bytes"} (-1: none)
 * PUT    /.cairn/admin/users/:name/disabled           admin: {"disabled": true|false}; not oneself
 * GET    /.cairn/admin/users/:name/tokens             admin or NAME
 * POST   /.cairn/admin/users/:name/tokens             admin or NAME: {"name","expiresInSeconds"} → 201 with the token, shown once
 * DELETE /.cairn/admin/users/:name/tokens/:id         admin or NAME
 * GET    /.cairn/admin/namespaces                     admin: {"namespaces": [{"name", "grants": [{"user","access"}]}]}
 * POST   /.cairn/admin/namespaces                     admin: {"name"} → 201
 * PUT    /.cairn/admin/namespaces/:name/grants/:user  admin: {"access": "read"|"write"}
 * DELETE /.cairn/admin/namespaces/:name/grants/:user  admin
 * GET    /.cairn/admin/namespaces/:name/retention     admin: {"own": {KEY: n}, "effective": {KEY: n}}
 * PUT    /.cairn/admin/namespaces/:name/retention     admin: {KEY: n | "default", ...} → 200 as GET
 * POST   /.cairn/admin/namespaces/:name/purge         admin: {"path","trash"?} → 200 {"versions","trash"}:
 *                                                     expire every earlier version of path (and its trash)
 * GET    /.cairn/admin/status                         admin: this node's version, backends, cluster members,
 *                                                     disk free, the last gc and fsck runs recorded in the
 *                                                     journal ({@link ServerStatus}, {@link LastRun})
 * </pre>
 *
 * <p>The API is on the main port, beside WebDAV, not on the management port: the web interface's
 * admin pages call it with the browser's session cookie, so every call that changes something
 * must carry the session's {@code X-Cairn-CSRF} header (the edge refuses it otherwise, ADR 0013).
 *
 * Bodies are at most 64 KiB whatever the framing. Errors answer {@code {"error": CODE, "message":
 * TEXT}} ({@link JsonRoutes}): 400 bad input, 401/429 as for WebDAV, 403 not allowed, 404 unknown
 * user, token or namespace, 405 wrong method, 409 exists already, 413 body too large; a failure of
 * the store answers its kind's status, the same as WebDAV would.
 */
public final class AdminApi {
  /** Every admin URL starts with this; WebDAV never sees these paths. */
  public static final String PREFIX = "/.cairn/admin/";

  private AdminApi() {}

  /** The admin API's routes, for the edge. */
  public static JsonRoutes routes(Vertx vertx, Accounts accounts, HistoryPurge purge, NamespaceRetention retention,
      ServerStatus status, QuotaReport quotas) {
    AdminEndpoints e = new AdminEndpoints(accounts, purge, retention, status, quotas);
    return new JsonRoutes(vertx, PREFIX)
        .path("users", op(HttpMethod.GET, e::listUsers), op(HttpMethod.POST, e::addUser))
        .path("users/:name", op(HttpMethod.DELETE, e::removeUser))
        .path("users/:name/password", op(HttpMethod.PUT, e::setPassword))
        .path("users/:name/quota", op(HttpMethod.GET, e::quota), op(HttpMethod.PUT, e::setQuota))
        .path("users/:name/disabled", op(HttpMethod.PUT, e::setDisabled))
        .path("users/:name/tokens", op(HttpMethod.GET, e::listTokens), op(HttpMethod.POST, e::createToken))
        .path("users/:name/tokens/:id", op(HttpMethod.DELETE, e::revokeToken))
        .path("namespaces", op(HttpMethod.GET, e::listNamespaces), op(HttpMethod.POST, e::createNamespace))
        .path("namespaces/:name/grants/:user", op(HttpMethod.PUT, e::grant), op(HttpMethod.DELETE, e::revokeGrant))
        .path("namespaces/:name/retention", op(HttpMethod.GET, e::retention), op(HttpMethod.PUT, e::setRetention))
        .path("namespaces/:name/purge", op(HttpMethod.POST, e::purge))
        .path("status", op(HttpMethod.GET, e::status));
  }
}
