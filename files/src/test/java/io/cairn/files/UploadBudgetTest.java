package io.cairn.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cairn.core.CairnException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class UploadBudgetTest {
  private static final int MIB = 1 << 20;
  private final UploadBudget budget = new UploadBudget(32L * MIB, 4 * MIB, 4, Duration.ofMillis(20));

  @Test
  void anUploadOfUnknownLengthReservesItsBufferAndEveryChunkItMayHold() {
    assertEquals(8L * MIB + 5L * 4 * MIB, budget.worstCase(-1));
  }

  @Test
  void aSmallUploadReservesLittle() {
    assertEquals((64 << 10) + 4096, budget.worstCase(4096));
    assertEquals(2 * MIB + MIB, budget.worstCase(MIB));
  }

  @Test
  void anUploadThatFindsNoRoomIsRefusedAsTransientAndGetsRoomOnceAnotherEnds() throws Exception {
    UploadBudget.Lease first = budget.reserve(-1);
    CairnException refused = assertThrows(CairnException.class, () -> budget.reserve(-1));
    assertEquals(CairnException.Kind.TRANSIENT, refused.kind());
    assertEquals(503, refused.kind().httpStatus());
    try (UploadBudget.Lease small = budget.reserve(4096)) {
      assertEquals(budget.worstCase(-1) + budget.worstCase(4096), budget.reservedBytes());
    }
    first.close();
    first.close(); // twice gives back nothing more
    assertEquals(0, budget.reservedBytes());
    try (UploadBudget.Lease again = budget.reserve(-1)) {
      assertEquals(budget.worstCase(-1), budget.reservedBytes());
    }
  }

  @Test
  void oneUploadLargerThanTheWholeBudgetRunsAlone() throws Exception {
    UploadBudget tiny = new UploadBudget(MIB, 4 * MIB, 4, Duration.ofMillis(20));
    try (UploadBudget.Lease all = tiny.reserve(-1)) {
      assertEquals(MIB, tiny.reservedBytes());
      assertThrows(CairnException.class, () -> tiny.reserve(10));
    }
  }

  @Test
  void aBodyReadWholeReservesItsBytesAndWaitsLikeAnUpload() throws Exception {
    UploadBudget small = new UploadBudget(6 * MIB, 4 * MIB, 4, Duration.ofMillis(20));
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
    assertEquals(96L * MIB, UploadBudget.forHeap(192L * MIB, 4 * MIB, 4).totalBytes());
    assertEquals(UploadBudget.MIN_BYTES, UploadBudget.forHeap(16L * MIB, 4 * MIB, 4).totalBytes());
  }
}
