package io.cairn.storage;

/**
 * A dead property's name: an XML namespace URI (empty string for no namespace) and a local name.
 */
public record PropertyName(String namespace, String localName) {
  public PropertyName {
    if (namespace == null || localName == null || localName.isEmpty()) {
      throw new IllegalArgumentException("a property needs a namespace (may be empty) and a name");
    }
  }
}
