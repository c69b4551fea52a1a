package io.cairn.storage;

import java.time.Instant;

/**
 * One child as a listing shows it ({@link Journal#listing}): an {@link Entry} without its
 * blocklist, so that a journal can answer a listing without reading blocklists (on PostgreSQL from
 * a covering index alone, ADR 0017). It is not an {@link Entry}: code that reads, copies or checks
 * content cannot be handed one. The components mean what {@link Entry}'s of the same name mean.
 */
public record ListedEntry(
    String path,
    EntryKind kind,
    long size,
    Instant mtime,
    String contentHash,
    long version,
    Instant created,
    long fileId,
    long treeVersion,
    long treeSize)
    implements EntryMetadata {}
