package io.cairn.storage;

/**
 * What a commit expects of its target path's current state: optimistic concurrency for
 * If-Match/If-None-Match and the sync API. A commit whose expectation does not hold fails with
 * PRECONDITION_FAILED and changes nothing.
 */
public sealed interface Expect {
  /** No expectation. */
  Expect ANY = new Any();
  /** The path must not exist ({@code If-None-Match: *}). */
  Expect ABSENT = new Absent();
  /** The path must exist ({@code If-Match: *}). */
  Expect PRESENT = new Present();

  /** The path must exist with exactly this {@link Entry#version()}. */
  static Expect version(long version) {
    return new Version(version);
  }

  record Any() implements Expect {}

  record Absent() implements Expect {}

  record Present() implements Expect {}

  record Version(long version) implements Expect {}

  /** Whether an entry (null: the path is absent) meets this expectation. */
  default boolean isMetBy(Entry current) {
    return switch (this) {
      case Any a -> true;
      case Absent a -> current == null;
      case Present p -> current != null;
      case Version v -> current != null && current.version() == v.version();
    };
  }
}
