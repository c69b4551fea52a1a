package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.ChunkHash;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

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

  @Test
  @Order(0)
  void aRepairBesideTheRunningServerIsRefusedWithOneLineSayingWhy() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.fsck(new String[] {"--repair", "--data", dir.toString()},
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(2, status);
    String e = err.toString(StandardCharsets.UTF_8);
    assertTrue(e.startsWith("cairn: fsck: cannot open the storage: ") && e.contains("(a repair on local disk needs the server stopped)"), e);
    assertEquals(200, s.send(ALICE, "GET", "/other.bin", null).statusCode(), "the server goes on");
  }
}
