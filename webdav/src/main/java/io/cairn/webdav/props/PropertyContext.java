package io.cairn.webdav.props;

import io.cairn.storage.EntryMetadata;
import io.cairn.storage.NamespaceInfo;
import io.cairn.files.FilePath;
import io.cairn.files.Caller;
import io.cairn.files.FileService;

/**
 * What a live property may look at to compute its value for one resource of a PROPFIND. Used on
 * the request's virtual thread only.
 */
public interface PropertyContext {
  /** The resource's namespace path. */
  FilePath path();

  /**
   * The resource's entry; never null (a PROPFIND only reports existing resources). Without its
   * blocklist: a folder's children come from a listing ({@link io.cairn.storage.Journal#listing}).
   */
  EntryMetadata entry();

  /** The resource's href as written in the response. */
  String href();

  /** Who asks: what the caller sees (shares as folders) and how much room they have. */
  Caller caller();

  /** The file service, for properties that need more than the entry. */
  FileService files();

  /** The namespace's counters, fetched at most once per request. */
  NamespaceInfo namespaceInfo();
}
