/**
 * Who a request is for, as WebDAV sees it: the server's edge authenticates every request but
 * OPTIONS before milton sees it and runs it as a {@link io.cairn.files.Caller}. The user decides the
 * namespace every URL of the request resolves into ({@link io.cairn.webdav.DavMount}): a path
 * cannot name a namespace, so no path, encoding, Destination or lock token can reach one the user
 * has no access to. {@link io.cairn.webdav.auth.ShareAccessFilter} refuses a write to a read-only
 * share before its body is read.
 */
package io.cairn.webdav.auth;
