package io.cairn.server;

import io.cairn.core.ChunkHash;
import java.nio.file.Path;
import java.util.Map;

/** {@link DamageContract} on the embedded defaults: SQLite and chunks on local disk. */
class DamageFsTest extends DamageContract {
  @Override
  Map<String, String> storage(Path dir) {
    return Map.of();
  }

  @Override
  Path chunkFile(ChunkHash hash) {
    return ChunkFiles.local(dir, hash);
  }

  @Override
  boolean repairNeedsTheServerStopped() {
    return true;
  }
}
