package io.cairn.files;

import io.cairn.storage.ChunkStore;
import io.cairn.storage.Journal;
import io.cairn.storage.pg.PgJournal;
import io.cairn.storage.s3.S3ChunkStore;
import io.cairn.storage.testkit.PostgresServer;
import io.cairn.storage.testkit.S3Server;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The files-layer contract on the production backends: PostgreSQL (a throwaway server) and S3
 * (s3proxy as its own process), each test with a database and a prefix of its own.
 */
class PgS3FileServiceTest extends FileServiceContract {
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close());
  }

  @Override
  protected Journal journal() {
    return Await.result(PgJournal.open(vertx, PostgresServer.shared().newDatabase(), Clock.systemUTC(), 4));
  }

  @Override
  protected ChunkStore chunks() {
    return Await.result(S3ChunkStore.open(S3Server.shared().uri("files-" + UUID.randomUUID())));
  }
}
