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

  /** 16 parts (128 MiB at most) overall, 4 per link; 120 begins a minute per link, 60 per address. */
  public static DropLimits defaults() {
    return new DropLimits(16, 4, 120, 60);
  }
}
