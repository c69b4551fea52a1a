package io.cairn.server.backup;

import io.cairn.core.CairnException;
import io.cairn.core.ChunkHash;
import io.cairn.files.Await;
import io.cairn.storage.StoredChunk;
import io.cairn.storage.fs.FsChunkStore;
import io.cairn.storage.sqlite.SqliteSnapshot;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One backup of a SQLite journal and a local chunk directory into {@code target}, laid out as a
 * data directory ({@code journal.db}, {@code chunks/}). The journal is snapshotted first, the chunks
 * copied second: chunks are immutable and content-addressed, and garbage collection keeps every
 * chunk a retained version names and an expired version's chunks through {@code gc.grace.hours}
 * (ADR 0012), so every chunk the snapshot names is still there when the copy reaches it, as long as
 * the backup finishes within that grace. A chunk already in the target is skipped, so a second
 * backup into the same target copies only what is new.
 */
final class Backup {
  /** The file that marks a directory as written by {@code cairn backup}, and says when. */
  static final String MARKER = "cairn-backup.txt";
  private static final int PAGE = 1000;
  private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");

  /**
   * What one backup did.
   *
   * @param journalBytes the size of the journal snapshot
   * @param chunks chunks the source held when the copy began
   * @param copiedChunks chunks new in the target (linked or copied)
   * @param copiedBytes their bytes
   * @param linkedChunks of those, how many are hard links to the source's files
   * @param took how long the whole backup took
   */
  record Summary(long journalBytes, long chunks, long copiedChunks, long copiedBytes, long linkedChunks,
      Duration took) {}

  private final Path journal;
  private final Path chunkDir;
  private final Path target;
  private final boolean link;
  private final Clock clock;
  private final Duration progressEvery;
  private final PrintStream progress;

  Backup(Path journal, Path chunkDir, Path target, boolean link, Clock clock, Duration progressEvery,
      PrintStream progress) {
    this.journal = journal;
    this.chunkDir = chunkDir;
    this.target = target;
    this.link = link;
    this.clock = clock;
    this.progressEvery = progressEvery;
    this.progress = progress;
  }

  /** Whether {@code dir} may be backed up into: missing, empty, or a previous backup. */
  static boolean acceptsTarget(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return true;
    }
    if (!Files.isDirectory(dir)) {
      return false;
    }
    if (Files.isRegularFile(dir.resolve(MARKER))) {
      return true;
    }
    try (var entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }

  /** Runs the backup; fails with {@link BackupFailure} (the target may then hold part of it). */
  Summary run() {
    Instant start = clock.instant();
    try {
      ownerOnlyDir(target);
      Path chunksTarget = target.resolve("chunks");
      ownerOnlyDir(chunksTarget);
      Summary s;
      try (FsChunkStore to = openTarget(chunksTarget)) { // locked first: no server may run on the target
        // Marked first, so that a backup that fails part way may be run again into the same target.
        writeMarker(start, "not finished: run the backup again");
        long journalBytes = snapshotJournal();
        progress.println("backup: journal snapshot written (" + journalBytes + " bytes); copying chunks");
        s = copyChunks(to, chunksTarget, journalBytes, start);
      }
      writeMarker(start, "finished " + clock.instant());
      fsync(target, true);
      return s;
    } catch (IOException | CairnException e) {
      throw new BackupFailure(e.getMessage(), e, false);
    }
  }

  private void writeMarker(Instant start, String state) throws IOException {
    Path marker = target.resolve(MARKER);
    Files.writeString(marker, "cairn backup of " + journal.toAbsolutePath() + " and " + chunkDir.toAbsolutePath()
        + "\nstarted " + start + "\n" + state + "\n");
    Files.setPosixFilePermissions(marker, OWNER_FILE);
  }

  /** The journal snapshot, written under a temp name, fsynced and renamed to journal.db. */
  private long snapshotJournal() throws IOException {
    Path tmp = target.resolve("journal.db.backup-tmp");
    Files.deleteIfExists(tmp);
    long bytes = SqliteSnapshot.write(journal, tmp);
    Files.setPosixFilePermissions(tmp, OWNER_FILE);
    fsync(tmp, false);
    // A server started on an earlier backup left its WAL: it belongs to the journal replaced now.
    Files.deleteIfExists(target.resolve("journal.db-wal"));
    Files.deleteIfExists(target.resolve("journal.db-shm"));
    Files.move(tmp, target.resolve("journal.db"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return bytes;
  }

  private Summary copyChunks(FsChunkStore to, Path chunksTarget, long journalBytes, Instant start)
      throws IOException {
    FsChunkStore from = Await.result(FsChunkStore.openReadOnly(chunkDir));
    long chunks = 0;
    long copied = 0;
    long copiedBytes = 0;
    long linked = 0;
    boolean tryLink = link;
    Set<Path> touchedDirs = new HashSet<>();
    Instant nextProgress = clock.instant().plus(progressEvery);
    try {
      ChunkHash after = null;
      List<StoredChunk> page;
      do { // ends with the listing: a short page is the last
        page = Await.result(from.listStored(after, PAGE));
        for (StoredChunk c : page) {
          chunks++;
          Path dest = to.fileOf(c.hash());
          if (Files.exists(dest)) {
            continue;
          }
          Path source = from.fileOf(c.hash());
          Files.createDirectories(dest.getParent());
          touchedDirs.add(dest.getParent());
          if (tryLink && linked(source, dest)) {
            linked++;
          } else if (!Files.exists(source)) {
            continue; // collected since it was listed: the snapshot does not name it
          } else {
            tryLink = false; // another file system: copy from now on
            if (!copied(source, dest, chunksTarget)) {
              continue; // collected since it was listed
            }
          }
          copied++;
          copiedBytes += c.size();
          if (clock.instant().isAfter(nextProgress)) {
            progress.println("backup: " + chunks + " chunks seen, " + copied + " new (" + copiedBytes + " bytes), "
                + Duration.between(start, clock.instant()).toSeconds() + " s");
            nextProgress = clock.instant().plus(progressEvery);
          }
        }
        after = page.isEmpty() ? after : page.getLast().hash();
      } while (page.size() == PAGE);
      for (Path dir : touchedDirs) {
        fsync(dir, true);
        fsync(dir.getParent(), true);
      }
      fsync(chunksTarget, true);
    } finally {
      from.close();
    }
    return new Summary(journalBytes, chunks, copied, copiedBytes, linked, Duration.between(start, clock.instant()));
  }

  /**
   * The target's chunk store, opened for writing so that it is locked while the backup writes:
   * refused when a server runs on the target (a restored copy is no longer a backup to write into).
   */
  private static FsChunkStore openTarget(Path chunksTarget) {
    try {
      return Await.result(FsChunkStore.open(chunksTarget));
    } catch (CairnException e) {
      if (e.kind() == CairnException.Kind.LOCKED) {
        throw new BackupFailure("a server runs on " + chunksTarget.getParent()
            + ": stop it, or back up into another directory", e, true);
      }
      throw e;
    }
  }

  /** A hard link at {@code dest}; false when links cannot be made there (another file system). */
  private static boolean linked(Path source, Path dest) {
    try {
      Files.createLink(dest, source);
      return true;
    } catch (FileAlreadyExistsException e) {
      return true;
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /** A copy under a temp name, fsynced, renamed to {@code dest}; false when the source is gone. */
  private static boolean copied(Path source, Path dest, Path chunksTarget) throws IOException {
    Path tmpDir = chunksTarget.resolve("tmp");
    Files.createDirectories(tmpDir);
    Path tmp = tmpDir.resolve(dest.getFileName() + ".backup");
    try {
      Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
    } catch (java.nio.file.NoSuchFileException e) {
      return false;
    }
    Files.setPosixFilePermissions(tmp, OWNER_FILE);
    fsync(tmp, false);
    Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE);
    return true;
  }

  private static void ownerOnlyDir(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir.toAbsolutePath().getParent());
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
    }
    Files.setPosixFilePermissions(dir, OWNER_DIR);
  }

  private static void fsync(Path path, boolean directory) throws IOException {
    try (FileChannel ch = FileChannel.open(path, directory ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }
}
