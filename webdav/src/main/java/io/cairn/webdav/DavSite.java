package io.cairn.webdav;

import io.cairn.files.FileService;
import io.cairn.webdav.props.LiveProperties;

/**
 * One configured WebDAV site: where URLs land, the storage behind them, the live properties it
 * reports, and its limits. Shared by every handler; immutable.
 *
 * @param mount URL to namespace mapping
 * @param files the file service every front shares: reads, content, commits, access and quota
 * @param liveProperties the computed properties
 * @param maxXmlBodyBytes the largest PROPFIND/PROPPATCH/LOCK body accepted (413 above)
 */
public record DavSite(
    DavMount mount,
    FileService files,
    LiveProperties liveProperties,
    int maxXmlBodyBytes) {}
