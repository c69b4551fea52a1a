package io.cairn.server.cli;

import java.util.Collection;

/** What a mistyped word was probably meant to be, for errors that say what to type instead. */
public final class Spelling {
  private Spelling() {}

  /**
   * The candidate closest to {@code word} by edit distance, when it is at most {@code most} edits
   * away; null otherwise (or when there are no candidates).
   */
  public static String nearest(String word, Collection<String> candidates, int most) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(word, c);
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    return bestDistance <= most ? best : null;
  }

  /** The edit distance of two short words (insertions, deletions, substitutions). */
  public static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
