package io.cairn.webdav.method;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The WebDAV methods Cairn serves, and what each one is: the one table that OPTIONS and the Allow
 * header ({@link #allow}), the 501 and 405 answers, the request metrics, share access and the lock
 * filter read. A new method is a new row here and a handler (a test checks that every row has
 * one).
 *
 * <p>Columns: where the method is allowed (RFC 9110 §10.2.1 Allow; RFC 4918 §9); whether it
 * changes what the Request-URI names, and whether it writes a Destination (COPY, MOVE: RFC 4918
 * §9.8, §9.9); and what it does to the Request-URI as far as locks go (RFC 4918 §7), which the lock
 * filter enforces.
 */
public enum DavMethod {
  OPTIONS(Targets.ANY, false, false, TargetLock.NONE),
  GET(Targets.EXISTING, false, false, TargetLock.NONE),
  HEAD(Targets.EXISTING, false, false, TargetLock.NONE),
  PUT(EnumSet.of(Target.ABSENT, Target.FILE), true, false, TargetLock.CREATE_OR_MODIFY),
  DELETE(Targets.EXISTING, true, false, TargetLock.REMOVE),
  MKCOL(EnumSet.of(Target.ABSENT), true, false, TargetLock.CREATE),
  COPY(Targets.EXISTING, false, true, TargetLock.NONE),
  MOVE(Targets.EXISTING, true, true, TargetLock.REMOVE),
  PROPFIND(Targets.EXISTING, false, false, TargetLock.NONE),
  PROPPATCH(Targets.EXISTING, true, false, TargetLock.MODIFY),
  // LOCK and UNLOCK change lock state, not content; a reader must not end a writer's lock, and
  // lockdiscovery shows tokens to every reader, so share access treats both as changes.
  LOCK(Targets.ANY, true, false, TargetLock.IN_HANDLER),
  UNLOCK(Targets.EXISTING, true, false, TargetLock.IN_HANDLER),
  // RFC 3253 §3.6; the one report, sync-collection (RFC 6578), is defined on collections only.
  // Last, so that the Allow lists clients knew before keep their order.
  REPORT(EnumSet.of(Target.FOLDER), false, false, TargetLock.NONE);

  /** What a Request-URI names, for the Allow header. */
  public enum Target {
    ABSENT,
    FILE,
    FOLDER
  }

  /** What a method does to its Request-URI, in the terms of the lock rules of RFC 4918 §7. */
  public enum TargetLock {
    /** Reads, or (COPY) leaves the source alone. */
    NONE,
    /** Creates a member of the parent (MKCOL). */
    CREATE,
    /** Creates a member, or modifies it when it exists (PUT). */
    CREATE_OR_MODIFY,
    /** Modifies the resource (PROPPATCH). */
    MODIFY,
    /** Removes the resource and its tree, whose locks go with it once it succeeded (§9.6.1, §9.9.1). */
    REMOVE,
    /** Checks the submitted tokens itself, since only it knows its body and Lock-Token header. */
    IN_HANDLER
  }

  private static final class Targets {
    static final Set<Target> ANY = EnumSet.allOf(Target.class);
    static final Set<Target> EXISTING = EnumSet.of(Target.FILE, Target.FOLDER);
  }

  private final Set<Target> allowedOn;
  private final boolean changesTarget;
  private final boolean writesDestination;
  private final TargetLock targetLock;

  DavMethod(Set<Target> allowedOn, boolean changesTarget, boolean writesDestination, TargetLock targetLock) {
    this.allowedOn = Set.copyOf(allowedOn);
    this.changesTarget = changesTarget;
    this.writesDestination = writesDestination;
    this.targetLock = targetLock;
  }

  /** The method named {@code name} (case-sensitive, RFC 9110 §9.1), or null when Cairn has none. */
  public static DavMethod named(String name) {
    if (name == null) {
      return null;
    }
    for (DavMethod m : values()) {
      if (m.name().equals(name)) {
        return m;
      }
    }
    return null;
  }

  /** Whether the method is allowed on what a URI names. */
  public boolean allowedOn(Target target) {
    return allowedOn.contains(target);
  }

  /** Whether it changes what the Request-URI names (its content, properties or lock state). */
  public boolean changesTarget() {
    return changesTarget;
  }

  /** Whether it creates or replaces what its Destination header names (COPY, MOVE). */
  public boolean writesDestination() {
    return writesDestination;
  }

  /** What it does to the Request-URI as far as locks go. */
  public TargetLock targetLock() {
    return targetLock;
  }

  /** The Allow header for what a URI names: the methods allowed there, in the table's order. */
  public static String allow(Target target) {
    return join(Arrays.stream(values()).filter(m -> m.allowedOn(target)));
  }

  /** The Allow header for the server as a whole ({@code OPTIONS *}, 405, 501): every method. */
  public static String allowAll() {
    return join(Arrays.stream(values()));
  }

  private static String join(java.util.stream.Stream<DavMethod> methods) {
    return methods.map(DavMethod::name).collect(Collectors.joining(", "));
  }
}
