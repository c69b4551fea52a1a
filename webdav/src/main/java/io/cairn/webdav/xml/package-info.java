/**
 * WebDAV's XML: safe parsing of request bodies (no DTDs, no external entities), the PROPFIND and
 * PROPPATCH request models, property values kept as self-contained XML fragments with their
 * namespaces, and escaping for the multistatus writer.
 */
package io.cairn.webdav.xml;
