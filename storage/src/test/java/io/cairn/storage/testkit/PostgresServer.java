package io.cairn.storage.testkit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL server for tests, shared by every test of one JVM ({@link #shared()}), handing each
 * test class a database of its own ({@link #newDatabase()}) so classes never see each other's rows.
 *
 * <p>When the environment variable {@value #ENV_URL} holds a URI ({@code
 * postgresql://user:pass@host:port/db}, a user allowed to CREATE DATABASE), that server is used and
 * the databases made on it are dropped when the JVM exits. Otherwise a throwaway cluster is
 * started from the installed PostgreSQL binaries ({@link ThrowawayCluster}) and removed at exit.
 * When neither works, {@link #shared()} throws with what to install: a missing database fails the
 * run loudly, it never skips tests.
 */
public final class PostgresServer implements AutoCloseable {
  /** The environment variable naming an existing server to use instead of a throwaway one. */
  public static final String ENV_URL = "CAIRN_TEST_PG_URL";

  private static PostgresServer shared;

  private final URI admin;
  private final ThrowawayCluster cluster;
  private final List<String> created = new ArrayList<>();
  private boolean stopped;

  private PostgresServer(URI admin, ThrowawayCluster cluster) {
    this.admin = admin;
    this.cluster = cluster;
  }

  /**
   * The server of this JVM, started on first use. Thread-safe. Throws IllegalStateException with
   * installation advice when no server can be had.
   */
  public static synchronized PostgresServer shared() {
    if (shared == null) {
      shared = start();
      PostgresServer server = shared;
      Runtime.getRuntime()
          .addShutdownHook(new Thread(server::shutdown, "cairn-test-postgres-shutdown"));
    }
    return shared;
  }

  /**
   * A throwaway cluster of the caller's own, whatever {@value #ENV_URL} says, for a test that stops
   * and restarts it ({@link #halt()}, {@link #restart()}) and so must not share it. {@link #close()}
   * removes it; so does the JVM's exit, should a test forget. Throws as {@link #shared()} does.
   */
  public static PostgresServer startOwn() {
    try {
      ThrowawayCluster cluster = ThrowawayCluster.start();
      PostgresServer own = new PostgresServer(
          parse("postgresql://postgres@127.0.0.1:" + cluster.port() + "/postgres"), cluster);
      Runtime.getRuntime().addShutdownHook(new Thread(own::shutdown, "cairn-test-postgres-own-shutdown"));
      return own;
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("Cannot start a PostgreSQL server of the test's own: " + e.getMessage()
          + ". Install the server binaries (apt-get install postgresql-15).", e);
    }
  }

  /**
   * Stops a throwaway server as a crash would (every connection cut, no checkpoint), keeping its
   * data: clients see it unreachable until {@link #restart()}. Blocking.
   */
  public void halt() {
    requireThrowaway();
    try {
      cluster.halt();
    } catch (IOException e) {
      throw new IllegalStateException("could not stop PostgreSQL: " + e.getMessage(), e);
    }
  }

  /** Starts a {@link #halt()}ed throwaway server again on the same port and data. Blocking. */
  public void restart() {
    requireThrowaway();
    try {
      cluster.restart();
    } catch (IOException e) {
      throw new IllegalStateException("could not restart PostgreSQL: " + e.getMessage(), e);
    }
  }

  /** Stops a server of {@link #startOwn()} and deletes its data. */
  public void close() {
    shutdown();
  }

  private void requireThrowaway() {
    if (cluster == null) {
      throw new IllegalStateException("only a throwaway server (startOwn) can be stopped and restarted");
    }
  }

  private static PostgresServer start() {
    String url = System.getenv(ENV_URL);
    if (url != null && !url.isBlank()) {
      return new PostgresServer(parse(url.trim()), null);
    }
    try {
      ThrowawayCluster cluster = ThrowawayCluster.start();
      return new PostgresServer(
          parse("postgresql://postgres@127.0.0.1:" + cluster.port() + "/postgres"), cluster);
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(
          "Cannot start a PostgreSQL server for the tests: "
              + e.getMessage()
              + ". Install the server binaries (apt-get install postgresql-15) or point "
              + ENV_URL
              + " at a server (postgresql://user:pass@host:port/db, allowed to CREATE DATABASE).",
          e);
    }
  }

  /**
   * Creates an empty database and returns its URI for {@code PgJournal}. Blocking: call it from a
   * test's setup, never from an event loop.
   */
  public String newDatabase() {
    String name = "cairn_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    runAdmin("CREATE DATABASE " + name + " TEMPLATE template0 ENCODING 'UTF8'");
    synchronized (this) {
      created.add(name);
    }
    return withDatabase(name).toString();
  }

  /** The URI of the server's administrative database (the one databases are created from). */
  public String adminUri() {
    return admin.toString();
  }

  /** Whether this JVM started the server (false when {@value #ENV_URL} names one). */
  public boolean isThrowaway() {
    return cluster != null;
  }

  /** The throwaway cluster's data directory, or null for an external server. */
  public Path dataDirectory() {
    return cluster == null ? null : cluster.dataDirectory();
  }

  private URI withDatabase(String database) {
    String query = admin.getRawQuery() == null ? "" : "?" + admin.getRawQuery();
    return URI.create(admin.getScheme() + "://" + admin.getRawAuthority() + "/" + database + query);
  }

  private void runAdmin(String sql) {
    // A Vert.x per statement: one kept open would hold the JVM alive (its threads are not
    // daemons). No file caching, whose cleanup hook cannot be added while the JVM shuts down.
    Vertx vertx =
        Vertx.vertx(
            new VertxOptions()
                .setFileSystemOptions(
                    new FileSystemOptions()
                        .setFileCachingEnabled(false)
                        .setClassPathResolvingEnabled(false)));
    try {
      PgConnectOptions options = PgConnectOptions.fromUri(admin.toString());
      if (options.getPassword() == null) {
        options.setPassword("");
      }
      Pool pool =
          PgBuilder.pool()
              .with(new PoolOptions().setMaxSize(1))
              .connectingTo(options)
              .using(vertx)
              .build();
      Future<Void> done =
          pool.query(sql).execute().<Void>mapEmpty().eventually(() -> pool.close());
      done.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("PostgreSQL refused `" + sql + "`: " + e.getMessage(), e);
    } finally {
      vertx.close();
    }
  }

  private void shutdown() {
    if (cluster != null) {
      synchronized (this) {
        if (stopped) {
          return;
        }
        stopped = true;
      }
      cluster.stop();
      return;
    }
    List<String> names;
    synchronized (this) {
      names = List.copyOf(created);
    }
    for (String name : names) {
      try {
        runAdmin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      } catch (RuntimeException e) {
        System.err.println("cairn tests: could not drop database " + name + ": " + e.getMessage());
      }
    }
  }

  private static URI parse(String url) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("postgresql") && !scheme.equals("postgres")) {
        throw new IllegalArgumentException("not a postgresql:// URI: " + url);
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URI: " + url, e);
    }
  }
}
