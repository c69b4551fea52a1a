package io.cairn.server.retained;

import io.cairn.core.Blocklist;
import io.cairn.core.TreePaths;
import io.cairn.storage.Entry;
import io.cairn.storage.Journal;
import io.cairn.storage.JournalRow;
import io.cairn.storage.TrashItem;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Pages through what a {@link Journal} retains: every journal row of every namespace (homes,
 * shares, the staged-upload namespaces {@code uploads:USER}), every stored entry and every file in
 * the trash, less what retention expired ({@link Journal#expired}) at or before the walk's {@code
 * expiredBefore}: expired versions and trash items are not retained, so fsck does not ask for their
 * chunks and gc does not keep them. gc passes its run's start less its grace, so that a version
 * expired a moment ago, which a request may still be reading or restoring, keeps its chunks through
 * the grace (ADR 0012, 0014). Blocking: each page is awaited with the caller's {@link Await}, which turns
 * a failed or silent storage into the caller's own failure, so that no error is ever mistaken
 * for "nothing there" (juicedata/juicefs#6479). One thread, never a Vert.x event loop.
 */
public final class RetainedVersions {
  /** Rows, entries or namespaces asked for at a time. */
  public static final int PAGE = 1_000;

  /** Waits for a page; fails (unchecked) when the storage fails or does not answer. */
  @FunctionalInterface
  public interface Await {
    /** The future's value; {@code what} says what was being read, for the failure's message. */
    <T> T await(Future<T> future, String what);
  }

  private final Journal journal;
  private final Await await;
  private final Runnable afterPage;
  private final Instant expiredBefore;

  /**
   * {@code afterPage} runs after each page read (progress reports); versions and trash expired at
   * or before {@code expiredBefore} are not retained ({@link Instant#MIN}: everything the journal
   * holds is).
   */
  public RetainedVersions(Journal journal, Await await, Runnable afterPage, Instant expiredBefore) {
    this.journal = journal;
    this.await = await;
    this.afterPage = afterPage;
    this.expiredBefore = expiredBefore;
  }

  /** One journal row, and whether the walk retains its content (a PUT not expired in time). */
  @FunctionalInterface
  public interface RowVisitor {
    void visit(JournalRow row, boolean retained);
  }

  /** Every namespace, in name order. */
  public void forEachNamespace(Consumer<String> visit) {
    String after = null;
    while (true) {
      List<String> page = await.await(journal.namespaces(after, PAGE), "list the namespaces");
      page.forEach(visit);
      if (page.size() < PAGE) {
        return;
      }
      after = page.getLast();
    }
  }

  /**
   * Every journal row of {@code ns}, in jid order, with whether it is retained: an expired version's
   * row is visited too (its content is not retained, the row's facts stay).
   */
  public void forEachRow(String ns, RowVisitor visit) {
    long after = 0;
    while (true) {
      List<JournalRow> page = await.await(journal.changes(ns, after, PAGE), "read the journal of " + ns);
      Set<Long> expired = expired(ns, page.stream().map(JournalRow::jid).toList());
      page.forEach(row -> visit.visit(row, !expired.contains(row.jid())));
      afterPage.run();
      if (page.size() < PAGE) {
        return;
      }
      after = page.getLast().jid();
    }
  }

  /** Every stored entry of {@code ns} (live or not reachable from the root), in path order. */
  public void forEachEntry(String ns, Consumer<Entry> visit) {
    String after = null;
    while (true) {
      List<Entry> page = await.await(journal.entriesByPath(ns, after, PAGE), "list the entries of " + ns);
      page.forEach(visit);
      afterPage.run();
      if (page.size() < PAGE) {
        return;
      }
      after = page.getLast().path();
    }
  }

  /** Every file in the trash of {@code ns} that has not expired, with the removal that put it there. */
  public void forEachTrashedFile(String ns, BiConsumer<TrashItem, Entry> visit) {
    List<TrashItem> items = await.await(journal.trash(ns, TreePaths.ROOT, Integer.MAX_VALUE), "list the trash of " + ns);
    Set<Long> expired = expired(ns, items.stream().map(TrashItem::jid).toList());
    for (TrashItem item : items) {
      if (expired.contains(item.jid())) {
        continue;
      }
      for (Entry e : await.await(journal.trashed(ns, item.jid(), item.path()), "read the trash of " + ns)) {
        if (!e.isDirectory()) {
          visit.accept(item, e);
        }
      }
      afterPage.run();
    }
  }

  /** Which of {@code jids} expired at or before {@code expiredBefore}, asked a page at a time. */
  private Set<Long> expired(String ns, List<Long> jids) {
    Set<Long> out = new HashSet<>();
    if (expiredBefore.equals(Instant.MIN)) {
      return out;
    }
    for (int from = 0; from < jids.size(); from += PAGE) {
      Map<Long, Instant> page = await.await(journal.expired(ns, jids.subList(from, Math.min(jids.size(), from + PAGE))),
          "read what expired in " + ns);
      page.forEach((jid, at) -> {
        if (!at.isAfter(expiredBefore)) {
          out.add(jid);
        }
      });
    }
    return out;
  }

  /** How long {@link #await} waits for one answer of the storage. */
  public static final Duration TIMEOUT = Duration.ofMinutes(5);

  /**
   * The future's value, waited for on this thread for at most {@link #TIMEOUT}; when it fails, does
   * not answer or the thread is interrupted, the exception {@code failure} makes of "cannot
   * {@code what}: why" and the cause.
   */
  public static <T> T await(Future<T> future, String what, BiFunction<String, Throwable, RuntimeException> failure) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw failure.apply("cannot " + what + ": " + cause.getMessage(), cause);
    } catch (TimeoutException e) {
      throw failure.apply("cannot " + what + ": no answer within " + TIMEOUT.toMinutes() + " minutes", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure.apply("interrupted while trying to " + what, e);
    }
  }

  /** A blocklist as the journal gives it: null (no content) reads as empty. */
  public static Blocklist blocks(Blocklist maybe) {
    return maybe == null ? Blocklist.EMPTY : maybe;
  }
}
