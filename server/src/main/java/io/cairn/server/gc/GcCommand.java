package io.cairn.server.gc;

import io.cairn.core.CairnException;
import io.cairn.server.admin.LastRun;
import io.cairn.server.ServerConfig;
import io.cairn.server.cli.MaintenanceArgs;
import io.cairn.server.fsck.FsckCommand;
import io.cairn.storage.StoredChunk;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code cairn gc [--dry-run] [--data DIR | --config FILE] [--debug]}: one {@link
 * GarbageCollector} run with the configured grace and rate. Each chunk deleted (or, with {@code
 * --dry-run}, that would be) is a line on stdout, then a summary; progress goes to stderr. Exit 0
 * when the run completed, 1 when it failed part way (nothing deleted if it failed while marking), 2
 * when it could not run: bad flags, storage that cannot be opened, or a running server holding the
 * local chunk directory (that server runs gc itself every {@code gc.interval.hours}).
 */
public final class GcCommand {
  public static final String USAGE =
      """
      Garbage collection (beside running servers on PostgreSQL and S3; on local disk --dry-run only):
        gc [--dry-run] [--data DIR | --config FILE]
                                       delete the chunks no retained version names and no upload
                                       relied on within gc.grace.hours; --dry-run only lists them.
                                       Exit 0 done, 1 failed part way, 2 could not run
      """;

  private static final Logger LOG = LoggerFactory.getLogger(GcCommand.class);

  private final PrintStream out;
  private final PrintStream err;
  private final Clock clock;
  private final Duration progressEvery;

  public GcCommand(PrintStream out, PrintStream err, Clock clock, Duration progressEvery) {
    this.out = out;
    this.err = err;
    this.clock = clock;
    this.progressEvery = progressEvery;
  }

  /**
   * Runs {@code args} (what follows "gc"): a dry run on the storage {@code openReadOnly} gives, a
   * real one on what {@code openForSweep} gives; the exit status.
   */
  public int run(List<String> args, Function<ServerConfig, FsckCommand.Storage> openReadOnly,
      Function<ServerConfig, FsckCommand.Storage> openForSweep) {
    MaintenanceArgs a = MaintenanceArgs.parse("gc", args, Set.of("--dry-run"), err, USAGE);
    ServerConfig loaded = a == null ? null : a.load(err);
    if (loaded == null) {
      return 2;
    }
    boolean dryRun = a.has("--dry-run");
    FsckCommand.Storage storage;
    try {
      storage = (dryRun ? openReadOnly : openForSweep).apply(loaded);
    } catch (RuntimeException e) {
      if (lockedByAServer(e)) {
        err.println("cairn: gc: a running server has the chunk directory open and collects garbage itself"
            + " (gc.interval.hours); stop it to run gc by hand, or use --dry-run beside it");
      } else {
        err.println("cairn: gc: cannot open the storage: " + e.getMessage());
      }
      return 2;
    }
    try (storage) {
      return run(storage, loaded.gc(), dryRun, a.debug());
    }
  }

  /** One run on {@code storage}, recorded in its journal unless a dry run (which opened it read-only). */
  private int run(FsckCommand.Storage storage, GcSettings gc, boolean dryRun, boolean debug) {
    java.time.Instant started = clock.instant();
    try {
      GarbageCollector.Summary s = new GarbageCollector(storage.journal(), storage.chunks(), clock,
          gc.grace(), gc.deletesPerSecond(), progressEvery).run(dryRun, new GarbageCollector.Observer() {
            @Override
            public void swept(StoredChunk c, boolean dry) {
              out.println((dry ? "would delete " : "deleted ") + c.hash().hex() + " " + c.size());
            }

            @Override
            public void progress(String line) {
              err.println(line);
            }
          });
      out.println(summary(s, gc.grace()));
      if (!dryRun) {
        LastRun.of(started, clock.instant(), "ok", summary(s, gc.grace())).record(storage.journal(), LastRun.GC);
      }
      return 0;
    } catch (GcFailure e) {
      err.println("cairn: gc: " + e.getMessage());
      if (!dryRun) {
        LastRun.of(started, clock.instant(), "failed", e.getMessage()).record(storage.journal(), LastRun.GC);
      }
      if (debug) {
        LOG.error("gc failed", e);
      }
      return 1;
    }
  }

  /** The one-line account of a run, as the CLI prints it and the server logs it. */
  public static String summary(GarbageCollector.Summary s, Duration grace) {
    return "gc: " + s.markedChunks() + " chunks live (" + s.markedBytes() + " bytes) of " + s.storedChunks()
        + " stored; " + (s.dryRun() ? "would delete " : "deleted ") + s.sweptChunks() + " chunks ("
        + s.sweptBytes() + " bytes); kept " + s.keptForGraceChunks() + " unreferenced chunks ("
        + s.keptForGraceBytes() + " bytes) younger than the " + grace.toHours() + " h grace; took "
        + s.took().toMillis() + " ms";
  }

  private static boolean lockedByAServer(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CairnException c && c.kind() == CairnException.Kind.LOCKED) {
        return true;
      }
    }
    return false;
  }
}
