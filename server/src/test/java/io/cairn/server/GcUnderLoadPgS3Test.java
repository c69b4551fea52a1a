package io.cairn.server;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cairn.storage.testkit.PostgresServer;
import io.cairn.storage.testkit.S3Server;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * {@link GcUnderLoadContract} on PostgreSQL and S3 (the harness's s3proxy, whose filesystem backend
 * gives each object its file's modification time as Last-Modified, so chunks can be aged there),
 * where gc's check of a chunk's age and its deletion are two requests: any loss fails (ADR 0015).
 */
class GcUnderLoadPgS3Test extends GcUnderLoadContract {
  private String prefix;

  @Override
  Map<String, String> storage(Path dir) {
    assumeTrue(S3Server.shared().isLocal(), "aging chunks needs the child s3proxy's files");
    prefix = "gc-load-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    return Map.of("journal.uri", PostgresServer.shared().newDatabase(),
        "chunks.uri", S3Server.shared().uri(prefix).toString());
  }

  @Override
  void ageEveryChunk(Duration age) throws Exception {
    S3Server s3 = S3Server.shared();
    GcUnderLoadFsTest.setEveryFileBack(s3.objectsDir().resolve(s3.bucket()).resolve(prefix), age);
  }
}
