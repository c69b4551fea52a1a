/**
 * The web interface: browser sessions (a login form sets an HttpOnly cookie holding an app token of
 * the kind {@link io.cairn.server.web.WebSessions#TOKEN_NAME}, its CSRF token derived from it), the
 * static page served from the jar, and the rule that only a browser's GET of a folder gets that
 * page. The page itself uses only the documented sync API and plain WebDAV PUT. See
 * docs/adr/0013-web-interface.md.
 */
package io.cairn.server.web;
