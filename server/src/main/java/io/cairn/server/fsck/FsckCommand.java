package io.cairn.server.fsck;

import io.cairn.server.ServerConfig;
import io.cairn.server.admin.LastRun;
import io.cairn.server.cli.MaintenanceArgs;
import io.cairn.storage.ChunkStore;
import io.cairn.storage.Journal;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code cairn fsck [--verify] [--repair] [--data DIR | --config FILE] [--debug]}: opens the
 * configured journal and chunk store, read-only unless {@code --repair}, and runs {@link Fsck}.
 * Exit status 0 when clean, 1 when problems or recorded damage remain, 2 when it could not run
 * (bad flags, storage unreachable, on local disk a repair while a server holds the chunks): then
 * one line says why, and the stack trace only with {@code --debug} (or CAIRN_DEBUG set).
 */
public final class FsckCommand {
  public static final String USAGE =
      """
      Integrity (read-only unless --repair; safe while a server runs on the same storage):
        fsck [--verify] [--repair] [--data DIR | --config FILE]
                                       check that every retained version's chunks exist and
                                       that the journal and the current tree agree; --verify
                                       also reads every chunk and checks its SHA-256.
                                       --repair then does only what is safe: records each
                                       chunk found missing or corrupt as damaged, so that what
                                       names it answers a clear error instead of short content;
                                       with --verify, clears the record of a chunk that reads
                                       sound again; on local disk drops unfinished chunk files
                                       in tmp/ (stop the server first: it holds the chunks).
                                       It never deletes a chunk, a version or an entry.
                                       Exit 0 clean, 1 problems or recorded damage remain (one
                                       line each), 2 could not run
      """;

  private static final Logger LOG = LoggerFactory.getLogger(FsckCommand.class);

  /** The journal and chunk store, opened read-only, closed after the check. */
  public interface Storage extends AutoCloseable {
    Journal journal();

    ChunkStore chunks();

    /** The unfinished chunk files that opening the store for a repair dropped. */
    default long droppedTempFiles() {
      return 0;
    }

    @Override
    void close();
  }

  private final PrintStream out;
  private final PrintStream err;
  private final Duration progressEvery;

  public FsckCommand(PrintStream out, PrintStream err, Duration progressEvery) {
    this.out = out;
    this.err = err;
    this.progressEvery = progressEvery;
  }

  /** Keeps a run's outcome where every node's status page reads it ({@link LastRun#FSCK}). */
  @FunctionalInterface
  public interface Recorder {
    /** Records {@code run} in the journal {@code config} names; failures are the recorder's to report. */
    void record(ServerConfig config, LastRun run);
  }

  /** Runs {@code args} as {@link #run(List, Function, Function, Recorder)} does, recording nothing. */
  public int run(List<String> args, Function<ServerConfig, Storage> open, Function<ServerConfig, Storage> openForRepair) {
    return run(args, open, openForRepair, (config, run) -> {});
  }

  /**
   * Runs {@code args} (what follows "fsck") on the storage {@code open} gives, or with {@code
   * --repair} the storage {@code openForRepair} gives, then gives {@code recorder} the outcome
   * (clean, problems, or failed part way; nothing when the storage could not be opened); the exit
   * status.
   */
  public int run(List<String> args, Function<ServerConfig, Storage> open, Function<ServerConfig, Storage> openForRepair,
      Recorder recorder) {
    MaintenanceArgs a = MaintenanceArgs.parse("fsck", args, Set.of("--verify", "--repair"), err, USAGE);
    ServerConfig loaded = a == null ? null : a.load(err);
    if (loaded == null) {
      return 2;
    }
    boolean verify = a.has("--verify");
    boolean repair = a.has("--repair");
    boolean debug = a.debug();
    Instant started = Instant.now();
    boolean ran = false;
    LastRun outcome;
    try (Storage storage = opened(repair ? openForRepair : open, loaded, repair)) {
      ran = true;
      if (storage.droppedTempFiles() > 0) {
        out.println("REPAIRED " + storage.droppedTempFiles() + " unfinished chunk files dropped from tmp/");
      }
      Fsck.Summary s = new Fsck(storage.journal(), storage.chunks(), verify, repair, out, err,
          Clock.systemUTC(), progressEvery).run();
      String line = "fsck: " + s.namespaces() + " namespaces, " + s.versions() + " versions, "
          + s.chunks() + " chunks checked" + (verify ? " (" + s.bytesRead() + " bytes read)" : "")
          + "; " + s.problems() + " problems"
          + (s.known() > 0 ? ", " + s.known() + " known damaged (recorded in the journal)" : "")
          + (repair ? ", " + s.repaired() + " chunk records repaired" : "");
      out.println(line);
      outcome = LastRun.of(started, Instant.now(), s.clean() ? "clean" : "problems", line);
    } catch (RuntimeException e) { // FsckFailure, a storage that failed to open, bad configuration
      if (ran) {
        recorder.record(loaded, LastRun.of(started, Instant.now(), "failed", e.getMessage()));
      }
      err.println("cairn: fsck: " + e.getMessage());
      if (debug) {
        LOG.error("fsck could not run", e);
      } else {
        err.println("cairn: (--debug shows where it failed)");
      }
      return 2;
    }
    // After the storage is closed: the recorder opens the journal for writing on its own.
    recorder.record(loaded, outcome);
    return outcome.result().equals("clean") ? 0 : 1;
  }

  private static Storage opened(Function<ServerConfig, Storage> open, ServerConfig config, boolean repair) {
    try {
      return open.apply(config);
    } catch (RuntimeException e) {
      boolean locked = false;
      for (Throwable t = e; t != null && !locked; t = t.getCause()) {
        locked = t instanceof io.cairn.core.CairnException c && c.kind() == io.cairn.core.CairnException.Kind.LOCKED;
      }
      throw new FsckFailure("cannot open the storage: " + e.getMessage()
          + (repair && locked ? " (a repair on local disk needs the server stopped)" : ""), e);
    }
  }
}
