package io.cairn.server;

import io.cairn.cluster.node.ClusterSettings;
import io.cairn.core.chunk.ChunkerParams;
import io.cairn.files.DigestType;
import io.cairn.files.FileLimits;
import io.cairn.server.http.HttpLimits;
import io.cairn.server.http.ClientAddress;
import io.cairn.server.auth.LdapSettings;
import io.cairn.server.logging.LogSettings;
import io.cairn.server.gc.GcSettings;
import io.cairn.server.retention.RetentionPolicy;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's configuration: built-in defaults, overridden by a {@code key = value} properties
 * file ({@code --config}), overridden by command-line flags. See {@code conf/cairn.properties} for
 * every key with its meaning.
 *
 * @param bindHost the address to listen on
 * @param port the TCP port
 * @param managementHost the address of the management port (/metrics, /healthz, /readyz)
 * @param managementPort its TCP port: by default the WebDAV port plus one, 0 when that is 0
 * @param metricsPath where the management port serves Prometheus metrics
 * @param dataDir where the default journal and chunk store live
 * @param journalUri {@code sqlite:PATH} or {@code postgresql://...}
 * @param chunkStoreUri {@code file:PATH} or {@code s3://...}
 * @param chunkMin smallest chunk, bytes
 * @param chunkAvg chunk size the chunker aims at, bytes (a power of two)
 * @param chunkMax largest chunk, bytes
 * @param quotaBytes bytes a user's home may hold when the user has no quota of their own, -1 none
 * @param quotaCountsHistory whether retained versions and trash count against quotas ({@code
 *     quota.counts.history}); by default only the live files do
 * @param uploadChunksInFlight chunks of one PUT stored in parallel
 * @param uploadDigests the whole-file digests every upload computes for sync clients ({@code
 *     upload.digests}: SHA-1 by default; docs/adr/0008)
 * @param readAheadChunks chunks of one GET fetched ahead
 * @param chunkCacheBytes memory for recently read small chunks, bytes (0: none)
 * @param shutdownGraceSeconds how long SIGTERM waits for requests in progress
 * @param tlsCert PEM certificate chain for HTTPS, or null for plain HTTP
 * @param tlsKey PEM private key of {@code tlsCert}, or null
 * @param clientAddress who a request is from: the peer, or the client named by a trusted proxy
 *     ({@code http.trusted.proxies})
 * @param cluster how this node joins its cluster; null for a single node
 * @param http what one client may hold of the server: connections, time, bytes
 * @param ldap the LDAP directory whose users log in beside the local ones; null for none
 * @param log levels, line format and the access log's file ({@code log.*})
 * @param gc how and how often chunk garbage collection runs
 * @param retention which versions and trash are kept ({@code retention.*}); run before each gc
 * @param scrub how fast and how often the background scrub re-hashes the stored chunks
 * @param limits what one request may create: the largest upload, the most entries in a folder,
 *     the deepest path ({@code upload.max.size}, {@code folder.max.entries}, {@code path.max.depth})
 * @param maxXmlBodyBytes the largest PROPFIND, PROPPATCH or LOCK body ({@code webdav.max.xml.body})
 * @param drop what visitors of upload-only share links may hold of this node ({@code drop.*})
 */
public record ServerConfig(
    String bindHost,
    int port,
    String managementHost,
    int managementPort,
    String metricsPath,
    Path dataDir,
    String journalUri,
    String chunkStoreUri,
    int chunkMin,
    int chunkAvg,
    int chunkMax,
    long quotaBytes,
    boolean quotaCountsHistory,
    int uploadChunksInFlight,
    Set<DigestType> uploadDigests,
    int readAheadChunks,
    long chunkCacheBytes,
    int shutdownGraceSeconds,
    Path tlsCert,
    Path tlsKey,
    ClientAddress clientAddress,
    ClusterSettings cluster,
    HttpLimits http,
    LdapSettings ldap,
    LogSettings log,
    GcSettings gc,
    RetentionPolicy retention,
    io.cairn.server.scrub.ScrubSettings scrub,
    FileLimits limits,
    int maxXmlBodyBytes,
    io.cairn.server.web.DropLimits drop) {

  static final Set<String> KEYS =
      Stream.of(ClusterKeys.KEYS.stream(), LdapKeys.KEYS.stream(), LogKeys.KEYS.stream(), GcKeys.KEYS.stream(),
          RetentionKeys.KEYS.stream(), ScrubKeys.KEYS.stream(), LimitKeys.KEYS.stream(), DropKeys.KEYS.stream(), Stream.of(
          "bind.host",
          "port",
          "management.bind.host",
          "management.port",
          "metrics.path",
          "data.dir",
          "journal.uri",
          "chunks.uri",
          "chunker.min",
          "chunker.avg",
          "chunker.max",
          "quota",
          "quota.counts.history",
          "upload.chunks.in.flight",
          "upload.digests",
          "download.read.ahead.chunks",
          "chunk.cache",
          "shutdown.grace.seconds",
          "tls.cert",
          "tls.key",
          "http.max.connections",
          "http.max.connections.per.address",
          "http.head.timeout.seconds",
          "http.idle.timeout.seconds",
          "http.body.min.rate",
          "http.body.rate.window.seconds",
          "http.max.request.line",
          "http.max.head",
          "http.trusted.proxies"))
          .flatMap(s -> s)
          .collect(Collectors.toUnmodifiableSet());

  /**
   * Keys that older files may still set and that no longer mean anything: loading ignores them
   * with a warning naming the key, instead of refusing the file. {@code namespace} chose the one
   * namespace every URL showed, before users had homes.
   */
  static final Set<String> RETIRED_KEYS = Set.of("namespace");

  private static final Logger LOG = LoggerFactory.getLogger(ServerConfig.class);

  /** Thrown for a configuration that cannot be used; the message says why and which key. */
  public static final class InvalidConfig extends RuntimeException {
    public InvalidConfig(String message) {
      super(message);
    }
  }

  /**
   * The configuration from {@code file} (may be null) with {@code overrides} (flags, by key) on
   * top. Keys not set anywhere take their defaults; {@code journal.uri} and {@code chunks.uri}
   * default to {@code sqlite:<data.dir>/journal.db} and {@code file:<data.dir>/chunks}.
   */
  public static ServerConfig load(Path file, Map<String, String> overrides) {
    return load(file, System.getenv(), overrides);
  }

  /**
   * As {@link #load(Path, Map)}, with {@code env} as the environment: every key may also be set as
   * {@code CAIRN_} and the key in capitals with {@code _} for {@code .} ({@code CAIRN_PORT},
   * {@code CAIRN_CHUNKS_URI}); the environment overrides the file, flags override both.
   */
  static ServerConfig load(Path file, Map<String, String> env, Map<String, String> overrides) {
    Map<String, String> values = file == null ? new TreeMap<>() : read(file);
    refuseMistypedVariables(env);
    for (String key : KEYS) {
      String v = env.get(envName(key));
      if (v != null) {
        values.put(key, v.trim());
      }
    }
    env.forEach((variable, v) -> {
      String levelKey = LogKeys.levelKeyOf(variable);
      if (levelKey != null) {
        values.put(levelKey, v.trim());
      }
    });
    values.putAll(overrides);
    for (String key : RETIRED_KEYS) {
      if (values.remove(key) != null) {
        LOG.warn("configuration key {} is no longer used (each user sees their home) and is ignored", key);
      }
    }
    for (String key : values.keySet()) {
      if (LogKeys.REPLACED.containsKey(key)) {
        throw new InvalidConfig(LogKeys.REPLACED.get(key));
      }
      if (!KEYS.contains(key) && !LogKeys.isKey(key)) {
        throw new InvalidConfig("unknown configuration key: " + key);
      }
    }
    Path data = Path.of(values.getOrDefault("data.dir", "./data"));
    String journal = values.getOrDefault("journal.uri", "sqlite:" + data.resolve("journal.db"));
    String chunks = values.getOrDefault("chunks.uri", "file:" + data.resolve("chunks"));
    String bindHost = values.getOrDefault("bind.host", "127.0.0.1");
    int port = (int) number(values, "port", 8080, 0, 65535);
    int defaultManagement = port == 0 ? 0 : port < 65535 ? port + 1 : port - 1;
    int managementPort = (int) number(values, "management.port", defaultManagement, 0, 65535);
    if (managementPort != 0 && managementPort == port) {
      throw new InvalidConfig("management.port must differ from port (" + port + ")");
    }
    String metricsPath = values.getOrDefault("metrics.path", "/metrics");
    if (!metricsPath.startsWith("/") || metricsPath.equals("/healthz") || metricsPath.equals("/readyz")) {
      throw new InvalidConfig("metrics.path must start with / and not be /healthz or /readyz: " + metricsPath);
    }
    return new ServerConfig(
        bindHost,
        port,
        values.getOrDefault("management.bind.host", "127.0.0.1"),
        managementPort,
        metricsPath,
        data,
        journal,
        chunks,
        (int) size(values, "chunker.min", 256 << 10),
        (int) size(values, "chunker.avg", 1 << 20),
        (int) size(values, "chunker.max", 4 << 20),
        values.containsKey("quota") ? size(values, "quota", -1) : -1,
        flag(values, "quota.counts.history", false),
        (int) number(values, "upload.chunks.in.flight", 4, 1, 64),
        digests(values),
        (int) number(values, "download.read.ahead.chunks", 2, 0, 64),
        size(values, "chunk.cache", defaultChunkCache(Runtime.getRuntime().maxMemory())),
        (int) number(values, "shutdown.grace.seconds", 20, 0, 3600),
        tlsFile(values, "tls.cert", "tls.key"),
        tlsFile(values, "tls.key", "tls.cert"),
        trustedProxies(values),
        ClusterKeys.parse(values, journal, chunks),
        httpLimits(values),
        LdapKeys.parse(values),
        LogKeys.parse(values),
        GcKeys.parse(values),
        RetentionKeys.parse(values),
        ScrubKeys.parse(values),
        LimitKeys.files(values),
        LimitKeys.xmlBody(values),
        DropKeys.parse(values));
  }

  /**
   * {@code CAIRN_} variables that Cairn reads and that are no configuration key: the first admin's
   * password, {@code --debug}, the sync client's password and debug switch, bin/cairn's jar, JVM
   * options and AOT cache switches.
   */
  static final Set<String> OTHER_VARIABLES = Set.of(
      "CAIRN_ADMIN_PASSWORD", "CAIRN_DEBUG", "CAIRN_PASSWORD", "CAIRN_SYNC_DEBUG", "CAIRN_JAR", "CAIRN_JAVA_OPTS",
      "CAIRN_AOT", "CAIRN_AOT_MIN_SECONDS", "CAIRN_CACHE_DIR");

  /**
   * Refuses, as an unknown key in the file is refused, a {@code CAIRN_} variable that looks like a
   * key but is none ({@code CAIRN_PROT}, {@code CAIRN_DATA}, {@code CAIRN_HTTP_MAX_CONNS}): it starts
   * with a key's first word, or is a letter or two from a key's name. Others ({@code CAIRN_BENCH_*},
   * a script's own) are left alone: the environment is shared with other programs.
   */
  private static void refuseMistypedVariables(Map<String, String> env) {
    Map<String, String> keysByVariable = new TreeMap<>();
    for (String key : KEYS) {
      keysByVariable.put(envName(key), key);
    }
    for (String name : new TreeMap<>(env).keySet()) {
      if (!name.startsWith("CAIRN_") || keysByVariable.containsKey(name) || OTHER_VARIABLES.contains(name)
          || LogKeys.levelKeyOf(name) != null) {
        continue;
      }
      String nearest = null;
      int best = Integer.MAX_VALUE;
      for (String variable : keysByVariable.keySet()) {
        int d = io.cairn.server.cli.Spelling.distance(name, variable);
        if (d < best) {
          best = d;
          nearest = variable;
        }
      }
      String tail = name.substring("CAIRN_".length());
      boolean keyWord = KEYS.stream()
          .map(k -> envName(k.split("\\.")[0]).substring("CAIRN_".length()))
          .anyMatch(w -> tail.equals(w) || tail.startsWith(w + "_"));
      if (keyWord || best <= 2) {
        throw new InvalidConfig("unknown configuration variable " + name + " in the environment (did you mean "
            + nearest + "? every key's variable is CAIRN_ and the key in capitals, _ for .)");
      }
    }
  }

  /** The value of a key that is true or false; {@code otherwise} when unset. */
  static boolean flag(Map<String, String> values, String key, boolean otherwise) {
    String v = values.get(key);
    if (v == null) {
      return otherwise;
    }
    return switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new InvalidConfig(key + " must be true or false, not " + v.trim());
    };
  }

  /** {@code upload.digests}: {@code sha1}, {@code md5}, both (comma-separated) or {@code none}. */
  private static Set<DigestType> digests(Map<String, String> values) {
    String v = values.get("upload.digests");
    if (v == null) {
      return DigestType.DEFAULT;
    }
    if (v.trim().equalsIgnoreCase("none")) {
      return Set.of();
    }
    Set<DigestType> types = EnumSet.noneOf(DigestType.class);
    for (String word : v.split(",")) {
      DigestType t = DigestType.named(word.trim());
      if (t == null) {
        throw new InvalidConfig("upload.digests must be sha1, md5, both (sha1, md5) or none, not " + v.trim());
      }
      types.add(t);
    }
    return types;
  }

  /** The environment variable of a configuration key: {@code chunks.uri} is {@code CAIRN_CHUNKS_URI}. */
  static String envName(String key) {
    return "CAIRN_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** The keys and trimmed values of a properties file. */
  private static Map<String, String> read(Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (java.nio.file.NoSuchFileException e) { // its message is the path alone
      throw new InvalidConfig("no configuration file " + file + " (--config names a key = value file)");
    } catch (IOException e) {
      throw new InvalidConfig("cannot read " + file + ": " + e.getMessage());
    }
    Map<String, String> values = new TreeMap<>();
    for (String key : p.stringPropertyNames()) {
      values.put(key, p.getProperty(key).trim());
    }
    return values;
  }

  private static HttpLimits httpLimits(Map<String, String> values) {
    HttpLimits d = HttpLimits.defaults();
    HttpLimits limits = new HttpLimits(
        (int) number(values, "http.max.connections", d.maxConnections(), 1, 1_000_000),
        (int) number(values, "http.max.connections.per.address", d.maxConnectionsPerAddress(), 0, 1_000_000),
        Duration.ofSeconds(number(values, "http.head.timeout.seconds", d.headTimeout().toSeconds(), 1, 3600)),
        Duration.ofSeconds(number(values, "http.idle.timeout.seconds", d.idleTimeout().toSeconds(), 1, 86400)),
        size(values, "http.body.min.rate", d.bodyMinBytesPerSecond()),
        Duration.ofSeconds(number(values, "http.body.rate.window.seconds", d.bodyRateWindow().toSeconds(), 1, 3600)),
        (int) number(values, "http.max.request.line", d.maxRequestLine(), 1024, 1 << 20),
        (int) Math.min(size(values, "http.max.head", d.maxHeadBytes()), 1 << 24));
    if (limits.maxHeadBytes() <= limits.maxRequestLine()) {
      throw new InvalidConfig("http.max.head must be larger than http.max.request.line");
    }
    return limits;
  }

  /** A TLS file; the certificate and the key come together or not at all. */
  private static Path tlsFile(Map<String, String> values, String key, String other) {
    String v = values.get(key);
    String o = values.get(other);
    if ((v == null || v.isBlank()) != (o == null || o.isBlank())) {
      throw new InvalidConfig("tls.cert and tls.key must be set together (PEM files)");
    }
    return v == null || v.isBlank() ? null : Path.of(v.trim());
  }

  private static ClientAddress trustedProxies(Map<String, String> values) {
    try {
      return ClientAddress.trusting(values.get("http.trusted.proxies"));
    } catch (IllegalArgumentException e) {
      throw new InvalidConfig("http.trusted.proxies: " + e.getMessage());
    }
  }

  /** Whether the server speaks HTTPS. */
  /** The chunker's sizes; INVALID_CONFIG when they do not fit together. */
  public ChunkerParams chunkerParams() {
    try {
      return new ChunkerParams(chunkMin, chunkAvg, chunkMax);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfig("chunker.*: " + e.getMessage());
    }
  }

  public boolean tls() {
    return tlsCert != null;
  }

  static long number(Map<String, String> values, String key, long dflt, long min, long max) {
    String v = values.get(key);
    if (v == null) {
      return dflt;
    }
    try {
      long n = Long.parseLong(v.trim());
      if (n < min || n > max) {
        throw new InvalidConfig(key + " must be between " + min + " and " + max + ", not " + v);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new InvalidConfig(key + " must be a number, not " + v);
    }
  }

  /**
   * The chunk cache's default: an eighth of the maximum heap, at most 64 MiB (24 MiB with bin/cairn's
   * 192 MiB heap). It lives in the heap beside the upload budget (half of it): with 64 MiB of cache in
   * a 128 MiB heap, the mixed load of bench/http ran the serial collector in back-to-back full
   * collections.
   */
  static long defaultChunkCache(long maxHeapBytes) {
    return Math.min(64L << 20, maxHeapBytes / 8);
  }

  /** A byte size: a number with an optional K, M, G or T suffix (powers of 1024). */
  static long size(Map<String, String> values, String key, long dflt) {
    String v = values.get(key);
    if (v == null) {
      return dflt;
    }
    String s = v.trim().toUpperCase(Locale.ROOT);
    if (s.endsWith("B") && s.length() > 1 && !Character.isDigit(s.charAt(s.length() - 2))) {
      s = s.substring(0, s.length() - 1);
    }
    long unit = 1;
    if (!s.isEmpty()) {
      switch (s.charAt(s.length() - 1)) {
        case 'K' -> unit = 1L << 10;
        case 'M' -> unit = 1L << 20;
        case 'G' -> unit = 1L << 30;
        case 'T' -> unit = 1L << 40;
        default -> unit = 1;
      }
      if (unit > 1) {
        s = s.substring(0, s.length() - 1).trim();
      }
    }
    try {
      long n = Long.parseLong(s);
      if (n < 0) {
        throw new InvalidConfig(key + " must not be negative: " + v);
      }
      return Math.multiplyExact(n, unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new InvalidConfig(key + " must be a size such as 4M or 10G, not " + v);
    }
  }
}
