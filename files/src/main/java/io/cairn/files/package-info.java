/**
 * The files layer: the operations a user performs on their tree ({@link io.cairn.files.FileService}),
 * protocol-neutral, under every front door (WebDAV, the sync API, the web interface). Who asks is
 * a {@link io.cairn.files.Caller}, passed to every call: their view (home and shares) decides what
 * they may read and change, and quota holds on every write, here and nowhere else, so no two
 * fronts can disagree. Blocking calls for virtual threads; failures are {@link
 * io.cairn.core.CairnException}s whose kind carries the HTTP status.
 */
package io.cairn.files;
