package io.cairn.cluster.lease;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * {@link Leases} shared by the cluster: an entry per lease in a Hazelcast map, put only when absent
 * and expiring by Hazelcast's time-to-live, so a member that dies holding one frees it when its
 * time runs out. Renewal is a check and a TTL reset; when the lease lapses between the two, the
 * new holder's time is extended once and the renewal answers false.
 */
public final class HazelcastLeases implements Leases {
  private final IMap<String, String> map;

  public HazelcastLeases(HazelcastInstance hazelcast) {
    this(hazelcast, "cairn-leases");
  }

  public HazelcastLeases(HazelcastInstance hazelcast, String mapName) {
    this.map = hazelcast.getMap(mapName);
  }

  @Override
  public Lease tryAcquire(String name, Duration ttl) {
    String token = UUID.randomUUID().toString();
    if (map.putIfAbsent(name, token, ttl.toMillis(), TimeUnit.MILLISECONDS) != null) {
      return null;
    }
    return new Lease() {
      @Override
      public boolean renew() {
        if (!token.equals(map.get(name))) {
          return false;
        }
        map.setTtl(name, ttl.toMillis(), TimeUnit.MILLISECONDS);
        return token.equals(map.get(name));
      }

      @Override
      public void close() {
        map.remove(name, token);
      }
    };
  }
}
