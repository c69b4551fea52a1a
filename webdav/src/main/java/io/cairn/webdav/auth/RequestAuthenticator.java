package io.cairn.webdav.auth;

/**
 * Decides who a request is for, from its credentials. Called on the request's virtual thread
 * before milton sees the request, for every method except OPTIONS; may block (a database lookup,
 * a password hash, a deliberate slow-down of repeated failures).
 */
public interface RequestAuthenticator {

  /**
   * The verdict for a request.
   *
   * @param authorization the {@code Authorization} header, or null when absent
   * @param clientAddress the client's IP address, for throttling repeated failures: the TCP peer,
   *     or the client a trusted proxy names ({@link io.cairn.webdav.http.ClientAddress}); null when
   *     unknown
   * @return never null
   */
  Verdict authenticate(String authorization, String clientAddress);

  /**
   * The outcome: a {@link #user} to run as, or a refusal with its status (401 wrong or missing
   * credentials, 429 too many failures of this user from this address, 503 store unreachable) and,
   * for 429, the seconds to wait.
   */
  record Verdict(Caller user, int status, long retryAfterSeconds, String reason) {
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

    public boolean allowed() {
      return user != null;
    }
  }
}
