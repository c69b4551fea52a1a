package io.cairn.server.backup;

import io.cairn.server.OfflineStorage;
import io.cairn.server.ServerConfig;
import io.cairn.server.cli.CommandUsage;
import io.cairn.server.cli.MaintenanceArgs;
import io.cairn.storage.sqlite.SqliteJournal;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code cairn backup TARGET_DIR [--copy] [--data DIR | --config FILE] [--debug]}: a {@link Backup}
 * of the embedded default storage, safe while a server runs on it. Progress goes to stderr, one
 * summary line to stdout. Exit 0 done, 1 failed part way or took longer than {@code
 * gc.grace.hours} (the copy may then miss chunks), 2 could not run: bad flags, a PostgreSQL or S3
 * configuration, a target that is neither empty nor a previous backup.
 */
public final class BackupCommand {
  public static final String USAGE =
      """
      Backup (embedded SQLite journal and local chunks; safe while a server runs on them):
        backup TARGET_DIR [--copy] [--data DIR | --config FILE]
                                       snapshot the journal, then link (same file system; --copy
                                       always copies) or copy the chunks into TARGET_DIR, which a
                                       server can start on (cairn --data TARGET_DIR). Into a previous
                                       backup only new chunks are copied. Must finish within
                                       gc.grace.hours. PostgreSQL and S3: see docs/operations.md.
                                       Exit 0 done, 1 failed, 2 could not run
      """;

  private static final Logger LOG = LoggerFactory.getLogger(BackupCommand.class);

  private final PrintStream out;
  private final PrintStream err;
  private final Clock clock;
  private final Duration progressEvery;

  public BackupCommand(PrintStream out, PrintStream err, Clock clock, Duration progressEvery) {
    this.out = out;
    this.err = err;
    this.clock = clock;
    this.progressEvery = progressEvery;
  }

  /** Runs {@code args} (what follows "backup"); the exit status. */
  public int run(List<String> args) {
    List<String> flags = new ArrayList<>(args);
    String target = null;
    for (int i = 0; i < flags.size(); i++) {
      String a = flags.get(i);
      if (a.equals("--data") || a.equals("--config")) {
        i++;
      } else if (!a.startsWith("-")) {
        if (target != null) {
          return refused(CommandUsage.mistake("backup takes one TARGET_DIR, not also " + a,
              CommandUsage.synopsis(USAGE, "backup")));
        }
        target = flags.remove(i--);
      }
    }
    MaintenanceArgs a = MaintenanceArgs.parse("backup", flags, Set.of("--copy"), err, USAGE);
    if (a == null) {
      return 2;
    }
    if (target == null) {
      return refused(CommandUsage.mistake("backup needs TARGET_DIR, the directory to copy into",
          CommandUsage.synopsis(USAGE, "backup")));
    }
    ServerConfig config = a.load(err);
    if (config == null) {
      return 2;
    }
    Path chunks = OfflineStorage.localChunkDirectory(config);
    if (!config.journalUri().startsWith("sqlite:") || chunks == null) {
      err.println("cairn: backup: copies the embedded SQLite journal and local chunks only; for PostgreSQL"
          + " and S3 see docs/operations.md \"Backup and restore\" (pg_dump first, then a bucket copy)");
      return 2;
    }
    Path journal = SqliteJournal.pathOf(config.journalUri());
    Path into = Path.of(target).toAbsolutePath().normalize();
    if (into.startsWith(config.dataDir().toAbsolutePath().normalize()) || into.startsWith(chunks)) {
      return refused("backup: " + target + " is inside the data being backed up");
    }
    try {
      if (!Backup.acceptsTarget(into)) {
        return refused("backup: " + target + " is neither empty nor a previous backup (no " + Backup.MARKER + ")");
      }
    } catch (IOException e) {
      return refused("backup: cannot read " + target + ": " + e.getMessage());
    }
    Duration grace = config.gc().grace();
    Backup.Summary s;
    try {
      s = new Backup(journal, chunks, into, !a.has("--copy"), clock, progressEvery, err).run();
    } catch (RuntimeException e) { // BackupFailure, a chunk store that failed to open or list
      err.println("cairn: backup: " + e.getMessage());
      if (a.debug()) {
        LOG.error("backup failed", e);
      }
      return e instanceof BackupFailure f && f.couldNotStart() ? 2 : 1;
    }
    out.println("backup: " + (1 + s.copiedChunks()) + " files written (journal " + s.journalBytes() + " bytes, "
        + s.copiedChunks() + " new chunks of " + s.chunks() + ", " + s.copiedBytes() + " bytes, " + s.linkedChunks()
        + " as hard links) in " + String.format(java.util.Locale.ROOT, "%.1f", s.took().toMillis() / 1000.0)
        + " s into " + into);
    if (s.took().compareTo(grace) > 0) {
      err.println("cairn: backup: took longer than gc.grace.hours (" + grace.toHours() + " h): chunks of versions"
          + " expired meanwhile may be missing; run cairn fsck --data " + into + " or back up again");
      return 1;
    }
    return 0;
  }

  private int refused(String why) {
    err.println("cairn: " + why);
    return 2;
  }
}
