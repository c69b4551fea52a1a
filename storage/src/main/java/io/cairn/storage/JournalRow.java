package io.cairn.storage;

import io.cairn.core.Blocklist;
import java.time.Instant;

/**
 * One row of the append-only journal: one committed {@link Change}.
 *
 * @param jid the namespace's journal id: starts at 1, increases by exactly one per commit in commit
 *     order, never reused
 * @param dest the destination of a MOVE or COPY; null otherwise
 * @param size, contentHash, blocklist, mtime the new content for PUT; 0/null/empty/null otherwise
 * @param author who made the change (a user name), may be null
 * @param at when the commit happened (server clock)
 */
public record JournalRow(
    String ns,
    long jid,
    ChangeKind kind,
    String path,
    String dest,
    long size,
    String contentHash,
    Blocklist blocklist,
    Instant mtime,
    String author,
    Instant at) {}
