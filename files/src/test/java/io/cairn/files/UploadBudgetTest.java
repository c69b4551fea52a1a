package io.cairn.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cairn.core.CairnException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class UploadBudgetTest {
  private static final int MIB = 1 << 20;
  private final UploadBudget budget = new UploadBudget(32L * MIB, 4 * MIB, Duration.ofMillis(20));

  @Test
  void anUploadOfUnknownLengthReservesItsBufferAndTheChunkItStoresItself() {
    assertEquals(8L * MIB + 4 * MIB, budget.upfront(-1));
  }

  @Test
  void aSmallUploadReservesLittle() {
    assertEquals((64 << 10) + 4096, budget.upfront(4096));
    assertEquals(2 * MIB + MIB, budget.upfront(MIB));
  }

  @Test
  void anUploadThatFindsNoRoomIsRefusedAsTransientAndGetsRoomOnceAnotherEnds() throws Exception {
    UploadBudget.Lease first = budget.reserve(-1);
    UploadBudget.Lease second = budget.reserve(-1);
    CairnException refused = assertThrows(CairnException.class, () -> budget.reserve(-1));
    assertEquals(CairnException.Kind.TRANSIENT, refused.kind());
    assertEquals(503, refused.kind().httpStatus());
    try (UploadBudget.Lease small = budget.reserve(4096)) {
      assertEquals(2 * budget.upfront(-1) + budget.upfront(4096), budget.reservedBytes());
    }
    second.close();
    first.close();
    first.close(); // twice gives back nothing more
    assertEquals(0, budget.reservedBytes());
    try (UploadBudget.Lease again = budget.reserve(-1)) {
      assertEquals(budget.upfront(-1), budget.reservedBytes());
    }
  }

  @Test
  void moreRoomForChunksInParallelOnlyWhileThereIsSomeAndNobodyWaits() throws Exception {
    UploadBudget slow = new UploadBudget(32L * MIB, 4 * MIB, Duration.ofSeconds(30));
    UploadBudget.Lease first = slow.reserve(-1);
    UploadBudget.Lease more = slow.tryMore(4 * MIB);
    assertNotNull(more);
    UploadBudget.Lease second = slow.reserve(-1);
    assertEquals(28L * MIB, slow.reservedBytes());
    assertNull(slow.tryMore(8 * MIB), "no room: the upload stores that chunk itself");
    UploadBudget.Lease last = slow.tryMore(4 * MIB);
    assertNotNull(last);
    CompletableFuture<UploadBudget.Lease> third = CompletableFuture.supplyAsync(() -> {
      try {
        return slow.reserve(-1);
      } catch (InterruptedIOException e) {
        throw new IllegalStateException(e);
      }
    }, task -> Thread.ofVirtual().start(task));
    for (int i = 0; i < 3000 && !third.isDone() && slow.waiting() == 0; i++) {
      Thread.sleep(10);
    }
    assertEquals(1, slow.waiting(), "a third upload waits for room");
    more.close();
    assertEquals(28L * MIB, slow.reservedBytes(), "4 MiB free is not room for the third upload");
    assertNull(slow.tryMore(MIB), "room that frees up goes to the upload waiting, not to more chunks");
    last.close();
    second.close();
    UploadBudget.Lease thirdLease = third.get(30, TimeUnit.SECONDS);
    assertEquals(24L * MIB, slow.reservedBytes(), "the first upload and the third");
    first.close();
    thirdLease.close();
    assertEquals(0, slow.reservedBytes());
  }

  @Test
  void oneUploadLargerThanTheWholeBudgetRunsAlone() throws Exception {
    UploadBudget tiny = new UploadBudget(MIB, 4 * MIB, Duration.ofMillis(20));
    try (UploadBudget.Lease all = tiny.reserve(-1)) {
      assertEquals(MIB, tiny.reservedBytes());
      assertThrows(CairnException.class, () -> tiny.reserve(10));
    }
  }

  @Test
  void aBodyReadWholeReservesItsBytesAndWaitsLikeAnUpload() throws Exception {
    UploadBudget small = new UploadBudget(6 * MIB, 4 * MIB, Duration.ofMillis(20));
    try (UploadBudget.Lease chunk = small.reserveWhole(4 * MIB)) {
      assertEquals(4 * MIB, small.reservedBytes());
      CairnException refused = assertThrows(CairnException.class, () -> small.reserveWhole(4 * MIB));
      assertEquals(CairnException.Kind.TRANSIENT, refused.kind());
      assertThrows(CairnException.class, () -> small.reserve(-1), "an upload waits behind it too");
    }
    try (UploadBudget.Lease huge = small.reserveWhole(100 * MIB)) {
      assertEquals(6 * MIB, small.reservedBytes(), "at most the whole budget");
    }
    assertEquals(0, small.reservedBytes());
  }

  @Test
  void theDefaultBudgetIsHalfTheHeapButNeverBelowOneLargeUpload() {
    assertEquals(96L * MIB, UploadBudget.forHeap(192L * MIB, 4 * MIB).totalBytes());
    assertEquals(UploadBudget.MIN_BYTES, UploadBudget.forHeap(16L * MIB, 4 * MIB).totalBytes());
  }
}
