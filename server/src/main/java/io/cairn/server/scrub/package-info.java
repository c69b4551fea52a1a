/**
 * The background scrub (ADR 0016): a slow, resumable pass over every stored chunk that re-hashes it
 * against its name, one node at a time in a cluster. {@link io.cairn.server.scrub.ScrubSchedule}
 * runs passes under a lease, {@link io.cairn.server.scrub.Scrubber} reads and checks the chunks at
 * the configured rate, {@link io.cairn.server.scrub.ChunkUsers} names the versions a damaged chunk
 * breaks, and the position lives in the journal ({@link io.cairn.server.scrub.ScrubPosition}) so
 * that a restarted node, or another node, carries on where the last one stopped.
 */
package io.cairn.server.scrub;
