package io.cairn.webdav.method;

import io.cairn.storage.Entry;
import io.cairn.storage.PropertyChange;
import io.cairn.storage.PropertyName;
import io.cairn.webdav.DavException;
import io.cairn.files.FilePath;
import io.cairn.webdav.DavSite;
import io.cairn.files.Preconditions;
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
 * are protected: a request touching one changes nothing and reports 403 for it and 424 Failed
 * Dependency for the rest.
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
    for (PropertyChange c : request.changes()) {
      names.add(c.name());
      if (site.liveProperties().get(c.name()) != null) {
        protectedNames.add(c.name());
      }
    }
    Map<Integer, List<Map.Entry<PropertyName, String>>> byStatus = new TreeMap<>();
    if (protectedNames.isEmpty()) {
      site.files().patchProperties(x.caller(), target, request.changes());
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
