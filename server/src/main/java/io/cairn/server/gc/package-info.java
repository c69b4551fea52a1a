/**
 * Chunk garbage collection (ADR 0012): {@link io.cairn.server.gc.GarbageCollector} marks every
 * chunk a retained version names and sweeps the stored chunks no version names and no upload has
 * relied on within the grace period; {@link io.cairn.server.gc.GcSchedule} runs it in the server
 * under a cluster lease, {@link io.cairn.server.gc.GcCommand} is {@code cairn gc}.
 */
package io.cairn.server.gc;
