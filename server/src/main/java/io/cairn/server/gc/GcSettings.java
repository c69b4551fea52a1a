package io.cairn.server.gc;

import java.time.Duration;

/**
 * How chunk garbage collection runs ({@code gc.*} in conf/cairn.properties).
 *
 * @param interval time between the server's background runs; zero: none
 * @param grace a chunk stored, or last found present by an upload, more recently than this before
 *     the run started is kept (ADR 0012: longer than the longest upload plus {@link
 *     io.cairn.storage.ChunkStore#REFRESH_AFTER} and the hour an uploaded chunk stays claimable)
 * @param deletesPerSecond the most chunks deleted per second; zero: no limit
 */
public record GcSettings(Duration interval, Duration grace, int deletesPerSecond) {
  /**
   * The shortest grace the configuration accepts (ADR 0012): the hour a put may leave a chunk's
   * time stale, the hour an uploaded chunk stays claimable, and an hour for a commit between its
   * check of the chunks and its write.
   */
  public static final Duration MIN_GRACE = Duration.ofHours(3);

  public static GcSettings defaults() {
    return new GcSettings(Duration.ofHours(24), Duration.ofHours(24), 500);
  }
}
