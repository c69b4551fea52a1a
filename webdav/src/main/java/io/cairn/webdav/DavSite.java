package io.cairn.webdav;

import io.cairn.files.FileService;
import io.cairn.webdav.props.LiveProperties;
import io.cairn.files.QuotaPolicy;

/**
 * One configured WebDAV site: where URLs land, the storage behind them, the live properties it
 * reports, and its limits. Shared by every handler; immutable.
 *
 * @param mount URL to namespace mapping
 * @param store the storage facade
 * @param liveProperties the computed properties
 * @param quota the namespace quota policy
 * @param maxXmlBodyBytes the largest PROPFIND/PROPPATCH/LOCK body accepted (413 above)
 */
public record DavSite(
    DavMount mount,
    FileService store,
    LiveProperties liveProperties,
    QuotaPolicy quota,
    int maxXmlBodyBytes) {}
