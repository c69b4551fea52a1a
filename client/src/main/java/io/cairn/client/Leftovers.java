package io.cairn.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What a killed run left in the index's {@code tmp} folder, and what becomes of it. */
final class Leftovers {
  private final Path tmp;
  private final Transfers transfers;
  /** Partial downloads of a killed run, read for their chunks, removed when this run ends. */
  private final List<Path> leftovers = new ArrayList<>();

  Leftovers(Path tmp, Transfers transfers) {
    this.tmp = tmp;
    this.transfers = transfers;
  }

  /**
   * Temporary files left by a run that was killed are never anyone's content: a partial download
   * is kept aside until this run ends, as a source of the chunks it already holds ({@code .part}
   * becomes {@code .left}); anything else there goes.
   */
  void setAside() throws IOException {
    if (!Files.isDirectory(tmp)) {
      return;
    }
    try (Stream<Path> parts = Files.list(tmp)) {
      for (Path part : parts.toList()) {
        String name = part.getFileName().toString();
        if (name.endsWith(".part") || name.endsWith(".left")) {
          Path left = name.endsWith(".left") ? part : tmp.resolve(name.replace(".part", ".left"));
          Files.move(part, left, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          leftovers.add(left);
          transfers.rememberPartial(left);
        } else {
          Files.deleteIfExists(part);
        }
      }
    }
  }

  /** Removes the partial downloads set aside: this run has used what they held. */
  void remove() throws IOException {
    for (Path left : leftovers) {
      Files.deleteIfExists(left);
    }
    leftovers.clear();
  }
}
