package io.cairn.webdav.lock;

import io.milton.http.XmlWriter;
import io.milton.http.values.ValueWriter;
import java.util.Map;

/**
 * Writes the values of {@link LockPropertySource} into milton's PROPFIND response. milton picks
 * the first writer that supports a value's class, so this one goes first in the list.
 */
final class LockValueWriter implements ValueWriter {

  @Override
  @SuppressWarnings("rawtypes") // milton's signature
  public boolean supports(String nsUri, String localName, Class valueClass) {
    return valueClass == LockPropertySource.LockDiscovery.class
        || valueClass == LockPropertySource.SupportedLock.class;
  }

  @Override
  public void writeValue(
      XmlWriter writer,
      String nsUri,
      String prefix,
      String localName,
      Object val,
      String href,
      Map<String, String> nsPrefixes) {
    StringBuilder inner = new StringBuilder();
    if (val instanceof LockPropertySource.LockDiscovery d) {
      for (int i = 0; i < d.locks().size(); i++) {
        LockXml.activeLock(inner, prefix, d.locks().get(i), d.rootHrefs().get(i), d.now());
      }
    } else if (val instanceof LockPropertySource.SupportedLock) {
      inner.append(LockXml.supportedLockEntries(prefix));
    }
    if (inner.isEmpty()) {
      writer.writeProperty(prefix, localName);
    } else {
      writer.writeProperty(prefix, localName, inner.toString());
    }
  }

  @Override
  public Object parse(String namespaceURI, String localPart, String value) {
    throw new UnsupportedOperationException(localPart + " is protected");
  }
}
