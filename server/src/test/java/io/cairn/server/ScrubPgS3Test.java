package io.cairn.server;

import io.cairn.core.ChunkHash;
import io.cairn.storage.testkit.PostgresServer;
import io.cairn.storage.testkit.S3Server;
import java.nio.file.Path;
import java.util.Map;

/** {@link ScrubContract} on PostgreSQL and S3 (the child s3proxy, whose objects are files). */
class ScrubPgS3Test extends ScrubContract {
  private final String prefix = "scrub-" + ProcessHandle.current().pid() + "-" + System.nanoTime();

  @Override
  Map<String, String> storage(Path dir) {
    return Map.of("journal.uri", PostgresServer.shared().newDatabase(),
        "chunks.uri", S3Server.shared().uri(prefix).toString());
  }

  @Override
  Path chunkFile(ChunkHash hash) {
    return ChunkFiles.s3(prefix, hash);
  }
}
