package io.cairn.storage.s3;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Where and how an {@link S3ChunkStore} reaches its bucket.
 *
 * <p>Written as a URI: {@code s3://[ACCESS:SECRET@]BUCKET[/PREFIX]?endpoint=URL[&region=R]
 * [&attempts=N][&backoffMs=MS][&maxBackoffMs=MS][&connectTimeoutMs=MS][&timeoutMs=MS]
 * [&concurrency=N]}. Objects are named {@code PREFIX/ab/cd/<64 hex digits>}. Without {@code
 * endpoint} the store talks to AWS ({@code https://s3.REGION.amazonaws.com}).
 *
 * <p>Credentials, first found wins: those given with {@link #withCredentials} (configuration read
 * by the server from elsewhere), then the URI's user-info ({@code ACCESS:SECRET}, each
 * percent-encoded), then the environment variables {@code CAIRN_S3_ACCESS_KEY} and {@code
 * CAIRN_S3_SECRET_KEY}. {@link #toString()} never shows the secret.
 *
 * @param endpoint the S3 API base URL, e.g. {@code http://127.0.0.1:9000}
 * @param region the bucket's region; null lets the client ask the server
 * @param bucket the bucket; created when missing (at least 3 characters)
 * @param prefix the key prefix, empty or ending with {@code /}
 * @param accessKey the access key id; null when none was given
 * @param secretKey the secret key; null when none was given
 * @param maxAttempts tries per request before a transient failure is reported (at least 1)
 * @param initialBackoff wait before the second try; doubles per try, with jitter
 * @param maxBackoff the longest wait between two tries
 * @param connectTimeout how long to wait for a TCP connection
 * @param requestTimeout how long a read or write on a connection may stall
 * @param concurrency how many requests one {@code missing()} call runs at once
 */
public record S3Config(
    String endpoint,
    String region,
    String bucket,
    String prefix,
    String accessKey,
    String secretKey,
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    Duration connectTimeout,
    Duration requestTimeout,
    int concurrency) {

  public static final String ACCESS_KEY_ENV = "CAIRN_S3_ACCESS_KEY";
  public static final String SECRET_KEY_ENV = "CAIRN_S3_SECRET_KEY";

  public S3Config {
    if (bucket == null || bucket.length() < 3) {
      throw new IllegalArgumentException("an S3 bucket name has at least 3 characters: " + bucket);
    }
    if (endpoint == null || endpoint.isBlank()) {
      throw new IllegalArgumentException("an S3 endpoint is required");
    }
    prefix = normalizePrefix(prefix);
    if (maxAttempts < 1 || concurrency < 1) {
      throw new IllegalArgumentException("attempts and concurrency must be at least 1");
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("backoff must be >= 0 and maxBackoff >= backoff");
    }
  }

  /** Reads a {@code s3://} URI, with the process environment as the credentials' fallback. */
  public static S3Config fromUri(URI uri) {
    return fromUri(uri, System.getenv());
  }

  /** Reads a {@code s3://} URI, with {@code env} as the credentials' fallback. */
  public static S3Config fromUri(URI uri, Map<String, String> env) {
    if (uri == null || !"s3".equalsIgnoreCase(uri.getScheme()) || uri.getRawAuthority() == null) {
      throw new IllegalArgumentException("not an s3://bucket/prefix URI");
    }
    String authority = uri.getRawAuthority();
    int at = authority.lastIndexOf('@');
    String bucket = authority.substring(at + 1);
    String access = null;
    String secret = null;
    if (at >= 0) {
      String userInfo = authority.substring(0, at);
      int colon = userInfo.indexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException("S3 user-info must be ACCESS:SECRET");
      }
      access = decode(userInfo.substring(0, colon));
      secret = decode(userInfo.substring(colon + 1));
    } else {
      access = env.get(ACCESS_KEY_ENV);
      secret = env.get(SECRET_KEY_ENV);
    }
    Map<String, String> q = query(uri.getRawQuery());
    String region = q.get("region");
    String endpoint =
        q.getOrDefault(
            "endpoint",
            region == null
                ? "https://s3.amazonaws.com"
                : "https://s3." + region + ".amazonaws.com");
    String path = uri.getRawPath() == null ? "" : decode(uri.getRawPath());
    return new S3Config(
        endpoint,
        region,
        bucket,
        path,
        access,
        secret,
        intParam(q, "attempts", 5),
        Duration.ofMillis(intParam(q, "backoffMs", 100)),
        Duration.ofMillis(intParam(q, "maxBackoffMs", 5_000)),
        Duration.ofMillis(intParam(q, "connectTimeoutMs", 10_000)),
        Duration.ofMillis(intParam(q, "timeoutMs", 60_000)),
        intParam(q, "concurrency", 16));
  }

  /** The same configuration with these credentials, which take precedence over all others. */
  public S3Config withCredentials(String accessKey, String secretKey) {
    return new S3Config(
        endpoint,
        region,
        bucket,
        prefix,
        accessKey,
        secretKey,
        maxAttempts,
        initialBackoff,
        maxBackoff,
        connectTimeout,
        requestTimeout,
        concurrency);
  }

  /** The same configuration with another retry policy. */
  public S3Config withRetries(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    return new S3Config(
        endpoint,
        region,
        bucket,
        prefix,
        accessKey,
        secretKey,
        maxAttempts,
        initialBackoff,
        maxBackoff,
        connectTimeout,
        requestTimeout,
        concurrency);
  }

  /** The same configuration with other timeouts. */
  public S3Config withTimeouts(Duration connectTimeout, Duration requestTimeout) {
    return new S3Config(
        endpoint,
        region,
        bucket,
        prefix,
        accessKey,
        secretKey,
        maxAttempts,
        initialBackoff,
        maxBackoff,
        connectTimeout,
        requestTimeout,
        concurrency);
  }

  @Override
  public String toString() {
    return "S3Config[endpoint="
        + endpoint
        + ", region="
        + region
        + ", bucket="
        + bucket
        + ", prefix="
        + prefix
        + ", accessKey="
        + accessKey
        + ", secretKey="
        + (secretKey == null ? "none" : "(hidden)")
        + ", maxAttempts="
        + maxAttempts
        + ", initialBackoff="
        + initialBackoff
        + ", maxBackoff="
        + maxBackoff
        + ", connectTimeout="
        + connectTimeout
        + ", requestTimeout="
        + requestTimeout
        + ", concurrency="
        + concurrency
        + "]";
  }

  private static String normalizePrefix(String prefix) {
    String p = prefix == null ? "" : prefix;
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    return p.isEmpty() || p.endsWith("/") ? p : p + "/";
  }

  private static Map<String, String> query(String rawQuery) {
    Map<String, String> params = new HashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      if (!key.isEmpty()) {
        params.put(key, value);
      }
    }
    return params;
  }

  private static int intParam(Map<String, String> q, String name, int defaultValue) {
    String v = q.get(name);
    if (v == null) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("S3 URI parameter " + name + " is not a number: " + v);
    }
  }

  /** Percent-decoding that keeps '+' (secret keys contain it; it is no space here). */
  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
