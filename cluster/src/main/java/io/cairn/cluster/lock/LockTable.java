package io.cairn.cluster.lock;

import io.cairn.core.TreePaths;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The locks of one namespace as one value of a Hazelcast map: serializable, copied on every read,
 * replaced whole on every write. Lookups are linear scans: a namespace holds a handful of locks,
 * and the value travels between members, so small beats indexed.
 */
final class LockTable implements Serializable {
  @Serial private static final long serialVersionUID = 1L;

  static final Comparator<ActiveLock> BY_ROOT_THEN_TOKEN =
      Comparator.comparing(ActiveLock::root).thenComparing(ActiveLock::token);

  /** One lock in serializable form. */
  record Stored(
      String token,
      String ns,
      String root,
      LockScope scope,
      LockDepth depth,
      String owner,
      Duration timeout,
      Instant expires)
      implements Serializable {

    static Stored of(ActiveLock l) {
      return new Stored(
          l.token(), l.ns(), l.root(), l.scope(), l.depth(), l.owner(), l.timeout(), l.expires());
    }

    ActiveLock lock() {
      return new ActiveLock(token, ns, root, scope, depth, owner, timeout, expires);
    }
  }

  private final ArrayList<Stored> locks = new ArrayList<>();

  /** The live locks of {@code table} (null: none) at {@code now}. */
  static List<ActiveLock> live(LockTable table, Instant now) {
    if (table == null) {
      return List.of();
    }
    return table.locks.stream().map(Stored::lock).filter(l -> l.isLive(now)).toList();
  }

  /** A table holding exactly {@code live}; null when it is empty (the map entry goes away). */
  static LockTable of(Collection<ActiveLock> live) {
    if (live.isEmpty()) {
      return null;
    }
    LockTable t = new LockTable();
    live.forEach(l -> t.locks.add(Stored.of(l)));
    return t;
  }

  /** The latest expiry among {@code live}, for the map entry's time-to-live backstop. */
  static Instant lastExpiry(Collection<ActiveLock> live) {
    return live.stream().map(ActiveLock::expires).max(Comparator.naturalOrder()).orElseThrow();
  }

  /** Locks of {@code live} covering {@code path}: rooted there, or depth-infinity above it. */
  static List<ActiveLock> covering(List<ActiveLock> live, String path) {
    return live.stream().filter(l -> l.covers(path)).toList();
  }

  /** Locks of {@code live} rooted strictly below {@code path}. */
  static List<ActiveLock> below(List<ActiveLock> live, String path) {
    return live.stream()
        .filter(l -> !l.root().equals(path) && TreePaths.isSameOrBelow(l.root(), path))
        .toList();
  }

  /** The blocking locks for {@link LockManager#confirm}, computed over {@code live}. */
  static List<ActiveLock> blocking(
      List<ActiveLock> live, Collection<PathWrite> writes, Set<String> tokens) {
    Set<String> resources = new LinkedHashSet<>();
    for (PathWrite w : writes) {
      resources.add(w.path());
      if (w.touchesParent()) {
        resources.add(TreePaths.parent(w.path()));
      }
      if (w.touchesDescendants()) {
        below(live, w.path()).forEach(l -> resources.add(l.root()));
      }
    }
    Map<String, ActiveLock> blocking = new LinkedHashMap<>();
    for (String resource : resources) {
      List<ActiveLock> cover = covering(live, resource);
      if (!cover.isEmpty() && cover.stream().noneMatch(l -> tokens.contains(l.token()))) {
        cover.forEach(l -> blocking.putIfAbsent(l.token(), l));
      }
    }
    return blocking.values().stream().sorted(BY_ROOT_THEN_TOKEN).toList();
  }
}
