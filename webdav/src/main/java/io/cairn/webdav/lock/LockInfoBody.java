package io.cairn.webdav.lock;

import io.cairn.cluster.lock.LockScope;
import io.cairn.webdav.DavException;
import io.cairn.webdav.xml.SafeXml;
import java.io.StringWriter;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The body of a LOCK request that creates a lock: {@code DAV:lockinfo} (RFC 4918 §14.11) with its
 * scope and its owner. The owner's content is kept as XML text, re-serialized from the parsed tree
 * so that every prefix it uses carries its declaration wherever it is written back.
 *
 * @param scope exclusive or shared
 * @param owner the content of {@code DAV:owner} as XML text; null when there was no owner element
 */
record LockInfoBody(LockScope scope, String owner) {

  /** A body that is not a well-formed, valid lockinfo for a write lock (HTTP 400). */
  static final class Invalid extends IllegalArgumentException {
    Invalid(String message) {
      super(message);
    }
  }

  /** The owner's content is written back as XML text: one factory, a transformer per use. */
  private static final TransformerFactory TRANSFORMERS = TransformerFactory.newInstance();

  /** Parses a non-empty body. */
  static LockInfoBody parse(byte[] body) {
    Element root;
    try {
      root = SafeXml.parse(body).getDocumentElement();
    } catch (DavException malformed) {
      throw new Invalid(malformed.getMessage());
    }
    if (!isDav(root, "lockinfo")) {
      throw new Invalid("LOCK body must be a DAV:lockinfo element");
    }
    LockScope scope = null;
    boolean write = false;
    String owner = null;
    for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (!(n instanceof Element e)) {
        continue;
      }
      if (isDav(e, "lockscope")) {
        Element choice = onlyChild(e, "lockscope");
        if (isDav(choice, "exclusive")) {
          scope = LockScope.EXCLUSIVE;
        } else if (isDav(choice, "shared")) {
          scope = LockScope.SHARED;
        } else {
          throw new Invalid("unknown lock scope " + choice.getLocalName());
        }
      } else if (isDav(e, "locktype")) {
        if (!isDav(onlyChild(e, "locktype"), "write")) {
          throw new Invalid("only write locks exist (RFC 4918 §7)");
        }
        write = true;
      } else if (isDav(e, "owner")) {
        owner = serializeChildren(e);
      }
    }
    if (scope == null || !write) {
      throw new Invalid("lockinfo needs a lockscope and a locktype");
    }
    return new LockInfoBody(scope, owner);
  }

  private static boolean isDav(Element e, String name) {
    return LockXml.DAV.equals(e.getNamespaceURI()) && name.equals(e.getLocalName());
  }

  private static Element onlyChild(Element parent, String what) {
    Element found = null;
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e) {
        if (found != null) {
          throw new Invalid(what + " must hold exactly one element");
        }
        found = e;
      }
    }
    if (found == null) {
      throw new Invalid(what + " must hold exactly one element");
    }
    return found;
  }

  private static String serializeChildren(Element owner) {
    try {
      Transformer t;
      synchronized (TRANSFORMERS) { // a factory is not thread-safe
        t = TRANSFORMERS.newTransformer();
      }
      t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
      t.setOutputProperty(OutputKeys.INDENT, "no");
      StringWriter out = new StringWriter();
      for (Node n = owner.getFirstChild(); n != null; n = n.getNextSibling()) {
        t.transform(new DOMSource(n), new StreamResult(out));
      }
      return out.toString();
    } catch (TransformerException e) {
      throw new Invalid("owner cannot be kept: " + e.getMessage());
    }
  }
}
