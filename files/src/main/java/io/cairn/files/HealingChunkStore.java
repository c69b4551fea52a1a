package io.cairn.files;

import io.cairn.core.ChunkHash;
import io.cairn.storage.ChunkStore;
import io.cairn.storage.DamagedChunk;
import io.cairn.storage.ForwardingChunkStore;
import io.cairn.storage.Journal;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chunk store as uploads see it: a put of a chunk recorded as damaged (ADR 0016) heals it.
 * The uploaded bytes hash to the chunk's name (the store verifies them, or the caller just hashed
 * them), so they replace the stored copy, missing or corrupt ({@link ChunkStore#replace}), and the
 * record is cleared: the live file, every version and trash entry naming the chunk read again, on
 * every node, since reads ask the journal. Any other put goes straight to the store; whether a
 * chunk is one to heal comes from {@link KnownDamage}, in memory, and only a chunk it names costs
 * a journal lookup.
 */
final class HealingChunkStore extends ForwardingChunkStore {
  private static final Logger LOG = LoggerFactory.getLogger(HealingChunkStore.class);

  private final Journal journal;
  private final KnownDamage known;

  HealingChunkStore(ChunkStore store, Journal journal, KnownDamage known) {
    super(store);
    this.journal = journal;
    this.known = known;
  }

  @Override
  public Future<Boolean> put(ChunkHash hash, Buffer data) {
    return healOr(hash, data, () -> store.put(hash, data));
  }

  @Override
  public Future<Boolean> putHashedHere(ChunkHash hash, Buffer data) {
    return healOr(hash, data, () -> store.putHashedHere(hash, data));
  }

  /** Heals {@code hash} with {@code data} when it is recorded as damaged; else the ordinary put. */
  private Future<Boolean> healOr(ChunkHash hash, Buffer data, Supplier<Future<Boolean>> put) {
    if (hash == null || data == null) {
      return put.get();
    }
    return known.mayBeDamaged(hash)
        .compose(maybe -> maybe ? known.recorded(List.of(hash)) : Future.succeededFuture(java.util.Map.of()))
        .compose(recorded -> {
          DamagedChunk damage = recorded.get(hash);
          return damage == null ? put.get() : heal(damage, data);
        });
  }

  private Future<Boolean> heal(DamagedChunk damage, Buffer data) {
    ChunkHash hash = damage.hash();
    return store.replace(hash, data)
        .compose(v -> journal.clearDamaged(List.of(hash)))
        .map(v -> {
          known.healed(hash);
          LOG.info("chunk {}, recorded as damaged {} ({}), is stored again from an upload of the same content;"
              + " its record is cleared and what names it reads again", hash.hex(), damage.foundAt(), damage.problem());
          return true;
        });
  }
}
