package io.cairn.storage;

import io.cairn.core.TreePaths;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * The walk behind {@link Journal#history(String, String, long, int)}, the same for every backend:
 * reads a path's rows newest first and, on reaching the MOVE that brought the path (or one of its
 * folders) where it is, goes on with the source path's rows before that move. A backend supplies
 * one query, {@link Rows}.
 */
public final class HistoryWalk {
  private static final int MIN_PAGE = 32;
  private static final int MAX_PAGE = 1000;

  /** The one query a backend runs for the walk. */
  @FunctionalInterface
  public interface Rows {
    /**
     * Up to {@code limit} rows of the namespace with jid below {@code beforeJid}, newest first,
     * that name {@code path} as path or destination, or are a MOVE whose destination is one of
     * {@code ancestors}. NOT_FOUND for a missing namespace.
     */
    Future<List<JournalRow>> fetch(String path, List<String> ancestors, long beforeJid, int limit);
  }

  private HistoryWalk() {}

  /** One page of {@code path}'s history before {@code beforeJid} (0 or less: the newest). */
  public static Future<List<JournalRow>> page(Rows rows, String path, long beforeJid, int limit) {
    long before = beforeJid <= 0 ? Long.MAX_VALUE : beforeJid;
    if (limit <= 0) {
      return rows.fetch(path, ancestors(path), before, 0).map(none -> List.of());
    }
    return walk(rows, path, Long.MAX_VALUE, before, limit, new ArrayList<>());
  }

  /**
   * Reads rows of {@code path} below {@code upper}; keeps those below {@code before} (rows at or
   * after it were on earlier pages, but their moves still tell the path the file had).
   */
  private static Future<List<JournalRow>> walk(
      Rows rows, String path, long upper, long before, int limit, List<JournalRow> out) {
    int page = Math.min(MAX_PAGE, Math.max(MIN_PAGE, limit - out.size()));
    return rows.fetch(path, ancestors(path), upper, page)
        .compose(
            found -> {
              for (JournalRow row : found) {
                if (row.jid() < before) {
                  out.add(row);
                  if (out.size() >= limit) {
                    return Future.succeededFuture(out);
                  }
                }
                String source = movedFrom(row, path);
                if (source != null) {
                  return walk(rows, source, row.jid(), before, limit, out);
                }
              }
              if (found.size() < page) {
                return Future.succeededFuture(out);
              }
              return walk(rows, path, found.getLast().jid(), before, limit, out);
            });
  }

  /** The path {@code path} had before {@code row} when {@code row} moved it there; else null. */
  static String movedFrom(JournalRow row, String path) {
    if (row.kind() != ChangeKind.MOVE
        || row.dest() == null
        || !TreePaths.isSameOrBelow(path, row.dest())) {
      return null;
    }
    return TreePaths.rebase(path, row.dest(), row.path());
  }

  /** The folders above {@code path}, nearest first, the root left out (it is never moved). */
  public static List<String> ancestors(String path) {
    List<String> out = new ArrayList<>();
    String p = path;
    while (!p.equals(TreePaths.ROOT)) {
      p = TreePaths.parent(p);
      if (!p.equals(TreePaths.ROOT)) {
        out.add(p);
      }
    }
    return out;
  }
}
