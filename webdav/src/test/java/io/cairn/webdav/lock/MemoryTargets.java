package io.cairn.webdav.lock;

import io.cairn.core.TreePaths;
import io.milton.http.Request;
import io.milton.http.http11.DefaultETagGenerator;
import io.milton.resource.Resource;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * TEST ONLY: {@link LockTargets} over a {@link MemoryTree} served at the root of one namespace, the
 * way the webdav module's resource layer is expected to implement it.
 */
final class MemoryTargets implements LockTargets {
  static final String NS = "test";

  private final MemoryTree tree;
  private final MemoryResources resources;
  private final DefaultETagGenerator etags = new DefaultETagGenerator();

  MemoryTargets(MemoryTree tree, MemoryResources resources) {
    this.tree = tree;
    this.resources = resources;
  }

  /** The tree path of an absolute URL or absolute path; null when it is not a valid one. */
  static String pathOf(String url) {
    String rest = url;
    int scheme = rest.indexOf("://");
    if (scheme >= 0) {
      int slash = rest.indexOf('/', scheme + 3);
      rest = slash < 0 ? "/" : rest.substring(slash);
    }
    int query = rest.indexOf('?');
    if (query >= 0) {
      rest = rest.substring(0, query);
    }
    String path = percentDecode(rest);
    if (path == null) {
      return null;
    }
    if (path.isEmpty()) {
      path = TreePaths.ROOT;
    }
    if (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return TreePaths.isValid(path) ? path : null;
  }

  @Override
  public LockTarget locate(Request request, String url) {
    String path = pathOf(url);
    return path == null ? null : new LockTarget(NS, path);
  }

  @Override
  public LockTarget locate(Resource resource) {
    return resource instanceof MemoryResources.Node n ? new LockTarget(NS, n.path) : null;
  }

  @Override
  public TargetState state(LockTarget target) {
    Resource r = resources.resource(target.path());
    if (r == null) {
      return null;
    }
    return new TargetState(r instanceof MemoryResources.Folder, etags.generateEtag(r));
  }

  @Override
  public void createEmptyFile(Request request, LockTarget target) {
    tree.createFile(target.path());
  }

  @Override
  public String href(Request request, LockTarget target) {
    StringBuilder out = new StringBuilder();
    for (byte b : target.path().getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (Character.isLetterOrDigit(c) && c < 128 || "/-._~".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    MemoryTree.Node node = tree.get(target.path());
    if (node != null && node.dir() && !target.path().equals(TreePaths.ROOT)) {
      out.append('/');
    }
    return out.toString();
  }

  private static String percentDecode(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          return null;
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        out.write(hi * 16 + lo);
        i += 2;
      } else {
        out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
