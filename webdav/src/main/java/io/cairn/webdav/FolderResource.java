package io.cairn.webdav;

import io.cairn.files.ContentUpload;
import io.cairn.files.FilePath;
import io.cairn.core.TreePaths;
import io.cairn.storage.Change;
import io.cairn.storage.Entry;
import io.cairn.storage.Expect;
import io.milton.resource.CollectionResource;
import io.milton.resource.MakeCollectionableResource;
import io.milton.resource.PutableResource;
import io.milton.resource.Resource;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/** A directory, as milton sees it. */
public class FolderResource extends DavResource
    implements PutableResource, MakeCollectionableResource {
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

  /** Creates or replaces the file {@code newName} with {@code in}'s content (milton's contract). */
  @Override
  public Resource createNew(String newName, InputStream in, Long length, String contentType)
      throws IOException {
    FilePath target = path.child(newName);
    ContentUpload.Result content = site.files().upload(in, length == null ? -1 : length);
    site.files().put(site.mount().caller(), target, content, Expect.ANY);
    return DavResourceFactory.resourceFor(site, target);
  }

  @Override
  public CollectionResource createCollection(String newName) {
    FilePath target = path.child(newName);
    site.files().mkdir(site.mount().caller(), target);
    return (CollectionResource) DavResourceFactory.resourceFor(site, target);
  }
}
