/**
 * Authentication at the edge: {@link io.cairn.server.auth.StoreAuthenticator} checks HTTP Basic
 * (password or app token) and Bearer (app token) credentials against the {@link
 * io.cairn.storage.users.UserStore}, keeps verified credentials briefly in a {@link
 * io.cairn.server.auth.CredentialCache} (keyed by an HMAC, never the secret), and slows down
 * repeated failures, refusing only the (user, address) pair that keeps failing, with {@link
 * io.cairn.server.auth.LoginThrottle}. {@link
 * io.cairn.server.auth.Accounts} is the one place users and tokens are created, for the server's
 * first start, the CLI and the tests alike. With LDAP configured, {@link
 * io.cairn.server.auth.LdapDirectory} searches and binds through JNDI and {@link
 * io.cairn.server.auth.LdapLogins} keeps the directory's users as Cairn users (docs/ldap.md).
 */
package io.cairn.server.auth;
