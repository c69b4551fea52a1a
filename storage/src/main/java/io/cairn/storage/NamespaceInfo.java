package io.cairn.storage;

/**
 * A namespace's counters.
 *
 * @param lastJid the jid of the newest commit (0 for a new namespace)
 * @param usedBytes the sum of the sizes of all live files (what quotas compare)
 */
public record NamespaceInfo(String name, long lastJid, long usedBytes) {}
