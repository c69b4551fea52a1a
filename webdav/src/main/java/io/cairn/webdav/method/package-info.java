/**
 * Cairn's WebDAV method handlers, plugged into milton as one {@link io.milton.http.HttpExtension}
 * in place of milton's own (which auto-create missing parents on PUT, decode {@code %2F} into
 * slashes, read three levels for Depth: infinity, flatten dead property values to strings and
 * answer malformed XML with 207). Each handler reads the target's entry, evaluates the request's
 * conditions, and makes one journal commit whose {@link io.cairn.storage.Expect} makes the check
 * and the change atomic.
 *
 * <p>Failures are thrown, never answered in place: {@link io.cairn.webdav.method.ErrorFilter}
 * turns {@link io.cairn.webdav.DavException}s and storage failures into responses.
 */
package io.cairn.webdav.method;
