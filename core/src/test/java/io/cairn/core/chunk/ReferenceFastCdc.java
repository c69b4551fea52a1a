package io.cairn.core.chunk;

/**
 * FastCDC written as plainly as the paper's Algorithm 1 with normalized chunking, rolling one
 * byte per step: the yardstick for {@link Chunker}'s two-bytes-per-step loop.
 */
final class ReferenceFastCdc {
  private final ChunkerParams p;
  private final long maskS;
  private final long maskL;

  ReferenceFastCdc(ChunkerParams p) {
    this.p = p;
    this.maskS = Gear.spreadMask(p.avgBits() + 2);
    this.maskL = Gear.spreadMask(p.avgBits() - 2);
  }

  int cut(byte[] buf, int off, int len) {
    if (len <= p.min()) {
      return len;
    }
    int size = Math.min(len, p.max());
    int normal = Math.min(size, p.avg());
    long fp = 0;
    for (int i = p.min(); i < size; i++) {
      fp = (fp << 1) + Gear.TABLE[buf[off + i] & 0xFF];
      long mask = i < normal ? maskS : maskL;
      if ((fp & mask) == 0) {
        return i + 1;
      }
    }
    return size;
  }
}
