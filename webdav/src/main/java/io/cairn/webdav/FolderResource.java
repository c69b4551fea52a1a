package io.cairn.webdav;

import io.cairn.files.FilePath;
import io.cairn.core.TreePaths;
import io.cairn.storage.Entry;
import io.milton.resource.CollectionResource;
import io.milton.resource.Resource;
import java.util.ArrayList;
import java.util.List;

/** A directory, as milton sees it. */
public class FolderResource extends DavResource implements CollectionResource {
  private static final int PAGE = 1000;

  public FolderResource(DavSite site, FilePath path, Entry entry) {
    super(site, path, entry);
  }

  @Override
  public Resource child(String childName) {
    if (!TreePaths.isValid(TreePaths.child(path.path(), childName))) {
      return null;
    }
    return DavResourceFactory.resourceFor(site, path.child(childName));
  }

  /** Every child; for milton-level code only (handlers page through children instead). */
  @Override
  public List<? extends Resource> getChildren() {
    List<Resource> out = new ArrayList<>();
    String after = null;
    while (true) {
      List<Entry> page = site.files().children(site.mount().caller(), path, after, PAGE);
      for (Entry e : page) {
        out.add(DavResourceFactory.resourceFor(site, new FilePath(path.ns(), e.path()), e));
      }
      if (page.size() < PAGE) {
        return out;
      }
      after = page.get(page.size() - 1).name();
    }
  }
}
