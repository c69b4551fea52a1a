package io.cairn.server;

import io.cairn.files.Await;
import io.cairn.storage.ChunkStore;
import io.cairn.storage.Journal;
import io.cairn.storage.pg.PgJournal;
import io.cairn.storage.s3.S3ChunkStore;
import io.cairn.storage.testkit.PostgresServer;
import io.cairn.storage.testkit.S3Server;
import java.util.UUID;

/**
 * {@link GcWindowContract} on the production backends, PostgreSQL and S3 (s3proxy), where gc's
 * check of a chunk's age and its deletion are two requests: the window the issue saw lose a write.
 */
class GcWindowPgS3Test extends GcWindowContract {
  @Override
  Journal journal() {
    return Await.result(PgJournal.open(PostgresServer.shared().newDatabase()));
  }

  @Override
  ChunkStore chunks() {
    return Await.result(S3ChunkStore.open(S3Server.shared().uri("gc-window-" + UUID.randomUUID())));
  }
}
