package io.cairn.server;

import io.cairn.storage.testkit.PostgresServer;
import io.cairn.storage.testkit.S3Server;
import java.nio.file.Path;
import java.util.Map;

/** {@link CrashContract} on the production backends: PostgreSQL and S3 (s3proxy), both started by the harness. */
class CrashPgS3Test extends CrashContract {
  @Override
  Map<String, String> storage(Path dir) {
    return Map.of("journal.uri", PostgresServer.shared().newDatabase(),
        "chunks.uri", S3Server.shared().uri("crash-" + ProcessHandle.current().pid() + "-" + System.nanoTime()).toString());
  }
}
