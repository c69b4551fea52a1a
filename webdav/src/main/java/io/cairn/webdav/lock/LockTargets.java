package io.cairn.webdav.lock;

import io.milton.http.Request;

/**
 * What the lock support needs from the resource layer, and nothing more: which namespace and path
 * a URL stands for, what lives there, how to name it in an href, and how to
 * create the empty file of a LOCK on an unmapped URL. The webdav module's resource factory
 * implements it; the lock package never sees the resource classes.
 *
 * <p>Calls come from milton's request thread (a virtual thread), inside the request they serve,
 * and may block. Failures are {@link io.cairn.core.CairnException}s; their kinds map to
 * statuses as everywhere else (409 for CONFLICT, 503 for TRANSIENT …).
 */
public interface LockTargets {

  /**
   * The place a URL names for the user of {@code request}, or null when the URL is not served by
   * this server for that user (another host, outside the mount point, an undecodable or invalid
   * path, a namespace the user may not see). Must map exactly as the resource factory does, so
   * that a lock taken through one URL is found through every other URL of the same place.
   *
   * @param url as a client sent it in the Request-URI, a Destination header or an If header tag:
   *     an absolute URL ({@code http://host/dav/a%20b}) or an absolute path ({@code /dav/a%20b});
   *     percent-encoded; a trailing slash is allowed and ignored
   */
  LockTarget locate(Request request, String url);

  /**
   * What lives at the place now: null when nothing does.
   *
   * @return whether it is a collection, and its entity tag exactly as the {@code ETag} response
   *     header would carry it (quotes included, {@code W/} when weak; null when it has none), for
   *     the entity-tag conditions of the If header (RFC 4918 §10.4.4)
   */
  TargetState state(LockTarget target);

  /**
   * Creates an empty file at an unmapped place, for LOCK on an unmapped URL (RFC 4918 §7.3,
   * §9.10.4), with the same effect and permission checks as a PUT of zero bytes by the request's
   * user. Fails with CONFLICT when the parent is missing or is not a collection (HTTP 409), and
   * with ALREADY_EXISTS when something appeared there meanwhile.
   */
  void createEmptyFile(Request request, LockTarget target);

  /**
   * The href clients should see for a place, percent-encoded: an absolute path such as {@code
   * /dav/a%20b/} or an absolute URL, with a trailing slash for collections. Used for {@code
   * DAV:lockroot} and in error bodies.
   *
   * @param request the request being served; null when there is none
   */
  String href(Request request, LockTarget target);

  /** What exists at a place: {@link #collection} and its {@link #etag} (null when it has none). */
  record TargetState(boolean collection, String etag) {}
}
