package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The management port's keys: defaults next to the WebDAV port on loopback, and what is refused. */
class ManagementConfigTest {
  @Test
  void defaultsToTheWebdavPortPlusOneOnLoopbackWhereverWebdavListens() {
    // The management port answers without credentials: --bind 0.0.0.0 must not expose it.
    ServerConfig c = ServerConfig.load(null, Map.of("bind.host", "0.0.0.0"));
    assertEquals(8081, c.managementPort());
    assertEquals("127.0.0.1", c.managementHost());
    assertEquals("/metrics", c.metricsPath());
    assertEquals(9100, ServerConfig.load(null, Map.of("port", "9099")).managementPort());
    assertEquals(0, ServerConfig.load(null, Map.of("port", "0")).managementPort());
  }

  @Test
  void takesItsOwnKeys() {
    ServerConfig c =
        ServerConfig.load(
            null,
            Map.of("management.port", "9464", "management.bind.host", "127.0.0.2", "metrics.path", "/prom"));
    assertEquals(9464, c.managementPort());
    assertEquals("127.0.0.2", c.managementHost());
    assertEquals("/prom", c.metricsPath());
  }

  @Test
  void refusesTheWebdavPortAndReservedPaths() {
    assertThrows(
        ServerConfig.InvalidConfig.class,
        () -> ServerConfig.load(null, Map.of("port", "8080", "management.port", "8080")));
    assertThrows(ServerConfig.InvalidConfig.class, () -> ServerConfig.load(null, Map.of("metrics.path", "/readyz")));
    assertThrows(ServerConfig.InvalidConfig.class, () -> ServerConfig.load(null, Map.of("metrics.path", "metrics")));
  }
}
