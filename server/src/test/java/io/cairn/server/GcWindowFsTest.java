package io.cairn.server;

import io.cairn.files.Await;
import io.cairn.storage.ChunkStore;
import io.cairn.storage.Journal;
import io.cairn.storage.fs.FsChunkStore;
import io.cairn.storage.sqlite.SqliteJournal;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link GcWindowContract} on the embedded defaults, SQLite and the local disk: the store's own
 * check and deletion are atomic there, but gc's clock ahead lets it delete what an upload relied
 * on, so the deletion record is what keeps the commit from naming a deleted chunk.
 */
class GcWindowFsTest extends GcWindowContract {
  @TempDir Path dir;

  @Override
  Journal journal() {
    return SqliteJournal.open(dir.resolve("journal.db"));
  }

  @Override
  ChunkStore chunks() {
    return Await.result(FsChunkStore.open(dir.resolve("chunks")));
  }
}
