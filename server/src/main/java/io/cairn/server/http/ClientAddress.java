package io.cairn.server.http;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Who a request comes from: the TCP peer, or, when the peer is one of the configured trusted
 * reverse proxies, the client that proxy names in {@code X-Forwarded-For} or {@code Forwarded}
 * (RFC 7239 §5.2). The answer is what the login throttle keys on and what the access log shows.
 *
 * <p>The client is the right-most address of the header that is not itself a trusted proxy: each
 * proxy appends the peer it saw, so everything left of the last trusted hop was written by the
 * client and may be forged. {@code X-Forwarded-For} is read when present, {@code Forwarded} only
 * when it is absent; a proxy that writes only {@code Forwarded} must therefore drop an {@code
 * X-Forwarded-For} sent by the client. Headers from a peer that is not trusted are ignored
 * entirely. Anything unreadable where an address is needed (a name, {@code unknown}, an obfuscated
 * node, garbage) gives the peer address: a header never makes a request fail.
 *
 * <p>Addresses are parsed as literals only, never looked up in DNS, and are returned in Java's
 * canonical form ({@link InetAddress#getHostAddress()}), so two spellings of one address are one
 * key. Immutable and thread-safe.
 */
public final class ClientAddress {
  private static final ClientAddress NONE = new ClientAddress(List.of());
  // Far more hops than any real chain; stops a long forged header from costing more than this.
  private static final int MAX_HOPS = 32;

  private final List<Block> trusted;

  private ClientAddress(List<Block> trusted) {
    this.trusted = List.copyOf(trusted);
  }

  /** No trusted proxies: the client is always the TCP peer. */
  public static ClientAddress peerOnly() {
    return NONE;
  }

  /**
   * Trusts the proxies in {@code spec}: IP addresses and CIDR blocks ({@code 10.0.0.0/8}, {@code
   * fd00::/8}) separated by commas; blank trusts none.
   *
   * @throws IllegalArgumentException naming the first entry that is not an address or a block
   */
  public static ClientAddress trusting(String spec) {
    if (spec == null || spec.isBlank()) {
      return NONE;
    }
    List<Block> blocks = new ArrayList<>();
    for (String part : spec.split(",")) {
      String p = part.trim();
      if (!p.isEmpty()) {
        blocks.add(Block.parse(p));
      }
    }
    return blocks.isEmpty() ? NONE : new ClientAddress(blocks);
  }

  /** Whether no proxy is trusted. */
  public boolean trustsNone() {
    return trusted.isEmpty();
  }

  /** Whether {@code peer} (an address literal) is one of the trusted proxies. */
  public boolean isTrustedProxy(String peer) {
    if (trusted.isEmpty() || peer == null) {
      return false;
    }
    InetAddress address = literal(peer);
    return address != null && isTrusted(address);
  }

  /**
   * The client's address.
   *
   * @param peer the TCP peer's address as the socket reports it; null when unknown
   * @param xForwardedFor the {@code X-Forwarded-For} header (repeated headers joined with commas),
   *     or null
   * @param forwarded the {@code Forwarded} header (likewise), or null
   * @return the client's address; {@code peer} itself when the peer is not trusted or the headers
   *     name no usable client
   */
  public String resolve(String peer, String xForwardedFor, String forwarded) {
    if (trusted.isEmpty() || peer == null) {
      return peer;
    }
    InetAddress peerAddress = literal(peer);
    if (peerAddress == null || !isTrusted(peerAddress)) {
      return peer;
    }
    List<String> hops;
    if (xForwardedFor != null && !xForwardedFor.isBlank()) {
      hops = split(xForwardedFor, ',');
    } else if (forwarded != null && !forwarded.isBlank()) {
      hops = forwardedFor(forwarded);
    } else {
      return peer;
    }
    boolean cut = hops.size() > MAX_HOPS;
    if (cut) {
      hops = hops.subList(hops.size() - MAX_HOPS, hops.size());
    }
    InetAddress leftmost = null;
    for (int i = hops.size() - 1; i >= 0; i--) {
      InetAddress hop = node(hops.get(i));
      if (hop == null) {
        return peer;
      }
      if (!isTrusted(hop)) {
        return hop.getHostAddress();
      }
      leftmost = hop;
    }
    // Every hop is a trusted proxy (the proxy asking for itself): the first one is the client,
    // unless the chain was cut short, when who sent it is unknown.
    return leftmost == null || cut ? peer : leftmost.getHostAddress();
  }

  /** The trusted blocks, for logs. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("ClientAddress[trusted=");
    for (int i = 0; i < trusted.size(); i++) {
      Block t = trusted.get(i);
      try {
        b.append(i == 0 ? "" : ",").append(InetAddress.getByAddress(t.network()).getHostAddress()).append('/').append(t.bits());
      } catch (UnknownHostException e) {
        throw new IllegalStateException(e);
      }
    }
    return b.append(']').toString();
  }

  private boolean isTrusted(InetAddress a) {
    for (Block b : trusted) {
      if (b.contains(a)) {
        return true;
      }
    }
    return false;
  }

  /** The {@code for=} value of each element of a {@code Forwarded} header; "" where it has none. */
  static List<String> forwardedFor(String header) {
    List<String> out = new ArrayList<>();
    for (String element : split(header, ',')) {
      String value = "";
      for (String pair : split(element, ';')) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).trim().toLowerCase(Locale.ROOT).equals("for")) {
          value = unquote(pair.substring(eq + 1).trim());
        }
      }
      out.add(value);
    }
    return out;
  }

  /** Splits on {@code sep} outside quoted strings (RFC 9110 §5.6.4), trimming each part. */
  private static List<String> split(String s, char sep) {
    List<String> parts = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quoted && c == '\\' && i + 1 < s.length()) {
        cur.append(c).append(s.charAt(++i));
      } else if (c == '"') {
        quoted = !quoted;
        cur.append(c);
      } else if (c == sep && !quoted) {
        parts.add(cur.toString().trim());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    parts.add(cur.toString().trim());
    return parts;
  }

  private static String unquote(String v) {
    if (v.length() < 2 || v.charAt(0) != '"' || v.charAt(v.length() - 1) != '"') {
      return v;
    }
    StringBuilder b = new StringBuilder();
    for (int i = 1; i < v.length() - 1; i++) {
      char c = v.charAt(i);
      if (c == '\\' && i + 1 < v.length() - 1) {
        c = v.charAt(++i);
      }
      b.append(c);
    }
    return b.toString();
  }

  /**
   * A hop as proxies write it: {@code 192.0.2.1}, {@code 192.0.2.1:4711}, {@code 2001:db8::1},
   * {@code [2001:db8::1]} or {@code [2001:db8::1]:4711}; null for anything else.
   */
  static InetAddress node(String hop) {
    String h = hop.trim();
    if (h.startsWith("[")) {
      int close = h.indexOf(']');
      if (close < 0) {
        return null;
      }
      String rest = h.substring(close + 1);
      if (!rest.isEmpty() && !isPort(rest)) {
        return null;
      }
      InetAddress a = literal(h.substring(1, close));
      return a instanceof Inet6Address ? a : null;
    }
    int colon = h.indexOf(':');
    if (colon >= 0 && colon == h.lastIndexOf(':')) {
      return isPort(h.substring(colon)) ? ipv4(h.substring(0, colon)) : null;
    }
    return literal(h);
  }

  private static boolean isPort(String s) {
    if (s.length() < 2 || s.length() > 6 || s.charAt(0) != ':') {
      return false;
    }
    for (int i = 1; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /** An IPv4 or IPv6 literal (no zone, no brackets), or null; never a DNS lookup. */
  static InetAddress literal(String s) {
    if (s == null || s.isEmpty() || s.length() > 45) {
      return null;
    }
    if (s.indexOf(':') < 0) {
      return ipv4(s);
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = c == ':' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (!ok) {
        return null;
      }
    }
    if (s.charAt(0) == '.') {
      return null;
    }
    try {
      // With a colon in it and nothing but hex digits, colons and dots, the JDK parses this as an
      // IPv6 literal and fails rather than asking DNS.
      return InetAddress.getByName(s);
    } catch (UnknownHostException | RuntimeException e) {
      return null;
    }
  }

  /** Four decimal octets, each 0 to 255 without leading zeros (no octal, hex or short forms). */
  private static InetAddress ipv4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
        return null;
      }
      int n = 0;
      for (int j = 0; j < p.length(); j++) {
        char c = p.charAt(j);
        if (c < '0' || c > '9') {
          return null;
        }
        n = n * 10 + (c - '0');
      }
      if (n > 255) {
        return null;
      }
      bytes[i] = (byte) n;
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** An address block: an address and how many leading bits must match. */
  private record Block(byte[] network, int bits) {
    static Block parse(String spec) {
      int slash = spec.indexOf('/');
      InetAddress a = literal(slash < 0 ? spec : spec.substring(0, slash));
      if (a == null) {
        throw new IllegalArgumentException("not an IP address or CIDR block: " + spec);
      }
      int max = a.getAddress().length * 8;
      int bits = max;
      if (slash >= 0) {
        String b = spec.substring(slash + 1);
        if (b.isEmpty() || b.length() > 3 || !b.chars().allMatch(c -> c >= '0' && c <= '9')) {
          throw new IllegalArgumentException("not an IP address or CIDR block: " + spec);
        }
        bits = Integer.parseInt(b);
        if (bits > max) {
          throw new IllegalArgumentException("prefix longer than the address in " + spec);
        }
      }
      return new Block(a.getAddress(), bits);
    }

    boolean contains(InetAddress a) {
      byte[] b = a.getAddress();
      if (b.length != network.length) {
        return false;
      }
      int full = bits / 8;
      for (int i = 0; i < full; i++) {
        if (b[i] != network[i]) {
          return false;
        }
      }
      int rest = bits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (b[full] & mask) == (network[full] & mask);
    }
  }
}
