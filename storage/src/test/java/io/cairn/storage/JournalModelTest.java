package io.cairn.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.core.Blocklist;
import io.cairn.core.CairnException;
import io.cairn.core.TreePaths;
import io.cairn.storage.JournalModel.Node;
import io.cairn.storage.JournalModel.Outcome;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A seeded random sequence of commits and property patches, applied to a real journal and to
 * {@link JournalModel}; every result must agree, and every few hundred steps (and at the end) the
 * whole tree, the counters, the properties and the journal's invariants are compared. A failure
 * names its seed; rerun it with {@code -Dcairn.journal.seed=N}.
 */
public abstract class JournalModelTest extends JournalTestSupport {
  private static final int OPERATIONS = 3000;
  private static final Duration TIME_LIMIT = Duration.ofSeconds(150);
  private static final int CHECK_EVERY = 300;
  /** Names that stress ordering and escaping: NFC vs NFD, LIKE wildcards, a surrogate pair. */
  private static final List<String> NAMES =
      List.of("a", "b", "a b", "\u00e9", "e\u0301", "x_", "%", "\ud83d\ude00", "a0", "a-");
  private static final List<String> INVALID = List.of("", "a", "/a/", "//", "/a/../b", "/.");

  private Journal journal;
  private String ns;
  private JournalModel model;
  private Random random;
  private final Set<String> seen = new HashSet<>();
  /** The journal's file id of each model id seen so far, and the other way round. */
  private final Map<Long, Long> realIds = new HashMap<>();
  private final Map<Long, Long> modelIds = new HashMap<>();
  /** How often each kind of change succeeded or failed how: the run's coverage, printed. */
  private final Map<String, Integer> outcomes = new TreeMap<>();

  @Test
  void randomOperationsAgreeWithTheModel() throws Exception {
    String fixed = System.getProperty("cairn.journal.seed");
    long seed = fixed != null ? Long.parseLong(fixed) : new Random().nextLong();
    journal = track(createJournal(clock));
    ns = newNamespace();
    await(journal.createNamespace(ns));
    model = new JournalModel();
    random = new Random(seed);
    int done = 0;
    try {
      long deadline = System.nanoTime() + TIME_LIMIT.toNanos();
      for (; done < OPERATIONS && System.nanoTime() < deadline; done++) {
        step(done);
        if (done % CHECK_EVERY == CHECK_EVERY - 1) {
          checkEverything(false);
        }
      }
      checkEverything(true);
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError(
          "model test failed at step " + done + " with seed " + seed
              + " (rerun with -Dcairn.journal.seed=" + seed + "): " + e.getMessage(), e);
    }
    System.out.printf("journal model test: seed %d, %d operations, %d live paths, jid %d, %s%n",
        seed, done, model.tree.size(), model.lastJid, outcomes);
  }

  private void step(int i) {
    clock.advance(Duration.ofMillis(random.nextInt(1000)));
    int dice = random.nextInt(100);
    if (dice < 12) {
      checkPatch(i);
    } else if (dice < 16) {
      checkRead();
    } else {
      checkCommit(i, randomChange(dice, i));
    }
  }

  private Change randomChange(int dice, int i) {
    boolean crowded = model.tree.size() > 300;
    if (dice < 42) {
      long size = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(5000);
      Blocklist bl = size == 0 ? Blocklist.EMPTY : blocks((int) size, "c" + i);
      String p = random.nextBoolean() ? existing() : fresh();
      return new Change.Put(p, size, "h" + i, bl, null, expectation(p));
    } else if (dice < 62) {
      return new Change.Mkdir(random.nextInt(8) == 0 ? existing() : fresh());
    } else if (dice < (crowded ? 80 : 70)) {
      String p = existing();
      return new Change.Delete(p, expectation(p));
    } else if (dice < (crowded ? 90 : 86)) {
      String p = existing();
      String to = random.nextInt(4) == 0 ? existing() : fresh();
      return new Change.Move(p, to, random.nextBoolean(), expectation(p));
    }
    String to = random.nextInt(4) == 0 ? existing() : fresh();
    return new Change.Copy(existing(), to, random.nextBoolean(), random.nextBoolean());
  }

  private void checkCommit(int i, Change change) {
    Outcome expected = model.apply(change);
    outcomes.merge(change.getClass().getSimpleName() + " "
        + (expected.failure() == null ? "ok" : expected.failure()), 1, Integer::sum);
    Future<JournalRow> f = journal.commit(ns, change, "u" + (i % 3));
    String what = "step " + i + ": " + change;
    if (expected.failure() != null) {
      assertEquals(expected.failure(), failureOf(f), what);
      return;
    }
    JournalRow row = awaitStep(f, what);
    assertEquals(model.lastJid, row.jid(), what);
    assertEquals(expected.kind(), row.kind(), what);
    assertEquals(expected.path(), row.path(), what);
    assertEquals(expected.dest(), row.dest(), what);
    assertEquals(clock.instant(), row.at(), what);
    seen.add(row.path());
    if (row.dest() != null) {
      model.subtree(row.dest()).keySet().forEach(seen::add);
    }
  }

  private void checkPatch(int i) {
    String path = random.nextInt(10) == 0 ? fresh() : existing();
    List<PropertyChange> changes = new ArrayList<>();
    int n = 1 + random.nextInt(3);
    for (int k = 0; k < n; k++) {
      String xmlns = random.nextBoolean() ? "" : "urn:m";
      PropertyName name = new PropertyName(xmlns, "p" + random.nextInt(3));
      changes.add(new PropertyChange(name, random.nextInt(4) == 0 ? null : "<v>" + i + "</v>"));
    }
    CairnException.Kind expected = model.patch(path, changes);
    Future<Void> f = journal.patchProperties(ns, path, changes);
    if (expected != null) {
      assertEquals(expected, failureOf(f), "patch " + path);
    } else {
      awaitStep(f, "patch " + path);
    }
  }

  private void checkRead() {
    String path = random.nextBoolean() ? fresh() : existing();
    if (!TreePaths.isValid(path)) {
      return;
    }
    Node node = model.tree.get(path);
    Entry e = await(journal.entry(ns, path));
    assertEquals(node == null, e == null, "entry " + path);
    if (node != null) {
      checkFileId(node, e, "entry " + path);
    }
    if (node == null) {
      assertEquals(CairnException.Kind.NOT_FOUND, failureOf(journal.children(ns, path, null, 5)));
    } else if (node.kind() == EntryKind.FILE) {
      assertEquals(CairnException.Kind.CONFLICT, failureOf(journal.children(ns, path, null, 5)));
    } else {
      List<String> expected = model.subtree(path).keySet().stream()
          .filter(p -> !p.equals(path) && TreePaths.parent(p).equals(path))
          .limit(5).map(TreePaths::name).toList();
      assertEquals(expected, JournalContractBase.names(await(journal.children(ns, path, null, 5))));
    }
  }

  /**
   * The entry's file id is the one the model's file was first seen with, and no other model file
   * (live or gone) was ever seen with it: ids are kept by overwrites and moves, new for creates
   * and copies, and never handed out twice.
   */
  private void checkFileId(Node node, Entry got, String what) {
    assertTrue(got.fileId() > 0, what + ": file id " + got.fileId());
    Long known = realIds.get(node.id());
    if (known != null) {
      assertEquals(known, got.fileId(), what + ": file id");
      return;
    }
    Long other = modelIds.putIfAbsent(got.fileId(), node.id());
    assertTrue(other == null, what + ": file id " + got.fileId() + " was another file's");
    realIds.put(node.id(), got.fileId());
  }

  /** Mostly a live path; sometimes anything {@link #fresh()} gives. */
  private String existing() {
    if (random.nextInt(10) < 8) {
      List<String> live = new ArrayList<>(model.tree.keySet());
      return live.get(random.nextInt(live.size()));
    }
    return fresh();
  }

  /** Mostly a new name in a live directory; sometimes a random path or an invalid one. */
  private String fresh() {
    int dice = random.nextInt(100);
    if (dice < 3) {
      return INVALID.get(random.nextInt(INVALID.size()));
    }
    if (dice < 80) {
      List<String> dirs = model.tree.entrySet().stream()
          .filter(e -> e.getValue().kind() == EntryKind.DIRECTORY).map(Map.Entry::getKey).toList();
      return TreePaths.child(dirs.get(random.nextInt(dirs.size())), name());
    }
    String p = TreePaths.ROOT;
    int depth = 1 + random.nextInt(3);
    for (int d = 0; d < depth; d++) {
      p = TreePaths.child(p, name());
    }
    return p;
  }

  private String name() {
    return NAMES.get(random.nextInt(NAMES.size()));
  }

  private Expect expectation(String path) {
    int dice = random.nextInt(100);
    Node node = path == null ? null : model.tree.get(path);
    if (dice < 45) {
      return Expect.ANY;
    } else if (dice < 60) {
      return Expect.ABSENT;
    } else if (dice < 75) {
      return Expect.PRESENT;
    } else if (dice < 90 && node != null) {
      return Expect.version(node.version());
    }
    return Expect.version(random.nextLong(model.lastJid + 2));
  }

  private void checkEverything(boolean all) {
    assertEquals(new NamespaceInfo(ns, model.lastJid, model.usedBytes()),
        await(journal.namespace(ns)));
    Map<String, Entry> walked = walk();
    assertEquals(List.copyOf(model.tree.keySet()), List.copyOf(walked.keySet()), "tree walk");
    List<JournalRow> rows = allChanges();
    for (Map.Entry<String, Entry> e : walked.entrySet()) {
      Node n = model.tree.get(e.getKey());
      Entry got = e.getValue();
      String what = "entry " + e.getKey();
      assertEquals(n.kind(), got.kind(), what);
      assertEquals(n.size(), got.size(), what);
      assertEquals(n.contentHash(), got.contentHash(), what);
      assertEquals(n.blocklist(), got.blocklist(), what);
      assertEquals(n.version(), got.version(), what);
      assertEquals(model.treeSize(got.path()), got.treeSize(), what + ": tree size");
      assertEquals(model.treeVersion(got.path()), got.treeVersion(), what + ": tree version");
      checkFileId(n, got, what);
      assertEquals(got, await(journal.entry(ns, got.path())), what);
      assertEquals(n.props(), await(journal.properties(ns, got.path())), what);
      if (got.version() > 0) {
        JournalRow wrote = rows.get((int) got.version() - 1);
        String origin = wrote.dest() != null ? wrote.dest() : wrote.path();
        assertTrue(TreePaths.isSameOrBelow(got.path(), origin), what + " written by " + wrote);
      }
    }
    List<String> probe = new ArrayList<>(seen);
    if (!all && probe.size() > 300) {
      java.util.Collections.shuffle(probe, random);
      probe = probe.subList(0, 300);
    }
    for (String p : probe) {
      assertEquals(model.tree.containsKey(p), await(journal.entry(ns, p)) != null, "probe " + p);
    }
  }

  /** Every row once, jids 1..lastJid, each agreeing with the model's record of it. */
  private List<JournalRow> allChanges() {
    List<JournalRow> rows = new ArrayList<>();
    for (int page = 0; page < 10_000; page++) {
      List<JournalRow> got = await(journal.changes(ns, rows.size(), 250));
      rows.addAll(got);
      if (got.size() < 250) {
        break;
      }
    }
    assertEquals(model.lastJid, rows.size(), "row count");
    for (int i = 0; i < rows.size(); i++) {
      JournalRow r = rows.get(i);
      Outcome o = model.rows.get(i);
      assertEquals(i + 1, r.jid(), "jids are contiguous");
      assertEquals(List.of(o.kind(), o.path(), String.valueOf(o.dest())),
          List.of(r.kind(), r.path(), String.valueOf(r.dest())), "row " + r.jid());
    }
    return rows;
  }

  /**
   * The whole tree through children(), pages of 7, in code point order per directory; each page
   * read through listing() as well, which must show the same children but their blocklists.
   */
  private Map<String, Entry> walk() {
    Map<String, Entry> out = new LinkedHashMap<>();
    walk(await(journal.entry(ns, TreePaths.ROOT)), out);
    TreeMap<String, Entry> sorted = new TreeMap<>(model.tree.comparator());
    sorted.putAll(out);
    return sorted;
  }

  private void walk(Entry dir, Map<String, Entry> out) {
    assertNotNull(dir);
    out.put(dir.path(), dir);
    if (!dir.isDirectory() || out.size() > 100_000) {
      return;
    }
    String after = null;
    for (int page = 0; page < 10_000; page++) {
      List<Entry> kids = await(journal.children(ns, dir.path(), after, 7));
      assertEquals(kids.stream().map(Entry::listed).toList(), await(journal.listing(ns, dir.path(), after, 7)),
          "the listing without blocklists of " + dir.path() + " after " + after);
      for (Entry k : kids) {
        assertEquals(dir.path(), TreePaths.parent(k.path()));
        assertTrue(after == null || JournalContractTest.compareCodePoints(after, k.name()) < 0);
        after = k.name();
        walk(k, out);
      }
      if (kids.size() < 7) {
        return;
      }
    }
  }

  private static <T> T awaitStep(Future<T> f, String what) {
    try {
      return await(f);
    } catch (AssertionError e) {
      throw new AssertionError(what + ": " + e.getMessage(), e);
    }
  }
}
