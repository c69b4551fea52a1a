package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.ChunkHash;
import io.cairn.server.gc.GarbageCollector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** {@link GcRaceContract} on the embedded defaults (SQLite, chunks on local disk), and what only a file shows. */
class GcRaceFsTest extends GcRaceContract {
  @Override
  Map<String, String> storage(Path dir) {
    return Map.of();
  }

  /**
   * A chunk bob uploaded days ago and never committed is an orphan; alice, who may not claim it,
   * is told it is missing and uploads it: the store finds it present and refreshes its time, so
   * the gc run between her upload and her commit keeps it.
   */
  @Test
  @Order(0)
  void anOldOrphanUploadedAgainIsRefreshedAndKeptForTheCommit() throws Exception {
    byte[] content = random(7, 50_000);
    ChunkHash chunk = upload(bob, content);
    Path file = dir.resolve("chunks").resolve(chunk.hex().substring(0, 2)).resolve(chunk.hex().substring(2, 4))
        .resolve(chunk.hex());
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofDays(3))));
    assertEquals(List.of(chunk), missing(alice, chunk), "bob's upload is not alice's to claim");
    upload(alice, content);
    GarbageCollector.Summary run = s.server.collectGarbage();
    assertEquals(0, run.sweptChunks(), "refreshed by alice's upload: " + run);
    assertTrue(Files.exists(file));
    assertEquals(200, commit(alice, "/shared.bin", chunk, content.length).statusCode());
    assertArrayEquals(content, get("/shared.bin"));
  }
}
