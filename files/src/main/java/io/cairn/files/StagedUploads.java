package io.cairn.files;

import io.cairn.core.BlockRef;
import io.cairn.core.CairnException;
import io.cairn.core.TreePaths;
import io.cairn.storage.Change;
import io.cairn.storage.ChunkStore;
import io.cairn.storage.Entry;
import io.cairn.storage.Expect;
import io.cairn.storage.Journal;
import io.cairn.storage.JournalRow;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Chunked uploads as the Nextcloud and ownCloud clients send them (a folder per upload, numbered
 * parts, then one request that makes them a file), staged where every node sees them: in the
 * journal, as folders and files of the user's own uploads namespace {@code uploads:<user>}, which
 * no view shows. A part's bytes go through the chunker as any upload's do ({@link
 * FileService#upload}), so they are durable and deduplicated when the part is acknowledged.
 * {@link #assemble} reads the parts back in order and uploads them as one stream: the file is cut
 * into the same content-defined chunks, with the same whole-file digests, as if it had come in one
 * PUT, so dedup, history and checksums work as for any upload (the parts' chunks that the file does
 * not share are left to garbage collection). Committing it is the caller's ({@link FileService#put}),
 * once it has checked what the client claimed.
 *
 * <p>An upload folder untouched for {@link #EXPIRY} is removed when its user next starts one
 * ({@link #begin}), or by the periodic sweep of every user's ({@link #expireAll}). Parts count
 * against the user's quota while staged, and must announce their length.
 * Blocking; for the request's virtual thread.
 */
public final class StagedUploads {
  /** How long an abandoned upload is kept. */
  public static final Duration EXPIRY = Duration.ofHours(24);
  /** The most parts one upload may have (Nextcloud's own limit). */
  public static final int MAX_PARTS = 10_000;

  private static final String PREFIX = "uploads:";
  /** What a claimed upload's id starts with; refused as an id a client gives. */
  private static final String CLAIMED = ".assembling-";
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");

  private final Journal journal;
  private final ChunkStore chunks;
  private final FileService files;
  private final Clock clock;

  public StagedUploads(Journal journal, ChunkStore chunks, FileService files, Clock clock) {
    this.journal = journal;
    this.chunks = chunks;
    this.files = files;
    this.clock = clock;
  }

  /**
   * Starts the upload {@code id} (a single name), after removing the caller's expired ones;
   * ALREADY_EXISTS when it exists.
   */
  public void begin(Caller caller, String id) {
    if (id.startsWith(CLAIMED)) {
      throw CairnException.invalid("an upload id cannot start with " + CLAIMED);
    }
    String ns = namespace(caller);
    files.ensureNamespace(ns);
    expire(caller);
    commit(caller, new Change.Mkdir(folder(id)));
  }

  /** The upload folder {@code id}, or null when there is none. */
  public Entry upload(Caller caller, String id) {
    return Await.result(journal.entry(namespace(caller), folder(id)));
  }

  /** The parts of upload {@code id} as stored, in name order; NOT_FOUND when there is no such upload. */
  public List<Entry> parts(Caller caller, String id) {
    requireUpload(caller, id);
    List<Entry> parts = new ArrayList<>();
    String after = null;
    while (true) {
      List<Entry> page = Await.result(journal.children(namespace(caller), folder(id), after, 1000));
      parts.addAll(page);
      if (page.size() < 1000 || parts.size() > MAX_PARTS) {
        return parts;
      }
      after = page.get(page.size() - 1).name();
    }
  }

  /**
   * Stores {@code body} as part {@code name} of upload {@code id} (replacing a part of that name),
   * within the caller's quota counting what is staged; NOT_FOUND when there is no such upload.
   */
  public JournalRow part(Caller caller, String id, String name, InputStream body, long length) throws IOException {
    requireUpload(caller, id);
    if (name.equals(".file")) {
      throw CairnException.forbidden(".file names the assembled upload, which is not written, only moved");
    }
    if (length < 0) {
      throw CairnException.invalid("a part needs its Content-Length, so that it is held to the quota before it is read");
    }
    // Every part of every upload of the caller counts, with the home, against the home's quota;
    // a part sent again replaces itself.
    long staged = Await.result(journal.namespace(namespace(caller))).usedBytes();
    Entry again = Await.result(journal.entry(namespace(caller), folder(id) + "/" + name));
    staged -= again == null ? 0 : again.size();
    files.checkRoom(caller, new FilePath(caller.home(), TreePaths.ROOT), 0, staged + length);
    ContentUpload.Result content = files.uploadPart(body, length);
    files.requireKept(content);
    return commit(caller, new Change.Put(folder(id) + "/" + name, content.size(), content.contentHash(),
        content.blocklist(), null, Expect.ANY));
  }

  /**
   * Uploads the parts of {@code id}, in order, as one stream (see the class comment), without
   * committing anything: INVALID when their sizes do not add up to {@code totalLength} (-1: not
   * checked), NOT_FOUND when there is no such upload.
   */
  public ContentUpload.Result assemble(Caller caller, String id, long totalLength) throws IOException {
    return assemble(caller, id, totalLength, Set.of());
  }

  /**
   * As {@link #assemble(Caller, String, long)}, computing the digests of {@code alsoDigest} too
   * (those a client's {@code OC-Checksum} names; see {@link FileService#upload(InputStream, long, Set)}).
   */
  public ContentUpload.Result assemble(Caller caller, String id, long totalLength, Set<DigestType> alsoDigest)
      throws IOException {
    List<Entry> parts = new ArrayList<>(parts(caller, id));
    if (parts.size() > MAX_PARTS) {
      throw CairnException.invalid("an upload has at most " + MAX_PARTS + " parts");
    }
    parts.sort(Comparator.comparing(Entry::name, StagedUploads::partOrder));
    long size = 0;
    for (Entry p : parts) {
      size += p.size();
    }
    if (totalLength >= 0 && size != totalLength) {
      throw CairnException.invalid("the parts hold " + size + " bytes, not the " + totalLength + " announced");
    }
    try (InputStream in = new PartsStream(parts)) {
      return files.upload(in, size, alsoDigest);
    }
  }

  /**
   * Takes upload {@code id} for assembly: renamed in one commit to a name no client can give, so
   * that of two MOVEs of it only one assembles it, and a part arriving after this fails (404 or
   * 409) instead of being acknowledged and left out. Answers the claimed upload's id, for {@link
   * #assemble}, {@link #cancel} or {@link #release}; NOT_FOUND when there is no such upload (or
   * another request claimed it).
   */
  public String claim(Caller caller, String id) {
    Entry upload = upload(caller, id);
    if (upload == null || !upload.isDirectory()) {
      throw CairnException.notFound("no upload " + id);
    }
    String claimed = CLAIMED + id;
    commit(caller, new Change.Move(folder(id), TreePaths.ROOT + claimed, false, Expect.version(upload.version())));
    return claimed;
  }

  /** Gives a claimed upload back under its id (its assembly was refused), so the client may retry. */
  public void release(Caller caller, String claimed, String id) {
    try {
      commit(caller, new Change.Move(TreePaths.ROOT + claimed, folder(id), false, Expect.ANY));
    } catch (CairnException e) {
      // The client started the same id again meanwhile: the claimed parts go, expired later.
      commit(caller, new Change.Delete(TreePaths.ROOT + claimed, Expect.ANY));
    }
  }

  /** Removes upload {@code id} and its parts; NOT_FOUND when there is none. */
  public void cancel(Caller caller, String id) {
    requireUpload(caller, id);
    commit(caller, new Change.Delete(folder(id), Expect.ANY));
  }

  /**
   * Removes every upload of the caller whose id starts with {@code prefix} (those begun through one
   * share link), with their parts, whatever their age; answers how many. An upload claimed for
   * assembly is left to finish.
   */
  public int cancelAll(Caller caller, String prefix) {
    if (prefix.isEmpty()) {
      throw CairnException.invalid("cancelling every upload needs a prefix");
    }
    try {
      // Children come in code point order: the ids with the prefix follow the prefix itself.
      return remove(namespace(caller), prefix, name -> name.startsWith(prefix), upload -> true);
    } catch (CairnException e) {
      if (e.kind() == CairnException.Kind.NOT_FOUND) {
        return 0; // the caller never staged anything
      }
      throw e;
    }
  }

  /** Removes the caller's uploads untouched for {@link #EXPIRY}; answers how many. */
  public int expire(Caller caller) {
    return expire(namespace(caller));
  }

  /**
   * Removes every user's uploads untouched for {@link #EXPIRY}: the periodic sweep, so an upload
   * abandoned by a user who never uploads again goes too. Safe on several nodes at once (an upload
   * another sweep removed first is skipped). Answers how many it removed.
   */
  public int expireAll() {
    int removed = 0;
    String after = PREFIX; // namespaces come in code point order: the uploads ones follow it
    while (true) {
      List<String> page = Await.result(journal.namespaces(after, 1000));
      for (String ns : page) {
        if (!ns.startsWith(PREFIX)) {
          return removed;
        }
        removed += expire(ns);
      }
      if (page.size() < 1000) {
        return removed;
      }
      after = page.get(page.size() - 1);
    }
  }

  private int expire(String ns) {
    Instant before = clock.instant().minus(EXPIRY);
    return remove(ns, null, name -> true, upload -> upload.mtime().isBefore(before) && lastPart(ns, upload).isBefore(before));
  }

  /**
   * Removes the uploads of {@code ns} that {@code which} picks, from the first name after {@code
   * after} (null: the first) while {@code within} holds for the names; answers how many. One that
   * another request removed or changed first is skipped.
   */
  private int remove(String ns, String after, Predicate<String> within, Predicate<Entry> which) {
    int removed = 0;
    while (true) {
      List<Entry> page = Await.result(journal.children(ns, TreePaths.ROOT, after, 1000));
      for (Entry upload : page) {
        if (!within.test(upload.name())) {
          return removed;
        }
        if (which.test(upload)) {
          try {
            Await.result(journal.commit(ns, new Change.Delete(upload.path(), Expect.version(upload.version())), null));
            removed++;
          } catch (CairnException e) {
            if (e.kind() != CairnException.Kind.NOT_FOUND && e.kind() != CairnException.Kind.PRECONDITION_FAILED) {
              throw e;
            }
            // Another sweep, its user, or its assembly got to it first: nothing to do.
          }
        }
      }
      if (page.size() < 1000) {
        return removed;
      }
      after = page.get(page.size() - 1).name();
    }
  }

  private Instant lastPart(String ns, Entry upload) {
    Instant last = upload.mtime();
    for (Entry p : Await.result(journal.children(ns, upload.path(), null, MAX_PARTS))) {
      last = p.mtime().isAfter(last) ? p.mtime() : last;
    }
    return last;
  }

  /** Parts named by numbers (a chunk's index or offset) go in numeric order, others by name. */
  static int partOrder(String a, String b) {
    boolean na = DIGITS.matcher(a).matches();
    boolean nb = DIGITS.matcher(b).matches();
    if (na && nb) {
      return Long.compare(Long.parseLong(a), Long.parseLong(b));
    }
    return na != nb ? (na ? -1 : 1) : a.compareTo(b);
  }

  private void requireUpload(Caller caller, String id) {
    Entry e = upload(caller, id);
    if (e == null || !e.isDirectory()) {
      throw CairnException.notFound("no upload " + id);
    }
  }

  private JournalRow commit(Caller caller, Change change) {
    return Await.result(journal.commit(namespace(caller), change, caller.name()));
  }

  /**
   * Whether {@code ns} is a user's staged-upload namespace: its trash is no one's to restore, so
   * retention lets it expire at once (ADR 0014).
   */
  public static boolean isStagingNamespace(String ns) {
    return ns.startsWith(PREFIX);
  }

  private static String namespace(Caller caller) {
    if (caller.name() == null) {
      throw CairnException.forbidden("chunked uploads need a signed-in user");
    }
    return PREFIX + caller.name();
  }

  private static String folder(String id) {
    if (id.isEmpty() || id.contains("/") || id.equals(".") || id.equals("..")) {
      throw CairnException.invalid("an upload id is a single name");
    }

    return TreePaths.ROOT + id;
  }

  /** The parts' bytes in order, read chunk by chunk from the store. */
  private final class PartsStream extends InputStream {
    private final Iterator<BlockRef> blocks;
    private byte[] current = new byte[0];
    private int at;

    PartsStream(List<Entry> parts) {
      List<BlockRef> all = new ArrayList<>();
      for (Entry p : parts) {
        all.addAll(p.blocklist().blocks());
      }
      this.blocks = all.iterator();
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      while (at >= current.length) {
        if (!blocks.hasNext()) {
          return -1;
        }
        BlockRef next = blocks.next();
        Buffer chunk = Await.result(chunks.get(next.hash()));
        if (chunk.length() != next.length()) {
          throw new IOException("the stored chunk " + next.hash().hex() + " holds " + chunk.length()
              + " bytes, not " + next.length());
        }
        current = chunk.getBytes();
        at = 0;
      }
      int n = Math.min(len, current.length - at);
      System.arraycopy(current, at, b, off, n);
      at += n;
      return n;
    }
  }
}
