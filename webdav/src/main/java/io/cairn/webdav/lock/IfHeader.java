package io.cairn.webdav.lock;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A parsed WebDAV {@code If} request header (RFC 4918 §10.4) and its evaluation.
 *
 * <p>The header is a disjunction of productions; a production applies to the resource named by its
 * tag, or to the Request-URI when untagged; it holds a disjunction of lists; a list is a
 * conjunction of conditions; a condition matches a state token (a lock token covering the
 * resource) or an entity tag, optionally negated by {@code Not}. Every state token written in the
 * header counts as submitted (§10.4.1), whether its condition held or not.
 *
 * @param productions in header order, never empty
 */
public record IfHeader(List<Production> productions) {

  /** Lists applying to one resource. */
  public record Production(String resourceTag, List<List<Condition>> lists) {
    /** True for a No-tag-list, which applies to the Request-URI. */
    public boolean untagged() {
      return resourceTag == null;
    }
  }

  /**
   * One condition: exactly one of {@code stateToken} (without its angle brackets) and {@code
   * entityTag} (with its quotes, and its {@code W/} prefix when weak) is set.
   */
  public record Condition(boolean not, String stateToken, String entityTag) {}

  /** What the evaluation needs to know of one resource. */
  public record ResourceState(String etag, Set<String> lockTokens) {
    /**
     * An unmapped URL, or one outside this server: it exists for the evaluation but has no entity
     * tag and no locks (RFC 4918 §10.4.4, "Handling unmapped URLs").
     */
    public static final ResourceState NONE = new ResourceState(null, Set.of());
  }

  /** The header does not follow the grammar of RFC 4918 §10.4.2 (HTTP 400). */
  public static final class Malformed extends IllegalArgumentException {
    Malformed(String message) {
      super(message);
    }
  }

  /** Parses a header value; null for a null or blank value. */
  public static IfHeader parse(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    return new Parser(value).header();
  }

  /** Every state token in the header, in order, each once: the tokens this request submits. */
  public Set<String> stateTokens() {
    Set<String> tokens = new LinkedHashSet<>();
    for (Production p : productions) {
      for (List<Condition> list : p.lists()) {
        for (Condition c : list) {
          if (c.stateToken() != null) {
            tokens.add(c.stateToken());
          }
        }
      }
    }
    return tokens;
  }

  /**
   * Evaluates the header (RFC 4918 §10.4.3). {@code stateOf} is asked for each production's
   * resource: with the tag as written, or with null for the Request-URI; it answers {@link
   * ResourceState#NONE} for unmapped URLs.
   */
  public boolean evaluate(Function<String, ResourceState> stateOf) {
    for (Production p : productions) {
      ResourceState state = stateOf.apply(p.resourceTag());
      for (List<Condition> list : p.lists()) {
        if (list.stream().allMatch(c -> holds(c, state))) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean holds(Condition c, ResourceState state) {
    boolean match =
        c.stateToken() != null
            ? state.lockTokens().contains(c.stateToken())
            : state.etag() != null && weakMatch(c.entityTag(), state.etag());
    return match != c.not();
  }

  /** The weak comparison of RFC 9110 §8.8.3.2: equal opaque tags, W/ ignored on both sides. */
  static boolean weakMatch(String a, String b) {
    return opaque(a).equals(opaque(b));
  }

  private static String opaque(String etag) {
    String tag = etag.startsWith("W/") ? etag.substring(2) : etag;
    return tag.startsWith("\"") ? tag : "\"" + tag + "\"";
  }

  /** A hand-written recursive-descent parser: the grammar is small and errors must say where. */
  private static final class Parser {
    private final String in;
    private int pos;

    Parser(String in) {
      this.in = in;
    }

    IfHeader header() {
      List<Production> productions = new ArrayList<>();
      skipSpace();
      while (pos < in.length()) {
        String tag = null;
        if (peek() == '<') {
          tag = bracketed('<', '>', "resource tag");
          skipSpace();
        }
        List<List<Condition>> lists = new ArrayList<>();
        while (pos < in.length() && peek() == '(') {
          lists.add(list());
          skipSpace();
        }
        if (lists.isEmpty()) {
          throw fail("expected '(' to open a list");
        }
        productions.add(new Production(tag, List.copyOf(lists)));
      }
      return new IfHeader(List.copyOf(productions));
    }

    private List<Condition> list() {
      pos++; // '('
      List<Condition> conditions = new ArrayList<>();
      skipSpace();
      while (pos < in.length() && peek() != ')') {
        boolean not = false;
        if (in.regionMatches(true, pos, "Not", 0, 3)) {
          not = true;
          pos += 3;
          skipSpace();
        }
        if (pos >= in.length()) {
          break;
        }
        if (peek() == '<') {
          conditions.add(new Condition(not, bracketed('<', '>', "state token"), null));
        } else if (peek() == '[') {
          conditions.add(new Condition(not, null, entityTag()));
        } else {
          throw fail("expected a state token <…> or an entity tag […]");
        }
        skipSpace();
      }
      if (pos >= in.length()) {
        throw fail("list not closed by ')'");
      }
      pos++; // ')'
      if (conditions.isEmpty()) {
        throw fail("empty list");
      }
      return List.copyOf(conditions);
    }

    private String entityTag() {
      pos++; // '['
      skipSpace();
      int start = pos;
      if (in.startsWith("W/", pos)) {
        pos += 2;
      }
      if (pos >= in.length() || peek() != '"') {
        throw fail("entity tag must be a quoted string");
      }
      pos++;
      while (pos < in.length() && peek() != '"') {
        pos += peek() == '\\' ? 2 : 1;
      }
      if (pos >= in.length()) {
        throw fail("unterminated entity tag");
      }
      pos++;
      String tag = in.substring(start, pos);
      skipSpace();
      if (pos >= in.length() || peek() != ']') {
        throw fail("entity tag not closed by ']'");
      }
      pos++;
      return tag;
    }

    private String bracketed(char open, char close, String what) {
      int end = in.indexOf(close, pos + 1);
      if (end < 0) {
        throw fail(what + " not closed by '" + close + "'");
      }
      String inside = in.substring(pos + 1, end).strip();
      if (inside.isEmpty() || inside.chars().anyMatch(ch -> ch <= ' ' || ch == open)) {
        throw fail("malformed " + what);
      }
      pos = end + 1;
      return inside;
    }

    private char peek() {
      return in.charAt(pos);
    }

    private void skipSpace() {
      while (pos < in.length() && Character.isWhitespace(peek())) {
        pos++;
      }
    }

    private Malformed fail(String why) {
      return new Malformed("If header, at " + pos + ": " + why);
    }
  }
}
