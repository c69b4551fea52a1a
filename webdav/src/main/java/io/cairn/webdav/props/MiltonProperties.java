package io.cairn.webdav.props;

import io.cairn.storage.PropertyName;
import io.milton.http.XmlWriter;
import io.milton.http.exceptions.BadRequestException;
import io.milton.http.exceptions.NotAuthorizedException;
import io.milton.http.values.ValueAndType;
import io.milton.http.values.ValueWriters;
import io.milton.property.PropertySource;
import io.milton.resource.Resource;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.namespace.QName;

/**
 * Properties served by milton {@link PropertySource}s that add-ons register on milton's builder
 * (class 2's {@code lockdiscovery} and {@code supportedlock}), for Cairn's own PROPFIND, which
 * does not otherwise use milton's property machinery. Values are rendered by milton's {@link
 * ValueWriters} and handed over as XML content. All are read-only: PROPPATCH refuses them as
 * protected. Only DAV: properties are bridged (the multistatus binds the prefix {@code D}).
 */
public final class MiltonProperties {
  private static final Map<String, String> PREFIXES = Map.of("DAV:", "D");

  private volatile List<PropertySource> sources = List.of();
  private volatile ValueWriters writers = new ValueWriters();

  /** Sets what milton's builder ended up with; called once the HttpManager is built. */
  public void bind(List<PropertySource> sources, ValueWriters writers) {
    this.sources = sources == null ? List.of() : List.copyOf(sources);
    this.writers = writers == null ? new ValueWriters() : writers;
  }

  /** The names the sources report for {@code r}. */
  public List<PropertyName> names(Resource r) {
    Set<PropertyName> names = new LinkedHashSet<>();
    for (PropertySource s : sources) {
      List<QName> all;
      try {
        all = s.getAllPropertyNames(r);
      } catch (NotAuthorizedException | BadRequestException e) {
        continue;
      }
      if (all != null) {
        for (QName q : all) {
          if (PREFIXES.containsKey(q.getNamespaceURI())) {
            names.add(new PropertyName(q.getNamespaceURI(), q.getLocalPart()));
          }
        }
      }
    }
    return new ArrayList<>(names);
  }

  /** Whether a source knows {@code name} for {@code r} (then PROPPATCH must not touch it). */
  public boolean knows(PropertyName name, Resource r) {
    return source(name, r) != null;
  }

  /** The value of {@code name} for {@code r} as XML content, or null when no source has it. */
  public String value(PropertyName name, Resource r) {
    PropertySource s = source(name, r);
    if (s == null) {
      return null;
    }
    QName q = new QName(name.namespace(), name.localName());
    Object v;
    try {
      v = s.getProperty(q, r);
    } catch (NotAuthorizedException e) {
      return null;
    }
    if (v == null) {
      return "";
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    XmlWriter xml = new XmlWriter(out);
    writers.writeValue(xml, q, "D", new ValueAndType(v, v.getClass()), null, PREFIXES);
    xml.flush();
    return content(out.toString(StandardCharsets.UTF_8), "D:" + name.localName());
  }

  private PropertySource source(PropertyName name, Resource r) {
    if (r == null || !PREFIXES.containsKey(name.namespace())) {
      return null;
    }
    QName q = new QName(name.namespace(), name.localName());
    for (PropertySource s : sources) {
      try {
        PropertySource.PropertyMetaData meta = s.getPropertyMetaData(q, r);
        if (meta != null && !meta.isUnknown()) {
          return s;
        }
      } catch (NotAuthorizedException | BadRequestException e) {
        // Not this source's, or not for this user: look on.
      }
    }
    return null;
  }

  /** The content of the one element {@code tag} that {@code xml} holds. */
  static String content(String xml, String tag) {
    String s = xml.trim();
    if (s.startsWith("<" + tag + "/>") || s.startsWith("<" + tag + " />")) {
      return "";
    }
    int open = s.indexOf('>');
    int close = s.lastIndexOf("</" + tag);
    if (open < 0 || close < open) {
      return "";
    }
    return s.substring(open + 1, close);
  }
}
