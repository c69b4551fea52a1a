package io.cairn.server;

import io.cairn.storage.testkit.PostgresServer;
import io.cairn.storage.testkit.S3Server;
import java.nio.file.Path;
import java.util.Map;

/** {@link GcRaceContract} on the production backends: PostgreSQL and S3 (s3proxy). */
class GcRacePgS3Test extends GcRaceContract {
  @Override
  Map<String, String> storage(Path dir) {
    return Map.of("journal.uri", PostgresServer.shared().newDatabase(),
        "chunks.uri", S3Server.shared().uri("gc-" + ProcessHandle.current().pid() + "-" + System.nanoTime()).toString());
  }
}
