"""Workloads 1 to 5, plus the untimed sanity check and warm-up every server gets first.

Each workload has prepare (untimed), run_round (timed, one sample) and finish (untimed).
The runner interleaves rounds across servers so that noise from the shared machine falls
on every server alike; a workload's figure is the best of its rounds. Every figure is
'higher is better' so that ratio = server / best peer reads the same way everywhere."""

import ctypes
import os
import resource
import statistics
import subprocess
import time
import xml.etree.ElementTree as ET

import davclient

SMALL = os.urandom(4096)
PROPFIND_BODY = (b'<?xml version="1.0" encoding="utf-8"?>\n<D:propfind xmlns:D="DAV:"><D:prop>'
                 b'<D:resourcetype/><D:getcontentlength/><D:getlastmodified/><D:getetag/>'
                 b'<D:getcontenttype/></D:prop></D:propfind>')
ALLPROP_BODY = (b'<?xml version="1.0" encoding="utf-8"?>\n<D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind>')
PROPFIND_HEADERS = {"Depth": "1", "Content-Type": "application/xml; charset=utf-8"}
_libc = ctypes.CDLL(None, use_errno=True)


class Failure(Exception):
    """A server answered wrongly or not at all: the workload is marked failed for it."""


class Sample:
    def __init__(self, value, detail=None):
        self.value, self.detail = value, detail or {}
        self.server_cpu = self.client_cpu = self.wall = 0.0
        self.lower_better = {}  # detail figures where lower is better (latency): ratio to the lowest peer


class Meter:
    """CPU used by the server's process tree and by the client (this process and the
    curl/wrk children it waited for) over a timed section, as % of one core."""

    def __init__(self, server):
        self.server = server

    def __enter__(self):
        self.t0 = time.perf_counter()
        self.s0 = self.server.cpu()
        self.c0 = _client_cpu()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.t0
        self.server_cpu = self.server.cpu() - self.s0
        self.client_cpu = _client_cpu() - self.c0

    def stamp(self, sample):
        sample.wall = self.wall
        sample.server_cpu = 100 * self.server_cpu / self.wall
        sample.client_cpu = 100 * self.client_cpu / self.wall
        return sample


def _client_cpu():
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        r = resource.getrusage(who)
        total += r.ru_utime + r.ru_stime
    return total


def syncfs(path):
    """Flush the file system holding path; returns the seconds it took."""
    fd = os.open(path, os.O_RDONLY)
    try:
        t0 = time.perf_counter()
        if _libc.syncfs(fd) != 0:
            raise OSError(ctypes.get_errno(), "syncfs failed")
        return time.perf_counter() - t0
    finally:
        os.close(fd)


def request(ctx, server, method, path, body=b"", headers=None, keep_body=False, auth=True):
    results, _ = davclient.run("127.0.0.1", server.port, [(method, path, headers, body)], 1,
                               ctx.auth_headers if auth else None, keep_body=keep_body,
                               time_limit=60)
    return results[0]


def expect(resp, statuses, what):
    if resp.error or resp.status not in statuses:
        raise Failure(f"{what}: got {resp.error or resp.status}, expected {statuses}")
    return resp


def many(ctx, server, requests, what, concurrency=16):
    """Run requests concurrently; every one must get a 2xx. Returns (responses, seconds)."""
    results, elapsed = davclient.run("127.0.0.1", server.port, requests, concurrency,
                                     ctx.auth_headers, time_limit=ctx.sizes["time_limit"])
    bad = [r for r in results if not r.ok]
    if bad:
        first = bad[0]
        raise Failure(f"{what}: {len(bad)}/{len(results)} failed, first: {first.error or first.status}")
    return results, elapsed


def mkcol(ctx, server, path):
    expect(request(ctx, server, "MKCOL", path), (201,), f"MKCOL {path}")


def upload_big(ctx, server, path):
    status, seconds = davclient.put_file("127.0.0.1", server.port, path, ctx.big_file,
                                         ctx.auth_headers, ctx.sizes["time_limit"])
    if status not in (200, 201, 204):
        raise Failure(f"PUT {path}: status {status}")
    return seconds


def mb_per_s(size, seconds):
    return size / seconds / 1e6


def sanity_and_warmup(ctx, server):
    """Untimed: the server speaks WebDAV as expected (and refuses anonymous requests when
    credentials are in use), then gets the same short warm-up as every other server so a
    JIT-compiled server is not measured cold."""
    opts = expect(request(ctx, server, "OPTIONS", "/"), (200, 204), "OPTIONS /")
    if "dav" not in opts.headers:
        raise Failure("OPTIONS / has no DAV header")
    if ctx.auth_headers:
        anon = request(ctx, server, "GET", "/", auth=False)
        if anon.status != 401:
            problem = f"anonymous GET / answered {anon.status}, expected 401: auth is not on"
            if server.is_peer:
                raise Failure(problem)  # our own config is wrong
            ctx.warnings.append(f"WARNING {server.name}: {problem} (pass its credentials with --cairn-args?)")
    mkcol(ctx, server, "/bench/")
    mkcol(ctx, server, "/bench/warm/")
    expect(request(ctx, server, "PUT", "/bench/small.bin", SMALL), (200, 201, 204), "PUT small")
    got = expect(request(ctx, server, "GET", "/bench/small.bin", keep_body=True), (200,), "GET small")
    if got.body != SMALL:
        raise Failure(f"GET returned {len(got.body)} bytes that differ from the 4 KiB PUT")
    n = ctx.sizes["warmup"]
    # PUT and overwrite: a JIT-compiled server needs tens of thousands of requests to settle. Each
    # pass writes other bytes (an overwrite with the same bytes is a no-op for a server that keeps
    # versions, so it would warm a path no workload takes), and the fourth deletes the files first,
    # so that new files' PUTs (workload 3) are warm too, without more than n distinct names.
    for p in range(ctx.sizes["warmup_puts"]):
        if p == 3:
            many(ctx, server, [("DELETE", f"/bench/warm/{i}.bin", None, b"") for i in range(n)],
                 "warm-up DELETE")
        body = SMALL[:-1] + bytes([p])
        many(ctx, server, [("PUT", f"/bench/warm/{i}.bin", None, body) for i in range(n)], "warm-up PUT")
    many(ctx, server, [("GET", f"/bench/warm/{i % n}.bin", None, b"") for i in range(2 * n)], "warm-up GET")
    many(ctx, server, [("PROPFIND", "/bench/warm/", PROPFIND_HEADERS, PROPFIND_BODY)]
         * ctx.sizes["warmup_propfinds"], "warm-up PROPFIND", concurrency=1)
    if ctx.warm_file:  # the large PUT and GET paths (workloads 1, 2 and 7)
        for r in range(ctx.sizes["warmup_big_rounds"]):
            if davclient.put_file("127.0.0.1", server.port, "/bench/warm-big.bin", ctx.warm_file,
                                  ctx.auth_headers, ctx.sizes["time_limit"])[0] not in (200, 201, 204):
                raise Failure("warm-up PUT of the large file failed")
            status, size, _ = davclient.get_discard("127.0.0.1", server.port, "/bench/warm-big.bin",
                                                    ctx.auth_headers, ctx.sizes["time_limit"])
            if status != 200 or size != ctx.sizes["warmup_big"]:
                raise Failure(f"warm-up GET of the large file: status {status}, {size} bytes")
        expect(request(ctx, server, "DELETE", "/bench/warm-big.bin"), (200, 204), "warm-up DELETE")


class Workload:
    key, title, unit = "", "", ""

    def rounds(self, ctx):
        return ctx.rounds or 1

    def prepare(self, ctx, server):
        pass

    def run_round(self, ctx, server, r):
        raise NotImplementedError

    def finish(self, ctx, server):
        pass


class PutBig(Workload):
    key, unit = "1", "MB/s"
    title = "PUT of one {big} file"

    def rounds(self, ctx):
        return ctx.rounds or ctx.sizes["big_rounds"]

    def prepare(self, ctx, server):
        if "1" not in ctx.notes:
            ctx.notes["1"] = disk_limit(ctx)

    def run_round(self, ctx, server, r):
        path = f"/bench/big-{r}.bin"
        if ctx.big_round != r:  # once per round: every server sends the same bytes
            freshen(ctx.big_file)
            ctx.big_round = r
        os.sync()  # start from clean page cache so earlier writes are not charged here
        with Meter(server) as m:
            seconds = upload_big(ctx, server, path)
        sync_seconds = syncfs(server.dir)
        if r > 0:
            request(ctx, server, "DELETE", f"/bench/big-{r - 1}.bin")
        ctx.state[server.name]["big"] = path
        return m.stamp(Sample(mb_per_s(ctx.big_size, seconds), {
            "with syncfs after": f"{mb_per_s(ctx.big_size, seconds + sync_seconds):.0f} MB/s",
            "server CPU/GiB": f"{m.server_cpu / (ctx.big_size / 2**30):.2f} s"}))


def freshen(path, every=64 << 10):
    """Overwrites 16 random bytes every 64 KiB of the file in place, so that each round's PUT is
    content no server has stored before: a server that deduplicates (Cairn) would otherwise find
    every chunk of a second round present and write nothing. 64 KiB is below any chunk's size.
    Done once per round, so that every server's last PUT holds what the file holds at the end:
    workload 2 reads that upload back and compares it with the file."""
    size = os.path.getsize(path)
    with open(path, "r+b") as f:
        for offset in range(0, size, every):
            f.seek(offset)
            f.write(os.urandom(16))


def disk_limit(ctx):
    """The disk's own limit for figure 1: dd writing the big file's size with one fdatasync at the
    end, on the file system every server writes to (the issue's yardstick for a durable PUT)."""
    target = ctx.run_dir / "dd-limit.bin"
    count = max(1, ctx.big_size >> 20)
    os.sync()
    try:
        t0 = time.perf_counter()
        subprocess.run(["dd", "if=/dev/zero", f"of={target}", "bs=1M", f"count={count}", "conv=fdatasync"],
                       check=True, capture_output=True, timeout=ctx.sizes["time_limit"])
        seconds = time.perf_counter() - t0
    finally:
        target.unlink(missing_ok=True)
    return (f"The disk's own limit on this file system: `dd if=/dev/zero bs=1M count={count} conv=fdatasync` "
            f"wrote at {mb_per_s(count << 20, seconds):.0f} MB/s (measured once, before the first round). "
            f"Issue 16's goal for a durable PUT: at least the best peer's 'with syncfs after' and 0.8 x this.")


class GetBig(Workload):
    key, unit = "2", "MB/s"
    title = "GET of that {big} file (output discarded)"

    def rounds(self, ctx):
        return ctx.rounds or ctx.sizes["big_rounds"] + 1

    def prepare(self, ctx, server):
        if "big" not in ctx.state[server.name]:
            ctx.state[server.name]["big"] = "/bench/big-get.bin"
            upload_big(ctx, server, "/bench/big-get.bin")

    def run_round(self, ctx, server, r):
        # Not curl: its 16 KiB reads held nginx at ~1.2 GB/s where a 1 MiB buffer reads 2.4-3.3.
        with Meter(server) as m:
            status, size, seconds = davclient.get_discard("127.0.0.1", server.port, ctx.state[server.name]["big"],
                                                          ctx.auth_headers, ctx.sizes["time_limit"])
        if status != 200 or size != ctx.big_size:
            raise Failure(f"GET: status {status}, {size} bytes instead of {ctx.big_size}")
        return m.stamp(Sample(mb_per_s(ctx.big_size, seconds)))

    def finish(self, ctx, server):
        """Untimed: the bytes read back are the bytes written; then the file goes away."""
        path = ctx.state[server.name].pop("big")
        get = subprocess.Popen(["curl", "-sS", "--fail", "--max-time", str(ctx.sizes["time_limit"])]
                               + ctx.curl_auth + [server.url(path)],
                               stdout=subprocess.PIPE)
        same = subprocess.run(["cmp", "-s", "-", str(ctx.big_file)], stdin=get.stdout,
                              timeout=ctx.sizes["time_limit"]).returncode
        get.stdout.close()
        get.wait(timeout=ctx.sizes["time_limit"])
        request(ctx, server, "DELETE", path)
        if same != 0 or get.returncode != 0:
            raise Failure(f"GET content differs from the file PUT (curl exit {get.returncode}, cmp exit {same})")


class PutSmall(Workload):
    key, unit = "3", "req/s"
    title = "{put_count} x 4 KiB PUTs of new files, concurrency 16"

    def rounds(self, ctx):
        return ctx.rounds or ctx.sizes["small_rounds"]

    def run_round(self, ctx, server, r):
        folder = f"/bench/put4k-{r}/"
        mkcol(ctx, server, folder)
        n = ctx.sizes["put_count"]
        reqs = [("PUT", f"{folder}{i}.bin", None, SMALL) for i in range(n)]
        os.sync()
        with Meter(server) as m:
            results, elapsed = many(ctx, server, reqs, "PUT 4 KiB")
        sync_seconds = syncfs(server.dir)
        lat = sorted(x.latency for x in results)
        return m.stamp(Sample(n / elapsed, {
            "p50 ms": f"{1000 * lat[len(lat) // 2]:.1f}",
            "p99 ms": f"{1000 * lat[int(len(lat) * 0.99)]:.1f}",
            "with syncfs after": f"{n / (elapsed + sync_seconds):.0f} req/s",
            "server CPU/req": f"{1e6 * m.server_cpu / n:.0f} µs",
            "client CPU/req": f"{1e6 * m.client_cpu / n:.0f} µs (one core: {n / max(m.client_cpu, 1e-9):,.0f} req/s)"}))


class PropfindFolder(Workload):
    key, unit = "4", "PROPFIND/s"
    title = "PROPFIND Depth 1 on a folder of {propfind_files} files ({propfind_reps} in a row, 1 client)"

    def prepare(self, ctx, server):
        n = ctx.sizes["propfind_files"]
        mkcol(ctx, server, "/bench/folder/")
        reqs = [("PUT", f"/bench/folder/{i:05d}.bin", None, SMALL) for i in range(n)]
        _, elapsed = many(ctx, server, reqs, "populate folder")
        ctx.state[server.name]["populate"] = f"{n / elapsed:.0f} PUT/s"
        first = expect(request(ctx, server, "PROPFIND", "/bench/folder/", PROPFIND_BODY,
                               PROPFIND_HEADERS, keep_body=True),
                       (207,), "PROPFIND")
        found = len(ET.fromstring(first.body).findall("{DAV:}response"))
        if found != n + 1:
            raise Failure(f"PROPFIND listed {found} entries, expected {n + 1}")
        ctx.state[server.name]["propfind_kb"] = len(first.body) / 1024

    def run_round(self, ctx, server, r):
        reps = ctx.sizes["propfind_reps"]
        reqs = [("PROPFIND", "/bench/folder/", PROPFIND_HEADERS,
                 PROPFIND_BODY)] * reps
        with Meter(server) as m:
            results, _ = many(ctx, server, reqs, "PROPFIND", concurrency=1)
        if any(x.status != 207 for x in results):
            raise Failure("PROPFIND did not answer 207")
        lat = sorted(x.latency for x in results)
        median = statistics.median(lat)
        st = ctx.state[server.name]
        st["propfind_median"] = min(median, st.get("propfind_median", median))  # workload 6 compares
        return m.stamp(Sample(1 / median, {
            "median ms": f"{1000 * median:.1f}",
            "max ms": f"{1000 * lat[-1]:.1f}",
            "reply KiB": f"{st['propfind_kb']:.0f}",
            "populated at": st["populate"]}))


class GetSmall(Workload):
    key, unit = "5", "req/s"
    title = "GET of one 4 KiB file, concurrency 16 (wrk -t2 -c16 -d{wrk_seconds}s)"

    def rounds(self, ctx):
        return ctx.rounds or ctx.sizes["wrk_rounds"]

    def run_round(self, ctx, server, r):
        cmd = ["wrk", "-t2", "-c16", f"-d{ctx.sizes['wrk_seconds']}s"] + ctx.wrk_auth + [
            server.url("/bench/small.bin")]
        with Meter(server) as m:
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=ctx.sizes["wrk_seconds"] + 60)
        out = p.stdout
        if p.returncode != 0 or "Requests/sec:" not in out:
            raise Failure(f"wrk failed: {p.stderr.strip()[:200]}")
        lines = {x.split(":")[0].strip(): x.split(":", 1)[1].strip() for x in out.splitlines() if ":" in x}
        if "Non-2xx or 3xx responses" in lines:
            raise Failure(f"wrk: {lines['Non-2xx or 3xx responses']} non-2xx responses")
        detail = {"mean latency": out.split("Latency")[1].split()[0]}
        if "Socket errors" in lines:
            detail["socket errors"] = lines["Socket errors"]
        return m.stamp(Sample(float(lines["Requests/sec"]), detail))


ALL = [PutBig(), GetBig(), PutSmall(), PropfindFolder(), GetSmall()]
