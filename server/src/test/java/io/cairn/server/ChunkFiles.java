package io.cairn.server;

import io.cairn.core.ChunkHash;
import io.cairn.storage.testkit.S3Server;
import java.nio.file.Path;

/** Where a test finds the bytes of a stored chunk, to damage it behind the server's back. */
final class ChunkFiles {
  private ChunkFiles() {}

  /** The local chunk store's file of {@code hash} in data directory {@code data}: chunks/ab/cd/abcd… (FsLayout). */
  static Path local(Path data, ChunkHash hash) {
    return below(data.resolve("chunks"), hash);
  }

  /** The child s3proxy's file of {@code hash} in the shared test S3, under key prefix {@code prefix}. */
  static Path s3(String prefix, ChunkHash hash) {
    S3Server s3 = S3Server.shared();
    return below(s3.objectsDir().resolve(s3.bucket()).resolve(prefix), hash);
  }

  private static Path below(Path root, ChunkHash hash) {
    String hex = hash.hex();
    return root.resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(hex);
  }
}
