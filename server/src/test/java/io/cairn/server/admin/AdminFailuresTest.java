package io.cairn.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.core.CairnException;
import io.cairn.webdav.StatusTable;
import org.junit.jupiter.api.Test;

/** The admin API and WebDAV answer a failure of each kind with the same status. */
class AdminFailuresTest {
  @Test
  void everyKindIsTheSameStatusOnEveryFront() {
    for (CairnException.Kind k : CairnException.Kind.values()) {
      for (String method : new String[] {"GET", "PUT", "POST", "DELETE", "MOVE"}) {
        assertEquals(StatusTable.status(k, method), AdminApi.status(k), k + " " + method);
      }
    }
    assertEquals(409, AdminApi.status(CairnException.Kind.CONFLICT));
  }
}
