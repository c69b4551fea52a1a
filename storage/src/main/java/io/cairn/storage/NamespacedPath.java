package io.cairn.storage;

import io.cairn.core.TreePaths;

/**
 * A path in a given namespace: one entry's address across all namespaces, as {@link
 * Journal#nonAsciiPaths} lists them and takes its cursor.
 *
 * @param ns the namespace's name
 * @param path a path of that namespace ({@link TreePaths})
 */
public record NamespacedPath(String ns, String path) {}
