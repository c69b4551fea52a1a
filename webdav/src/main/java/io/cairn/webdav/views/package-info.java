/**
 * Read-only views of what a user's tree was, at {@code /.cairn/versions/} and {@code
 * /.cairn/trash/} in every WebDAV view, so a Finder, Explorer or davfs2 user reaches old versions
 * and deleted files from the mount itself. {@link io.cairn.webdav.views.CairnViews} maps a view
 * path to a {@link io.cairn.webdav.views.ViewNode} and lists a node's members, reading only what
 * {@link io.cairn.files.FileService} shows the request's caller; {@link
 * io.cairn.webdav.views.ViewNames} names versions and deleted entries. The WebDAV methods are
 * served by {@code io.cairn.webdav.method.ViewsFilter}, which refuses every write with 403.
 */
package io.cairn.webdav.views;
