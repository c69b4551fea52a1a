package io.cairn.webdav.props;

import io.cairn.storage.PropertyName;
import java.util.function.Function;

/**
 * One property the server computes. Implementations are stateless and thread-safe.
 *
 * <p>Values are XML content written verbatim inside the property element: text must be escaped
 * ({@link io.cairn.webdav.xml.Xml#text}); elements in the DAV: namespace use the prefix {@code D},
 * which the multistatus root binds; other namespaces must be declared on the elements that use
 * them.
 */
public interface LiveProperty {

  /** The property's name. */
  PropertyName name();

  /**
   * Whether a PROPFIND allprop reports it: the live properties RFC 4918 defines do; others (RFC
   * 4331 quotas) are only reported when asked for by name (RFC 4918 §9.1).
   */
  boolean inAllprop();

  /**
   * The value for the resource in {@code ctx}, or null when this resource has no such property
   * (reported as 404 in the multistatus, or left out of allprop).
   */
  String value(PropertyContext ctx);

  /** A property whose value {@code value} computes. */
  static LiveProperty of(PropertyName name, boolean inAllprop, Function<PropertyContext, String> value) {
    return new LiveProperty() {
      @Override
      public PropertyName name() {
        return name;
      }

      @Override
      public boolean inAllprop() {
        return inAllprop;
      }

      @Override
      public String value(PropertyContext ctx) {
        return value.apply(ctx);
      }
    };
  }
}
