package io.cairn.webdav.method;

import io.cairn.core.TreePaths;
import io.cairn.storage.Entry;
import io.cairn.storage.NamespaceInfo;
import io.cairn.storage.PropertyName;
import io.cairn.files.Await;
import io.cairn.webdav.DavException;
import io.cairn.files.FilePath;
import io.cairn.webdav.DavSite;
import io.cairn.files.FileService;
import io.cairn.files.Caller;
import io.cairn.webdav.props.LiveProperty;
import io.cairn.webdav.props.PropertyContext;
import io.cairn.webdav.xml.PropfindRequest;
import java.io.IOException;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * PROPFIND (RFC 4918 §9.1) at Depth 0 or 1, streamed: the directory's children are read from the
 * journal a page at a time and written as they come. Depth: infinity, also implied by a missing
 * Depth header, is refused with 403 and the {@code DAV:propfind-finite-depth} precondition
 * (§9.1, §16); a malformed body is 400.
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
    Namespace ns = new Namespace(site.files(), caller, target.ns());
    try (Multistatus out = new Multistatus(x)) {
      write(out, body, new Context(site, caller, target, entry, ns));
      if (depth == 1 && entry.isDirectory()) {
        List<Entry> page = site.files().children(caller, target, null, PAGE);
        while (true) {
          // The next page is read on another thread while this one is written: on a large folder
          // the journal read and the XML are each about half of the time.
          CompletableFuture<List<Entry>> next = null;
          if (page.size() == PAGE) {
            String after = page.get(page.size() - 1).name();
            next = CompletableFuture.supplyAsync(() -> site.files().children(caller, target, after, PAGE), PREFETCH);
          }
          for (Entry child : page) {
            write(out, body, new Context(site, caller, new FilePath(target.ns(), child.path()), child, ns));
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
            write(out, body, new Context(site, caller, root, shared, new Namespace(site.files(), caller, share.ns())));
          }
        }
        if (target.isRoot() && target.ns().equals(caller.home())) {
          ViewsFilter.writeRoot(site, caller, out, body);
        }
      }
    }
  }

  private void write(Multistatus out, PropfindRequest request, Context ctx) throws IOException {
    write(site, out, request, ctx, () -> site.files().properties(ctx.caller(), ctx.path()));
  }

  /**
   * Writes one resource's response: the live properties {@code ctx} answers and the dead ones
   * {@code dead} reads (only when the request needs them). Also writes the read-only views' ({@link
   * ViewsFilter}), which have no dead properties.
   */
  static void write(DavSite site, Multistatus out, PropfindRequest request, PropertyContext ctx,
      Supplier<Map<PropertyName, String>> dead) throws IOException {
    List<Map.Entry<PropertyName, String>> found = new ArrayList<>();
    List<Map.Entry<PropertyName, String>> missing = new ArrayList<>();
    switch (request.kind()) {
      case PROPNAME -> {
        for (LiveProperty p : site.liveProperties().all()) {
          if (p.value(ctx) != null) {
            found.add(entry(p.name(), null));
          }
        }
        for (PropertyName name : dead.get().keySet()) {
          if (site.liveProperties().get(name) == null) {
            found.add(entry(name, null));
          }
        }
      }
      case ALLPROP -> {
        for (LiveProperty p : site.liveProperties().all()) {
          String value = p.inAllprop() || request.names().contains(p.name()) ? p.value(ctx) : null;
          if (value != null) {
            found.add(entry(p.name(), value));
          }
        }
        for (Map.Entry<PropertyName, String> d : dead.get().entrySet()) {
          if (site.liveProperties().get(d.getKey()) == null) {
            found.add(d);
          }
        }
      }
      case PROP -> {
        Map<PropertyName, String> deadValues = null;
        for (PropertyName name : request.names()) {
          LiveProperty live = site.liveProperties().get(name);
          String value;
          if (live != null) {
            value = live.value(ctx);
          } else {
            if (deadValues == null) {
              deadValues = dead.get();
            }
            value = deadValues.get(name);
          }
          if (value != null) {
            found.add(entry(name, value));
          } else {
            missing.add(entry(name, null));
          }
        }
      }
    }
    Map<Integer, List<Map.Entry<PropertyName, String>>> byStatus = new TreeMap<>();
    byStatus.put(200, found);
    byStatus.put(404, missing);
    out.response(ctx.href(), byStatus);
  }

  private static Map.Entry<PropertyName, String> entry(PropertyName name, String value) {
    return new AbstractMap.SimpleImmutableEntry<>(name, value);
  }

  /** The namespace counters, read once per request and only when a quota property asks. */
  private static final class Namespace {
    private final FileService files;
    private final Caller caller;
    private final String name;
    private NamespaceInfo info;

    Namespace(FileService files, Caller caller, String name) {
      this.files = files;
      this.caller = caller;
      this.name = name;
    }

    NamespaceInfo get() {
      if (info == null) {
        info = files.usage(caller, name);
      }
      return info;
    }
  }

  private static final class Context implements PropertyContext {
    private final DavSite site;
    private final Caller caller;
    private final FilePath path;
    private final Entry entry;
    private final Namespace ns;

    Context(DavSite site, Caller caller, FilePath path, Entry entry, Namespace ns) {
      this.site = site;
      this.caller = caller;
      this.path = path;
      this.entry = entry;
      this.ns = ns;
    }

    @Override
    public FilePath path() {
      return path;
    }

    @Override
    public Entry entry() {
      return entry;
    }

    @Override
    public String href() {
      return site.mount().href(path, entry.isDirectory());
    }

    @Override
    public Caller caller() {
      return caller;
    }

    @Override
    public FileService files() {
      return site.files();
    }

    @Override
    public NamespaceInfo namespaceInfo() {
      return ns.get();
    }
  }
}
