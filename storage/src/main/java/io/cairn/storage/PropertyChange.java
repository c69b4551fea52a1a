package io.cairn.storage;

/**
 * One step of a PROPPATCH: set {@code name} to {@code value}, or remove it when {@code value} is
 * null. The value is the property element's content as XML text, stored and returned verbatim.
 */
public record PropertyChange(PropertyName name, String value) {
  public boolean isRemove() {
    return value == null;
  }
}
