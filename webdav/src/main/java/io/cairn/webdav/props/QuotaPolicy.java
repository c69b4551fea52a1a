package io.cairn.webdav.props;

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

  /** The available bytes for a namespace using {@code usedBytes}; negative when unknown. */
  public long availableBytes(long usedBytes) {
    if (limitBytes >= 0) {
      return Math.max(0, limitBytes - usedBytes);
    }
    return freeSpace.getAsLong();
  }

  /** Whether storing {@code more} bytes on top of {@code usedBytes} stays within the quota. */
  public boolean allows(long usedBytes, long more) {
    return limitBytes < 0 || usedBytes + more <= limitBytes;
  }
}
