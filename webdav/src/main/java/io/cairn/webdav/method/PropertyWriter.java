package io.cairn.webdav.method;

import io.cairn.storage.Entry;
import io.cairn.storage.EntryMetadata;
import io.cairn.storage.NamespaceInfo;
import io.cairn.storage.PropertyName;
import io.cairn.files.FilePath;
import io.cairn.files.FileService;
import io.cairn.files.Caller;
import io.cairn.webdav.DavSite;
import io.cairn.webdav.props.LiveProperty;
import io.cairn.webdav.props.PropertyContext;
import io.cairn.webdav.xml.PropfindRequest;
import java.io.IOException;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Writes one resource's {@code DAV:response} with the properties a {@link PropfindRequest} asks
 * for: live ones from the site's {@link io.cairn.webdav.props.LiveProperties}, dead ones from the
 * files layer, the missing ones under 404 (RFC 4918 §9.1). PROPFIND and the sync-collection REPORT
 * (RFC 6578 §3.2, which reports changed members "as PROPFIND would") share it, so there is one
 * property writer. One per request: namespace counters are read at most once per namespace.
 */
final class PropertyWriter {
  private final DavSite site;
  private final Caller caller;
  private final PropfindRequest request;
  private final Map<String, Namespace> namespaces = new HashMap<>();

  PropertyWriter(DavSite site, Caller caller, PropfindRequest request) {
    this.site = site;
    this.caller = caller;
    this.request = request;
  }

  /** Writes the response for the existing resource {@code entry} at {@code path}. */
  void write(Multistatus out, FilePath path, EntryMetadata entry) throws IOException {
    write(out, path, entry, () -> site.files().properties(caller, path));
  }

  /** As {@link #write(Multistatus, FilePath, EntryMetadata)}, with its dead properties read already. */
  void write(Multistatus out, FilePath path, EntryMetadata entry, Supplier<Map<PropertyName, String>> dead)
      throws IOException {
    Namespace ns = namespaces.computeIfAbsent(path.ns(), n -> new Namespace(site.files(), caller, n));
    write(out, new Context(site, caller, path, entry, ns), dead);
  }

  /** Whether the answer needs dead properties: allprop, propname, or a name no live property has. */
  boolean readsDeadProperties() {
    return request.kind() != PropfindRequest.Kind.PROP
        || request.names().stream().anyMatch(n -> site.liveProperties().get(n) == null);
  }

  /**
   * Writes the response of any resource {@code ctx} describes, with the dead properties {@code dead}
   * reads (only when the request needs them): also the read-only views' ({@link ViewsFilter}),
   * which have none.
   */
  void write(Multistatus out, PropertyContext ctx, Supplier<Map<PropertyName, String>> dead) throws IOException {
    List<Map.Entry<PropertyName, String>> found = new ArrayList<>();
    List<Map.Entry<PropertyName, String>> missing = new ArrayList<>();
    switch (request.kind()) {
      case PROPNAME -> names(ctx, dead, found);
      case ALLPROP -> all(ctx, dead, found);
      case PROP -> named(ctx, dead, found, missing);
    }
    out.response(ctx.href(), found, missing);
  }

  private void names(PropertyContext ctx, Supplier<Map<PropertyName, String>> dead, List<Map.Entry<PropertyName, String>> found) {
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

  private void all(PropertyContext ctx, Supplier<Map<PropertyName, String>> dead, List<Map.Entry<PropertyName, String>> found) {
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

  private void named(
      PropertyContext ctx,
      Supplier<Map<PropertyName, String>> deadProperties,
      List<Map.Entry<PropertyName, String>> found,
      List<Map.Entry<PropertyName, String>> missing) {
    Map<PropertyName, String> dead = null;
    for (PropertyName name : request.names()) {
      LiveProperty live = site.liveProperties().get(name);
      String value;
      if (live != null) {
        value = live.value(ctx);
      } else {
        if (dead == null) {
          dead = deadProperties.get();
        }
        value = dead.get(name);
      }
      if (value != null) {
        found.add(entry(name, value));
      } else {
        missing.add(entry(name, null));
      }
    }
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

  private record Context(DavSite site, Caller caller, FilePath path, EntryMetadata entry, Namespace ns)
      implements PropertyContext {
    @Override
    public String href() {
      return site.mount().href(path, entry.isDirectory());
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
