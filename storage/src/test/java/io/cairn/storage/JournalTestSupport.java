package io.cairn.storage;

import io.cairn.core.BlockRef;
import io.cairn.core.Blocklist;
import io.cairn.core.CairnException;
import io.cairn.core.ChunkHash;
import io.cairn.storage.testkit.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;

/**
 * What the journal's contract and model tests share: the backend hook, waiting on futures, and
 * small fixtures. Every test works in namespaces of its own ({@link #newNamespace()}), so a backend
 * may hand out one shared store to all tests of a class.
 */
abstract class JournalTestSupport {
  /** Tests run the journal against this clock; commit times come from it. */
  protected final MutableClock clock = new MutableClock(Instant.parse("2024-03-05T06:07:08.009Z"));

  private final List<Journal> opened = new ArrayList<>();

  /**
   * A journal on a backend ready for use. Called at most a few times per test; the test closes
   * what it gets. It may be fresh or shared across the tests of a class: tests only use
   * namespaces they created with unique names. Commit times must come from {@code clock}.
   */
  protected abstract Journal createJournal(Clock clock) throws Exception;

  /** Remembers {@code journal} so that it is closed after the test. */
  protected final Journal track(Journal journal) {
    opened.add(journal);
    return journal;
  }

  @AfterEach
  void closeJournals() {
    for (Journal j : opened) {
      j.close();
    }
    opened.clear();
  }

  /** A namespace name no other test (nor an earlier run on a kept database) uses. */
  protected static String newNamespace() {
    return "ns-" + UUID.randomUUID();
  }

  /** The future's value; fails the test when it fails or takes longer than a minute. */
  protected static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("expected success, got " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("no answer within 60 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** The kind of the future's failure; fails the test when the future succeeds. */
  protected static CairnException.Kind failureOf(Future<?> future) {
    try {
      Object value = future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      return fail("expected a failure, got success: " + value);
    } catch (ExecutionException e) {
      return assertInstanceOf(CairnException.class, e.getCause(), "failure type").kind();
    } catch (TimeoutException e) {
      throw new AssertionError("no answer within 60 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Null when the future succeeds, else its failure kind. */
  protected static CairnException.Kind outcome(Future<?> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      return null;
    } catch (ExecutionException e) {
      return failureOf(future);
    } catch (TimeoutException e) {
      throw new AssertionError("no answer within 60 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  protected static void assertFails(CairnException.Kind expected, Future<?> future) {
    assertEquals(expected, failureOf(future));
  }

  /** A blocklist of one block per seed, each {@code blockLength} bytes long. */
  protected static Blocklist blocks(int blockLength, String... seeds) {
    List<BlockRef> refs = new ArrayList<>();
    for (String seed : seeds) {
      refs.add(new BlockRef(ChunkHash.sha256(seed.getBytes(StandardCharsets.UTF_8)), blockLength));
    }
    return new Blocklist(refs);
  }

  /** A put of {@code size} bytes whose content is named by {@code seed}, mtime = commit time. */
  protected static Change.Put put(String path, long size, String seed, Expect expect) {
    Blocklist bl = size == 0 ? Blocklist.EMPTY : blocks((int) size, seed);
    return new Change.Put(path, size, "h-" + seed, bl, null, expect);
  }

  protected static Change.Put put(String path, long size) {
    return put(path, size, path + "@" + size, Expect.ANY);
  }
}
