package io.cairn.server.retained;

import io.cairn.core.Blocklist;
import io.cairn.core.TreePaths;
import io.cairn.storage.Entry;
import io.cairn.storage.Journal;
import io.cairn.storage.JournalRow;
import io.cairn.storage.TrashItem;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Pages through what a {@link Journal} retains: today every journal row of every namespace
 * (homes, shares, the staged-upload namespaces {@code uploads:USER}), every stored entry and every
 * file in the trash. Blocking: each page is awaited with the caller's {@link Await}, which turns
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

  /** {@code afterPage} runs after each page read (progress reports). */
  public RetainedVersions(Journal journal, Await await, Runnable afterPage) {
    this.journal = journal;
    this.await = await;
    this.afterPage = afterPage;
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

  /** Every journal row of {@code ns}, in jid order. */
  public void forEachRow(String ns, Consumer<JournalRow> visit) {
    long after = 0;
    while (true) {
      List<JournalRow> page = await.await(journal.changes(ns, after, PAGE), "read the journal of " + ns);
      page.forEach(visit);
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

  /** Every file in the trash of {@code ns}, with the removal that put it there. */
  public void forEachTrashedFile(String ns, BiConsumer<TrashItem, Entry> visit) {
    for (TrashItem item : await.await(journal.trash(ns, TreePaths.ROOT, Integer.MAX_VALUE), "list the trash of " + ns)) {
      for (Entry e : await.await(journal.trashed(ns, item.jid(), item.path()), "read the trash of " + ns)) {
        if (!e.isDirectory()) {
          visit.accept(item, e);
        }
      }
      afterPage.run();
    }
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
