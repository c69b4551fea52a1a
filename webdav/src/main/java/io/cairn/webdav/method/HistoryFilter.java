package io.cairn.webdav.method;

import io.cairn.core.Blocklist;
import io.cairn.core.TreePaths;
import io.cairn.files.Caller;
import io.cairn.files.FileIds;
import io.cairn.files.FilePath;
import io.cairn.files.FileService;
import io.cairn.storage.ChangeKind;
import io.cairn.storage.Entry;
import io.cairn.storage.EntryKind;
import io.cairn.storage.Expect;
import io.cairn.storage.JournalRow;
import io.cairn.storage.TrashItem;
import io.cairn.webdav.DavException;
import io.cairn.webdav.DavSite;
import io.cairn.webdav.LocalUrls;
import io.cairn.webdav.PathCodec;
import io.cairn.webdav.UrlBase;
import io.cairn.webdav.http.VertxMiltonRequest;
import io.cairn.webdav.http.VertxMiltonResponse;
import io.cairn.webdav.lock.LockSupport;
import io.cairn.webdav.lock.LockTarget;
import io.cairn.webdav.props.TrashProperties;
import io.cairn.webdav.xml.PropfindRequest;
import io.milton.http.Filter;
import io.milton.http.FilterChain;
import io.milton.http.Request;
import io.milton.http.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Nextcloud clients' versions and trash bin, over the same history and trash as the sync API
 * and the {@code /.cairn/} views ({@link FileService#history}, {@link FileService#trash}):
 *
 * <ul>
 *   <li>under {@code /remote.php/dav/versions/<user>/}: {@code versions/<fileid>/} lists the
 *       file's earlier versions (following renames), each named by the jid of the commit that
 *       wrote it; GET reads one; {@code MOVE} of one to {@code restore/<anything>} makes it the
 *       current content again, as a new version;
 *   <li>under {@code /remote.php/dav/trashbin/<user>/}: {@code trash/} lists the home's newest
 *       removals, each named {@code <name>.d<jid>} with {@code nc:trashbin-*} properties; GET reads
 *       a deleted file; {@code MOVE} of one to {@code restore/<anything>} brings it back where it
 *       was. Deleting from the trash is refused (403): removals leave it by retention.
 * </ul>
 *
 * Nothing else changes here (405). Runs right after {@link ErrorFilter}; any request under another
 * base passes on.
 */
public final class HistoryFilter implements Filter {
  /** The most versions or removals listed. */
  static final int LIMIT = 1000;
  private static final Pattern TRASH_NAME = Pattern.compile("(.+)\\.d([0-9]{1,18})");
  private static final Pattern NUMBER = Pattern.compile("[0-9]{1,18}");

  private final DavSite site;
  private final FileIds ids;
  private final LockSupport locks;

  /** @param locks the site's class 2 locks, which a restore is held to; null without */
  public HistoryFilter(DavSite site, FileIds ids, LockSupport locks) {
    this.site = site;
    this.ids = ids;
    this.locks = locks;
  }

  @Override
  public void process(FilterChain chain, Request request, Response response) {
    UrlBase base = UrlBase.current();
    if (base == null || (base.kind() != UrlBase.Kind.VERSIONS && base.kind() != UrlBase.Kind.TRASHBIN)) {
      chain.process(request, response);
      return;
    }
    Exchange x = new Exchange((VertxMiltonRequest) request, (VertxMiltonResponse) response, site);
    DavMethod method = request.getMethod() == null ? null : DavMethod.named(request.getMethod().code);
    String path = PathCodec.decode(x.request.rawPath());
    String[] at = path.equals(TreePaths.ROOT) ? new String[0] : path.substring(1).split("/");
    try {
      if (method == DavMethod.OPTIONS) {
        x.response.setNonStandardHeader("Allow", "OPTIONS, GET, HEAD, PROPFIND, MOVE");
        x.response.setContentLengthHeader(0L);
        x.status(200);
      } else if (base.kind() == UrlBase.Kind.VERSIONS) {
        versions(x, method, at);
      } else {
        trash(x, method, at);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- versions ----

  private void versions(Exchange x, DavMethod method, String[] at) throws IOException {
    if (at.length < 2 || !at[0].equals("versions")) {
      folderOnly(x, method, at, "versions", "restore");
      return;
    }
    FilePath file = file(x.caller(), at[1]);
    Entry current = site.files().entry(x.caller(), file);
    if (current == null || current.isDirectory()) {
      throw new DavException(404, "no file with id " + at[1]);
    }
    List<JournalRow> versions = earlier(x.caller(), file, current);
    if (at.length == 2) {
      requireMethod(method, DavMethod.PROPFIND);
      List<Node> members = new ArrayList<>();
      for (JournalRow v : versions) {
        members.add(versionNode(file, at[1], v));
      }
      propfind(x, folderNode("/versions/" + at[1], current.mtime()), members);
      return;
    }
    if (at.length > 3 || !NUMBER.matcher(at[2]).matches()) {
      throw new DavException(404, "no such version");
    }
    JournalRow version = versions.stream().filter(v -> v.jid() == Long.parseLong(at[2])).findFirst()
        .orElseThrow(() -> new DavException(404, "no version " + at[2] + " of this file"));
    Node node = versionNode(file, at[1], version);
    switch (method == null ? DavMethod.REPORT : method) {
      case GET, HEAD -> GetHandler.sendFile(x, node.entry(), method == DavMethod.HEAD);
      case PROPFIND -> propfind(x, node, List.of());
      case MOVE -> {
        requireRestoreDestination(x);
        checkLocks(x, file, true);
        site.files().restore(x.caller(), file, version.jid(), Expect.ANY);
        x.response.setContentLengthHeader(0L);
        x.status(201);
      }
      default -> throw new DavException(405, "a version is read, or restored by MOVE to restore/");
    }
  }

  /**
   * The file's versions with content of their own, newest first, but for its current content and
   * those that expired (retention): the Nextcloud clients list only what they can read or restore.
   */
  private List<JournalRow> earlier(Caller caller, FilePath file, Entry current) {
    List<JournalRow> out = new ArrayList<>();
    boolean first = true;
    List<JournalRow> history = site.files().history(caller, file, LIMIT, 0);
    java.util.Set<Long> expired = site.files().expired(caller, file, history);
    for (JournalRow row : history) {
      if (row.kind() != ChangeKind.PUT) {
        continue;
      }
      if (expired.contains(row.jid())) {
        first = false; // an expired version may be the current content's row: still not listed
        continue;
      }
      if (first && row.contentHash() != null && row.contentHash().equals(current.contentHash())) {
        first = false;
        continue;
      }
      first = false;
      out.add(row);
    }
    return out;
  }

  private FilePath file(Caller caller, String id) {
    if (!NUMBER.matcher(id).matches()) {
      throw new DavException(404, "a file id is a number");
    }
    FilePath p = ids.locate(caller, Long.parseLong(id));
    if (p == null) {
      throw new DavException(404, "no file with id " + id);
    }
    return p;
  }

  private Node versionNode(FilePath file, String id, JournalRow v) {
    Entry e = new Entry(file.path(), EntryKind.FILE, v.size(), v.mtime() == null ? v.at() : v.mtime(),
        v.contentHash(), v.blocklist() == null ? Blocklist.EMPTY : v.blocklist(), v.jid(), v.at());
    return new Node("/versions/" + id + "/" + v.jid(), e, null, v.author());
  }

  // ---- trash ----

  private void trash(Exchange x, DavMethod method, String[] at) throws IOException {
    if (at.length < 1 || !at[0].equals("trash") || (at.length == 1 && method != DavMethod.PROPFIND)) {
      if (at.length >= 1 && at[0].equals("trash") && method == DavMethod.DELETE) {
        throw DavException.forbidden("deleted files leave the trash by retention, not by DELETE");
      }
      folderOnly(x, method, at, "trash", "restore");
      return;
    }
    Caller caller = x.caller();
    FilePath home = new FilePath(caller.home(), TreePaths.ROOT);
    List<TrashItem> items = site.files().trash(caller, home, LIMIT);
    if (at.length == 1) {
      List<Node> members = new ArrayList<>();
      for (TrashItem item : items) {
        members.add(trashNode(caller, item));
      }
      propfind(x, folderNode("/trash", Instant.EPOCH), members);
      return;
    }
    Matcher m = TRASH_NAME.matcher(at[1]);
    TrashItem item = !m.matches() || at.length > 2 ? null : items.stream()
        .filter(i -> i.jid() == Long.parseLong(m.group(2)) && TreePaths.name(i.path()).equals(m.group(1)))
        .findFirst().orElse(null);
    if (item == null) {
      throw new DavException(404, "nothing of that name in the trash");
    }
    FilePath deleted = new FilePath(caller.home(), item.path());
    switch (method == null ? DavMethod.REPORT : method) {
      case GET, HEAD -> {
        if (item.kind() == EntryKind.DIRECTORY) {
          throw new DavException(405, "a deleted folder is restored, not read");
        }
        List<Entry> was = site.files().trashed(caller, deleted, item.jid());
        GetHandler.sendFile(x, was.get(0), method == DavMethod.HEAD);
      }
      case PROPFIND -> propfind(x, trashNode(caller, item), List.of());
      case MOVE -> {
        requireRestoreDestination(x);
        checkLocks(x, deleted, site.files().entry(caller, deleted) != null);
        site.files().restoreFromTrash(caller, deleted, item.jid(), null);
        x.response.setContentLengthHeader(0L);
        x.status(201);
      }
      case DELETE -> throw DavException.forbidden("deleted files leave the trash by retention, not by DELETE");
      default -> throw new DavException(405, "a deleted file is read, or restored by MOVE to restore/");
    }
  }

  private Node trashNode(Caller caller, TrashItem item) {
    String name = TreePaths.name(item.path());
    boolean folder = item.kind() == EntryKind.DIRECTORY;
    Entry e = new Entry(item.path(), item.kind(), folder ? 0 : item.bytes(), item.at(), null, Blocklist.EMPTY,
        item.jid(), item.at());
    String href = "/trash/" + name + ".d" + item.jid();
    return new Node(href, e, item, item.author());
  }

  // ---- shared ----

  /** The fixed folders ({@code /}, and the named ones): PROPFIND only, listing nothing. */
  private void folderOnly(Exchange x, DavMethod method, String[] at, String... names) throws IOException {
    if (at.length > 1 || (at.length == 1 && !List.of(names).contains(at[0]))) {
      throw new DavException(404, "not found");
    }
    requireMethod(method, DavMethod.PROPFIND);
    propfind(x, folderNode(at.length == 0 ? TreePaths.ROOT : "/" + at[0], Instant.EPOCH), List.of());
  }

  private static void requireMethod(DavMethod method, DavMethod wanted) {
    if (method != wanted) {
      throw new DavException(405, "only " + wanted + " here");
    }
  }

  /**
   * A restore writes {@code target} as a PUT there would: 423 when someone else's lock covers it
   * and the request's If header does not submit the token (the lock filter never sees these URLs).
   */
  private void checkLocks(Exchange x, FilePath target, boolean exists) {
    if (locks == null) {
      return;
    }
    // Under the files base, so that a 423 names the file's URL.
    UrlBase.within(UrlBase.files(x.caller().name()), () -> {
      locks.checkWrite(x.request, new LockTarget(target.ns(), target.path()), exists);
      return null;
    });
  }

  /** A restore MOVE names a Destination under the same base's {@code restore/}. */
  private static void requireRestoreDestination(Exchange x) {
    String d = x.header("Destination");
    String raw = d == null || d.isBlank() ? null : LocalUrls.rawPath(d, x.header("Host"));
    if (raw == null || !PathCodec.decode(raw).startsWith("/restore/")) {
      throw DavException.badRequest("a restore is a MOVE to " + UrlBase.current() + "restore/");
    }
  }

  private static Node folderNode(String below, Instant mtime) {
    return new Node(below, new Entry(TreePaths.ROOT, EntryKind.DIRECTORY, 0, mtime, null, Blocklist.EMPTY, 0, mtime),
        null, null);
  }

  private void propfind(Exchange x, Node self, List<Node> members) throws IOException {
    int depth = x.depth();
    PropfindRequest body = PropfindRequest.parse(x.readSmallBody());
    try (Multistatus out = new Multistatus(x)) {
      write(out, x, body, self);
      if (depth != 0) {
        for (Node n : members) {
          write(out, x, body, n);
        }
      }
    }
  }

  private void write(Multistatus out, Exchange x, PropfindRequest body, Node n) throws IOException {
    String href = UrlBase.current().href(PathCodec.encode(n.below(), n.entry().isDirectory()));
    new PropertyWriter(site, x.caller(), body).write(out, new NodeContext(x.caller(), n, href), Map::of);
  }

  /** A version, a removal or a fixed folder, at {@code below} (the path under the base). */
  private record Node(String below, Entry entry, TrashItem item, String author) {}

  private final class NodeContext extends HomeContext implements TrashProperties.Deleted, TrashProperties.Version {
    private final Node node;

    NodeContext(Caller caller, Node node, String href) {
      super(site, caller, new FilePath(caller.home(), TreePaths.ROOT), node.entry(), href);
      this.node = node;
    }

    @Override
    public TrashItem item() {
      return node.item();
    }

    @Override
    public String originalLocation() {
      String view = caller().viewPath(new FilePath(caller().home(), node.item().path()));
      return view == null ? node.item().path() : view;
    }

    @Override
    public String author() {
      return node.author();
    }
  }
}
