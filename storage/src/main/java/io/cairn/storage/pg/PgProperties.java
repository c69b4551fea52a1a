package io.cairn.storage.pg;

import io.cairn.core.CairnException;
import io.cairn.core.TreePaths;
import io.cairn.storage.PropertyChange;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.List;

/** A PROPPATCH inside one transaction: all its steps in order, or none (RFC 4918 §9.2). */
final class PgProperties {
  /**
   * Shares the namespace row's lock: a commit (which takes it exclusively) cannot delete or move
   * the path between our check and our writes, while patches of one namespace still run side by
   * side.
   */
  private static final String LOCK_NAMESPACE =
      "SELECT 1 FROM namespaces WHERE ns = $1 FOR SHARE";

  private static final String EXISTS = "SELECT 1 FROM entries WHERE ns = $1 AND path = $2";

  private static final String SET =
      "INSERT INTO properties (ns, path, pns, pname, value) VALUES ($1, $2, $3, $4, $5)"
          + " ON CONFLICT (ns, path, pns, pname) DO UPDATE SET value = EXCLUDED.value";

  private static final String REMOVE =
      "DELETE FROM properties WHERE ns = $1 AND path = $2 AND pns = $3 AND pname = $4";

  private PgProperties() {}

  static Future<Void> patch(
      SqlConnection conn, String ns, String path, List<PropertyChange> changes) {
    return conn.preparedQuery(LOCK_NAMESPACE)
        .execute(Tuple.of(ns))
        .compose(
            rows ->
                rows.size() == 0
                    ? Future.failedFuture(CairnException.notFound("no namespace " + ns))
                    : exists(conn, ns, path))
        .compose(v -> apply(conn, ns, path, changes == null ? List.of() : changes));
  }

  private static Future<Void> exists(SqlConnection conn, String ns, String path) {
    if (path.equals(TreePaths.ROOT)) {
      return Future.succeededFuture();
    }
    return conn.preparedQuery(EXISTS)
        .execute(Tuple.of(ns, path))
        .compose(
            rows ->
                rows.size() == 0
                    ? Future.failedFuture(CairnException.notFound("nothing at " + path))
                    : Future.succeededFuture());
  }

  /** One statement after the other: a later step on the same name must win. */
  static Future<Void> apply(
      SqlConnection conn, String ns, String path, List<PropertyChange> changes) {
    Future<Void> chain = Future.succeededFuture();
    for (PropertyChange c : changes) {
      Tuple args = Tuple.of(ns, path, c.name().namespace(), c.name().localName());
      chain =
          chain.compose(
              v ->
                  c.isRemove()
                      ? conn.preparedQuery(REMOVE).execute(args).mapEmpty()
                      : conn.preparedQuery(SET).execute(args.addString(c.value())).mapEmpty());
    }
    return chain;
  }
}
