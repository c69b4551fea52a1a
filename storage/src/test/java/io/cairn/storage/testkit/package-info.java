/**
 * Real backends for tests, started by the tests themselves and shared through the storage
 * test-jar with the modules above: {@link io.cairn.storage.testkit.PostgresServer} for PostgreSQL.
 * A backend that cannot be started fails the run with what to install; nothing is skipped.
 */
package io.cairn.storage.testkit;
