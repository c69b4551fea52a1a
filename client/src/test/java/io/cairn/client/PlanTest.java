package io.cairn.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.client.LocalTree.Local;
import io.cairn.client.Plan.Op;
import io.cairn.core.BlockRef;
import io.cairn.core.Blocklist;
import io.cairn.core.ChunkHash;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The three-way decisions of a pass, path by path and for folders as a whole. */
class PlanTest {
  static Node file(long version, String content) {
    Blocklist b = new Blocklist(List.of(new BlockRef(ChunkHash.sha256(content.getBytes()), content.length())));
    return Node.file(version, content.length(), 1000, b);
  }

  static Local here(long size, long mtime) {
    return new Local(Path.of("/x"), false, size, mtime);
  }

  static Local dir() {
    return new Local(Path.of("/x"), true, 0, 0);
  }

  @Test
  void aChangeOnOneSideIsCarriedToTheOther() {
    Node base = file(3, "abc");
    assertNull(Plan.decide("/f", base, here(3, 1000), base), "nothing changed");
    assertEquals(Op.UPLOAD, Plan.decide("/f", base, here(4, 2000), base).op());
    assertEquals(Op.DOWNLOAD, Plan.decide("/f", base, here(3, 1000), file(5, "abcd")).op());
    assertEquals(Op.DELETE_REMOTE, Plan.decide("/f", base, null, base).op());
    assertEquals(Op.DELETE_LOCAL, Plan.decide("/f", base, here(3, 1000), null).op());
    assertEquals(Op.UPLOAD, Plan.decide("/new", null, here(1, 1), null).op());
    assertEquals(Op.DOWNLOAD, Plan.decide("/new", null, null, file(9, "x")).op());
  }

  @Test
  void changesOnBothSidesAreConflictsUnlessTheyEndTheSame() {
    Node base = file(3, "abc");
    assertEquals(Op.CONFLICT, Plan.decide("/f", base, here(4, 2000), file(5, "abcd")).op());
    assertEquals(Op.CONFLICT, Plan.decide("/f", base, here(4, 2000), null).op(), "edit here, delete there");
    assertEquals(Op.CONFLICT, Plan.decide("/f", base, null, file(5, "abcd")).op(), "delete here, edit there");
    assertEquals(Op.AGREE, Plan.decide("/f", base, null, null).op(), "deleted on both sides");
    assertEquals(Op.CLASH, Plan.decide("/f", null, here(1, 1), Node.folder(4)).op());
    assertEquals(Op.AGREE, Plan.decide("/d", null, dir(), Node.folder(4)).op());
  }

  @Test
  void aNewVersionWithTheSameContentIsOnlyRecorded() {
    Node base = file(3, "abc");
    assertEquals(Op.AGREE, Plan.decide("/f", base, here(3, 1000), file(7, "abc")).op());
  }

  @Test
  void aPathTheBaseNeverHeldIsNeverDeleted() {
    Map<String, Node> base = Map.of();
    Map<String, Local> local = Map.of("/mine", here(1, 1));
    Plan plan = Plan.of(base, local, Map.of(), Set.of());
    assertEquals(1, plan.files.size());
    assertEquals(Op.UPLOAD, plan.files.get(0).op());
    assertTrue(plan.deletes.isEmpty());
  }

  @Test
  void aFolderDeletedOnOneSideStaysWhenSomethingNewIsInside() {
    Map<String, Node> base = new HashMap<>(Map.of("/d", Node.folder(1), "/d/old", file(2, "old")));
    Map<String, Node> remote = Map.of(); // the server deleted /d
    Map<String, Local> local = Map.of("/d", dir(), "/d/old", here(3, 1000), "/d/new", here(1, 5));
    Plan plan = Plan.of(base, local, remote, Set.of());
    assertEquals(List.of(Op.MKDIR_REMOTE), plan.folders.stream().map(Plan.Action::op).toList());
    assertEquals(List.of(Op.UPLOAD), plan.files.stream().map(Plan.Action::op).toList());
    assertEquals(List.of("/d/old"), plan.deletes.stream().map(Plan.Action::path).toList());
  }

  @Test
  void aFolderDeletedHereIsDeletedOnTheServerInOneStep() {
    Map<String, Node> base = Map.of("/d", Node.folder(1), "/d/a", file(2, "a"), "/d/e", Node.folder(3), "/d/e/b", file(4, "b"));
    Plan plan = Plan.of(base, Map.of(), base, Set.of());
    assertEquals(1, plan.deletes.size(), "one delete of /d takes everything below it: " + plan.deletes);
    assertEquals("/d", plan.deletes.get(0).path());
  }

  @Test
  void deletesGoChildrenFirstAndCreationsParentsFirst() {
    Map<String, Node> base = Map.of("/a", Node.folder(1), "/a/b", Node.folder(2), "/a/b/f", file(3, "f"));
    Map<String, Local> local = Map.of("/a", dir(), "/a/b", dir(), "/a/b/f", here(1, 1000));
    Plan gone = Plan.of(base, local, Map.of(), Set.of());
    assertEquals(List.of("/a/b/f", "/a/b", "/a"), gone.deletes.stream().map(Plan.Action::path).toList());

    Plan made = Plan.of(Map.of(), Map.of(), Map.of("/x", Node.folder(1), "/x/y", Node.folder(2)), Set.of());
    assertEquals(List.of("/x", "/x/y"), made.folders.stream().map(Plan.Action::path).toList());
  }
}
