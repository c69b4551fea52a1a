package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.files.DigestType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {

  @Test
  void theChunkCacheDefaultsToAnEighthOfTheHeapAtMost64MiB() {
    long mib = 1L << 20;
    assertEquals(16 * mib, ServerConfig.defaultChunkCache(128 * mib), "bin/cairn's 128 MiB heap");
    assertEquals(64 * mib, ServerConfig.defaultChunkCache(4096 * mib));
  }

  @Test
  void everyKeyCanComeFromTheEnvironmentBetweenTheFileAndTheFlags(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("cairn.properties");
    java.nio.file.Files.writeString(file, "port = 9000\nchunker.min = 64K\nquota = 1G\n");
    Map<String, String> env = Map.of("CAIRN_PORT", "9100", "CAIRN_CHUNKS_URI", "file:/srv/chunks",
        "CAIRN_MANAGEMENT_BIND_HOST", "0.0.0.0", "CAIRN_ADMIN_PASSWORD", "not a key: ignored");
    ServerConfig c = ServerConfig.load(file, env, Map.of("port", "9200"));
    assertEquals(9200, c.port(), "a flag beats the environment");
    assertEquals("file:/srv/chunks", c.chunkStoreUri(), "the environment sets what the file does not");
    assertEquals("0.0.0.0", c.managementHost());
    assertEquals(64 << 10, c.chunkMin(), "the file still counts");
    assertEquals(9100, ServerConfig.load(file, env, Map.of()).port(), "the environment beats the file");
    for (String key : ServerConfig.KEYS) {
      assertTrue(ServerConfig.envName(key).matches("CAIRN_[A-Z0-9_]+"), key);
    }
  }

  @Test
  void aVariableThatLooksLikeAKeyButIsNoneIsRefusedAsAnUnknownFileKeyIs() {
    for (String mistyped : new String[] {"CAIRN_PROT", "CAIRN_DATA", "CAIRN_HTTP_MAX_CONNS", "CAIRN_BIND_HOSTS"}) {
      var e = assertThrows(ServerConfig.InvalidConfig.class,
          () -> ServerConfig.load(null, Map.of(mistyped, "1"), Map.of()), mistyped);
      assertTrue(e.getMessage().contains(mistyped) && e.getMessage().contains("did you mean CAIRN_"), e.getMessage());
    }
    var e = assertThrows(ServerConfig.InvalidConfig.class,
        () -> ServerConfig.load(null, Map.of("CAIRN_PROT", "9000"), Map.of()));
    assertTrue(e.getMessage().contains("did you mean CAIRN_PORT?"), e.getMessage());
    // Cairn's other variables, and other programs' CAIRN_ variables, are no configuration.
    ServerConfig c = ServerConfig.load(null, Map.of("CAIRN_ADMIN_PASSWORD", "x", "CAIRN_DEBUG", "1",
        "CAIRN_PASSWORD", "y", "CAIRN_BENCH_FILES", "10", "CAIRN_USER", "alice", "HOME", "/root",
        "CAIRN_JAVA_OPTS", "-Xmx512m", "CAIRN_AOT", "off", "CAIRN_AOT_MIN_SECONDS", "5",
        "CAIRN_CACHE_DIR", "/var/cache/cairn"), Map.of());
    assertEquals(8080, c.port());
  }

  @Test
  void logKeysFromTheFileAndTheEnvironment(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("cairn.properties");
    Files.writeString(file, "log.level = WARN\nlog.level.io.cairn.webdav = debug\nlog.format = json\n"
        + "log.access.file = /var/log/cairn/access.log\nlog.access.max.size = 10M\nlog.access.max.files = 12\n");
    var log = ServerConfig.load(file, Map.of("CAIRN_LOG_LEVEL_IO_MILTON", "info"), Map.of()).log();
    assertEquals("warn", log.rootLevel());
    assertEquals(Map.of("io.cairn.webdav", "debug", "io.milton", "info"), log.levels());
    assertTrue(log.json());
    assertEquals(Path.of("/var/log/cairn/access.log"), log.accessFile());
    assertEquals(10L << 20, log.accessMaxBytes());
    assertEquals(12, log.accessMaxFiles());
    var defaults = ServerConfig.load(null, Map.of(), Map.of()).log();
    assertEquals("info", defaults.rootLevel());
    assertTrue(!defaults.json() && defaults.accessFile() == null, "console, plain lines");
    for (String bad : new String[] {"log.level = loud", "log.level.io.cairn = verbose", "log.format = xml"}) {
      Files.writeString(file, bad + "\n");
      var e = assertThrows(ServerConfig.InvalidConfig.class, () -> ServerConfig.load(file, Map.of(), Map.of()), bad);
      assertTrue(e.getMessage().startsWith(bad.split(" ")[0]), e.getMessage());
    }
  }

  @Test
  void defaultsAreASingleLocalNode() {
    ServerConfig c = ServerConfig.load(null, Map.of());
    assertEquals("127.0.0.1", c.bindHost());
    assertEquals(8080, c.port());
    assertEquals(Path.of("./data"), c.dataDir());
    assertEquals("sqlite:" + Path.of("./data").resolve("journal.db"), c.journalUri());
    assertEquals("file:" + Path.of("./data").resolve("chunks"), c.chunkStoreUri());
    assertEquals(256 << 10, c.chunkMin());
    assertEquals(1 << 20, c.chunkAvg());
    assertEquals(4 << 20, c.chunkMax());
    assertEquals(-1, c.quotaBytes());
  }

  @Test
  void flagsOverrideTheFileWhichOverridesDefaults(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("cairn.properties");
    Files.writeString(
        file,
        "# comment\nport = 9000\ndata.dir = /srv/cairn\nquota = 10G\nchunker.max = 8M\n");
    ServerConfig c = ServerConfig.load(file, Map.of("port", "9100"));
    assertEquals(9100, c.port());
    assertEquals(Path.of("/srv/cairn"), c.dataDir());
    assertEquals("sqlite:/srv/cairn/journal.db", c.journalUri());
    assertEquals(10L << 30, c.quotaBytes());
    assertEquals(8 << 20, c.chunkMax());
  }

  @Test
  void anOlderFileThatSetsTheRetiredNamespaceKeyStillLoads(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("old.properties");
    Files.writeString(file, "port = 9000\nnamespace = team\n");
    assertEquals(9000, ServerConfig.load(file, Map.of()).port());
    assertEquals(9000, ServerConfig.load(null, Map.of("port", "9000", "namespace", "team")).port());
  }

  @Test
  void retiredKeysAreNeitherKeysNorDocumented() throws Exception {
    String example = Files.readString(Path.of("../conf/cairn.properties"));
    for (String key : ServerConfig.RETIRED_KEYS) {
      assertTrue(!ServerConfig.KEYS.contains(key), key + " is retired");
      assertTrue(!example.contains("#" + key + " ="), "the example leaves out " + key);
    }
  }

  @Test
  void theShippedExampleIsValidAndDocumentsEveryKey() throws Exception {
    Path example = Path.of("../conf/cairn.properties");
    assertTrue(Files.exists(example), "conf/cairn.properties exists");
    String text = Files.readString(example);
    for (String key : ServerConfig.KEYS) {
      assertTrue(text.contains("#" + key + " ="), "the example documents " + key);
    }
    ServerConfig.load(example, Map.of());
  }

  @Test
  void badValuesAreRefusedWithTheirKey() {
    assertMessage("port", Map.of("port", "http"));
    assertMessage("port", Map.of("port", "70000"));
    assertMessage("quota", Map.of("quota", "lots"));
    assertMessage("unknown configuration key: colour", Map.of("colour", "blue"));
    assertMessage("log.access.max.days is gone: the access log rolls over by size only and keeps a number of files;"
        + " set log.access.max.files (1 to 20) instead", Map.of("log.access.max.days", "7"));
    assertMessage("log.access.max.files", Map.of("log.access.max.files", "21"));
    assertMessage("http.trusted.proxies: not an IP address or CIDR block: proxy.lan", Map.of("http.trusted.proxies", "10.0.0.1, proxy.lan"));
  }

  @Test
  void uploadDigestsAreSha1ByDefaultAndMayAddMd5OrBeNone() {
    assertEquals(Set.of(DigestType.SHA1), ServerConfig.load(null, Map.of()).uploadDigests());
    assertEquals(Set.of(DigestType.SHA1, DigestType.MD5),
        ServerConfig.load(null, Map.of("upload.digests", " SHA1 , md5 ")).uploadDigests());
    assertEquals(Set.of(DigestType.MD5), ServerConfig.load(null, Map.of("upload.digests", "md5")).uploadDigests());
    assertEquals(Set.of(), ServerConfig.load(null, Map.of("upload.digests", "none")).uploadDigests());
    assertMessage("upload.digests must be sha1, md5, both (sha1, md5) or none, not adler32",
        Map.of("upload.digests", "adler32"));
  }

  @Test
  void trustedProxiesAreNoneByDefaultAndTakeAddressesAndBlocks() {
    assertTrue(ServerConfig.load(null, Map.of()).clientAddress().trustsNone());
    ServerConfig c = ServerConfig.load(null, Map.of("http.trusted.proxies", " 10.0.0.0/8 , ::1 "));
    assertEquals("203.0.113.5", c.clientAddress().resolve("10.2.3.4", "203.0.113.5", null));
    assertEquals("203.0.113.5", c.clientAddress().resolve("0:0:0:0:0:0:0:1", "203.0.113.5", null));
    assertEquals("192.0.2.1", c.clientAddress().resolve("192.0.2.1", "203.0.113.5", null));
  }

  private static void assertMessage(String fragment, Map<String, String> values) {
    ServerConfig.InvalidConfig e =
        assertThrows(ServerConfig.InvalidConfig.class, () -> ServerConfig.load(null, values));
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }

  @Test
  void sizesTakeBinarySuffixes() {
    assertEquals(512, ServerConfig.size(Map.of("k", "512"), "k", 0));
    assertEquals(4 << 10, ServerConfig.size(Map.of("k", "4K"), "k", 0));
    assertEquals(3L << 20, ServerConfig.size(Map.of("k", "3 MB"), "k", 0));
    assertEquals(2L << 40, ServerConfig.size(Map.of("k", "2t"), "k", 0));
  }
}
