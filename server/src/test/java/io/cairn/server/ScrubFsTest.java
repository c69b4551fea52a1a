package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.ChunkHash;
import io.cairn.server.fsck.FsckCommand;
import io.cairn.server.scrub.ScrubPosition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link ScrubContract} on the embedded defaults, and a pass that resumes after a restart: counted
 * in chunks, not timed.
 */
class ScrubFsTest extends ScrubContract {
  @Override
  Map<String, String> storage(Path dir) {
    return Map.of();
  }

  @Override
  Path chunkFile(ChunkHash hash) {
    return ChunkFiles.local(dir, hash);
  }

  @Test
  void aPassStoppedByARestartGoesOnPastTheChunksItHadChecked() throws Exception {
    dir = Files.createTempDirectory("cairn-scrub-resume");
    int files = 6;
    s = TestServer.start(dir, Map.of("scrub.rate.bytes.per.second", "0"), java.time.Clock.systemUTC());
    s.server.accounts().addUser("alice", "alice-password", false);
    for (int i = 0; i < files; i++) {
      put("/f" + i + ".bin", random(100 + i, 64 << 10));
    }
    s.close();
    // About one 64 KiB chunk a second: the pass is under way, far from done, when the server stops.
    s = TestServer.start(dir, Map.of("scrub.rate.bytes.per.second", "64K"), java.time.Clock.systemUTC());
    long until = System.nanoTime() + PATIENCE.toNanos();
    while (metric("cairn_scrub_checked_chunks_total") < 1 && System.nanoTime() < until) {
      Thread.sleep(50);
    }
    s.close();
    s = null;
    ScrubPosition stopped = savedPosition();
    assertTrue(stopped.checked() >= 1 && stopped.checked() < files, "stopped mid-pass: " + stopped);
    assertNull(stopped.passEnded(), stopped.toString());

    s = TestServer.start(dir, Map.of("scrub.rate.bytes.per.second", "1G"), java.time.Clock.systemUTC());
    while (metric("cairn_scrub_last_pass_timestamp_seconds") <= 0 && System.nanoTime() < until) {
      Thread.sleep(50);
    }
    assertTrue(metric("cairn_scrub_last_pass_timestamp_seconds") > 0, "the pass ended");
    assertEquals(files - stopped.checked(), (long) metric("cairn_scrub_checked_chunks_total"),
        "the restarted pass read only the chunks after the position");
    s.close();
    s = null;
    ScrubPosition ended = savedPosition();
    assertEquals(files, ended.checked(), ended.toString());
    assertEquals(stopped.passStarted(), ended.passStarted(), "one pass, across the restart");
  }

  private ScrubPosition savedPosition() {
    try (FsckCommand.Storage storage = OfflineStorage.openReadOnly(ServerConfig.load(null, Map.of("data.dir", dir.toString())))) {
      return ScrubPosition.decode(storage.journal().maintenanceValue(ScrubPosition.KEY)
          .toCompletionStage().toCompletableFuture().join());
    }
  }
}
