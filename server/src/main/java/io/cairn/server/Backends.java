package io.cairn.server;

import io.cairn.core.chunk.Chunker;
import io.cairn.storage.ChunkStore;
import io.cairn.storage.Journal;
import io.cairn.storage.fs.FsChunkStore;
import io.cairn.storage.pg.PgJournal;
import io.cairn.storage.pg.PgUserStore;
import io.cairn.storage.s3.S3ChunkStore;
import io.cairn.storage.sqlite.SqliteJournal;
import io.cairn.storage.sqlite.SqliteUserStore;
import io.cairn.storage.users.UserStore;
import io.cairn.files.ChunkSplitter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;

/**
 * The storage backends by URI scheme, in one small registry (house style §2): a journal URI's
 * scheme picks the journal ({@code sqlite:}, {@code postgresql://}), a chunk store URI's scheme
 * picks the chunk store ({@code file:}, {@code s3://}). Adding a backend is one line here.
 */
final class Backends {
  /** Opens a journal from its URI. */
  interface JournalOpener {
    Future<? extends Journal> open(Vertx vertx, String uri, Clock clock);
  }

  /** Opens a chunk store from its URI. */
  interface ChunkStoreOpener {
    Future<? extends ChunkStore> open(Vertx vertx, URI uri);
  }

  static final Map<String, JournalOpener> JOURNALS =
      Map.of(
          "sqlite", (vertx, uri, clock) -> Future.succeededFuture(SqliteJournal.open(uri, clock)),
          "postgresql", (vertx, uri, clock) -> PgJournal.open(vertx, uri, clock, PgJournal.DEFAULT_POOL_SIZE),
          "postgres", (vertx, uri, clock) -> PgJournal.open(vertx, uri, clock, PgJournal.DEFAULT_POOL_SIZE));

  static final Map<String, ChunkStoreOpener> CHUNK_STORES =
      Map.of(
          "file", (vertx, uri) -> FsChunkStore.open(uri),
          "s3", (vertx, uri) -> S3ChunkStore.open(uri));

  /**
   * The same backends opened for reading only, beside a server that may be writing them ({@code
   * cairn fsck}): nothing is migrated, locked or created. S3 has no read-only mode of its own: its
   * store only reads unless asked to write, except that it creates a missing bucket.
   */
  static final Map<String, JournalOpener> READ_ONLY_JOURNALS =
      Map.of(
          "sqlite", (vertx, uri, clock) -> Future.succeededFuture(SqliteJournal.openReadOnly(SqliteJournal.pathOf(uri), clock)),
          "postgresql", PgJournal::openReadOnly,
          "postgres", PgJournal::openReadOnly);

  static final Map<String, ChunkStoreOpener> READ_ONLY_CHUNK_STORES =
      Map.of(
          "file", (vertx, uri) -> FsChunkStore.openReadOnly(Path.of(uri)),
          "s3", (vertx, uri) -> S3ChunkStore.open(uri));

  /** Opens the user store that lives in the journal's database. */
  interface UserStoreOpener {
    Future<? extends UserStore> open(Vertx vertx, String uri, Clock clock);
  }

  static final Map<String, UserStoreOpener> USER_STORES =
      Map.of(
          "sqlite", (vertx, uri, clock) -> Future.succeededFuture(SqliteUserStore.open(uri, clock)),
          "postgresql", (vertx, uri, clock) -> PgUserStore.open(vertx, uri, clock),
          "postgres", (vertx, uri, clock) -> PgUserStore.open(vertx, uri, clock));

  private Backends() {}

  /** The user store in the database {@code journalUri} names (users live beside the journal). */
  static Future<UserStore> userStore(Vertx vertx, String journalUri, Clock clock) {
    UserStoreOpener opener = USER_STORES.get(scheme(journalUri));
    if (opener == null) {
      throw new ServerConfig.InvalidConfig(
          "journal.uri: unknown scheme in " + journalUri + " (known: " + USER_STORES.keySet() + ")");
    }
    return opener.open(vertx, journalUri, clock).map(s -> (UserStore) s);
  }

  /** The journal {@code uri} names, keeping time on {@code clock}. */
  static Future<Journal> journal(Vertx vertx, String uri, Clock clock) {
    JournalOpener opener = JOURNALS.get(scheme(uri));
    if (opener == null) {
      throw new ServerConfig.InvalidConfig(
          "journal.uri: unknown scheme in " + uri + " (known: " + JOURNALS.keySet() + ")");
    }
    return opener.open(vertx, uri, clock).map(j -> (Journal) j);
  }

  /** The journal {@code uri} names, opened read-only ({@link #READ_ONLY_JOURNALS}). */
  static Future<Journal> readOnlyJournal(Vertx vertx, String uri, Clock clock) {
    JournalOpener opener = READ_ONLY_JOURNALS.get(scheme(uri));
    if (opener == null) {
      throw new ServerConfig.InvalidConfig(
          "journal.uri: unknown scheme in " + uri + " (known: " + READ_ONLY_JOURNALS.keySet() + ")");
    }
    return opener.open(vertx, uri, clock).map(j -> (Journal) j);
  }

  /** The chunk store {@code uri} names, opened read-only ({@link #READ_ONLY_CHUNK_STORES}). */
  static Future<ChunkStore> readOnlyChunkStore(Vertx vertx, String uri) {
    ChunkStoreOpener opener = READ_ONLY_CHUNK_STORES.get(scheme(uri));
    if (opener == null) {
      throw new ServerConfig.InvalidConfig(
          "chunks.uri: unknown scheme in " + uri + " (known: " + READ_ONLY_CHUNK_STORES.keySet() + ")");
    }
    return opener.open(vertx, toUri(uri)).map(c -> (ChunkStore) c);
  }

  static Future<ChunkStore> chunkStore(Vertx vertx, String uri) {
    ChunkStoreOpener opener = CHUNK_STORES.get(scheme(uri));
    if (opener == null) {
      throw new ServerConfig.InvalidConfig(
          "chunks.uri: unknown scheme in " + uri + " (known: " + CHUNK_STORES.keySet() + ")");
    }
    return opener.open(vertx, toUri(uri)).map(c -> (ChunkStore) c);
  }

  /** The chunker with the configured sizes, as the WebDAV layer's splitter. */
  static ChunkSplitter splitter(ServerConfig config) {
    return ChunkSplitter.of(new Chunker(config.chunkerParams()));
  }

  /** The local directory of a {@code file:} chunk store URI, or null for other schemes. */
  static Path localDirectory(String uri) {
    if (!"file".equals(scheme(uri))) {
      return null;
    }
    return Path.of(toUri(uri));
  }

  private static String scheme(String uri) {
    int colon = uri.indexOf(':');
    return colon <= 0 ? "" : uri.substring(0, colon).toLowerCase(Locale.ROOT);
  }

  /**
   * A URI from configuration text; {@code file:relative/path} and {@code file:./x} are taken
   * relative to the working directory.
   */
  static URI toUri(String uri) {
    if (scheme(uri).equals("file") && !uri.startsWith("file:/")) {
      return Path.of(uri.substring(5)).toAbsolutePath().normalize().toUri();
    }
    try {
      return URI.create(uri);
    } catch (IllegalArgumentException e) {
      throw new ServerConfig.InvalidConfig("not a valid URI: " + uri);
    }
  }
}
