package io.cairn.server;

import io.cairn.core.ChunkHash;
import io.cairn.storage.testkit.PostgresServer;
import io.cairn.storage.testkit.S3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link HealContract} on the production backends, PostgreSQL and S3 (s3proxy), where the repair
 * runs beside the server, with a second server over the same database and bucket that reads what
 * the first healed: neither keeps damage records of its own (reads ask the journal).
 */
class HealPgS3Test extends HealContract {
  private final String prefix = "heal-" + ProcessHandle.current().pid() + "-" + System.nanoTime();

  @Override
  Map<String, String> storage(Path dir) {
    return Map.of("journal.uri", PostgresServer.shared().newDatabase(),
        "chunks.uri", S3Server.shared().uri(prefix).toString());
  }

  @Override
  Path chunkFile(ChunkHash hash) {
    return ChunkFiles.s3(prefix, hash);
  }

  @Override
  boolean repairNeedsTheServerStopped() {
    return false;
  }

  @Override
  TestServer otherNode() throws Exception {
    return TestServer.start(Files.createDirectories(dir.resolve("other-node")), new HashMap<>(storage), java.time.Clock.systemUTC());
  }
}
