package io.cairn.files;

import io.cairn.storage.ChunkStore;
import io.cairn.storage.Journal;
import io.cairn.storage.fs.FsChunkStore;
import io.cairn.storage.sqlite.SqliteJournal;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The files-layer contract on the embedded defaults: SQLite and chunks on local disk. */
class SqliteFsFileServiceTest extends FileServiceContract {
  @TempDir Path dir;

  @Override
  protected Journal journal() {
    return SqliteJournal.open(dir.resolve("journal.db"));
  }

  @Override
  protected ChunkStore chunks() {
    return Await.result(FsChunkStore.open(dir.resolve("chunks")));
  }
}
