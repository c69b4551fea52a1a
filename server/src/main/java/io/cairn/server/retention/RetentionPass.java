package io.cairn.server.retention;

import io.cairn.core.CairnException;
import io.cairn.files.StagedUploads;
import io.cairn.server.retained.RetainedVersions;
import io.cairn.storage.ChangeKind;
import io.cairn.storage.Journal;
import io.cairn.storage.NamespaceUsage;
import io.cairn.storage.TrashItem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One retention run over every namespace (ADR 0014): records in the journal which versions and
 * which trash items have expired under a {@link RetentionPolicy}, so that history and restore stop
 * offering them and a later gc run frees their chunks once its grace has passed.
 *
 * <p>Per namespace: the PUT rows are grouped by path, and each path's rows into <em>lives</em>, cut
 * by the removals of that path (a Delete, or a Move or Copy over it, that put the file in the
 * trash) and by the moves away from it. The rows of a life whose removal's trash has expired
 * expire with it: the file is gone. The rows of the other lives (the current one, one still in
 * the trash, or one moved away from the path) are thinned by the policy, the live entry's version
 * and the version each unexpired trash item holds pinned. Each namespace follows the server's
 * policy with its own settings in place ({@link Journal#namespaceSettings}, set by {@link
 * NamespaceRetention}). The trash of the staged-upload namespaces {@code uploads:USER} (abandoned
 * chunked uploads) expires at once: nobody restores it.
 *
 * <p>Blocking, on the caller's thread; a failure of the journal ends the run with {@link
 * RetentionFailure}, after recording the namespaces done (recording is idempotent).
 * Holds one namespace's PUT rows (jid, time, path) in memory at a time.
 */
public final class RetentionPass {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RetentionPass.class);

  /**
   * What a run found and recorded; {@code versionBytes} and {@code trashBytes} are what the
   * namespaces' retained versions and trash hold after it, summed ({@link Journal#usage}: logical
   * bytes, the same figures quotas and {@code cairn quota show} use).
   */
  public record Summary(Instant at, Duration took, long namespaces, long versionsExpired, long trashExpired,
      long versionBytes, long trashBytes) {}

  private record Version(long jid, Instant at) {}

  private final Journal journal;
  /** The server's policy; each namespace's own settings apply over it. */
  private final RetentionPolicy policy;
  private final Clock clock;
  private long namespaces;
  private long versionsExpired;
  private long trashExpired;
  private long versionBytes;
  private long trashBytes;

  public RetentionPass(Journal journal, RetentionPolicy policy, Clock clock) {
    this.journal = journal;
    this.policy = policy;
    this.clock = clock;
  }

  /** Runs over every namespace; {@code mayGoOn} is asked between namespaces (false stops the run). */
  public Summary run(java.util.function.BooleanSupplier mayGoOn) {
    Instant now = clock.instant();
    RetainedVersions all = new RetainedVersions(journal, RetentionPass::await, () -> {}, Instant.MIN);
    all.forEachNamespace(ns -> {
      if (!mayGoOn.getAsBoolean()) {
        throw new RetentionFailure("stopped: the maintenance lease was lost", null);
      }
      expireIn(all, ns, now);
      namespaces++;
    });
    return new Summary(now, Duration.between(now, clock.instant()), namespaces, versionsExpired, trashExpired,
        versionBytes, trashBytes);
  }

  /** The server's policy with the namespace's own settings; the server's alone when those are unusable. */
  private RetentionPolicy policyOf(String ns) {
    Map<String, Long> settings = await(journal.namespaceSettings(ns), "read the settings of " + ns);
    try {
      return policy.with(settings);
    } catch (CairnException e) { // a setting the configuration has since made invalid
      LOG.warn("retention of {} follows the server's policy: its own settings {} are unusable: {}", ns, settings,
          e.getMessage());
      return policy;
    }
  }

  private void expireIn(RetainedVersions all, String ns, Instant now) {
    RetentionPolicy policy = policyOf(ns);
    Map<String, List<Version>> versionsByPath = new HashMap<>();
    Map<String, TreeSet<Long>> movedAway = new HashMap<>(); // path → jids of moves from it
    List<Long> putJids = new ArrayList<>();
    all.forEachRow(ns, (row, retained) -> {
      if (row.kind() == ChangeKind.PUT) {
        versionsByPath.computeIfAbsent(row.path(), p -> new ArrayList<>())
            .add(new Version(row.jid(), row.at()));
        putJids.add(row.jid());
      } else if (row.kind() == ChangeKind.MOVE) {
        movedAway.computeIfAbsent(row.path(), p -> new TreeSet<>()).add(row.jid());
      }
    });
    Set<Long> versionsGone = expired(ns, putJids); // expired by an earlier pass or a purge
    Set<Long> live = new HashSet<>();
    all.forEachEntry(ns, e -> {
      if (!e.isDirectory()) {
        live.add(e.version());
      }
    });
    Map<Long, TrashItem> items = new HashMap<>();
    Map<String, TreeMap<Long, Long>> removals = new HashMap<>(); // path → removing jid → version it held
    all.forEachTrashedFile(ns, (item, e) -> {
      items.put(item.jid(), item);
      removals.computeIfAbsent(e.path(), p -> new TreeMap<>()).put(item.jid(), e.version());
    });
    Set<Long> expiredTrash = expired(ns, new ArrayList<>(items.keySet()));
    List<Long> newlyExpired = new ArrayList<>();
    boolean staging = StagedUploads.isStagingNamespace(ns);
    items.values().forEach(item -> {
      if (!expiredTrash.contains(item.jid()) && (staging || policy.trashExpired(item.at(), now))) {
        expiredTrash.add(item.jid());
        newlyExpired.add(item.jid());
        trashExpired++;
      }
    });
    Set<Long> pinned = new HashSet<>(live);
    removals.values().forEach(byJid -> byJid.forEach((jid, version) -> {
      if (!expiredTrash.contains(jid)) {
        pinned.add(version);
      }
    }));
    Set<Long> doomed = new HashSet<>();
    versionsByPath.forEach((path, versions) -> doomed.addAll(expiredAt(policy, path, versions, removals, movedAway,
        expiredTrash, versionsGone, pinned, now)));
    versionsExpired += doomed.size();
    newlyExpired.addAll(doomed);
    for (int from = 0; from < newlyExpired.size(); from += RetainedVersions.PAGE) {
      List<Long> batch = newlyExpired.subList(from, Math.min(newlyExpired.size(), from + RetainedVersions.PAGE));
      await(journal.expire(ns, batch, now), "record what expired in " + ns);
    }
    NamespaceUsage usage = await(journal.usage(ns), "measure " + ns); // what is left, as quotas see it
    versionBytes += usage.versionBytes();
    trashBytes += usage.trashBytes();
  }

  /**
   * The versions at {@code path} not expired yet that expire now: those of a life whose removal's
   * trash has expired, and those the policy thins out of every other life.
   */
  private static Set<Long> expiredAt(RetentionPolicy policy, String path, List<Version> versions, Map<String, TreeMap<Long, Long>> removals,
      Map<String, TreeSet<Long>> movedAway, Set<Long> expiredTrash, Set<Long> versionsGone, Set<Long> pinned,
      Instant now) {
    TreeMap<Long, Long> removed = removals.getOrDefault(path, new TreeMap<>());
    TreeSet<Long> moves = movedAway.getOrDefault(path, new TreeSet<>());
    Set<Long> doomed = new HashSet<>();
    Map<Long, List<RetentionPolicy.Version>> lives = new HashMap<>();
    for (Version v : versions) {
      if (versionsGone.contains(v.jid())) {
        continue; // takes no day, week or place of the count from one still retained
      }
      Long endedBy = first(removed.higherKey(v.jid()), moves.higher(v.jid()));
      if (endedBy != null && expiredTrash.contains(endedBy)) {
        if (!pinned.contains(v.jid())) {
          doomed.add(v.jid());
        }
      } else {
        lives.computeIfAbsent(endedBy == null ? Long.MAX_VALUE : endedBy, k -> new ArrayList<>())
            .add(new RetentionPolicy.Version(v.jid(), v.at(), pinned.contains(v.jid())));
      }
    }
    lives.values().forEach(life -> doomed.addAll(policy.expired(life, now)));
    return doomed;
  }

  /** The earlier of two jids that may be null (none). */
  private static Long first(Long a, Long b) {
    if (a == null || b == null) {
      return a == null ? b : a;
    }
    return Math.min(a, b);
  }

  private Set<Long> expired(String ns, List<Long> jids) {
    Set<Long> out = new HashSet<>();
    for (int from = 0; from < jids.size(); from += RetainedVersions.PAGE) {
      out.addAll(await(journal.expired(ns, jids.subList(from, Math.min(jids.size(), from + RetainedVersions.PAGE))),
          "read what expired in " + ns).keySet());
    }
    return out;
  }

  private static <T> T await(io.vertx.core.Future<T> future, String what) {
    return RetainedVersions.await(future, what, RetentionFailure::new);
  }
}
