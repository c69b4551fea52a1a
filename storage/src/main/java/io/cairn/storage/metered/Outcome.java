package io.cairn.storage.metered;

import io.cairn.core.CairnException;
import java.util.Locale;

/** The {@code outcome} label of an operation: "ok", or the failure's kind in lower case. */
final class Outcome {
  static final String OK = "ok";

  private Outcome() {}

  static String of(Throwable failure) {
    if (failure == null) {
      return OK;
    }
    if (failure instanceof CairnException e) {
      return e.kind().name().toLowerCase(Locale.ROOT);
    }
    return "internal";
  }
}
