package io.cairn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.CairnException.Kind;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CairnExceptionTest {

  @Test
  void everyKindCarriesTheStatusEveryFrontAnswers() {
    Map<Kind, Integer> expected = new EnumMap<>(Kind.class);
    expected.put(Kind.NOT_FOUND, 404);
    expected.put(Kind.ALREADY_EXISTS, 409);
    expected.put(Kind.CONFLICT, 409);
    expected.put(Kind.LOCKED, 423);
    expected.put(Kind.PRECONDITION_FAILED, 412);
    expected.put(Kind.INSUFFICIENT_STORAGE, 507);
    expected.put(Kind.TOO_LARGE, 413);
    expected.put(Kind.FORBIDDEN, 403);
    expected.put(Kind.GONE, 410);
    expected.put(Kind.INVALID, 400);
    expected.put(Kind.TRANSIENT, 503);
    expected.put(Kind.INTERNAL, 500);
    expected.put(Kind.DAMAGED, 500);
    assertEquals(Kind.values().length, expected.size(), "a new kind needs its status here");
    for (Kind k : Kind.values()) {
      assertEquals(expected.get(k), k.httpStatus(), k.name());
    }
  }

  @Test
  void aStatusReadBackGivesTheKindThatAnswersIt() {
    for (Kind k : Kind.values()) {
      if (k != Kind.ALREADY_EXISTS && k != Kind.DAMAGED) {
        assertEquals(k, Kind.ofHttpStatus(k.httpStatus()), k.name());
      }
    }
    assertEquals(Kind.CONFLICT, Kind.ofHttpStatus(409), "409 is shared; CONFLICT is the general one");
    assertEquals(Kind.INTERNAL, Kind.ofHttpStatus(500), "500 is shared; INTERNAL is the general one");
  }

  @Test
  void statusesNoKindAnswersFallBackToTheirClass() {
    assertEquals(Kind.TRANSIENT, Kind.ofHttpStatus(429));
    assertEquals(Kind.TRANSIENT, Kind.ofHttpStatus(502));
    assertEquals(Kind.TRANSIENT, Kind.ofHttpStatus(504));
    assertEquals(Kind.INVALID, Kind.ofHttpStatus(431));
    assertEquals(Kind.INVALID, Kind.ofHttpStatus(499));
    assertEquals(Kind.INTERNAL, Kind.ofHttpStatus(501));
    assertEquals(Kind.INTERNAL, Kind.ofHttpStatus(599));
  }

  @Test
  void aStatusThatIsNoErrorHasNoKind() {
    for (int status : new int[] {100, 200, 207, 304, 399, 600}) {
      assertThrows(IllegalArgumentException.class, () -> Kind.ofHttpStatus(status), "" + status);
    }
  }

  @Test
  void onlyTransientFailuresAreWorthARetry() {
    for (Kind k : Kind.values()) {
      assertEquals(k == Kind.TRANSIENT, k.retryable(), k.name());
      assertEquals(k.retryable(), new CairnException(k, "x").retryable(), k.name());
    }
    assertTrue(Kind.ofHttpStatus(503).retryable());
  }

  @Test
  void factoriesSetTheirKindAndKeepTheMessage() {
    assertEquals(Kind.NOT_FOUND, CairnException.notFound("m").kind());
    assertEquals(Kind.CONFLICT, CairnException.conflict("m").kind());
    assertEquals(Kind.PRECONDITION_FAILED, CairnException.preconditionFailed("m").kind());
    assertEquals(Kind.ALREADY_EXISTS, CairnException.alreadyExists("m").kind());
    assertEquals(Kind.FORBIDDEN, CairnException.forbidden("m").kind());
    assertEquals(Kind.INVALID, CairnException.invalid("bad name").kind());
    assertEquals("bad name", CairnException.invalid("bad name").getMessage());
  }

  @Test
  void anyOtherThrowableCountsAsInternal() {
    assertEquals(Kind.INTERNAL, CairnException.kindOf(new IllegalStateException("bug")));
    assertEquals(Kind.LOCKED, CairnException.kindOf(new CairnException(Kind.LOCKED, "held")));
    assertFalse(new CairnException(Kind.INTERNAL, "x", new RuntimeException()).retryable());
  }
}
