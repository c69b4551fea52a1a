/**
 * milton over Vert.x without a servlet container: the request and response adapters, the request
 * body as a back-pressured {@link java.io.InputStream}, the response body as a pipelined {@link
 * java.io.OutputStream}, and {@link io.cairn.webdav.http.DavFront}, which takes each request on its
 * event loop for the server's edge to authenticate and serve on a virtual thread. {@link
 * io.cairn.webdav.http.LingeringClose} drains and closes a connection whose body an answer left
 * unread, for every front of the edge.
 *
 * <p>Threading: Vert.x objects are only touched on their event loop (directly in the handler, or
 * through {@code Context.runOnContext} from the virtual thread); the virtual thread only blocks on
 * locks of its own. The virtual threads come from a plain executor, never a Vert.x virtual-thread
 * context: a blocking stream read inside such a context deadlocks, as the data events it waits for
 * queue on the context the reader holds.
 */
package io.cairn.webdav.http;
