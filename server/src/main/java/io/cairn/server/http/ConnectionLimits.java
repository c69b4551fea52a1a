package io.cairn.server.http;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Counts the open connections, in total and per client address, from the moment they are
 * accepted; refuses one past either cap. Thread-safe (connections open on several event loops).
 */
public final class ConnectionLimits {
  private final int maxTotal;
  private final int maxPerAddress;
  private final AtomicInteger open = new AtomicInteger();
  private final ConcurrentHashMap<String, Integer> perAddress = new ConcurrentHashMap<>();
  private final Predicate<String> shared;

  /** @param maxPerAddress 0 for no per-address cap */
  public ConnectionLimits(int maxTotal, int maxPerAddress) {
    this(maxTotal, maxPerAddress, address -> false);
  }

  /**
   * @param maxPerAddress 0 for no per-address cap
   * @param shared addresses many clients share (trusted reverse proxies): only the total applies
   */
  public ConnectionLimits(int maxTotal, int maxPerAddress, Predicate<String> shared) {
    this.maxTotal = maxTotal;
    this.maxPerAddress = maxPerAddress;
    this.shared = shared;
  }

  /**
   * Counts a new connection from {@code address}; returns false, counting nothing, when it would
   * pass a cap. Every true is paired with one {@link #closed}.
   */
  public boolean tryOpen(String address) {
    if (open.incrementAndGet() > maxTotal) {
      open.decrementAndGet();
      return false;
    }
    if (maxPerAddress > 0 && !shared.test(address)) {
      boolean[] admitted = {false};
      perAddress.compute(address, (a, n) -> {
        int count = n == null ? 0 : n;
        admitted[0] = count < maxPerAddress;
        return admitted[0] ? count + 1 : n;
      });
      if (!admitted[0]) {
        open.decrementAndGet();
        return false;
      }
    }
    return true;
  }

  /** Forgets a connection {@link #tryOpen} accepted. */
  public void closed(String address) {
    if (maxPerAddress > 0 && !shared.test(address)) {
      perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }
    open.decrementAndGet();
  }

  /** Connections open now. */
  public int open() {
    return open.get();
  }

  /** Client addresses with a connection open now (memory stays bounded by the connections). */
  int addresses() {
    return perAddress.size();
  }
}
