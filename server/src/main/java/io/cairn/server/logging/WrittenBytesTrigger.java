package io.cairn.server.logging;

import ch.qos.logback.core.rolling.LengthCounter;
import ch.qos.logback.core.rolling.LengthCounterBase;
import ch.qos.logback.core.rolling.TriggeringPolicyBase;
import java.io.File;

/**
 * Rolls the access log file over once the bytes written to it reach a size. The appender counts
 * them ({@link #getLengthCounter}, starting from the file's length when it opens an existing one),
 * so no event costs a stat of the file, and every event is checked: Logback's own {@code
 * SizeBasedTriggeringPolicy} looks at most once every 60 ms, letting a burst grow a file far past
 * its size.
 */
final class WrittenBytesTrigger<E> extends TriggeringPolicyBase<E> {
  private final long maxBytes;
  private final LengthCounter written = new LengthCounterBase();

  WrittenBytesTrigger(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public boolean isTriggeringEvent(File activeFile, E event) {
    if (written.getLength() < maxBytes) {
      return false;
    }
    written.reset(); // the appender calls this under its lock, and rolls over when it answers true
    return true;
  }

  @Override
  public LengthCounter getLengthCounter() {
    return written;
  }
}
