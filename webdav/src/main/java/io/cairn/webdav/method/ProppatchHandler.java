package io.cairn.webdav.method;

import io.cairn.files.ContentDigests;
import io.cairn.storage.Entry;
import io.cairn.storage.PropertyChange;
import io.cairn.storage.PropertyName;
import io.cairn.webdav.DavException;
import io.cairn.files.FilePath;
import io.cairn.webdav.DavSite;
import io.cairn.files.Preconditions;
import io.cairn.webdav.props.LiveProperty;
import io.cairn.webdav.props.SettableProperty;
import io.cairn.webdav.xml.ProppatchRequest;
import java.io.IOException;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * PROPPATCH (RFC 4918 §9.2): sets and removes dead properties in document order, all or none, in
 * one journal call ({@code patchProperties}). Values are stored as the XML they were sent as, with
 * their namespaces. Any property may be set except the live ones (lockdiscovery included), which
 * are protected, and so are the server's own ({@link ContentDigests#isInternal}): a request touching
 * one changes nothing and reports 403 for it and 424 Failed Dependency for the rest. The exception
 * is a {@link SettableProperty} (ownCloud's {@code lastmodified}): its value is checked with the
 * rest and, when every change is acceptable, applied by the server before the dead properties are
 * stored (a failure between the two leaves the mtime set: it is one journal row of its own).
 * Windows' {@code Win32*} properties are ordinary dead properties and simply succeed.
 */
final class ProppatchHandler extends DavHandler {

  ProppatchHandler(DavSite site) {
    super(site, DavMethod.PROPPATCH);
  }

  @Override
  void handle(Exchange x) throws IOException {
    FilePath target = x.target();
    ProppatchRequest request = ProppatchRequest.parse(x.readSmallBody());
    Entry entry = site.files().entry(x.caller(), target);
    if (entry == null) {
      throw new DavException(404, "not found");
    }
    Preconditions.Result pre = Preconditions.evaluate(x::header, entry, false);
    if (pre.outcome() != Preconditions.Outcome.PROCEED) {
      throw new DavException(412, "precondition failed");
    }
    Set<PropertyName> names = new LinkedHashSet<>();
    Set<PropertyName> protectedNames = new LinkedHashSet<>();
    List<PropertyChange> settable = new ArrayList<>();
    List<PropertyChange> dead = new ArrayList<>();
    for (PropertyChange c : request.changes()) {
      names.add(c.name());
      LiveProperty live = site.liveProperties().get(c.name());
      if (live instanceof SettableProperty s
          && s.refusal(site.files(), x.caller(), target, entry, c.value()) == null) {
        settable.add(c);
      } else if (live != null || ContentDigests.isInternal(c.name())) {
        protectedNames.add(c.name());
      } else {
        dead.add(c);
      }
    }
    Map<Integer, List<Map.Entry<PropertyName, String>>> byStatus = new TreeMap<>();
    if (protectedNames.isEmpty()) {
      for (PropertyChange c : settable) {
        ((SettableProperty) site.liveProperties().get(c.name()))
            .apply(site.files(), x.caller(), target, entry, c.value());
      }
      if (!dead.isEmpty()) {
        site.files().patchProperties(x.caller(), target, dead);
      }
      byStatus.put(200, list(names));
    } else {
      names.removeAll(protectedNames);
      byStatus.put(403, list(protectedNames));
      byStatus.put(424, list(names));
    }
    try (Multistatus out = new Multistatus(x)) {
      out.response(site.mount().href(target, entry.isDirectory()), byStatus);
    }
  }

  private static List<Map.Entry<PropertyName, String>> list(Set<PropertyName> names) {
    List<Map.Entry<PropertyName, String>> out = new ArrayList<>();
    for (PropertyName n : names) {
      out.add(new AbstractMap.SimpleImmutableEntry<>(n, null));
    }
    return out;
  }
}
