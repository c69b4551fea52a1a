/**
 * Who a request is for: the {@link io.cairn.webdav.auth.RequestAuthenticator} the edge asks before
 * milton sees a request (every method but OPTIONS), and the {@link io.cairn.files.Caller}
 * the request then runs as. The user decides the namespace every URL of the request resolves into
 * ({@link io.cairn.webdav.DavMount}): a path cannot name a namespace, so no path, encoding,
 * Destination or lock token can reach one the user has no access to.
 */
package io.cairn.webdav.auth;
