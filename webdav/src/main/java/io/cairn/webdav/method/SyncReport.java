package io.cairn.webdav.method;

import io.cairn.files.Caller;
import io.cairn.files.FilePath;
import io.cairn.files.FileService;
import io.cairn.storage.ChangeKind;
import io.cairn.storage.Entry;
import io.cairn.storage.EntryMetadata;
import io.cairn.storage.JournalRow;
import io.cairn.webdav.DavException;
import io.cairn.webdav.DavSite;
import io.cairn.webdav.xml.SyncCollectionRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * One {@code DAV:sync-collection} REPORT (RFC 6578 §3) on a folder the caller can read: checks the
 * token against the caller's current view, then answers a 207 multistatus with either every member
 * (an initial sync, §3.4, or the rest of one a limit cut short) or the members changed and removed
 * since the token (§3.5), then the new {@code DAV:sync-token}.
 *
 * <p>A report reads at most {@link #ROWS_PER_REPORT} journal rows; past them, or past the client's
 * {@code DAV:nresults}, it is truncated (§3.6): a 507 response for the Request-URI and a token that
 * resumes after the last change reported. An initial listing is cut after exactly {@code nresults}
 * members. Changes are cut at a row, estimated before the row is taken; only entries written into
 * a moved or copied tree while the report runs can make it pass the limit.
 */
final class SyncReport {
  /** Journal rows read by one report, over every namespace it covers. */
  static final int ROWS_PER_REPORT = 10_000;
  private static final int ROW_PAGE = 1000;
  private static final String TRUNCATED = "number-of-matches-within-limits";

  private final DavSite site;
  private final FileService files;
  private final Caller caller;
  private final SyncScope scope;
  private final SyncCollectionRequest request;

  SyncReport(DavSite site, Caller caller, SyncScope scope, SyncCollectionRequest request) {
    this.site = site;
    this.files = site.files();
    this.caller = caller;
    this.scope = scope;
    this.request = request;
  }

  void run(Exchange x) throws IOException {
    Map<String, Long> now = new LinkedHashMap<>();
    for (SyncScope.Part part : scope.parts()) {
      now.put(part.ns(), files.usage(caller, part.ns()).lastJid());
    }
    SyncToken token = request.token().isEmpty() ? null : check(SyncToken.parse(request.token()), now);
    if (token == null || token.cursor() != null) {
      list(x, token, now);
    } else {
      changes(x, token, now);
    }
  }

  /** The token, if it was issued for this collection to this view and is not ahead of the journal. */
  private SyncToken check(SyncToken token, Map<String, Long> now) {
    if (!token.collection().equals(scope.viewPath())) {
      throw SyncToken.invalid("the sync token is for another collection");
    }
    for (Map.Entry<String, Long> e : token.jids().entrySet()) {
      Long last = now.get(e.getKey());
      if (last == null) {
        throw SyncToken.invalid("the sync token names a namespace this collection does not cover");
      }
      if (e.getValue() > last) {
        throw SyncToken.invalid("the sync token is ahead of the journal");
      }
    }
    return token;
  }

  /** Every member, from the start or after the token's cursor, at the positions read before listing. */
  private void list(Exchange x, SyncToken token, Map<String, Long> now) throws IOException {
    Map<String, Long> base = new LinkedHashMap<>();
    for (SyncScope.Part part : scope.parts()) {
      base.put(part.ns(), token != null && token.jids().containsKey(part.ns()) ? token.jids().get(part.ns()) : now.get(part.ns()));
    }
    try (Multistatus out = new Multistatus(x)) {
      Members members = new Members(out, request.limit());
      SyncWalk walk = new SyncWalk(files, caller, scope, members);
      boolean done = true;
      boolean beforeCursor = token != null;
      for (SyncScope.Part part : scope.parts()) {
        boolean resumesHere = token != null && token.cursor().ns().equals(part.ns());
        if (beforeCursor && !resumesHere && token.jids().containsKey(part.ns())) {
          continue; // listed whole by an earlier report
        }
        beforeCursor &= !resumesHere;
        done = resumesHere ? walk.resume(part, token.cursor().path()) : walk.part(part);
        if (!done) {
          break;
        }
      }
      finish(out, done ? scope.token(base, null) : scope.token(base, members.last), !done);
    }
  }

  /** The members changed and removed since the token, collapsed per namespace. */
  private void changes(Exchange x, SyncToken token, Map<String, Long> now) throws IOException {
    Collected c = new Collected();
    for (SyncScope.Part part : scope.parts()) {
      Long from = token.jids().get(part.ns());
      if (c.truncated) {
        if (from != null) {
          c.next.put(part.ns(), from); // not read this time
        }
        continue;
      }
      ChangeSet set = new ChangeSet(scope, part, (path, before) -> wasFolder(new FilePath(part.ns(), path), before));
      c.sets.add(set);
      if (from != null) {
        c.next.put(part.ns(), read(set, from, c));
      } else if (set.joined(room(c.sets), path -> treeSize(part, path, room(c.sets))) == ChangeSet.Offer.TAKEN) {
        c.next.put(part.ns(), now.get(part.ns()));
        c.progress = true;
      } else {
        c.truncated = true;
      }
    }
    if (c.truncated && !c.progress) {
      throw new DavException(507, "the next change alone has more members than DAV:nresults allows", TRUNCATED);
    }
    try (Multistatus out = new Multistatus(x)) {
      Members members = new Members(out, -1);
      for (ChangeSet set : c.sets) {
        report(set, members);
      }
      finish(out, scope.token(c.next, null), c.truncated);
    }
  }

  /** What a report collected: a change set per namespace read, the positions after them. */
  private static final class Collected {
    final List<ChangeSet> sets = new ArrayList<>();
    final Map<String, Long> next = new LinkedHashMap<>();
    int rowsLeft = ROWS_PER_REPORT;
    boolean truncated;
    boolean progress;
  }

  /** Offers the rows after {@code from} to {@code set} until they end or one is left; the last jid taken. */
  private long read(ChangeSet set, long from, Collected c) {
    SyncScope.Part part = set.part();
    ToLongFunction<String> size = path -> treeSize(part, path, room(c.sets));
    long jid = from;
    while (!c.truncated) {
      int ask = Math.min(ROW_PAGE, c.rowsLeft);
      List<JournalRow> rows = files.changes(caller, part.ns(), jid, ask);
      c.rowsLeft -= rows.size();
      for (JournalRow row : rows) {
        if (set.offer(row, room(c.sets), size) == ChangeSet.Offer.LATER) {
          c.truncated = true;
          return jid;
        }
        jid = row.jid();
        c.progress = true;
      }
      if (rows.size() < ask) {
        break;
      }
      c.truncated = c.rowsLeft == 0;
    }
    return jid;
  }

  private void report(ChangeSet set, Members members) throws IOException {
    SyncScope.Part part = set.part();
    SyncWalk walk = new SyncWalk(files, caller, scope, members);
    for (Map.Entry<String, ChangeSet.Kind> m : set.members().entrySet()) {
      FilePath p = new FilePath(part.ns(), m.getKey());
      Entry entry = files.entry(caller, p);
      if (m.getValue() == ChangeSet.Kind.REMOVED && entry != null && set.inArrivedTree(p.path())) {
        continue; // what replaced it is listed with its tree
      }
      if (m.getValue() == ChangeSet.Kind.REMOVED || entry == null) {
        long removedAt = set.removedAt(p.path());
        members.removed(p, wasFolder(p, removedAt == 0 ? Long.MAX_VALUE : removedAt));
        continue;
      }
      members.accept(p, entry);
      if (m.getValue() == ChangeSet.Kind.TREE && scope.infinite() && entry.isDirectory()) {
        walk.below(part, p.path(), null);
      }
    }
  }

  private void finish(Multistatus out, SyncToken next, boolean truncated) throws IOException {
    if (truncated) {
      out.status(site.mount().href(scope.collection(), true), 507, TRUNCATED);
    }
    out.syncToken(next.uri());
  }

  /** Responses still allowed by the client's limit after {@code sets}; -1 for no limit. */
  private long room(List<ChangeSet> sets) {
    if (request.limit() < 0) {
      return -1;
    }
    long used = 0;
    for (ChangeSet s : sets) {
      used += s.results();
    }
    return Math.max(0, request.limit() - used);
  }

  private long treeSize(SyncScope.Part part, String path, long room) {
    return SyncWalk.count(files, caller, new FilePath(part.ns(), path), room < 0 ? Long.MAX_VALUE : room + 1);
  }

  /**
   * Whether {@code p} was a folder before the row {@code beforeJid}, so that a removed member's href
   * ends with a slash as the client saw it: the row that last created it says (MKDIR, PUT), followed back through moves and copies
   * a few steps; a file when that cannot tell (it came with a folder moved above it).
   */
  private boolean wasFolder(FilePath p, long beforeJid) {
    String path = p.path();
    long before = beforeJid;
    for (int hop = 0; hop < 4; hop++) {
      JournalRow created = null;
      for (JournalRow r : files.history(caller, new FilePath(p.ns(), path), 32)) {
        boolean creates = (r.kind() == ChangeKind.PUT || r.kind() == ChangeKind.MKDIR) && r.path().equals(path);
        if (r.jid() < before && (creates || path.equals(r.dest()))) {
          created = r;
          break;
        }
      }
      if (created == null || created.kind() == ChangeKind.PUT) {
        return false;
      }
      if (created.kind() == ChangeKind.MKDIR) {
        return true;
      }
      path = created.path();
      before = created.jid();
    }
    return false;
  }

  /** Writes members as PROPFIND would, up to a limit; remembers the last one for a cursor. */
  private final class Members implements SyncWalk.Sink {
    private final Multistatus out;
    private final PropertyWriter props;
    private final long limit;
    private long count;
    SyncToken.Cursor last;

    Members(Multistatus out, long limit) {
      this.out = out;
      this.props = new PropertyWriter(site, caller, request.properties());
      this.limit = limit;
    }

    @Override
    public boolean accept(FilePath path, EntryMetadata entry) throws IOException {
      if (limit >= 0 && count >= limit) {
        return false;
      }
      props.write(out, path, entry);
      count++;
      last = new SyncToken.Cursor(path.ns(), path.path());
      return true;
    }

    void removed(FilePath path, boolean folder) throws IOException {
      out.status(site.mount().href(path, folder), 404, null);
      count++;
    }
  }
}
