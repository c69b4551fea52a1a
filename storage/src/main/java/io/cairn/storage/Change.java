package io.cairn.storage;

import io.cairn.core.Blocklist;
import java.time.Instant;
import java.util.List;

/** One change to a namespace's tree, committed atomically as one journal row. */
public sealed interface Change {

  /** The path the change is addressed to (the source for MOVE and COPY). */
  String path();

  /**
   * Create or overwrite the file at {@code path}. The parent must be an existing directory
   * (CONFLICT otherwise); the path must not be a directory (CONFLICT). Chunks named in the
   * blocklist must already be durable in the chunk store (design invariant 1). The created time and
   * dead properties of an overwritten file are kept.
   *
   * @param mtime modification time; null means the commit time
   * @param properties dead property changes applied to the file, in order, in the same
   *     transaction (what the server records about this content, such as its whole-file digests);
   *     empty for none
   * @param deletionEpoch null for no check; else the {@linkplain ChunkDeletions#epoch deletion
   *     epoch} after which the caller found every chunk of the blocklist present, and the commit
   *     is refused with TRANSIENT (503, nothing written) when a chunk of the blocklist is in a
   *     batch of deletions that ended after it, or that is still open and was announced less than
   *     {@link ChunkDeletions#ABANDONED_AFTER} before the commit (by the journal's clock). The
   *     check runs inside the commit's transaction, in order with {@link ChunkDeletions#announce}:
   *     an announcement either committed before the check, which sees its batch, or commits after
   *     the row, which garbage collection's re-read of the journal then sees (ADR 0015, case 8)
   */
  record Put(
      String path, long size, String contentHash, Blocklist blocklist, Instant mtime, Expect expect,
      List<PropertyChange> properties, Long deletionEpoch)
      implements Change {
    public Put {
      properties = properties == null ? List.of() : List.copyOf(properties);
    }

    /** A put whose chunks are not checked against the record of deletions. */
    public Put(String path, long size, String contentHash, Blocklist blocklist, Instant mtime, Expect expect,
        List<PropertyChange> properties) {
      this(path, size, contentHash, blocklist, mtime, expect, properties, null);
    }

    /** A put that changes no property. */
    public Put(String path, long size, String contentHash, Blocklist blocklist, Instant mtime, Expect expect) {
      this(path, size, contentHash, blocklist, mtime, expect, List.of());
    }

    /** This put, checked against the record of deletions since {@code epoch} as it commits. */
    public Put keptSince(long epoch) {
      return new Put(path, size, contentHash, blocklist, mtime, expect, properties, epoch);
    }
  }

  /** Create a directory. Parent must be an existing directory (CONFLICT); ALREADY_EXISTS if taken. */
  record Mkdir(String path) implements Change {}

  /**
   * Remove a file or a whole subtree with its dead properties. NOT_FOUND if absent. The removed
   * entries (not their properties) are kept in the trash under this commit's jid ({@link
   * Journal#trash}).
   */
  record Delete(String path, Expect expect) implements Change {}

  /**
   * Move a file or subtree to {@code to}. NOT_FOUND if the source is absent; {@code expect} applies
   * to the source. The destination's parent must be an existing directory (CONFLICT); a destination
   * equal to or below the source is a CONFLICT. An existing destination is replaced (deleted with
   * its subtree first, into the trash as for {@link Delete}) when {@code overwrite}, else
   * PRECONDITION_FAILED. Dead properties move along.
   */
  record Move(String path, String to, boolean overwrite, Expect expect) implements Change {}

  /**
   * Copy a file, a directory alone ({@code recursive} false) or a subtree to {@code to}, with its
   * dead properties; the copy names the same chunks, no content is copied. Same destination rules
   * as {@link Move}.
   */
  record Copy(String path, String to, boolean overwrite, boolean recursive) implements Change {}
}
