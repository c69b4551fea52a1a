package io.cairn.webdav.props;

import io.cairn.files.Caller;
import io.cairn.files.FilePath;
import io.cairn.files.FileService;
import io.cairn.storage.Entry;

/**
 * A live property that a PROPPATCH may set: the server checks the value and applies it itself
 * (ownCloud's {@code lastmodified} sets a file's mtime) instead of storing it as a dead property.
 * A PROPPATCH checks every settable value before it applies any (RFC 4918 §9.2: all or none).
 */
public interface SettableProperty extends LiveProperty {

  /**
   * Why {@code value} (the property element's content as XML; null for a remove) cannot be set on
   * {@code entry} (at {@code path}), or null when it can. Reported as 403 for this property.
   */
  String refusal(FileService files, Caller caller, FilePath path, Entry entry, String value);

  /** Applies a value {@link #refusal} accepted; failures are CairnExceptions (their own status). */
  void apply(FileService files, Caller caller, FilePath path, Entry entry, String value);
}
