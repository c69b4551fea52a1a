package io.cairn.client;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.Consumer;

/**
 * How long a run waits for a server that is there but unavailable for a while (503 {@code
 * transient}: a backend outage, a commit that met garbage collection three times; 429: logins
 * throttled), or that stopped answering after it had answered: a request that is safe to send
 * again ({@link Safety}) waits as {@code Retry-After} says (seconds or an HTTP date; else 1, 2,
 * 4 … s), at most {@link #MAX_WAIT} at a time, and is sent again. The server may stay unavailable
 * for at most {@code patience} in a row, counted from the first refusal since the last answer that
 * was not one, for every request of the run together; then the run stops with {@link GaveUp}.
 * Thread-safe: the run's workers share one.
 */
final class Retries {
  /** The longest single wait, whatever {@code Retry-After} asks. */
  static final Duration MAX_WAIT = Duration.ofSeconds(60);
  /** Attempts of one request at most, however short the waits. */
  static final int MAX_ATTEMPTS = 30;

  /** What may be sent again, and when. */
  enum Safety {
    /** Reads, {@code chunks/missing}, chunk uploads: the same request does the same, any number of times. */
    IDEMPOTENT,
    /**
     * Sent again also when the first attempt may have been carried out (its answer lost, or a
     * 503): the request notices its own earlier success (a commit whose content is already
     * current answers {@code changed: false}; a folder already there; a conditional delete of
     * what is gone).
     */
    SELF_CHECKING,
    /**
     * Sent again only when the server surely did nothing: a 429 (refused before the request is
     * read) or a connection that was never made. A {@code keep-both} commit (a second one would
     * make a second conflict copy), a move, an unconditional delete.
     */
    ONCE
  }

  /** The server stayed unavailable longer than the run waits: the run stops, nothing is half-done. */
  static final class GaveUp extends Remote.Unreachable {
    GaveUp(String message) {
      super(message, null);
    }
  }

  /** One request's attempts: whether an earlier one may have been carried out. */
  static final class Attempts {
    final Safety safety;
    int count;
    /** An attempt was sent and its outcome is unknown (its answer lost, or a 503). */
    boolean ambiguous;

    Attempts(Safety safety) {
      this.safety = safety;
    }
  }

  private final Duration patience;
  private final Clock clock;
  private final Consumer<String> notice;
  private long unavailableSince = -1; // System.nanoTime() of the first refusal in a row, -1: available
  private boolean answeredOnce;
  private String lastKind;
  private long lastNoticeAt;
  /** What the run waits for now, for the progress line; null when it is not waiting. */
  volatile String waiting;

  /**
   * @param patience how long the server may stay unavailable in a row ({@code --retry-for}); zero:
   *     never wait
   * @param notice where "waiting, and why" is said (the progress output)
   */
  Retries(Duration patience, Clock clock, Consumer<String> notice) {
    this.patience = patience;
    this.clock = clock;
    this.notice = notice;
  }

  /** A server answer that was no refusal: the server is available again. */
  synchronized void answered() {
    answeredOnce = true;
    unavailableSince = -1;
  }

  /** Whether a connection failure is worth waiting for: only once this run has met the server. */
  synchronized boolean metTheServer() {
    return answeredOnce;
  }

  /**
   * Waits before attempt {@code a.count + 1} of a request refused for {@code why}, as {@code
   * retryAfter} (the header's value, or null) says, capped; {@link GaveUp} when the server has
   * been unavailable for longer than the run waits, or the request was tried {@link #MAX_ATTEMPTS}
   * times.
   */
  void await(Attempts a, String why, String retryAfter) throws GaveUp {
    a.count++;
    long now = System.nanoTime();
    long since;
    synchronized (this) {
      if (unavailableSince == -1) {
        unavailableSince = now;
      }
      since = unavailableSince;
    }
    Duration remaining = patience.minusNanos(now - since);
    if (remaining.isNegative() || remaining.isZero() || a.count >= MAX_ATTEMPTS) {
      throw new GaveUp("the server stayed unavailable (" + why + ")"
          + (patience.isZero() ? "" : " for " + Math.max(1, Duration.ofNanos(now - since).toSeconds()) + " s")
          + "; nothing is half-done: run again later" + (patience.isZero() ? "" : ", or wait longer with --retry-for SECONDS"));
    }
    Duration asked = retryAfter(retryAfter, clock);
    Duration wait = asked != null ? asked : Duration.ofSeconds(1L << Math.min(6, a.count - 1));
    wait = min(min(wait, MAX_WAIT), remaining);
    say(kind(why), "waiting " + seconds(wait) + " for the server: " + why
        + (asked != null && asked.compareTo(wait) > 0 ? " (it asks for " + seconds(asked) + ")" : ""));
    try {
      Thread.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GaveUp("interrupted while waiting for the server (" + why + ")");
    } finally {
      waiting = null;
    }
  }

  /**
   * Says it once for all the workers waiting for the same kind of refusal (its status and code:
   * the server's messages differ in their details), and again every 15 s.
   */
  private void say(String kind, String message) {
    waiting = message;
    long now = System.nanoTime();
    synchronized (this) {
      if (kind.equals(lastKind) && now - lastNoticeAt < Duration.ofSeconds(15).toNanos()) {
        return;
      }
      lastKind = kind;
      lastNoticeAt = now;
    }
    notice.accept(message);
  }

  /** A refusal's status and code ("503 transient") from its description, else the description. */
  private static String kind(String why) {
    int colon = why.indexOf(':');
    return colon > 0 && Character.isDigit(why.charAt(0)) ? why.substring(0, colon) : why;
  }

  /**
   * A {@code Retry-After} value (RFC 9110 §10.2.3): delay-seconds or an HTTP date (until then from
   * {@code clock}'s now, at least zero); null when absent or unreadable.
   */
  static Duration retryAfter(String value, Clock clock) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.strip();
    if (v.chars().allMatch(Character::isDigit)) {
      try {
        return Duration.ofSeconds(Long.parseLong(v));
      } catch (NumberFormatException e) {
        return MAX_WAIT; // more digits than a long holds: a very long time
      }
    }
    try {
      Duration d = Duration.between(clock.instant(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
      return d.isNegative() ? Duration.ZERO : d;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static String seconds(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + " s" : String.format("%.1f s", ms / 1000.0);
  }
}
