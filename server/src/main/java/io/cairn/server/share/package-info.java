/**
 * Share links: a read-only (or upload-only) link to one file or folder of a user's view, opened
 * without an account. {@link io.cairn.server.share.ShareLinks} makes, finds, opens and revokes
 * them; the link pages are the web interface's ({@code io.cairn.server.web.LinkPages}), the JSON
 * to manage them the sync API's. See docs/adr/0013-web-interface.md.
 */
package io.cairn.server.share;
