package io.cairn.webdav.method;

import io.cairn.files.Caller;
import io.cairn.storage.Entry;
import io.cairn.files.FilePath;
import io.cairn.webdav.PathCodec;
import io.cairn.webdav.UrlBase;
import io.cairn.webdav.views.ViewNode;
import io.cairn.webdav.xml.Xml;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The HTML page a browser gets for GET on a directory: its children, streamed page by page. */
final class DirectoryListing {
  private static final int PAGE = 1000;

  private DirectoryListing() {}

  static void send(Exchange x, Entry dir, boolean head) throws IOException {
    x.status(200);
    x.response.setNonStandardHeader("Content-Type", "text/html; charset=utf-8");
    if (head) {
      return;
    }
    FilePath target = x.target();
    Writer out = new OutputStreamWriter(x.response.getOutputStream(), StandardCharsets.UTF_8);
    String title = Xml.text(target.isRoot() ? target.ns() : target.path());
    out.write("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>");
    out.write(title);
    out.write("</title></head><body><h1>");
    out.write(title);
    out.write("</h1><ul>\n");
    if (!target.isRoot()) {
      out.write("<li><a href=\"../\">../</a></li>\n");
    }
    String after = null;
    while (true) {
      List<Entry> page = x.site.files().children(x.caller(), target, after, PAGE);
      for (Entry child : page) {
        String href = x.site.mount().href(new FilePath(target.ns(), child.path()), child.isDirectory());
        String name = child.name() + (child.isDirectory() ? "/" : "");
        out.write("<li><a href=\"" + Xml.attr(href) + "\">" + Xml.text(name) + "</a>");
        if (!child.isDirectory()) {
          out.write(" " + child.size() + " bytes");
        }
        out.write("</li>\n");
      }
      if (page.size() < PAGE) {
        break;
      }
      after = page.get(page.size() - 1).name();
    }
    for (io.cairn.files.Caller.Share share : x.site.mount().sharesIn(target)) {
      String href = x.site.mount().href(new FilePath(share.ns(), io.cairn.core.TreePaths.ROOT), true);
      out.write("<li><a href=\"" + Xml.attr(href) + "\">" + Xml.text(share.folder()) + "/</a> (shared)</li>\n");
    }
    if (target.isRoot() && target.ns().equals(x.caller().home())) {
      out.write("<li><a href=\"/.cairn/\">.cairn/</a> (old versions and the trash, read-only)</li>\n");
    }
    out.write("</ul></body></html>\n");
    out.flush();
  }

  /** The page for a folder of the read-only views ({@link ViewsFilter}): its members, as given. */
  static void send(Exchange x, ViewNode folder, List<ViewNode> members, boolean head) throws IOException {
    x.status(200);
    x.response.setNonStandardHeader("Content-Type", "text/html; charset=utf-8");
    if (head) {
      return;
    }
    Writer out = new OutputStreamWriter(x.response.getOutputStream(), StandardCharsets.UTF_8);
    String title = Xml.text(folder.path());
    out.write("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + title + "</title></head><body><h1>");
    out.write(title + "</h1><p>read-only</p><ul>\n<li><a href=\"../\">../</a></li>\n");
    for (ViewNode m : members) {
      String href = UrlBase.currentHref(PathCodec.encode(m.path(), m.isFolder()));
      String name = m.entry().name() + (m.isFolder() ? "/" : "");
      out.write("<li><a href=\"" + Xml.attr(href) + "\">" + Xml.text(name) + "</a>");
      out.write(m.isFolder() ? "</li>\n" : " " + m.entry().size() + " bytes</li>\n");
    }
    out.write("</ul></body></html>\n");
    out.flush();
  }
}
