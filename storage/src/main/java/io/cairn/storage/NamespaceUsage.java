package io.cairn.storage;

/**
 * What one namespace holds, in logical bytes: file sizes as users see them, before dedup and
 * before compression, so content stored once may count in more than one place (two versions with
 * the same content count twice; a version whose content is also a live file or in the trash is
 * not counted again as a version).
 *
 * @param liveBytes the sizes of the live files ({@link NamespaceInfo#usedBytes})
 * @param versionBytes the sizes of the retained earlier versions: PUTs not expired (ADR 0014)
 *     whose content is neither a live file's nor held by a trash item
 * @param trashBytes the sizes of the trash items not expired, as the trash lists them
 */
public record NamespaceUsage(String name, long liveBytes, long versionBytes, long trashBytes) {
  /** Versions and trash: what history costs. */
  public long historyBytes() {
    return versionBytes + trashBytes;
  }

  /** Live, versions and trash. */
  public long totalBytes() {
    return liveBytes + versionBytes + trashBytes;
  }

  /**
   * The one query both SQL backends answer {@link Journal#usage} with: one row of live, version
   * and trash bytes (live null for a missing namespace), {@code param} standing for the namespace
   * ({@code ?1} for SQLite, {@code $1} for PostgreSQL). Each {@code NOT IN} list is computed once
   * per query, so the cost is one pass over the namespace's journal, entries and trash rows.
   */
  public static String sql(String param) {
    String expired = "(SELECT jid FROM expired_versions WHERE ns = " + param + ")";
    return ("SELECT (SELECT used_bytes FROM namespaces WHERE ns = :ns),"
        + " (SELECT CAST(COALESCE(SUM(j.size), 0) AS BIGINT) FROM journal j"
        + "   WHERE j.ns = :ns AND j.kind = 'PUT' AND j.jid NOT IN :expired"
        + "   AND j.content_hash NOT IN (SELECT content_hash FROM entries"
        + "     WHERE ns = :ns AND kind = 'FILE' AND content_hash IS NOT NULL)"
        + "   AND j.content_hash NOT IN (SELECT content_hash FROM trash_entries"
        + "     WHERE ns = :ns AND kind = 'FILE' AND content_hash IS NOT NULL AND jid NOT IN :expired)),"
        + " (SELECT CAST(COALESCE(SUM(t.bytes), 0) AS BIGINT) FROM trash_roots t"
        + "   WHERE t.ns = :ns AND t.jid NOT IN :expired)")
        .replace(":expired", expired).replace(":ns", param);
  }
}
