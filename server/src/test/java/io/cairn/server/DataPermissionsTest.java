package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data directory holds every user's files and the password hashes: only the server's user may
 * read it. Created 0700 with the journal 0600; a looser existing directory and journal are
 * tightened at start.
 */
class DataPermissionsTest {
  @Test
  void aNewDataDirectoryAndItsJournalAreTheServersUsersOnly(@TempDir Path scratch) throws Exception {
    Path data = scratch.resolve("data");
    try (TestServer s = TestServer.start(data)) {
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("journal.db"))));
      Path wal = data.resolve("journal.db-wal");
      if (Files.exists(wal)) {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(wal)));
      }
    }
  }

  @Test
  void onlyANodeThatKeepsSomethingThereHasADataDirectory() {
    assertEquals(true, CairnServer.usesDataDir(ServerConfig.load(null, java.util.Map.of("data.dir", "/srv/cairn"))));
    assertEquals(true, CairnServer.usesDataDir(ServerConfig.load(null, java.util.Map.of("data.dir", "/srv/cairn",
        "journal.uri", "postgresql://db/cairn"))), "the chunks are still there");
    assertEquals(false, CairnServer.usesDataDir(ServerConfig.load(null, java.util.Map.of("data.dir", "/srv/cairn",
        "journal.uri", "postgresql://db/cairn", "chunks.uri", "s3://minio:9000/cairn"))));
  }

  @Test
  void aLooserExistingDataDirectoryIsTightenedAtStart(@TempDir Path scratch) throws Exception {
    Path data = scratch.resolve("data");
    try (TestServer s = TestServer.start(data)) {
      // a first start creates the journal
    }
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(data.resolve("journal.db"), PosixFilePermissions.fromString("rw-r--r--"));
    try (TestServer s = TestServer.start(data)) {
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("journal.db"))));
    }
  }
}
