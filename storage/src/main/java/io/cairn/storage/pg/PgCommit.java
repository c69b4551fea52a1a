package io.cairn.storage.pg;

import static io.cairn.storage.pg.PgRows.toDb;

import io.cairn.core.Blocklist;
import io.cairn.core.CairnException;
import io.cairn.core.TreePaths;
import io.cairn.storage.Change;
import io.cairn.storage.ChangeKind;
import io.cairn.storage.Entry;
import io.cairn.storage.Expect;
import io.cairn.storage.JournalRow;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One commit inside one transaction: takes the namespace's row lock while allocating the next jid,
 * checks the change against the tree as it is under that lock, writes entries, properties, the
 * journal row and the counters. Every check runs after the lock, so concurrent commits to one
 * namespace (also from other nodes) see each other's results, in jid order.
 */
final class PgCommit {
  /** {@code path} is the subtree root {@code $2}: the node itself or anything below it. */
  private static final String SUBTREE_2 =
      "(path = $2 OR (path > ($2 || '/') AND path < ($2 || '0')))";

  private static final String LOCK =
      "UPDATE namespaces SET last_jid = last_jid + 1 WHERE ns = $1 RETURNING "
          + PgRows.ROOT_COLUMNS;

  private static final String LOOKUP =
      "SELECT " + PgRows.ENTRY_COLUMNS + " FROM entries WHERE ns = $1 AND path = ANY($2)";

  /** An overwrite keeps the file id (the sequence value the insert drew is simply skipped). */
  private static final String UPSERT_FILE =
      "INSERT INTO entries (ns, path, parent, name, kind, size, mtime, content_hash, blocklist,"
          + " version, created, file_id, tree_version, tree_size)"
          + " VALUES ($1, $2, $3, $4, 'FILE', $5, $6, $7, $8, $9, $10, nextval('file_ids'), $9, $5)"
          + " ON CONFLICT (ns, path) DO UPDATE SET size = EXCLUDED.size, mtime = EXCLUDED.mtime,"
          + " content_hash = EXCLUDED.content_hash, blocklist = EXCLUDED.blocklist,"
          + " version = EXCLUDED.version, tree_version = EXCLUDED.tree_version,"
          + " tree_size = EXCLUDED.tree_size";

  private static final String INSERT_DIR =
      "INSERT INTO entries (ns, path, parent, name, kind, size, mtime, content_hash, blocklist,"
          + " version, created, file_id, tree_version, tree_size)"
          + " VALUES ($1, $2, $3, $4, 'DIRECTORY', 0, $5, NULL, NULL, $6, $5, nextval('file_ids'),"
          + " $6, 0)";

  /**
   * Every directory in $2 (the ancestors of a changed path, the root aside) was changed below by
   * commit $3 and holds $4 more bytes.
   */
  private static final String TOUCH_ANCESTORS =
      "UPDATE entries SET tree_version = $3, tree_size = tree_size + $4"
          + " WHERE ns = $1 AND path = ANY($2)";

  /**
   * Deletes a subtree's entries, keeps them in the trash of commit $3 (root kind $4, author $5,
   * time $6) and answers the bytes its files used.
   */
  private static final String DELETE_ENTRIES =
      "WITH gone AS (DELETE FROM entries WHERE ns = $1 AND " + SUBTREE_2
          + " RETURNING ns, path, kind, size, mtime, content_hash, blocklist, version, created,"
          + " file_id, tree_version, tree_size),"
          + " kept AS (INSERT INTO trash_entries (ns, jid, path, kind, size, mtime, content_hash,"
          + " blocklist, version, created, file_id, tree_version, tree_size)"
          + " SELECT ns, $3, path, kind, size, mtime, content_hash, blocklist, version, created,"
          + " file_id, tree_version, tree_size FROM gone),"
          + " root AS (INSERT INTO trash_roots (ns, jid, path, kind, bytes, files, author, at)"
          + " SELECT $1, $3, $2, $4, coalesce(sum(size), 0), count(*) FILTER (WHERE kind = 'FILE'),"
          + " $5, $6 FROM gone)"
          + " SELECT coalesce(sum(size), 0)::bigint FROM gone";

  /** Adds the chunks $2 (hex) to the namespace's references; PUTs of one namespace serialize. */
  private static final String REFERENCE_CHUNKS =
      "INSERT INTO chunk_refs (ns, hash) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING";

  private static final String DELETE_PROPERTIES =
      "DELETE FROM properties WHERE ns = $1 AND " + SUBTREE_2;

  /** $3 destination, $4 its parent, $5 its name: the rebased path, parent and name of a row. */
  private static final String REBASED =
      "$3 || substr(path, length($2) + 1),"
          + " CASE WHEN path = $2 THEN $4 ELSE $3 || substr(parent, length($2) + 1) END,"
          + " CASE WHEN path = $2 THEN $5 ELSE name END";

  /**
   * Moves a subtree, which keeps its file ids and tree sizes, and answers the bytes its files use.
   * Every moved entry is written by this commit: its version and tree version are the commit's.
   */
  private static final String MOVE_ENTRIES =
      "WITH moved AS (UPDATE entries SET path = $3 || substr(path, length($2) + 1),"
          + " parent = CASE WHEN path = $2 THEN $4 ELSE $3 || substr(parent, length($2) + 1) END,"
          + " name = CASE WHEN path = $2 THEN $5 ELSE name END, version = $6, tree_version = $6"
          + " WHERE ns = $1 AND "
          + SUBTREE_2
          + " RETURNING size) SELECT coalesce(sum(size), 0)::bigint FROM moved";

  /** Moves the properties of the rows selected by %s. */
  private static final String MOVE_PROPERTIES =
      "UPDATE properties SET path = $3 || substr(path, length($2) + 1) WHERE ns = $1 AND %s";

  /**
   * Copies the rows selected by the second %s and answers the bytes the copied files use. Every
   * copy is a new file with an id of its own; its tree size is the first %s (a directory copied
   * alone holds nothing: its size, 0).
   */
  private static final String COPY_ENTRIES =
      "WITH copied AS (INSERT INTO entries (ns, path, parent, name, kind, size, mtime,"
          + " content_hash, blocklist, version, created, file_id, tree_version, tree_size)"
          + " SELECT ns, "
          + REBASED
          + ", kind, size, mtime, content_hash, blocklist, $6, $7, nextval('file_ids'), $6, %s"
          + " FROM entries WHERE ns = $1 AND %s RETURNING size)"
          + " SELECT coalesce(sum(size), 0)::bigint FROM copied";

  private static final String COPY_PROPERTIES =
      "INSERT INTO properties (ns, path, pns, pname, value)"
          + " SELECT ns, $3 || substr(path, length($2) + 1), pns, pname, value"
          + " FROM properties WHERE ns = $1 AND %s";

  /** Appends the journal row and adds $12 to the namespace's used bytes, in one statement. */
  private static final String RECORD =
      "WITH j AS (INSERT INTO journal (ns, jid, kind, path, dest, size, content_hash, blocklist,"
          + " mtime, author, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11))"
          + " UPDATE namespaces SET used_bytes = used_bytes + $12 WHERE ns = $1";

  private final SqlConnection conn;
  private final String ns;
  private final String author;
  private final long jid;
  private final Instant at;
  /** The entries the change names (see {@link #pathsOf}) that exist, by path, root included. */
  private final Map<String, Entry> found;

  private PgCommit(
      SqlConnection conn,
      String ns,
      String author,
      long jid,
      Instant at,
      Map<String, Entry> found) {
    this.conn = conn;
    this.ns = ns;
    this.author = author;
    this.jid = jid;
    this.at = at;
    this.found = found;
  }

  /**
   * Locks the namespace, allocates the jid, reads the entries the change names and applies it.
   * NOT_FOUND when there is no namespace {@code ns}. {@code change.path()} must be valid.
   */
  static Future<JournalRow> run(
      SqlConnection conn, String ns, Change change, String author, Clock clock) {
    String[] stored =
        pathsOf(change).stream().filter(p -> !p.equals(TreePaths.ROOT)).toArray(String[]::new);
    // Sent back to back on one connection: PostgreSQL runs the lookup after the lock is granted,
    // and under READ COMMITTED with a snapshot of its own, so it sees every earlier commit. One
    // round trip less while the namespace is locked. A put checked against gc's record of
    // deletions takes the announcement lock and checks after the namespace lock (ADR 0015, case
    // 8): a commit waiting for a namespace held by a long transaction then holds nothing an
    // announcement waits for, so it cannot queue every other namespace's commits behind it.
    Future<RowSet<Row>> lock = conn.preparedQuery(LOCK).execute(Tuple.of(ns));
    Future<Void> kept = PgChunkDeletions.requireKept(conn, change, clock.instant());
    Future<RowSet<Row>> lookup =
        conn.preparedQuery(LOOKUP).execute(Tuple.tuple().addString(ns).addArrayOfString(stored));
    return Future.all(kept, lock, lookup)
        .compose(
            done -> {
              if (lock.result().size() == 0) {
                return Future.failedFuture(CairnException.notFound("no namespace " + ns));
              }
              CairnException refused = refusal(change);
              if (refused != null) {
                return Future.failedFuture(refused);
              }
              Row nsRow = lock.result().iterator().next();
              Map<String, Entry> found = new HashMap<>();
              found.put(TreePaths.ROOT, PgRows.root(nsRow, 0));
              for (Row r : lookup.result()) {
                Entry e = PgRows.entry(r, 0);
                found.put(e.path(), e);
              }
              // Read under the lock, so commit times follow jid order on one node's clock.
              Instant at = PgRows.millis(clock.instant());
              return new PgCommit(conn, ns, author, nsRow.getLong(2), at, found).apply(change);
            });
  }

  /** Why {@code change} can never succeed, whatever the tree holds; null when it may. */
  private static CairnException refusal(Change change) {
    return switch (change) {
      case Change.Put p when p.path().equals(TreePaths.ROOT) ->
          CairnException.conflict("the root cannot be overwritten");
      case Change.Put p when p.mtime() != null && !PgRows.isStorable(p.mtime()) ->
          CairnException.conflict("mtime " + p.mtime() + " is out of range");
      case Change.Mkdir m when m.path().equals(TreePaths.ROOT) ->
          CairnException.alreadyExists("the root always exists");
      case Change.Delete d when d.path().equals(TreePaths.ROOT) ->
          CairnException.conflict("the root cannot be deleted");
      case Change.Move m -> relocationRefusal(m.path(), m.to(), "moved");
      case Change.Copy c -> relocationRefusal(c.path(), c.to(), "copied");
      default -> null;
    };
  }

  private static CairnException relocationRefusal(String from, String to, String verb) {
    if (!TreePaths.isValid(to)) {
      return CairnException.conflict("not a valid path: " + to);
    }
    if (from.equals(TreePaths.ROOT)) {
      return CairnException.conflict("the root cannot be " + verb);
    }
    return null;
  }

  /** The paths whose entries a change is checked against: itself, parents, destination. */
  private static List<String> pathsOf(Change change) {
    return switch (change) {
      case Change.Put p -> withParent(p.path());
      case Change.Mkdir m -> withParent(m.path());
      case Change.Delete d -> List.of(d.path());
      case Change.Move m -> relocationPaths(m.path(), m.to());
      case Change.Copy c -> relocationPaths(c.path(), c.to());
    };
  }

  private static List<String> withParent(String path) {
    return path.equals(TreePaths.ROOT) ? List.of(path) : List.of(path, TreePaths.parent(path));
  }

  private static List<String> relocationPaths(String from, String to) {
    if (!TreePaths.isValid(to)) {
      return List.of(from); // refused once the namespace is known to exist
    }
    return to.equals(TreePaths.ROOT) ? List.of(from, to) : List.of(from, to, TreePaths.parent(to));
  }

  private Future<JournalRow> apply(Change change) {
    return switch (change) {
      case Change.Put p -> put(p);
      case Change.Mkdir m -> mkdir(m);
      case Change.Delete d -> delete(d);
      case Change.Move m ->
          relocate(m.path(), m.to(), m.overwrite(), expectOf(m.expect()), true, true);
      case Change.Copy c ->
          relocate(c.path(), c.to(), c.overwrite(), Expect.ANY, false, c.recursive());
    };
  }

  private Future<JournalRow> put(Change.Put p) {
    String path = p.path();
    String parent = TreePaths.parent(path);
    Entry dir = found.get(parent);
    Entry current = found.get(path);
    if (dir == null || !dir.isDirectory()) {
      return conflict("no directory " + parent + " to hold " + path);
    }
    if (current != null && current.isDirectory()) {
      return conflict(path + " is a directory");
    }
    if (!expectOf(p.expect()).isMetBy(current)) {
      return precondition(path, p.expect(), current);
    }
    Instant mtime = p.mtime() == null ? at : PgRows.millis(p.mtime());
    Blocklist blocks = p.blocklist() == null ? Blocklist.EMPTY : p.blocklist();
    Instant created = current == null ? at : current.created();
    long delta = p.size() - (current == null ? 0 : current.size());
    String hash = p.contentHash();
    Tuple upsert =
        Tuple.of(ns, path, parent, TreePaths.name(path), p.size(), toDb(mtime))
            .addValue(hash)
            .addValue(toDb(blocks))
            .addValue(jid)
            .addValue(toDb(created));
    return Future.all(
            conn.preparedQuery(UPSERT_FILE).execute(upsert),
            touchAncestors(path, delta),
            record(ChangeKind.PUT, path, null, p.size(), hash, blocks, mtime, delta),
            referenceChunks(blocks))
        .compose(done -> PgProperties.apply(conn, ns, path, p.properties()))
        .map(done -> row(ChangeKind.PUT, path, null, p.size(), hash, blocks, mtime));
  }

  private Future<JournalRow> mkdir(Change.Mkdir m) {
    String path = m.path();
    String parent = TreePaths.parent(path);
    Entry dir = found.get(parent);
    if (dir == null || !dir.isDirectory()) {
      return conflict("no directory " + parent + " to hold " + path);
    }
    if (found.get(path) != null) {
      return Future.failedFuture(CairnException.alreadyExists(path + " exists"));
    }
    Tuple insert = Tuple.of(ns, path, parent, TreePaths.name(path), toDb(at), jid);
    return Future.all(
            conn.preparedQuery(INSERT_DIR).execute(insert),
            touchAncestors(path, 0),
            record(ChangeKind.MKDIR, path, null, 0, null, Blocklist.EMPTY, null, 0))
        .map(done -> row(ChangeKind.MKDIR, path, null, 0, null, Blocklist.EMPTY, null));
  }

  private Future<JournalRow> delete(Change.Delete d) {
    String path = d.path();
    Entry current = found.get(path);
    if (current == null) {
      return Future.failedFuture(CairnException.notFound("nothing at " + path));
    }
    if (!expectOf(d.expect()).isMetBy(current)) {
      return precondition(path, d.expect(), current);
    }
    return deleteSubtree(path)
        .compose(
            freed ->
                Future.all(
                    touchAncestors(path, -freed),
                    record(ChangeKind.DELETE, path, null, 0, null, Blocklist.EMPTY, null, -freed)))
        .map(done -> row(ChangeKind.DELETE, path, null, 0, null, Blocklist.EMPTY, null));
  }

  /** MOVE ({@code move}) or COPY of {@code from}, with its subtree when {@code recursive}. */
  private Future<JournalRow> relocate(
      String from, String to, boolean overwrite, Expect expect, boolean move, boolean recursive) {
    Entry source = found.get(from);
    Entry dest = found.get(to);
    // The root is no destination: it has no parent directory to hold it.
    String toParent = to.equals(TreePaths.ROOT) ? null : TreePaths.parent(to);
    Entry destDir = toParent == null ? null : found.get(toParent);
    if (source == null) {
      return Future.failedFuture(CairnException.notFound("nothing at " + from));
    }
    if (!expect.isMetBy(source)) {
      return precondition(from, expect, source);
    }
    if (TreePaths.isSameOrBelow(to, from)) {
      return conflict(to + " lies inside " + from);
    }
    if (TreePaths.isSameOrBelow(from, to)) {
      return conflict(from + " lies inside " + to + ", which it cannot replace");
    }
    if (destDir == null || !destDir.isDirectory()) {
      return conflict("no directory " + toParent + " to hold " + to);
    }
    if (dest != null && !overwrite) {
      return Future.failedFuture(
          CairnException.preconditionFailed(to + " exists and overwrite is off"));
    }
    Future<Long> freed = dest == null ? Future.succeededFuture(0L) : deleteSubtree(to);
    ChangeKind kind = move ? ChangeKind.MOVE : ChangeKind.COPY;
    boolean subtree = move || (recursive && source.isDirectory());
    return freed
        .compose(
            removed ->
                relocateRows(from, to, move, subtree)
                    .compose(
                        bytes ->
                            Future.all(
                                move ? touchAncestors(from, -bytes) : Future.succeededFuture(),
                                touchAncestors(to, bytes - removed),
                                record(kind, from, to, 0, null, Blocklist.EMPTY, null,
                                    move ? -removed : bytes - removed))))
        .map(done -> row(kind, from, to, 0, null, Blocklist.EMPTY, null));
  }

  /**
   * Moves or copies the entries and properties of {@code from} (with its subtree when {@code
   * subtree}) to {@code to}; answers the bytes the moved or copied files use.
   */
  private Future<Long> relocateRows(String from, String to, boolean move, boolean subtree) {
    String which = subtree ? SUBTREE_2 : "path = $2";
    Tuple entryArgs =
        Tuple.of(ns, from, to, TreePaths.parent(to), TreePaths.name(to), jid);
    Tuple propertyArgs = Tuple.of(ns, from, to);
    Future<Long> added =
        (move
                ? conn.preparedQuery(MOVE_ENTRIES).execute(entryArgs)
                : conn.preparedQuery(
                        String.format(COPY_ENTRIES, subtree ? "tree_size" : "size", which))
                    .execute(entryArgs.addValue(toDb(at))))
            .map(rows -> rows.iterator().next().getLong(0));
    Future<?> properties =
        conn.preparedQuery(String.format(move ? MOVE_PROPERTIES : COPY_PROPERTIES, which))
            .execute(propertyArgs);
    return Future.all(added, properties).map(done -> added.result());
  }

  /**
   * Raises the tree version of every directory above {@code path} (the root aside: its own are
   * the namespace's counters) to this commit's jid and adds {@code bytes} to their tree sizes.
   */
  private Future<?> touchAncestors(String path, long bytes) {
    List<String> ancestors = new ArrayList<>();
    for (String p = TreePaths.parent(path); !p.equals(TreePaths.ROOT); p = TreePaths.parent(p)) {
      ancestors.add(p);
    }
    if (ancestors.isEmpty()) {
      return Future.succeededFuture();
    }
    Tuple args =
        Tuple.tuple()
            .addString(ns)
            .addArrayOfString(ancestors.toArray(String[]::new))
            .addLong(jid)
            .addLong(bytes);
    return conn.preparedQuery(TOUCH_ANCESTORS).execute(args);
  }

  private Future<?> referenceChunks(Blocklist blocks) {
    if (blocks.isEmpty()) {
      return Future.succeededFuture();
    }
    String[] hashes = blocks.blocks().stream().map(b -> b.hash().hex()).distinct()
        .toArray(String[]::new);
    return conn.preparedQuery(REFERENCE_CHUNKS)
        .execute(Tuple.tuple().addString(ns).addArrayOfString(hashes));
  }

  /** Deletes a subtree's entries and properties, keeping the entries in the trash; answers the bytes freed. */
  private Future<Long> deleteSubtree(String path) {
    Tuple args = Tuple.of(ns, path);
    Tuple trashed =
        Tuple.of(ns, path, jid, found.get(path).kind().name())
            .addValue(author)
            .addValue(toDb(at));
    Future<Long> freed =
        conn.preparedQuery(DELETE_ENTRIES)
            .execute(trashed)
            .map(rows -> rows.iterator().next().getLong(0));
    Future<?> props = conn.preparedQuery(DELETE_PROPERTIES).execute(args);
    return Future.all(freed, props).map(done -> freed.result());
  }

  private Future<Void> record(
      ChangeKind kind,
      String path,
      String dest,
      long size,
      String contentHash,
      Blocklist blocks,
      Instant mtime,
      long usedDelta) {
    Tuple args =
        Tuple.of(ns, jid, kind.name(), path, dest, size)
            .addValue(contentHash)
            .addValue(kind == ChangeKind.PUT ? toDb(blocks) : null)
            .addValue(toDb(mtime))
            .addValue(author)
            .addValue(toDb(at))
            .addValue(usedDelta);
    return conn.preparedQuery(RECORD).execute(args).mapEmpty();
  }

  private JournalRow row(
      ChangeKind kind,
      String path,
      String dest,
      long size,
      String contentHash,
      Blocklist blocks,
      Instant mtime) {
    return new JournalRow(ns, jid, kind, path, dest, size, contentHash, blocks, mtime, author, at);
  }

  private static Expect expectOf(Expect e) {
    return e == null ? Expect.ANY : e;
  }

  private static <T> Future<T> conflict(String message) {
    return Future.failedFuture(CairnException.conflict(message));
  }

  private static <T> Future<T> precondition(String path, Expect expect, Entry current) {
    String state = current == null ? "absent" : "at version " + current.version();
    return Future.failedFuture(
        CairnException.preconditionFailed(path + " is " + state + ", expected " + expect));
  }
}
