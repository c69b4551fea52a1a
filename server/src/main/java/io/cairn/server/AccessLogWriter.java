package io.cairn.server;

import io.cairn.server.logging.JsonLine;
import io.cairn.server.logging.Logging;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log's output: request threads queue their lines, and one daemon thread writes what
 * has gathered every {@link #PERIOD_MILLIS} ms in one write, in the server's log format ({@code
 * <time> [INFO] access - <line>}, as Logging's plain pattern prints the other loggers, or a {@link
 * JsonLine} with {@code log.format = json}). A line per request through the logger cost a
 * formatted date and a write to stderr each, about 5% of a small GET. (With {@code
 * log.access.file} the lines go through the logger to its rolling file instead.)
 *
 * <p>Nothing is dropped: with more than {@link #MAX_QUEUED} lines waiting (stderr blocked), a
 * request thread writes the backlog itself. {@link #close} writes what is left.
 */
final class AccessLogWriter implements Consumer<String>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AccessLogWriter.class);
  static final int PERIOD_MILLIS = 50;
  static final int MAX_QUEUED = 8192;
  private static final DateTimeFormatter SECOND =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

  private record Line(long millis, String text) {}

  private final OutputStream out;
  private final boolean json;
  private final ConcurrentLinkedQueue<Line> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final Object writeLock = new Object();
  private final Thread flusher;
  private volatile boolean closed;
  private long prefixSecond = Long.MIN_VALUE;
  private String prefix = "";

  AccessLogWriter(OutputStream out) {
    this(out, false);
  }

  /** @param json JSON lines ({@code log.format = json}) instead of plain ones */
  AccessLogWriter(OutputStream out, boolean json) {
    this.out = out;
    this.json = json;
    this.flusher = Thread.ofPlatform().daemon(true).name("cairn-access-log").start(this::run);
  }

  /** Queues one access line; any thread. */
  @Override
  public void accept(String line) {
    queue.add(new Line(System.currentTimeMillis(), line));
    if (queued.incrementAndGet() > MAX_QUEUED || closed) {
      drain();
    }
  }

  /** Stops the flusher and writes every line still queued. */
  @Override
  public void close() {
    closed = true;
    flusher.interrupt();
    try {
      flusher.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    drain();
  }

  private void run() {
    while (!closed) {
      try {
        Thread.sleep(PERIOD_MILLIS);
      } catch (InterruptedException e) {
        break;
      }
      drain();
    }
  }

  /** Writes everything queued, in order, in one write. */
  private void drain() {
    synchronized (writeLock) {
      StringBuilder b = null;
      for (Line l; (l = queue.poll()) != null; ) {
        queued.decrementAndGet();
        if (b == null) {
          b = new StringBuilder(256 * Math.min(queued.get() + 1, 1024));
        }
        if (json) {
          JsonLine.append(b, l.millis(), "INFO", Logging.ACCESS_LOGGER, null, l.text(), null);
        } else {
          appendTime(b, l.millis()).append(" [INFO] access - ").append(l.text()).append('\n');
        }
      }
      if (b == null) {
        return;
      }
      try {
        out.write(b.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
      } catch (IOException e) {
        LOG.warn("cannot write the access log: {}", e.toString());
      }
    }
  }

  /** {@code yyyy-MM-dd'T'HH:mm:ss.SSS+0000}, the second's part formatted once per second. */
  private StringBuilder appendTime(StringBuilder b, long millis) {
    long second = Math.floorDiv(millis, 1000);
    if (second != prefixSecond) {
      prefixSecond = second;
      prefix = SECOND.format(Instant.ofEpochSecond(second));
    }
    int ms = (int) Math.floorMod(millis, 1000);
    b.append(prefix).append('.');
    if (ms < 100) {
      b.append('0');
    }
    if (ms < 10) {
      b.append('0');
    }
    return b.append(ms).append("+0000");
  }
}
