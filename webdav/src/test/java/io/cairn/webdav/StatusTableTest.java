package io.cairn.webdav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.cairn.core.CairnException.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusTableTest {
  private static final List<String> METHODS =
      List.of("GET", "PUT", "MKCOL", "DELETE", "COPY", "MOVE", "PROPFIND", "PROPPATCH", "LOCK", "UNLOCK");

  @Test
  void mkcolOnSomethingThatExistsIs405AndEveryOtherMethodGets409() {
    assertEquals(405, StatusTable.status(Kind.ALREADY_EXISTS, "MKCOL"));
    for (String m : METHODS) {
      if (!m.equals("MKCOL")) {
        assertEquals(409, StatusTable.status(Kind.ALREADY_EXISTS, m), m);
      }
    }
  }

  @Test
  void everyOtherKindAnswersTheStatusItCarriesWhateverTheMethod() {
    for (Kind k : Kind.values()) {
      if (k == Kind.ALREADY_EXISTS) {
        continue;
      }
      for (String m : METHODS) {
        assertEquals(k.httpStatus(), StatusTable.status(k, m), k + " " + m);
      }
    }
  }

  @Test
  void theStatusesWebDavAnsweredBeforeKindsCarriedThemStayTheSame() {
    assertEquals(404, StatusTable.status(Kind.NOT_FOUND, "GET"));
    assertEquals(409, StatusTable.status(Kind.CONFLICT, "PUT"));
    assertEquals(423, StatusTable.status(Kind.LOCKED, "DELETE"));
    assertEquals(412, StatusTable.status(Kind.PRECONDITION_FAILED, "COPY"));
    assertEquals(507, StatusTable.status(Kind.INSUFFICIENT_STORAGE, "PUT"));
    assertEquals(503, StatusTable.status(Kind.TRANSIENT, "PROPFIND"));
    assertEquals(500, StatusTable.status(Kind.INTERNAL, "GET"));
  }

  @Test
  void everyStatusAKindCanGiveHasAReasonPhrase() {
    for (Kind k : Kind.values()) {
      for (String m : METHODS) {
        int status = StatusTable.status(k, m);
        assertFalse(StatusTable.reason(status).startsWith("Status "), k + " " + m + " -> " + status);
      }
    }
  }
}
