package io.cairn.webdav.method;

import io.cairn.core.TreePaths;
import io.cairn.storage.Entry;
import io.cairn.storage.ListedEntry;
import io.cairn.storage.PropertyName;
import io.cairn.files.Await;
import io.cairn.webdav.DavException;
import io.cairn.files.FilePath;
import io.cairn.webdav.DavSite;
import io.cairn.webdav.UrlBase;
import io.cairn.files.Caller;
import io.cairn.webdav.xml.PropfindRequest;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * PROPFIND (RFC 4918 §9.1) at Depth 0 or 1, streamed: the directory's children are read from the
 * journal a page at a time and written as they come. Depth: infinity, also implied by a missing
 * Depth header, is refused with 403 and the {@code DAV:propfind-finite-depth} precondition
 * (§9.1, §16); a malformed body is 400. A folder holding more entries than the configured largest
 * listing ({@code webdav.max.propfind.entries}) is refused with 507 before anything is written
 * ({@link io.cairn.files.FileService#checkListing}), rather than answered in part: a client would
 * take a cut listing for the whole folder.
 */
final class PropfindHandler extends DavHandler {
  private static final int PAGE = 500;
  private static final Executor PREFETCH = Executors.newVirtualThreadPerTaskExecutor();

  PropfindHandler(DavSite site) {
    super(site, DavMethod.PROPFIND);
  }

  @Override
  void handle(Exchange x) throws IOException {
    FilePath target = x.target();
    int depth = x.depth();
    PropfindRequest body = PropfindRequest.parse(x.readSmallBody());
    Caller caller = x.caller();
    Entry entry = site.files().entry(caller, target);
    if (entry == null) {
      throw new DavException(404, "not found");
    }
    if (depth == Exchange.INFINITY) {
      throw new DavException(403, "Depth: infinity is not supported", "propfind-finite-depth");
    }
    if (depth == 1 && entry.isDirectory()) {
      site.files().checkListing(caller, target); // 507 past the configured largest listing, before a byte
    }
    PropertyWriter props = new PropertyWriter(site, caller, body);
    try (Multistatus out = new Multistatus(x)) {
      props.write(out, target, entry);
      if (depth == 1 && entry.isDirectory()) {
        boolean dead = props.readsDeadProperties();
        Page page = Page.read(site, caller, target, null, dead);
        while (true) {
          // The next page, with its dead properties, is read on another thread while this one is
          // written: on a large folder the journal reads and the XML are each about half of the time.
          CompletableFuture<Page> next = null;
          if (page.children().size() == PAGE) {
            String after = page.children().get(PAGE - 1).name();
            next = CompletableFuture.supplyAsync(() -> Page.read(site, caller, target, after, dead), PREFETCH);
          }
          for (ListedEntry child : page.children()) {
            Map<PropertyName, String> own = page.dead().getOrDefault(child.path(), Map.of());
            props.write(out, new FilePath(target.ns(), child.path()), child, () -> own);
          }
          if (next == null) {
            break;
          }
          page = Await.result(next);
        }
        for (Caller.Share share : site.mount().sharesIn(target)) {
          FilePath root = new FilePath(share.ns(), TreePaths.ROOT);
          Entry shared = site.files().entry(caller, root);
          if (shared != null) {
            props.write(out, root, shared);
          }
        }
        // Not under the sync clients' URLs: they would download every version and deleted file.
        if (target.isRoot() && target.ns().equals(caller.home()) && UrlBase.current() == null) {
          ViewsFilter.writeRoot(site, caller, out, body);
        }
      }
    }
  }

  /**
   * One page of a folder's children after {@code after} (null: from the first), without their
   * blocklists (no property shows them; on PostgreSQL the page is then read from an index alone),
   * with their dead properties when the request needs them: one journal read for the page, not one
   * per child (allprop asks for them all).
   */
  private record Page(List<ListedEntry> children, Map<String, Map<PropertyName, String>> dead) {
    static Page read(DavSite site, Caller caller, FilePath dir, String after, boolean withDead) {
      List<ListedEntry> children = site.files().listing(caller, dir, after, PAGE);
      Map<String, Map<PropertyName, String>> dead = withDead
          ? site.files().properties(caller, dir, children.stream().map(ListedEntry::path).toList())
          : Map.of();
      return new Page(children, dead);
    }
  }
}
