package io.cairn.client;

import io.cairn.client.LocalTree.Local;
import io.cairn.client.Plan.Action;
import io.cairn.core.chunk.Chunker;
import io.cairn.core.chunk.ChunkerParams;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One run of {@code cairn sync}: bring the index's picture of the server up to date, then pass
 * over the tree (scan, {@link Plan}, carry out) until a pass finds nothing to do. A pass creates
 * folders first (parents first), then moves files in parallel, then deletes (children first).
 * Every finished step is recorded in the index at once, so a run that is killed resumes where it
 * stopped: chunks already sent are not sent again (the server says they are there), and
 * temporary files are cleared at the start.
 */
final class Sync implements AutoCloseable {
  /** How a conflict is settled; none of them drops a version (see {@link Conflicts}). */
  enum Policy { KEEP_BOTH, LOCAL, REMOTE }

  static final int MAX_PASSES = 4;
  /** Uploads of files this small are batched; a file under the chunker's smallest chunk is one chunk. */
  static final int SMALL_BATCH = 200;

  final Path root;
  final Remote remote;
  final Index index;
  final RemoteTree tree;
  final Policy policy;
  final String user;
  final Clock clock;
  final Stats stats = new Stats();
  final Transfers transfers;
  private final ExecutorService files;
  private final ExecutorService chunks;
  private final Conflicts conflicts;
  private final int smallFile;
  private final LocalNames names;
  /** Paths that failed in this run: not tried again until the next run. */
  final Set<String> failed = ConcurrentHashMap.newKeySet();
  /** Racily clean files read this run ({@link #settleRacy}). */
  private final Set<String> racyRead = new java.util.HashSet<>();
  /** Paths whose problem was reported already. */
  private final Set<String> reported = ConcurrentHashMap.newKeySet();
  /** What the current pass's walk found, by path: where each file really is on disk. */
  private volatile Map<String, Local> current = Map.of();
  private final Leftovers leftovers;
  private final Renames renames;
  /** Paths settled in this run: a later pass leaves them be (a racily clean file is read once). */
  private final Set<String> done = ConcurrentHashMap.newKeySet();

  Sync(Path root, Remote remote, Index index, String remoteRoot, ChunkerParams chunker, Policy policy, String user,
      Clock clock, int workers) throws IOException {
    this.root = root;
    this.remote = remote;
    this.index = index;
    this.tree = new RemoteTree(remote, index, remoteRoot);
    this.policy = policy;
    this.user = user;
    this.clock = clock;
    // Memory stays within half the heap whatever the files: a worker holds a file's read buffer
    // (twice the largest chunk) and a chunk; chunks in flight hold one largest chunk each.
    long budget = Runtime.getRuntime().maxMemory() / 2;
    long perWorker = 3L * chunker.max();
    int fileWorkers = (int) Math.max(1, Math.min(workers, budget / (perWorker + chunker.max())));
    int inFlight = (int) Math.max(1, Math.min(2L * fileWorkers, (budget - fileWorkers * perWorker) / chunker.max()));
    this.files = Executors.newFixedThreadPool(fileWorkers, Thread.ofPlatform().daemon().name("sync-file-", 0).factory());
    this.chunks = Executors.newFixedThreadPool(inFlight, Thread.ofPlatform().daemon().name("sync-chunk-", 0).factory());
    this.transfers = new Transfers(remote, new Chunker(chunker), root.resolve(Index.DIR).resolve("tmp"), stats, chunks, inFlight);
    this.conflicts = new Conflicts(this);
    this.renames = new Renames(this, conflicts);
    this.leftovers = new Leftovers(root.resolve(Index.DIR).resolve("tmp"), transfers);
    this.smallFile = chunker.min();
    this.names = LocalNames.probe(root);
  }

  /** One full run. IOException when the server cannot be reached (nothing is half-done). */
  void run() throws IOException {
    leftovers.setAside();
    try {
      passes();
    } finally {
      leftovers.remove();
    }
  }

  private void passes() throws IOException {
    tree.refresh();
    if (index.meta(RemoteTree.ROOT_GONE) != null) {
      throw new IOException("the server folder " + tree.view("/") + " was deleted or moved away since the last run;"
          + " nothing was deleted here. To sync this folder with it again, remove " + root.resolve(Index.DIR)
          + " (what is here is then uploaded as new)");
    }
    Map<String, Node> base = index.base();
    Map<String, Node> remoteTree = index.remote();
    boolean remembered = false;
    for (int pass = 0; pass < MAX_PASSES; pass++) {
      LocalTree local = LocalTree.scan(root);
      if (pass == 0) {
        local.skipped.forEach(stats::problem);
      } else {
        base = index.base();
        remoteTree = index.remote();
      }
      current = local.entries;
      index.readAt(clock.millis());
      Set<String> skip = new java.util.HashSet<>(failed);
      skip.addAll(done);
      Set<String> trees = new java.util.HashSet<>(local.unknown);
      trees.addAll(refusedNames(remoteTree, local, pass == 0));
      base = settleRacy(base, local.entries);
      Plan plan = Plan.of(base, local.entries, remoteTree, skip, trees);
      if (plan.isEmpty()) {
        reportUnsettled();
        return;
      }
      if (pass == MAX_PASSES - 1) {
        stats.problem(plan.size() + " paths still changing after " + MAX_PASSES + " passes; the next run goes on");
      }
      if (!remembered && plan.files.stream().anyMatch(a -> a.remote() != null)) {
        transfers.rememberUnchanged(base, local.entries);
        remembered = true;
      }
      carryOut(plan);
    }
  }

  /** Paths that failed without a word (changed while the run went): named, so the exit says so. */
  private void reportUnsettled() {
    for (String p : new java.util.TreeSet<>(failed)) {
      if (!reported.contains(p)) {
        stats.problem(p + ": changed while this run went (or holds something left alone); the next run looks again");
      }
    }
  }

  /** Paths the local file system cannot hold, with everything below them; reported once a run. */
  private Set<String> refusedNames(Map<String, Node> remoteTree, LocalTree local, boolean report) {
    Set<String> all = new java.util.HashSet<>(remoteTree.keySet());
    all.addAll(local.entries.keySet());
    all.remove("/");
    Map<String, String> refused = names.refused(all, local.entries.keySet());
    if (refused.isEmpty()) {
      return Set.of();
    }
    if (report) {
      refused.forEach((p, why) -> stats.problem(p + ": " + why));
    }
    return refused.keySet();
  }

  /**
   * Base entries recorded too soon after their file changed to trust its mtime ({@link
   * Index#RACY_MILLIS}): a file of the base's size is read once now, and when it still holds the
   * base's content its mtime is trusted from here on, so it counts as unchanged in this pass (not
   * as a change that keeps a folder alive, say).
   */
  private Map<String, Node> settleRacy(Map<String, Node> base, Map<String, Local> local) {
    Map<String, Node> settled = null;
    for (Map.Entry<String, Node> e : base.entrySet()) {
      Node b = e.getValue();
      Local l = local.get(e.getKey());
      if (b.folder() || b.mtime() != -1 || l == null || l.folder() || l.size() != b.size()
          || !racyRead.add(e.getKey())) { // read once a run: a later pass plans it as the first did
        continue;
      }
      try {
        if (hashOf(transfers.hash(l)).equals(b.hash())) {
          if (settled == null) {
            settled = new java.util.HashMap<>(base);
          }
          settled.put(e.getKey(), b.withMtime(l.mtime()));
          index.settle(e.getKey(), b, l.mtime());
        }
      } catch (IOException ex) {
        // unreadable or changing: planned as changed, and the run says what stops it
      }
    }
    return settled == null ? base : settled;
  }

  private void carryOut(Plan plan) throws IOException {
    stats.filesToGo.set(plan.size());
    stats.bytesToGo.set(plan.files.stream().mapToLong(Sync::bytes).sum());
    stats.movedAtPassStart.set(stats.moved());
    for (Action a : plan.folders) {
      step(a);
    }
    List<Future<Void>> running = new ArrayList<>();
    List<Action> small = new ArrayList<>();
    for (Action a : plan.files) {
      if (a.op() == Plan.Op.UPLOAD && a.local().size() < smallFile) {
        small.add(a);
        continue;
      }
      running.add(files.submit(() -> {
        step(a);
        return null;
      }));
    }
    // Small new files go in batches: one question about missing chunks for the whole batch, then
    // one chunk upload (if new) and one commit each.
    for (int from = 0; from < small.size(); from += SMALL_BATCH) {
      List<Action> batch = small.subList(from, Math.min(small.size(), from + SMALL_BATCH));
      running.add(files.submit(() -> {
        uploadBatch(batch);
        return null;
      }));
    }
    // Every task ends before the phase does, even when one fails: none may still be writing files
    // or the index when the run (or the next one, under --watch) goes on.
    Throwable first = null;
    for (Future<Void> f : running) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        first = first == null ? e : first;
      } catch (ExecutionException e) {
        first = first == null ? e.getCause() : first;
      }
    }
    switch (first) {
      case null -> { }
      case IOException io -> throw io;
      case RuntimeException r -> throw r;
      case InterruptedException i -> throw new IOException("interrupted", i);
      default -> throw new IllegalStateException(first);
    }
    for (Action a : plan.deletes) {
      step(a);
    }
  }

  private static long bytes(Action a) {
    if (a.local() != null && !a.local().folder()) {
      return a.local().size();
    }
    return a.remote() != null ? a.remote().size() : 0;
  }

  /**
   * Carries out one action. The server gone ends the run (IOException); anything else that stops
   * one path (a refusal, a local disk error, a file changing while read) is reported, and the path
   * is left for the next run.
   */
  private void step(Action a) throws IOException {
    try {
      act(a);
      if (a.op() != Plan.Op.CLASH) { // a clash moves a file aside: its paths are planned again
        done.add(a.path());
        if (a.from() != null) {
          done.add(a.from());
        }
      }
    } catch (Remote.Unreachable e) {
      throw e;
    } catch (Remote.ApiError e) {
      if (e.status == 401 || e.status == 429) {
        throw e; // the credentials stopped working: nothing else will
      }
      if (e.status != 412) { // 412: someone changed it meanwhile; the next run sees what
        problem(a.path(), a.path() + ": " + e.getMessage());
      }
      failed.add(a.path());
    } catch (Transfers.Torn e) {
      problem(a.path(), e.getMessage());
      failed.add(a.path());
    } catch (NoSuchFileException e) {
      failed.add(a.path()); // gone since the walk: the next run sees what is there
    } catch (IOException e) {
      problem(a.path(), a.path() + ": " + describe(e));
      failed.add(a.path());
    } finally {
      stats.filesToGo.decrementAndGet();
    }
  }

  private void problem(String path, String message) {
    reported.add(path);
    stats.problem(message);
  }

  static String describe(IOException e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (m.contains("No space left")) {
      return "the local disk is full (" + m + "); nothing was written in its place";
    }
    return e instanceof java.nio.file.AccessDeniedException ? "permission denied (" + m + ")" : m;
  }

  void act(Action a) throws IOException {
    String p = a.path();
    switch (a.op()) {
      case MKDIR_REMOTE -> {
        if (a.remote() != null && !a.remote().folder()) { // a file there became a folder here
          remote.delete(tree.view(p), a.remote().version());
        }
        Map<String, Object> made;
        try {
          made = remote.mkdir(tree.view(p));
        } catch (Remote.ApiError e) {
          made = remote.entry(tree.view(p));
          if (made == null || !"folder".equals(made.get("kind"))) {
            throw e;
          }
        }
        index.agree(p, Node.of(made), 0);
        stats.folders.incrementAndGet();
      }
      case MKDIR_LOCAL -> {
        Path dir = file(p);
        Local now = LocalTree.stat(dir);
        if (now != null && !now.folder()) {
          if (a.local() == null || now.size() != a.local().size() || now.mtime() != a.local().mtime()) {
            failed.add(p); // changed meanwhile: next run
            return;
          }
          Files.delete(dir); // an unchanged file the server replaced with a folder (its content is in history)
        }
        Files.createDirectories(dir);
        index.agree(p, a.remote() != null ? a.remote() : Node.folder(0), 0);
        stats.folders.incrementAndGet();
      }
      case CLASH -> conflicts.clash(a);
      case RENAME_REMOTE -> renames.onServer(a);
      case RENAME_LOCAL -> renames.here(a);
      case UPLOAD -> upload(a);
      case DOWNLOAD -> download(a);
      case CONFLICT -> conflicts.settle(a, null);
      case AGREE -> {
        if (a.local() == null && a.remote() == null) {
          index.agreeGone(p);
        } else {
          index.agree(p, a.remote(), a.local() == null ? 0 : a.local().mtime());
        }
      }
      case DELETE_LOCAL -> deleteLocal(a);
      case DELETE_REMOTE -> {
        try {
          remote.delete(tree.view(p), a.remote() == null ? null : a.remote().version());
        } catch (Remote.ApiError e) {
          if (e.status != 404) {
            throw e;
          }
        }
        index.agreeGone(p);
        stats.deletedRemote.incrementAndGet();
      }
    }
  }

  private void uploadBatch(List<Action> batch) throws IOException {
    List<Transfers.Hashed> hashed = new ArrayList<>();
    for (Action a : batch) {
      try {
        hashed.add(transfers.hash(a.local()));
      } catch (IOException e) {
        // upload() reads it again and reports what stops it
      }
    }
    Set<String> missing;
    try {
      missing = transfers.missing(hashed);
    } catch (Remote.ApiError e) {
      missing = null; // each file asks on its own, and reports what stops it
    }
    for (Transfers.Hashed h : missing == null ? List.<Transfers.Hashed>of() : hashed) {
      prepared.put(h.local().file(), new Prepared(h, missing));
    }
    for (Action a : batch) {
      step(a);
    }
  }

  /** A small file already read, and the chunks its batch found missing on the server. */
  private record Prepared(Transfers.Hashed hashed, Set<String> missing) {}

  private final Map<Path, Prepared> prepared = new ConcurrentHashMap<>();

  void upload(Action a) throws IOException {
    Prepared ready = prepared.remove(a.local().file());
    // A small file was read by its batch; a larger one is read once, its new chunks sent meanwhile.
    Transfers.Hashed h = ready != null ? ready.hashed() : transfers.hashAndSend(a.local());
    Node b = a.base();
    if (b != null && !b.folder() && b.hash().equals(hashOf(h)) && a.remote() != null && a.remote().sameContent(b)) {
      index.agree(a.path(), a.remote(), h.local().mtime()); // touched, not changed
      return;
    }
    Long base = a.remote() == null || a.remote().folder() ? null : a.remote().version();
    if (a.remote() != null && a.remote().folder()) { // a folder there became a file here
      remote.delete(tree.view(a.path()), a.remote().version());
    }
    try {
      Map<String, Object> answer = transfers.upload(h, tree.view(a.path()), base, "fail", ready == null ? null : ready.missing());
      index.agree(a.path(), Node.committed(answer, h.blocklist()), h.local().mtime());
      stats.uploaded.incrementAndGet();
    } catch (Remote.ApiError e) {
      if (e.status != 412) {
        throw e;
      }
      // Someone changed it on the server since the index last looked: a conflict after all.
      @SuppressWarnings("unchecked")
      Map<String, Object> current = (Map<String, Object>) e.body.get("current");
      Node now = current == null ? null : remoteNode(a.path());
      conflicts.settle(new Action(Plan.Op.CONFLICT, a.path(), a.base(), a.local(), now), h);
    }
  }

  void download(Action a) throws IOException {
    Path target = file(a.path());
    if (a.local() != null && a.local().folder()) {
      try {
        Files.delete(target); // a folder the server replaced with a file: only when empty
      } catch (DirectoryNotEmptyException e) {
        failed.add(a.path());
        return;
      }
    }
    Local expected = a.local() != null && !a.local().folder() ? a.local() : null;
    if (transfers.download(a.remote(), target, expected)) {
      index.agree(a.path(), a.remote(), a.remote().mtime());
      stats.downloaded.incrementAndGet();
    } else {
      failed.add(a.path()); // changed here meanwhile: the next run sees a conflict
    }
  }

  private void deleteLocal(Action a) throws IOException {
    Path target = file(a.path());
    Local now = LocalTree.stat(target);
    if (now == null) {
      index.agreeGone(a.path());
      return;
    }
    if (now.folder()) {
      try {
        Files.delete(target);
      } catch (DirectoryNotEmptyException e) {
        failed.add(a.path()); // something new inside: the next pass keeps the folder
        return;
      }
    } else {
      Node b = a.base();
      if (b == null || now.size() != b.size() || now.mtime() != b.mtime()) {
        failed.add(a.path()); // changed meanwhile: never delete what this run did not see
        return;
      }
      Files.delete(target);
    }
    index.agreeGone(a.path());
    stats.deletedLocal.incrementAndGet();
  }

  static String hashOf(Transfers.Hashed h) {
    return io.cairn.core.ContentHash.of(h.blocklist());
  }

  /** The server's entry at {@code rel} now, with its blocklist; null when nothing is there. */
  Node remoteNode(String rel) throws IOException {
    Map<String, Object> e = remote.entry(tree.view(rel));
    return e == null ? null : Node.of(e);
  }

  /**
   * The local file of a path relative to the root: where the walk found it (its name on disk may
   * be another Unicode form of the same name, NFD from a Mac say), else beside its parent's.
   */
  Path file(String rel) {
    if (rel.equals("/")) {
      return root;
    }
    Local found = current.get(rel);
    if (found != null) {
      return found.file();
    }
    String parent = Plan.parent(rel);
    return (parent == null ? root : file(parent)).resolve(rel.substring(rel.lastIndexOf('/') + 1));
  }

  @Override
  public void close() {
    files.shutdownNow();
    chunks.shutdownNow();
  }
}
