/**
 * The admin REST API under {@value io.cairn.server.admin.AdminApi#PREFIX}: the CLI's user, token,
 * quota and shared-namespace operations over HTTP with JSON bodies, for admins (and for users on
 * their own password and tokens).
 */
package io.cairn.server.admin;
