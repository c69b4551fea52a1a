/**
 * Who may use Cairn: users with Argon2id password hashes ({@link io.cairn.storage.users.PasswordHash}),
 * app tokens kept as hashes, grants of shared namespaces, and quotas, stored beside the journal in
 * the same database ({@link io.cairn.storage.users.UserStore}; SQLite in {@code
 * io.cairn.storage.sqlite}, PostgreSQL in {@code io.cairn.storage.pg}). Nothing here ever holds a
 * password or a token in the clear longer than the call that hashes it.
 */
package io.cairn.storage.users;
