package io.cairn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two clients, one server, 200 random operations on each side (create, edit, append, rename, move
 * between folders, delete, mkdir, rmdir), syncing at random points, B offline (its network cut by
 * a {@link SyncClients.Gate}) for the first half. At the end both folders and the server hold the
 * same tree, and every content either side had when a sync of it succeeded is current, a conflict
 * copy, or in the server's history: no edit is lost.
 */
class SyncClientRandomTest {
  static final String ADMIN = TestServer.basic("admin", TestServer.ADMIN_PASSWORD);
  static final int OPS_PER_SIDE = 200;

  @Test
  void twoClientsWithOneOfflineForHalfTheRunEndIdenticalAndLoseNoEdit(@TempDir Path scratch) throws Exception {
    long seed = Long.getLong("cairn.test.seed", System.nanoTime());
    System.out.println("seed " + seed + " (-Dcairn.test.seed=" + seed + " repeats this run)");
    Random random = new Random(seed);
    try (TestServer server = TestServer.start(scratch.resolve("server"));
        SyncClients.Gate gate = new SyncClients.Gate(server.port())) {
      SyncClients clients = new SyncClients(scratch);
      assertEquals(201, server.send(ADMIN, "MKCOL", "/r", null).statusCode());
      Path a = Files.createDirectories(scratch.resolve("a"));
      Path b = Files.createDirectories(scratch.resolve("b"));
      String urlA = server.url("/r");
      String urlB = gate.url("/r");
      Set<String> kept = new HashSet<>(); // SHA-256 of every content present when a sync succeeded
      java.util.Map<String, String> seenAt = new java.util.HashMap<>(); // where each was, for the message
      Set<String> paths = new HashSet<>();
      Side sideA = new Side("A", a, random);
      Side sideB = new Side("B", b, random);
      gate.up(false);
      int offlineRuns = 0;
      for (int i = 0; i < 2 * OPS_PER_SIDE; i++) {
        if (i == OPS_PER_SIDE) {
          gate.up(true);
        }
        boolean onA = sideA.ops >= OPS_PER_SIDE ? false : sideB.ops >= OPS_PER_SIDE || random.nextBoolean();
        Side side = onA ? sideA : sideB;
        side.randomOp();
        if (random.nextInt(10) == 0) {
          var before = SyncClients.files(side.dir);
          SyncClients.Run run = clients.sync(side.dir, onA ? urlA : urlB);
          if (!onA && i < OPS_PER_SIDE) {
            assertEquals(2, run.status(), "offline: " + run);
            assertTrue(run.err().contains("cannot reach") || run.err().contains("lost the connection"), run.err());
            offlineRuns++;
          } else {
            run.expect(0);
            kept.addAll(before.values());
            paths.addAll(before.keySet());
            int at = i;
            before.forEach((path, hash) -> seenAt.put(hash, side.name + ":" + path + " before sync " + at));
            // and every name the sync made (a conflict copy the person then deletes keeps its history)
            paths.addAll(SyncClients.files(side.dir).keySet());
          }
        }
      }
      assertTrue(offlineRuns > 0, "B tried to sync while offline");
      // Back together: sync until neither side has anything to do.
      for (int round = 0; round < 4; round++) {
        for (Side side : List.of(sideA, sideB)) {
          var before = SyncClients.files(side.dir);
          clients.sync(side.dir, side == sideA ? urlA : urlB).expect(0);
          kept.addAll(before.values());
          paths.addAll(before.keySet());
          before.forEach((path, hash) -> seenAt.put(hash, side.name + ":" + path + " at the end"));
        }
      }
      var finalA = SyncClients.files(a);
      assertEquals(finalA, SyncClients.files(b), "A and B hold the same files (seed " + seed + ")");
      assertEquals(SyncClients.folders(a), SyncClients.folders(b), "and the same folders");
      Path c = Files.createDirectories(scratch.resolve("c"));
      clients.sync(c, urlA).expect(0);
      assertEquals(finalA, SyncClients.files(c), "the server holds the same files");
      assertEquals(SyncClients.folders(a), SyncClients.folders(c));

      Set<String> reachable = new HashSet<>(finalA.values());
      paths.addAll(finalA.keySet());
      for (String p : paths) {
        reachable.addAll(history(server, "/r" + p));
      }
      Set<String> lost = new HashSet<>(kept);
      lost.removeAll(reachable);
      assertTrue(lost.isEmpty(), lost.size() + " synced contents are neither current, a copy, nor in history (seed "
          + seed + "): " + lost.stream().map(seenAt::get).toList());
    }
  }

  /** SHA-256 of the content of every file version in the history of {@code path}. */
  static Set<String> history(TestServer server, String path) throws Exception {
    Set<String> out = new HashSet<>();
    for (byte[] content : SyncClients.versions(server, path)) {
      out.add(SyncClients.sha256(content));
    }
    return out;
  }

  /** One side's folder and the random things a person does in it. */
  static final class Side {
    final String name;
    final Path dir;
    final Random random;
    int ops;
    int names;

    Side(String name, Path dir, Random random) {
      this.name = name;
      this.dir = dir;
      this.random = random;
    }

    void randomOp() throws IOException {
      ops++;
      List<Path> files = new ArrayList<>();
      List<Path> folders = new ArrayList<>(List.of(dir));
      try (Stream<Path> all = Files.walk(dir)) {
        all.filter(p -> !p.startsWith(dir.resolve(".cairn-sync"))).forEach(p -> {
          if (Files.isDirectory(p)) {
            if (!p.equals(dir)) {
              folders.add(p);
            }
          } else {
            files.add(p);
          }
        });
      }
      int op = random.nextInt(files.isEmpty() ? 2 : 9);
      Path file = files.isEmpty() ? null : files.get(random.nextInt(files.size()));
      Path folder = folders.get(random.nextInt(folders.size()));
      switch (op) {
        case 0 -> Files.write(folder.resolve(name("f") + ".txt"), content());
        case 1 -> {
          if (dir.relativize(folder).getNameCount() < 3) {
            Files.createDirectory(folder.resolve(name("d")));
          }
        }
        case 2, 3 -> Files.write(file, content());
        case 4 -> Files.write(file, content(), StandardOpenOption.APPEND);
        case 5 -> Files.move(file, file.resolveSibling(name("r") + ".txt"));
        case 6 -> Files.move(file, folder.resolve(name("m") + ".txt"));
        case 7 -> Files.delete(file);
        default -> {
          if (folders.size() > 1) {
            SyncClientConflictTest.deleteTree(folders.get(1 + random.nextInt(folders.size() - 1)));
          }
        }
      }
    }

    private String name(String kind) {
      return name + kind + (++names);
    }

    private byte[] content() {
      // Mostly small; now and then a few hundred KiB, so some files have more than one chunk.
      byte[] data = new byte[random.nextInt(20) == 0 ? 300_000 + random.nextInt(600_000) : random.nextInt(3000)];
      random.nextBytes(data);
      return data;
    }
  }
}
