package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first start creates admin only once the port is bound: a start that fails to bind leaves no
 * admin whose printed password scrolled away under the error, and the next start creates it.
 */
class StartupOrderTest {
  @Test
  void aStartThatCannotBindCreatesNoAdmin(@TempDir Path scratch) throws Exception {
    Path data = scratch.resolve("data");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ServerConfig config = ServerConfig.load(null, Map.of("port", String.valueOf(taken.getLocalPort()),
          "data.dir", data.toString(), "management.port", "0"));
      assertThrows(RuntimeException.class, () -> CairnServer.start(config, null));
      try (var handle = CairnServer.openAccounts(config)) {
        assertTrue(handle.accounts().listUsers().isEmpty(), "no admin yet: its password was never shown");
      }
    }
    try (TestServer s = TestServer.start(data)) {
      assertEquals(207, s.send(TestServer.basic("admin", TestServer.ADMIN_PASSWORD), "PROPFIND", "/", null, "Depth", "0")
          .statusCode(), "the next start creates admin");
    }
  }
}
