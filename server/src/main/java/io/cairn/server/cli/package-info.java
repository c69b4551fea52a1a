/**
 * The administration commands of {@code cairn} ({@code user}, {@code token}, {@code quota}, {@code ns}),
 * run against the journal database the configuration names, with or without a server running.
 */
package io.cairn.server.cli;
