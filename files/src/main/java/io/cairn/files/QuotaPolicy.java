package io.cairn.files;

import io.cairn.files.Caller;
import java.util.function.LongSupplier;

/**
 * How much room a namespace has, for the RFC 4331 quota properties.
 *
 * @param limitBytes the configured quota per namespace, or -1 for none
 * @param freeSpace the free bytes of the backing store: reported as the available bytes when there
 *     is no quota, and the most a PUT may announce; a negative answer means unknown (the property
 *     is then not reported, and no PUT is refused for want of space). Called on request threads;
 *     may block briefly (a statfs).
 * @param countsHistory whether a namespace's retained versions and trash count against its quota
 *     beside its live files ({@code quota.counts.history}); then a write frees nothing it replaces
 */
public record QuotaPolicy(long limitBytes, LongSupplier freeSpace, boolean countsHistory) {
  /** No quota and unknown free space. */
  public static final QuotaPolicy NONE = new QuotaPolicy(-1, () -> -1);

  /** A quota on the live files only. */
  public QuotaPolicy(long limitBytes, LongSupplier freeSpace) {
    this(limitBytes, freeSpace, false);
  }

  /**
   * The quota of namespace {@code ns} for {@code caller}: their own ({@link Caller#quotaBytes}) in
   * their home when they have one, else {@link #limitBytes}; -1 for none.
   */
  public long limitFor(Caller caller, String ns) {
    return caller.quotaBytes() >= 0 && caller.home().equals(ns) ? caller.quotaBytes() : limitBytes;
  }

  /** The available bytes of namespace {@code ns} using {@code usedBytes}; negative when unknown. */
  public long availableBytes(Caller caller, String ns, long usedBytes) {
    long limit = limitFor(caller, ns);
    if (limit >= 0) {
      return Math.max(0, limit - usedBytes);
    }
    return freeSpace.getAsLong();
  }

  /**
   * Whether the backing store has room for {@code more} bytes, quota or not: true when its free
   * space is unknown.
   */
  public boolean storeHolds(long more) {
    long free = freeSpace.getAsLong();
    return free < 0 || more <= free;
  }

  /** Whether storing {@code more} bytes on top of {@code usedBytes} stays within the quota. */
  public boolean allows(Caller caller, String ns, long usedBytes, long more) {
    long limit = limitFor(caller, ns);
    return limit < 0 || usedBytes + more <= limit;
  }
}
