package io.cairn.storage;

import java.time.Instant;

/**
 * One removed subtree in a namespace's trash: what one commit (a Delete, or a Move or Copy that
 * replaced its destination) took out of the tree. Its entries, as they were, are {@link
 * Journal#trashed}.
 *
 * @param path the removed subtree's root (a file or a folder)
 * @param jid the jid of the removing commit: the "deleted version" a restore names
 * @param at when that commit happened
 * @param author who made it; may be null
 * @param kind the root's kind
 * @param bytes the sizes of every file of the subtree, summed
 * @param files how many files the subtree held (1 for a file)
 */
public record TrashItem(
    String path, long jid, Instant at, String author, EntryKind kind, long bytes, long files) {}
