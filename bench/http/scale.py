"""Workloads 6 and 7: a folder of 100,000 files, and a mixed load of 64 clients.

Figure 8 (resident memory) is not a workload: rss.py samples every server during the whole run."""

import io
import os
import random
import statistics
import xml.etree.ElementTree as ET

import davclient
from workloads import (PROPFIND_BODY, PROPFIND_HEADERS, SMALL, Failure, Meter, Sample, Workload, expect, many,
                       mkcol, request)


def count_responses(body):
    """DAV:response elements in a multistatus, parsed as a stream (100,000 of them is ~60 MB)."""
    found = 0
    for _, element in ET.iterparse(io.BytesIO(body), events=("end",)):
        if element.tag == "{DAV:}response":
            found += 1
            element.clear()
    return found


class PropfindHuge(Workload):
    """Figure 6. Peers get their files written straight into their document root (plain files are
    all a peer keeps); Cairn keeps a journal, so its files go through its own PUT path, each an
    ordinary WebDAV PUT committed and fsynced like any other: nothing is written behind its back.
    The files hold the same 4 KiB as workload 4's, so Cairn stores that content once (as it would
    for any client) and each PUT costs a journal commit."""
    key, unit = "6", "PROPFIND/s"
    title = "PROPFIND Depth 1 on a folder of {huge_files:,} files ({huge_reps} in a row, 1 client)"

    def prepare(self, ctx, server):
        n = ctx.sizes["huge_files"]
        mkcol(ctx, server, "/bench/huge/")
        with Meter(server) as m:
            if server.root is not None:
                folder = server.root / "bench" / "huge"
                for i in range(n):
                    with open(folder / f"{i:06d}.bin", "wb") as f:
                        f.write(SMALL)
                how = "written into its document root"
            else:
                reqs = [("PUT", f"/bench/huge/{i:06d}.bin", None, SMALL) for i in range(n)]
                many(ctx, server, reqs, "populate the folder of 100,000 files")
                how = "PUT over HTTP, 16 connections"
        st = ctx.state[server.name]
        st["huge_populate"] = f"{how} at {n / m.wall:,.0f} files/s"
        first = expect(request(ctx, server, "PROPFIND", "/bench/huge/", PROPFIND_BODY, PROPFIND_HEADERS,
                               keep_body=True), (207,), "PROPFIND of the big folder")
        found = count_responses(first.body)
        if found != n + 1:
            raise Failure(f"PROPFIND listed {found} entries, expected {n + 1}")
        st["huge_kb"] = len(first.body) / 1024

    def run_round(self, ctx, server, r):
        reqs = [("PROPFIND", "/bench/huge/", PROPFIND_HEADERS, PROPFIND_BODY)] * ctx.sizes["huge_reps"]
        with Meter(server) as m:
            results, _ = many(ctx, server, reqs, "PROPFIND of the big folder", concurrency=1)
        if any(x.status != 207 for x in results):
            raise Failure("PROPFIND did not answer 207")
        lat = sorted(x.latency for x in results)
        median = statistics.median(lat)
        st = ctx.state[server.name]
        detail = {"median ms": f"{1000 * median:,.0f}", "max ms": f"{1000 * lat[-1]:,.0f}"}
        small = st.get("propfind_median")
        if small:  # workload 4 ran: is the time linear in the number of entries?
            scale = ctx.sizes["huge_files"] / ctx.sizes["propfind_files"]
            detail[f"vs {scale:g} × workload 4's median"] = f"{median / (scale * small):.2f}×"
        detail.update({"reply MiB": f"{st['huge_kb'] / 1024:.0f}", "populated": st["huge_populate"]})
        return m.stamp(Sample(1 / median, detail))


# Workload 7's file sizes: (share of files, smallest, largest), log-uniform within a band. Most
# files are small, most bytes are in a few big ones, as in file-system surveys (Agrawal et al.,
# FAST 2007: median file ~4 KiB; files over 1 MiB are few but hold most of the bytes).
SIZE_BANDS = [(0.50, 256, 16 << 10), (0.30, 16 << 10, 64 << 10), (0.15, 64 << 10, 1 << 20),
              (0.04, 1 << 20, 10 << 20), (0.01, 10 << 20, 40 << 20)]
MIX = [("GET", 0.70), ("PUT", 0.20), ("PROPFIND", 0.10)]


def file_size(rng):
    pick, acc = rng.random(), 0.0
    for share, low, high in SIZE_BANDS:
        acc += share
        if pick < acc:
            break
    return int(low * (high / low) ** rng.random())


class Bodies:
    """Unique contents made on demand: a slice of a random pool with a counter stamped every
    64 KiB, so no two bodies share a chunk (Cairn deduplicates; a real edit seldom repeats)."""

    def __init__(self, seed):
        self.pool = random.Random(seed).randbytes(SIZE_BANDS[-1][2])
        self.count = 0

    def make(self, size):
        self.count += 1
        body = bytearray(self.pool[:size])
        stamp = self.count.to_bytes(8, "little")
        for at in range(0, max(size - 8, 1), 64 << 10):
            body[at:at + 8] = stamp[:max(0, min(8, size - at))]
        return bytes(body)


class MixedRequests:
    """The mixed load's request sequence, made lazily (its PUT bodies would not fit in memory)."""

    def __init__(self, files, folders, bodies, count, seed):
        self.files, self.folders, self.bodies = files, folders, bodies
        rng = random.Random(seed)
        order = list(range(len(files)))
        rng.shuffle(order)
        self.plan, puts = [], 0
        for _ in range(count):
            pick = rng.random()
            if pick < MIX[0][1]:
                self.plan.append(("GET", rng.randrange(len(files))))
            elif pick < MIX[0][1] + MIX[1][1]:
                # Round robin over a shuffled order: the PUTs in flight (at most 64) never share a file.
                self.plan.append(("PUT", order[puts % len(order)]))
                puts += 1
            else:
                self.plan.append(("PROPFIND", rng.randrange(folders)))

    def __len__(self):
        return len(self.plan)

    def __getitem__(self, i):
        method, target = self.plan[i]
        if method == "PROPFIND":
            return method, f"/bench/mixed/d{target:02d}/", PROPFIND_HEADERS, PROPFIND_BODY
        path, size = self.files[target]
        return method, path, None, self.bodies.make(size) if method == "PUT" else b""


class MixedLoad(Workload):
    """Figure 7: 64 clients, each a keep-alive connection sending its next request as soon as the
    last is answered, for a fixed time; then the requests in flight are finished."""
    key, unit = "7", "req/s"
    title = ("mixed load, {mixed_clients} clients for {mixed_seconds} s: 70% GET, 20% PUT, 10% PROPFIND "
             "over {mixed_files:,} files of realistic sizes")

    def files(self, ctx):
        rng = random.Random(7)  # the same files, sizes and requests for every server
        folders, n = ctx.sizes["mixed_folders"], ctx.sizes["mixed_files"]
        return [(f"/bench/mixed/d{i % folders:02d}/{i:05d}.bin", file_size(rng)) for i in range(n)]

    def prepare(self, ctx, server):
        files = self.files(ctx)
        mkcol(ctx, server, "/bench/mixed/")
        for d in range(ctx.sizes["mixed_folders"]):
            mkcol(ctx, server, f"/bench/mixed/d{d:02d}/")
        bodies = Bodies(70)
        for start in range(0, len(files), 100):  # in batches: the bodies stay out of memory
            batch = [("PUT", path, None, bodies.make(size)) for path, size in files[start:start + 100]]
            many(ctx, server, batch, "populate the mixed load's files")
        ctx.state[server.name]["mixed_bytes"] = sum(size for _, size in files)

    def run_round(self, ctx, server, r):
        files, seconds = self.files(ctx), ctx.sizes["mixed_seconds"]
        # Far more requests than any server answers in the time (bounded all the same): lighttpd
        # answered all of 4,000 a second once.
        reqs = MixedRequests(files, ctx.sizes["mixed_folders"], Bodies(700 + r), 10000 * seconds, 77 + r)
        with Meter(server) as m:
            results, elapsed = davclient.run("127.0.0.1", server.port, reqs, ctx.sizes["mixed_clients"],
                                             ctx.auth_headers, time_limit=seconds + 180, stop_after=seconds)
        sent = [(reqs.plan[i][0], x) for i, x in enumerate(results) if x.sent]
        bad = [x for _, x in sent if not x.ok]
        if len(bad) > len(sent) // 20:  # a few failures are shown in the details, and not counted
            first = bad[0]
            raise Failure(f"mixed load: {len(bad)}/{len(sent)} failed, first: {first.error or first.status}")
        good = [(method, x) for method, x in sent if x.ok]
        moved = sum(x.body_bytes for _, x in good) + sum(files[reqs.plan[i][1]][1] for i, x in enumerate(results)
                                                         if x.sent and x.ok and reqs.plan[i][0] == "PUT")
        lat = sorted(x.latency for _, x in good)
        sample = m.stamp(Sample(len(good) / elapsed, {
            "p50 ms": f"{1000 * lat[len(lat) // 2]:.1f}", "p99 ms": f"{1000 * p99(lat):,.0f}",
            **{f"{k} p99 ms": f"{1000 * p99(sorted(x.latency for meth, x in good if meth == k)):,.0f}"
               for k, _ in MIX},
            "MB/s moved": f"{moved / elapsed / 1e6:,.0f}", "requests": f"{len(good):,}",
            "failed": f"{len(bad)}" + (f" (first: {bad[0].error or bad[0].status})" if bad else "")}))
        if len(sent) == len(reqs):
            sample.detail["note"] = "every planned request was sent before the time was up"
        sample.lower_better = {"p99 ms": 1000 * p99(lat)}
        return sample


def p99(sorted_values):
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * 0.99))] if sorted_values else 0.0


ALL = [PropfindHuge(), MixedLoad()]
