package io.cairn.storage.s3;

import io.cairn.core.CairnException.Kind;
import io.cairn.core.CairnException;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.InvalidResponseException;
import io.minio.errors.MinioException;
import io.minio.errors.ServerException;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** What a failure of minio-java means for Cairn: retry it, report it missing, or give up. */
final class S3Errors {
  /** S3 error codes that say "later", from the S3 documentation and minio-go's retry list. */
  private static final Set<String> TRANSIENT_CODES =
      Set.of(
          "RequestError",
          "RequestTimeout",
          "Throttling",
          "ThrottlingException",
          "RequestLimitExceeded",
          "RequestThrottled",
          "InternalError",
          "ServiceUnavailable",
          "SlowDown",
          "SlowDownWrite",
          "SlowDownRead",
          "ExpiredToken",
          "ExpiredTokenException");

  private static final Set<String> FULL_CODES = Set.of("XMinioStorageFull", "QuotaExceeded");

  private S3Errors() {}

  /** The failure inside the wrappers that CompletableFuture adds. */
  static Throwable unwrap(Throwable t) {
    Throwable cur = t;
    for (int i = 0;
        i < 8
            && (cur instanceof CompletionException || cur instanceof ExecutionException)
            && cur.getCause() != null;
        i++) {
      cur = cur.getCause();
    }
    return cur;
  }

  /** True when the object is not there (never retried). */
  static boolean isNoSuchKey(Throwable t) {
    return unwrap(t) instanceof ErrorResponseException e
        && "NoSuchKey".equals(e.errorResponse().code());
  }

  /** True when the range starts at or after the end of the object. */
  static boolean isInvalidRange(Throwable t) {
    return unwrap(t) instanceof ErrorResponseException e
        && "InvalidRange".equals(e.errorResponse().code());
  }

  /** True when the bucket exists already (a racing creator or an earlier start). */
  static boolean isBucketTaken(Throwable t) {
    return unwrap(t) instanceof ErrorResponseException e
        && ("BucketAlreadyOwnedByYou".equals(e.errorResponse().code())
            || "BucketAlreadyExists".equals(e.errorResponse().code()));
  }

  /** True when the same request may succeed later: I/O errors, 5xx, throttling. */
  static boolean isTransient(Throwable t) {
    Throwable e = unwrap(t);
    if (e instanceof IOException) {
      return true;
    }
    if (e instanceof ServerException se) {
      return isTransientStatus(se.statusCode());
    }
    if (e instanceof ErrorResponseException ere) {
      return TRANSIENT_CODES.contains(ere.errorResponse().code())
          || (ere.response() != null && isTransientStatus(ere.response().code()));
    }
    if (e instanceof InvalidResponseException) {
      // A non-XML error page: a proxy or load balancer in front of S3 (502, 503), not S3 itself.
      return true;
    }
    return e instanceof MinioException && e.getCause() instanceof IOException;
  }

  private static boolean isTransientStatus(int status) {
    return status >= 500 || status == 429 || status == 408;
  }

  /** The CairnException for a failure of {@code what} after {@code attempts} tries. */
  static CairnException toStorage(String what, Throwable t, int attempts) {
    Throwable e = unwrap(t);
    if (e instanceof CairnException se) {
      return se;
    }
    if (isNoSuchKey(e)) {
      return CairnException.notFound(what + ": no such chunk");
    }
    if (isTransient(e)) {
      return new CairnException(
          Kind.TRANSIENT,
          what + ": S3 unavailable after " + attempts + " attempt(s): " + describe(e),
          e);
    }
    if (e instanceof ErrorResponseException ere
        && FULL_CODES.contains(ere.errorResponse().code())) {
      return new CairnException(
          Kind.INSUFFICIENT_STORAGE, what + ": S3 is full: " + describe(e), e);
    }
    return new CairnException(Kind.INTERNAL, what + ": S3 failed: " + describe(e), e);
  }

  /** A one-line account of a failure; minio's own toString spans the whole request. */
  private static String describe(Throwable e) {
    if (e instanceof ErrorResponseException ere) {
      int status = ere.response() == null ? 0 : ere.response().code();
      return ere.errorResponse().code()
          + " (HTTP "
          + status
          + "): "
          + ere.errorResponse().message();
    }
    if (e instanceof ServerException se) {
      return "HTTP " + se.statusCode();
    }
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }
}
