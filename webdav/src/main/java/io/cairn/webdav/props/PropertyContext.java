package io.cairn.webdav.props;

import io.cairn.storage.Entry;
import io.cairn.storage.NamespaceInfo;
import io.cairn.files.FilePath;
import io.cairn.files.FileService;

/**
 * What a live property may look at to compute its value for one resource of a PROPFIND. Used on
 * the request's virtual thread only.
 */
public interface PropertyContext {
  /** The resource's namespace path. */
  FilePath path();

  /** The resource's entry; never null (a PROPFIND only reports existing resources). */
  Entry entry();

  /** The resource's href as written in the response. */
  String href();

  /** The storage, for properties that need more than the entry. */
  FileService store();

  /** The namespace's counters, fetched at most once per request. */
  NamespaceInfo namespaceInfo();
}
