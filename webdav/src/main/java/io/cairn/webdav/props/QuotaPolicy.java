package io.cairn.webdav.props;

import io.cairn.webdav.auth.DavUser;
import java.util.function.LongSupplier;

/**
 * How much room a namespace has, for the RFC 4331 quota properties.
 *
 * @param limitBytes the configured quota per namespace, or -1 for none
 * @param freeSpace the free bytes of the backing store when there is no quota; a negative answer
 *     means unknown (the property is then not reported)
 */
public record QuotaPolicy(long limitBytes, LongSupplier freeSpace) {
  /** No quota and unknown free space. */
  public static final QuotaPolicy NONE = new QuotaPolicy(-1, () -> -1);

  /**
   * The quota that applies to the current request: the user's own ({@link DavUser#quotaBytes})
   * when they have one, else {@link #limitBytes}; -1 for none.
   */
  public long effectiveLimit() {
    DavUser user = DavUser.current();
    return user != null && user.quotaBytes() >= 0 ? user.quotaBytes() : limitBytes;
  }

  /** The available bytes for a namespace using {@code usedBytes}; negative when unknown. */
  public long availableBytes(long usedBytes) {
    long limit = effectiveLimit();
    if (limit >= 0) {
      return Math.max(0, limit - usedBytes);
    }
    return freeSpace.getAsLong();
  }

  /** Whether storing {@code more} bytes on top of {@code usedBytes} stays within the quota. */
  public boolean allows(long usedBytes, long more) {
    long limit = effectiveLimit();
    return limit < 0 || usedBytes + more <= limit;
  }
}
