package io.cairn.webdav.method;

import io.cairn.storage.PropertyName;
import io.cairn.webdav.props.LiveProperty;
import io.cairn.webdav.props.PropertyContext;
import io.cairn.webdav.xml.Xml;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The live properties that advertise collection synchronization on every folder: {@code
 * DAV:supported-report-set} (RFC 3253 §3.1.5) naming {@code DAV:sync-collection}, and {@code
 * DAV:sync-token} (RFC 6578 §4), the token a report from the folder's current state would start
 * from. Neither is part of allprop (both RFCs say so); a file has neither.
 */
public final class SyncProperties {
  private static final String DAV = "DAV:";

  private SyncProperties() {}

  /** Both properties, for {@link io.cairn.webdav.props.LiveProperties#with}. */
  public static List<LiveProperty> all() {
    return List.of(
        LiveProperty.of(
            new PropertyName(DAV, "supported-report-set"),
            false,
            c -> c.entry().isDirectory()
                ? "<D:supported-report><D:report><D:sync-collection/></D:report></D:supported-report>"
                : null),
        LiveProperty.of(new PropertyName(DAV, "sync-token"), false, SyncProperties::syncToken));
  }

  private static String syncToken(PropertyContext c) {
    if (!c.entry().isDirectory()) {
      return null;
    }
    SyncScope scope = SyncScope.of(c.caller(), c.path(), false);
    Map<String, Long> jids = new LinkedHashMap<>();
    for (SyncScope.Part part : scope.parts()) {
      long last = part.ns().equals(c.path().ns())
          ? c.namespaceInfo().lastJid()
          : c.files().usage(c.caller(), part.ns()).lastJid();
      jids.put(part.ns(), last);
    }
    return Xml.text(scope.token(jids, null).uri());
  }
}
