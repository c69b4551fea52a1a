package io.cairn.server;

import io.cairn.core.ChunkHash;
import io.cairn.storage.testkit.PostgresServer;
import io.cairn.storage.testkit.S3Server;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@link DamageContract} on the production backends, PostgreSQL and S3 (s3proxy), where the
 * repair runs beside the server. Needs the child s3proxy, whose objects are files.
 */
class DamagePgS3Test extends DamageContract {
  private final String prefix = "damage-" + ProcessHandle.current().pid() + "-" + System.nanoTime();

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
}
