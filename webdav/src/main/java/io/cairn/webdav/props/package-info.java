/**
 * Live properties: the ones the server computes (RFC 4918 §15, RFC 4331 quotas) as opposed to the
 * dead ones clients store with PROPPATCH. A small interface per property, so that other parts
 * (class 2 adds {@code supportedlock} and {@code lockdiscovery}) plug theirs in beside these.
 */
package io.cairn.webdav.props;
