package io.cairn.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** What a run did and has left to do: the progress line and the closing summary read these. */
final class Stats {
  final AtomicLong uploaded = new AtomicLong();
  final AtomicLong downloaded = new AtomicLong();
  final AtomicLong deletedLocal = new AtomicLong();
  final AtomicLong deletedRemote = new AtomicLong();
  final AtomicLong folders = new AtomicLong();
  /** Files renamed on one side and renamed the same way on the other (no transfer). */
  final AtomicLong moved = new AtomicLong();
  final AtomicLong conflicts = new AtomicLong();
  /** Chunk bytes sent to the server. */
  final AtomicLong bytesSent = new AtomicLong();
  /** Chunk bytes fetched from the server. */
  final AtomicLong bytesReceived = new AtomicLong();
  /** Bytes of uploaded files the server already had (not sent). */
  final AtomicLong bytesDeduped = new AtomicLong();
  /** Bytes of downloaded files copied from chunks already on disk (not fetched). */
  final AtomicLong bytesReused = new AtomicLong();
  final AtomicLong chunksReused = new AtomicLong();
  /** Work left in the current pass, for the progress line. */
  final AtomicLong filesToGo = new AtomicLong();
  /** The bytes of the files of the current pass, and {@link #moved()} when it started. */
  final AtomicLong bytesToGo = new AtomicLong();
  final AtomicLong movedAtPassStart = new AtomicLong();
  private final List<String> problems = new ArrayList<>();

  synchronized void problem(String message) {
    problems.add(message);
  }

  synchronized List<String> problems() {
    return List.copyOf(problems);
  }

  /** Content bytes carried so far, whichever way: sent, fetched, or found already on the other side. */
  long moved() {
    return bytesSent.get() + bytesReceived.get() + bytesReused.get() + bytesDeduped.get();
  }

  /** Bytes the current pass has still to carry, as far as can be told. */
  long bytesLeft() {
    return Math.max(0, bytesToGo.get() - (moved() - movedAtPassStart.get()));
  }

  /** Anything moved or deleted at all. */
  boolean changedAnything() {
    return uploaded.get() + downloaded.get() + deletedLocal.get() + deletedRemote.get() + folders.get() + conflicts.get()
        + moved.get() > 0;
  }

  String summary(long millis) {
    StringBuilder out = new StringBuilder();
    out.append(String.format("uploaded %d file%s (%s sent, %s already on the server), downloaded %d (%s received, %s from %d chunk%s already here)",
        uploaded.get(), uploaded.get() == 1 ? "" : "s", bytes(bytesSent.get()), bytes(bytesDeduped.get()),
        downloaded.get(), bytes(bytesReceived.get()), bytes(bytesReused.get()), chunksReused.get(), chunksReused.get() == 1 ? "" : "s"));
    out.append(String.format("; deleted %d here and %d on the server; %d renamed; %d folder%s created; %d conflict%s; %.1f s",
        deletedLocal.get(), deletedRemote.get(), moved.get(), folders.get(), folders.get() == 1 ? "" : "s",
        conflicts.get(), conflicts.get() == 1 ? "" : "s", millis / 1000.0));
    return out.toString();
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format("%.1f %s", v, units[u]);
  }
}
