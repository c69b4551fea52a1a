package io.cairn.storage.pg;

import io.cairn.core.CairnException.Kind;
import io.cairn.core.CairnException;
import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/** Turns what PostgreSQL and the driver throw into {@link CairnException} kinds, in one place. */
final class PgErrors {
  /**
   * program_limit_exceeded: from Cairn's statements, a value too long for a B-tree entry (2,704
   * bytes), such as a path of more than about 2,500 bytes PostgreSQL cannot compress, which the
   * configured path.max.length (up to 4,096 characters) still allows.
   */
  private static final String PROGRAM_LIMIT = "54000";

  private PgErrors() {}

  /**
   * True when PostgreSQL rolled the transaction back because of a concurrent one (serialization
   * failure, deadlock): running the whole transaction again is safe and likely to succeed.
   */
  static boolean isRetryable(Throwable t) {
    String state = sqlState(t);
    return "40001".equals(state) || "40P01".equals(state);
  }

  /** The CairnException for {@code t}: its own when it is one, a mapped kind otherwise. */
  static CairnException map(Throwable t) {
    if (t instanceof CairnException se) {
      return se;
    }
    String state = sqlState(t);
    if (state != null && state.equals(PROGRAM_LIMIT)) {
      return new CairnException(Kind.INVALID, "too long for the PostgreSQL journal: a path or name is"
          + " stored in index entries of at most 2,704 bytes (PostgreSQL: " + message(t) + ")", t);
    }
    if (state != null) {
      return new CairnException(kindOf(state), "PostgreSQL: " + message(t), t);
    }
    if (isConnectionFailure(t)) {
      return new CairnException(Kind.TRANSIENT, "PostgreSQL unreachable: " + t, t);
    }
    return new CairnException(Kind.INTERNAL, "PostgreSQL journal failed: " + t, t);
  }

  private static Kind kindOf(String state) {
    if (isRetryableState(state)) {
      return Kind.TRANSIENT; // still failing after our own retries
    }
    if (state.equals("23505")) {
      return Kind.ALREADY_EXISTS;
    }
    if (state.equals("53100")) {
      return Kind.INSUFFICIENT_STORAGE; // disk full
    }
    if (state.startsWith("08") // connection exception
        || state.startsWith("53") // insufficient resources: too many connections, out of memory
        || state.startsWith("57") // operator intervention: shutdown, cannot connect now, cancel
        || state.equals("55P03")) { // lock not available
      return Kind.TRANSIENT;
    }
    if (state.startsWith("22")) {
      return Kind.CONFLICT; // data exception: a value PostgreSQL cannot store, e.g. a NUL in text
    }
    return Kind.INTERNAL;
  }

  private static boolean isRetryableState(String state) {
    return state.equals("40001") || state.equals("40P01");
  }

  private static boolean isConnectionFailure(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ClosedConnectionException
          || c instanceof IOException // refused, reset, broken pipe (netty's are IOExceptions)
          || c instanceof TimeoutException) { // no pooled connection in time
        return true;
      }
      if (c instanceof VertxException && c.getMessage() != null) {
        String m = c.getMessage().toLowerCase(java.util.Locale.ROOT);
        if (m.contains("closed") || m.contains("timeout") || m.contains("connection")) {
          return true;
        }
      }
    }
    return false;
  }

  private static String sqlState(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof PgException pe) {
        return pe.getSqlState();
      }
    }
    return null;
  }

  private static String message(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof PgException pe) {
        return pe.getErrorMessage() + " (SQLSTATE " + pe.getSqlState() + ")";
      }
    }
    return String.valueOf(t);
  }
}
