package io.cairn.webdav;

import static io.cairn.webdav.SyncReplies.sync;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.files.Caller;
import io.cairn.webdav.SyncReplies.Reply;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sync tokens over a user's view: the root covers the home and every share (one journal position
 * each), and a token is refused once it no longer fits who asks or what they are granted.
 */
class SyncSharesTest {
  private static final Caller.Share TEAM = new Caller.Share("team", "shared:team", true);
  private static final Caller ALICE = new Caller("alice", "home:alice", -1, List.of(TEAM));
  private static final Caller ALICE_WITHOUT_TEAM = new Caller("alice", "home:alice", -1, List.of());
  private static final Caller BOB = new Caller("bob", "home:bob", -1, List.of(TEAM));

  @Test
  void theRootCoversTheHomeAndEveryShareAndRefusesTokensThatNoLongerFit(@TempDir Path dir) throws Exception {
    AtomicReference<Caller> who = new AtomicReference<>(ALICE);
    try (TestDav dav = TestDav.startAs(who::get, Files.createDirectories(dir.resolve("data")), b -> b.perUser())) {
      for (String ns : List.of("home:alice", "home:bob", "shared:team")) {
        dav.dav.site().files().ensureNamespace(ns);
      }
      put(dav, "/mine.txt");
      put(dav, "/team/plan.txt");
      Reply initial = sync(dav, "/", "", "infinite", 0);
      assertEquals(Map.of("/mine.txt", 200, "/team/", 200, "/team/plan.txt", 200), initial.members());
      assertEquals(Map.of("/mine.txt", 200, "/team/", 200), sync(dav, "/", "", "1", 0).members());

      put(dav, "/team/notes.txt");
      put(dav, "/other.txt");
      Reply changes = sync(dav, "/", initial.token(), "infinite", 0);
      assertEquals(Map.of("/team/notes.txt", 200, "/other.txt", 200), changes.members());
      String teamToken = sync(dav, "/team/", "", "infinite", 0).token();

      who.set(BOB);
      SyncCollectionTest.assertRefused(
          SyncReplies.send(dav, "/", changes.token(), "infinite", 0), "alice's root token, sent by bob");
      assertEquals(Map.of(), sync(dav, "/team/", teamToken, "infinite", 0).members(),
          "the share's own position is the same for everyone it is granted to");

      who.set(ALICE_WITHOUT_TEAM);
      SyncCollectionTest.assertRefused(
          SyncReplies.send(dav, "/", changes.token(), "infinite", 0), "a token naming a share no longer granted");

      who.set(ALICE);
      Reply before = sync(dav, "/", "", "1", 0);
      who.set(ALICE_WITHOUT_TEAM);
      String homeOnly = sync(dav, "/", "", "1", 0).token();
      who.set(ALICE);
      assertEquals(Map.of("/team/", 200), sync(dav, "/", homeOnly, "1", 0).members(), "a share granted since arrives");
      assertEquals(Map.of(), sync(dav, "/", before.token(), "1", 0).members());
    }
  }

  private static void put(TestDav dav, String path) {
    int status = dav.put(path, path.getBytes(StandardCharsets.UTF_8)).statusCode();
    assertEquals(201, status, path);
  }
}
