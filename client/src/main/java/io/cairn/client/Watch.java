package io.cairn.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * What wakes {@code cairn sync --watch}: file-system events under the folder, the server's live
 * change stream ({@code GET events}), and a periodic rescan as a safety net (events can be lost:
 * an overflowing watch queue, a stream down while offline). Each source only says "look again";
 * the run itself finds what changed from the index, so a missed or doubled wake-up costs nothing.
 */
final class Watch implements AutoCloseable {
  private final Semaphore wake = new Semaphore(0);
  private final WatchService watcher;
  private final Path root;
  private volatile boolean closed;

  Watch(Path root, Remote remote) throws IOException {
    this.root = root;
    this.watcher = FileSystems.getDefault().newWatchService();
    registerAll(root);
    Thread.ofPlatform().daemon().name("sync-watch-local").start(this::local);
    Thread.ofPlatform().daemon().name("sync-watch-remote").start(() -> remoteStream(remote));
  }

  /** Waits until something may have changed, or {@code rescanSeconds} pass; then a short settle. */
  void await(long rescanSeconds) throws InterruptedException {
    wake.tryAcquire(rescanSeconds, TimeUnit.SECONDS);
    Thread.sleep(300); // let a burst of events (a copy of many files) settle into one run
    wake.drainPermits();
  }

  private void local() {
    try {
      while (!closed) {
        WatchKey key = watcher.take();
        Path dir = (Path) key.watchable();
        boolean relevant = false;
        for (WatchEvent<?> event : key.pollEvents()) {
          if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
            relevant = true;
            continue;
          }
          Path child = dir.resolve((Path) event.context());
          if (child.startsWith(root.resolve(Index.DIR))) {
            continue;
          }
          relevant = true;
          if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE && Files.isDirectory(child)) {
            registerAll(child);
          }
        }
        key.reset();
        if (relevant) {
          wake.release();
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closing
    } catch (IOException e) {
      wake.release(); // cannot follow the disk: the periodic rescan still will
    }
  }

  private void remoteStream(Remote remote) {
    long backoff = 1;
    while (!closed) {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(remote.events(null), StandardCharsets.UTF_8))) {
        backoff = 1;
        wake.release(); // (re)connected: anything may have happened while the stream was down
        for (String line = in.readLine(); line != null && !closed; line = in.readLine()) {
          if (line.startsWith("event:")) {
            wake.release();
          }
        }
      } catch (Remote.ApiError e) {
        if (e.status == 401 || e.status == 429) {
          wake.release(); // refused: the run says so and stops; never retry a refused login
          return;
        }
      } catch (IOException | RuntimeException e) {
        // offline: the run reports it; try the stream again later
      }
      try {
        Thread.sleep(TimeUnit.SECONDS.toMillis(backoff));
      } catch (InterruptedException e) {
        return;
      }
      backoff = Math.min(60, backoff * 2);
    }
  }

  private void registerAll(Path dir) throws IOException {
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
        if (d.equals(root.resolve(Index.DIR))) {
          return FileVisitResult.SKIP_SUBTREE;
        }
        d.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE,
            StandardWatchEventKinds.ENTRY_MODIFY);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  @Override
  public void close() throws IOException {
    closed = true;
    watcher.close();
  }
}
