package io.cairn.server.auth;

import io.cairn.files.Caller;

/**
 * Decides who a request is for, from its credentials. Called by the edge on the request's virtual
 * thread before any front sees the request (WebDAV's OPTIONS excepted); may block (a database lookup,
 * a password hash, a deliberate slow-down of repeated failures).
 */
public interface RequestAuthenticator {
  /** The challenge of a 401 (RFC 7617): Basic, UTF-8 credentials. */
  String CHALLENGE = "Basic realm=\"Cairn\", charset=\"UTF-8\"";

  /**
   * The verdict for a request.
   *
   * @param authorization the {@code Authorization} header, or null when absent
   * @param clientAddress the client's IP address, for throttling repeated failures: the TCP peer,
   *     or the client a trusted proxy names ({@link io.cairn.server.http.ClientAddress}); null when
   *     unknown
   * @return never null
   */
  Verdict authenticate(String authorization, String clientAddress);

  /**
   * The outcome: a {@link #user} to run as, or a refusal with its status (401 wrong or missing
   * credentials, 429 too many failures of this user from this address, 503 store unreachable) and,
   * for 429, the seconds to wait. {@code challenge}: whether a 401 names the Basic challenge (not
   * for a browser's scripted request, where the challenge would open the browser's own login dialog).
   */
  record Verdict(Caller user, int status, long retryAfterSeconds, String reason, boolean challenge) {
    public Verdict(Caller user, int status, long retryAfterSeconds, String reason) {
      this(user, status, retryAfterSeconds, reason, true);
    }

    public static Verdict allow(Caller user) {
      return new Verdict(user, 200, 0, null);
    }

    public static Verdict unauthorized(String reason) {
      return new Verdict(null, 401, 0, reason);
    }

    public static Verdict tooManyAttempts(long retryAfterSeconds) {
      return new Verdict(null, 429, retryAfterSeconds, "too many failed logins");
    }

    public static Verdict unavailable(String reason) {
      return new Verdict(null, 503, 5, reason);
    }

    /** 403: the caller may be known, but this request is refused (a cookie without its CSRF header). */
    public static Verdict forbidden(String reason) {
      return new Verdict(null, 403, 0, reason);
    }

    /** The same refusal without the Basic challenge. */
    public Verdict withoutChallenge() {
      return new Verdict(user, status, retryAfterSeconds, reason, false);
    }

    public boolean allowed() {
      return user != null;
    }

    /** The headers of the refusal: the challenge of a 401, Retry-After when known. */
    public java.util.Map<String, String> headers() {
      java.util.Map<String, String> h = new java.util.LinkedHashMap<>();
      if (status == 401 && challenge) {
        h.put("WWW-Authenticate", CHALLENGE);
      }
      if (retryAfterSeconds > 0) {
        h.put("Retry-After", Long.toString(retryAfterSeconds));
      }
      return h;
    }

    /** The refusal's reason phrase, for a plain-text answer; a 403's names its reason. */
    public String phrase() {
      return switch (status) {
        case 401 -> "Unauthorized";
        case 403 -> reason == null ? "Forbidden" : "Forbidden: " + reason;
        case 429 -> "Too Many Requests";
        case 503 -> "Service Unavailable";
        default -> "Refused";
      };
    }
  }
}
