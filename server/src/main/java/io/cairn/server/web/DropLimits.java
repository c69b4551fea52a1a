package io.cairn.server.web;

/**
 * What visitors of upload-only ("drop") links may hold of one node ({@code drop.*} keys,
 * docs/operations.md#limits). A part's body is read whole into memory (at most {@link
 * LinkDrops#PART} bytes), so the parts read at once are capped, overall and per link; and each
 * begun upload is a staged folder kept for a day, so begins are counted per minute, per link and per
 * address of the visitor.
 *
 * @param partsInFlight part bodies read at once through all drop links of the node: past it 503
 *     with Retry-After
 * @param partsInFlightPerLink part bodies read at once through one link: past it 503
 * @param beginsPerMinutePerLink uploads begun through one link within a minute: past it 429 with
 *     Retry-After
 * @param beginsPerMinutePerAddress uploads begun from one address within a minute (through any
 *     link): past it 429
 */
public record DropLimits(int partsInFlight, int partsInFlightPerLink, int beginsPerMinutePerLink, int beginsPerMinutePerAddress) {
  public DropLimits {
    if (partsInFlight < 1 || partsInFlightPerLink < 1 || beginsPerMinutePerLink < 1 || beginsPerMinutePerAddress < 1) {
      throw new IllegalArgumentException("every drop limit is at least 1");
    }
  }

  /** The defaults for this JVM's maximum heap ({@link #forHeap}). */
  public static DropLimits defaults() {
    return forHeap(Runtime.getRuntime().maxMemory());
  }

  /**
   * As many parts overall as fill an eighth of the heap (each is held whole, up to {@link
   * LinkDrops#PART} bytes, before the upload budget, which takes another half, is asked), from 2 to
   * 16: 3 with bin/cairn's 192 MiB heap, 16 from 1 GiB on; at most 4 per link; 120 begins a minute per
   * link, 60 per address.
   */
  public static DropLimits forHeap(long maxHeapBytes) {
    int parts = (int) Math.max(2, Math.min(16, maxHeapBytes / 8 / LinkDrops.PART));
    return new DropLimits(parts, Math.min(4, parts), 120, 60);
  }
}
