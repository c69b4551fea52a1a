package io.cairn.server;

import io.cairn.core.ChunkHash;
import java.nio.file.Path;
import java.util.Map;

/** {@link HealContract} on the embedded defaults: SQLite and chunks on local disk, one node. */
class HealFsTest extends HealContract {
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

  @Override
  TestServer otherNode() {
    return null;
  }
}
