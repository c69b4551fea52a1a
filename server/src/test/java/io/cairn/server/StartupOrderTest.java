package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.server.cluster.NodeProcesses;
import io.cairn.storage.testkit.PostgresServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first start creates admin with a random password only once the port is bound: a start that
 * fails to bind leaves no admin whose printed password scrolled away under the error, and the next
 * start creates it. A password given at start is applied before listening instead.
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

  /**
   * With the admin password given (CAIRN_ADMIN_PASSWORD), the very first request the port answers
   * already authenticates as admin: nothing is lost by creating admin before listening, and on
   * PostgreSQL creating it after took long enough for the first clients to get 401 (found by the
   * crash suite's warm-up).
   */
  @Test
  void aGivenAdminPasswordWorksFromTheFirstRequestAnswered(@TempDir Path scratch) throws Exception {
    int port = NodeProcesses.freePort();
    ServerConfig config = ServerConfig.load(null, Map.of("port", String.valueOf(port), "data.dir", scratch.toString(),
        "management.port", "0", "journal.uri", PostgresServer.shared().newDatabase()));
    CompletableFuture<CairnServer> started =
        CompletableFuture.supplyAsync(() -> CairnServer.start(config, "given-admin-1"));
    String request = "PROPFIND / HTTP/1.1\r\nHost: 127.0.0.1\r\nDepth: 0\r\nAuthorization: "
        + TestServer.basic("admin", "given-admin-1") + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    String firstAnswer = null;
    long deadline = System.nanoTime() + 90_000_000_000L;
    while (firstAnswer == null && System.nanoTime() < deadline && !started.isCompletedExceptionally()) {
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        firstAnswer = new String(socket.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1);
      } catch (IOException notYet) {
        Thread.sleep(1);
      }
    }
    try (CairnServer server = started.get(90, TimeUnit.SECONDS)) {
      assertEquals("HTTP/1.1 207", firstAnswer, "the first answer to admin's credentials");
    }
  }
}
