package io.cairn.webdav.method;

import io.cairn.files.Caller;
import io.cairn.files.FilePath;
import io.cairn.files.FileService;
import io.cairn.storage.Entry;
import io.cairn.storage.NamespaceInfo;
import io.cairn.webdav.DavSite;
import io.cairn.webdav.props.PropertyContext;

/**
 * The live properties' view of something that is no entry of a tree (a version or trash view, a
 * staged upload, a version or removal of the Nextcloud clients' endpoints): the entry shown, its
 * href, a namespace path in the caller's home (no lock can exist there), and the home's quotas.
 */
class HomeContext implements PropertyContext {
  private final DavSite site;
  private final Caller caller;
  private final FilePath path;
  private final Entry entry;
  private final String href;
  private NamespaceInfo info;

  HomeContext(DavSite site, Caller caller, FilePath path, Entry entry, String href) {
    this.site = site;
    this.caller = caller;
    this.path = path;
    this.entry = entry;
    this.href = href;
  }

  @Override
  public FilePath path() {
    return path;
  }

  @Override
  public Entry entry() {
    return entry;
  }

  @Override
  public String href() {
    return href;
  }

  @Override
  public Caller caller() {
    return caller;
  }

  @Override
  public FileService files() {
    return site.files();
  }

  @Override
  public NamespaceInfo namespaceInfo() {
    if (info == null) {
      info = site.files().usage(caller, caller.home());
    }
    return info;
  }
}
