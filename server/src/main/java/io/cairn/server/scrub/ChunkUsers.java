package io.cairn.server.scrub;

import io.cairn.core.BlockRef;
import io.cairn.core.Blocklist;
import io.cairn.core.ChunkHash;
import io.cairn.server.retained.RetainedVersions;
import io.cairn.storage.ChangeKind;
import io.cairn.storage.Journal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Which retained versions, live files and trash entries name a chunk: what a damaged chunk breaks,
 * for the log line that tells an operator. Asks the journal's chunk index which namespaces name it
 * ({@link Journal#referenced}), then walks only those: slow, and meant for the rare damaged chunk.
 */
final class ChunkUsers {
  /** At most this many places are named; the rest are counted. */
  static final int NAMED = 20;

  private final Journal journal;
  private final RetainedVersions retained;

  ChunkUsers(Journal journal) {
    this.journal = journal;
    this.retained = new RetainedVersions(journal, ChunkUsers::await, () -> {}, Instant.MAX);
  }

  /**
   * The places that need {@code hash}, as fsck names them ("ns:/path (live)", "ns:/path (version
   * jid 4)", "ns:/path (trash jid 9)"), at most {@link #NAMED} and then "and N more"; empty when no
   * retained version names it (garbage, which gc will delete).
   */
  List<String> of(ChunkHash hash) {
    List<String> places = new ArrayList<>();
    long[] more = {0};
    retained.forEachNamespace(ns -> {
      if (await(journal.referenced(List.of(ns), List.of(hash)), "read the chunk index of " + ns).isEmpty()) {
        return;
      }
      retained.forEachEntry(ns, e -> {
        if (!e.isDirectory() && names(e.blocklist(), hash)) {
          add(places, more, ns + ":" + e.path() + " (live)");
        }
      });
      retained.forEachRow(ns, (row, kept) -> {
        if (kept && row.kind() == ChangeKind.PUT && names(row.blocklist(), hash)) {
          add(places, more, ns + ":" + row.path() + " (version jid " + row.jid() + ")");
        }
      });
      retained.forEachTrashedFile(ns, (item, e) -> {
        if (names(e.blocklist(), hash)) {
          add(places, more, ns + ":" + e.path() + " (trash jid " + item.jid() + ")");
        }
      });
    });
    if (more[0] > 0) {
      places.add("and " + more[0] + " more");
    }
    return places;
  }

  private static void add(List<String> places, long[] more, String place) {
    if (places.size() < NAMED) {
      places.add(place);
    } else {
      more[0]++;
    }
  }

  private static boolean names(Blocklist blocks, ChunkHash hash) {
    for (BlockRef b : RetainedVersions.blocks(blocks).blocks()) {
      if (b.hash().equals(hash)) {
        return true;
      }
    }
    return false;
  }

  static <T> T await(io.vertx.core.Future<T> future, String what) {
    return RetainedVersions.await(future, what, ScrubFailure::new);
  }

}
