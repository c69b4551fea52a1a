/**
 * The command line of {@code cairn}: the administration commands ({@code user}, {@code token},
 * {@code quota}, {@code ns}), run against the journal database the configuration names, with or
 * without a server running; the arguments of the maintenance commands ({@code fsck}, {@code gc},
 * {@code backup}); and how every command words a mistake ({@link io.cairn.server.cli.CommandUsage}):
 * one line, the nearest word when one was mistyped, the command's synopsis, exit status 2.
 */
package io.cairn.server.cli;
