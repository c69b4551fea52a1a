package io.cairn.client;

import java.io.PrintStream;

/**
 * The progress line on a terminal: files and bytes to go, the transfer rate and an ETA, rewritten
 * in place twice a second; while the run waits for an unavailable server, what it waits for and why. Quiet when the output is not a terminal (or with {@code --quiet}).
 */
final class Progress {
  private final Thread thread;

  private Progress(Thread thread) {
    this.thread = thread;
  }

  static Progress start(Stats stats, Retries retries, boolean show, PrintStream err) {
    if (!show) {
      return new Progress(null);
    }
    Thread t = Thread.ofPlatform().daemon().name("sync-progress").start(() -> {
      long lastBytes = stats.moved();
      long lastAt = System.nanoTime();
      double rate = 0;
      try {
        while (true) {
          Thread.sleep(500);
          long bytes = stats.moved();
          long now = System.nanoTime();
          double instant = (bytes - lastBytes) / ((now - lastAt) / 1e9);
          rate = rate == 0 ? instant : 0.7 * rate + 0.3 * instant;
          lastBytes = bytes;
          lastAt = now;
          long toGo = stats.bytesLeft();
          String eta = rate > 1 ? String.format("%d s", (long) (toGo / rate)) : "-";
          String waiting = retries.waiting;
          err.printf("\r%-100s", waiting != null ? "sync: " + waiting : String.format("sync: %d to go (%s), %s/s, ETA %s",
              Math.max(0, stats.filesToGo.get()), Stats.bytes(toGo), Stats.bytes((long) rate), eta));
          err.flush();
        }
      } catch (InterruptedException e) {
        err.printf("\r%-100s\r", "");
        err.flush();
      }
    });
    return new Progress(t);
  }

  void stop() {
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
