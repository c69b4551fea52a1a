"""End-to-end HTTP benchmark: Cairn and four WebDAV peers in one run on this machine.
Entry point: bench/http/run.sh (see README.md next to it)."""

import argparse
import base64
import datetime
import os
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import cpuprofile
import report
import rss
import scale
import servers
import workloads

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
WORKLOADS = workloads.ALL + scale.ALL

FULL = dict(big=1 << 30, big_rounds=3, small_rounds=5, put_count=2000, propfind_files=5000,
            propfind_reps=20, wrk_seconds=5, wrk_rounds=3, warmup=10000, warmup_puts=6,
            warmup_propfinds=20, warmup_big=64 << 20, warmup_big_rounds=3,
            time_limit=300, huge_files=100000, huge_reps=5, mixed_clients=64, mixed_seconds=60,
            mixed_files=1000, mixed_folders=20)
QUICK = dict(big=64 << 20, big_rounds=1, small_rounds=1, put_count=500, propfind_files=500,
             propfind_reps=5, wrk_seconds=2, wrk_rounds=1, warmup=200, warmup_puts=1,
             warmup_propfinds=5, warmup_big=0, warmup_big_rounds=0,
             time_limit=120, huge_files=10000, huge_reps=2, mixed_clients=64, mixed_seconds=10,
             mixed_files=200, mixed_folders=4)


def parse_args(argv):
    p = argparse.ArgumentParser(prog="run.sh", description=__doc__)
    p.add_argument("--only", default=",".join(servers.PEERS + ["cairn"]),
                   help=f"servers to run, comma-separated (known: {', '.join(servers.ALL)})")
    p.add_argument("--workloads", default=",".join(w.key for w in WORKLOADS),
                   help="workload numbers, comma-separated (figure 8, memory, is sampled in every run)")
    p.add_argument("--cairn-jar", type=Path, default=REPO / "server/target/cairn.jar")
    p.add_argument("--cairn-args", default="", help="extra arguments for Cairn, one shell-quoted string")
    p.add_argument("--cairn-java-opts", default="",
                   help="JVM options for Cairn added to bin/cairn's defaults (CAIRN_JAVA_OPTS), e.g. -Xmx1g")
    for variant in ("b", "c"):
        p.add_argument(f"--cairn-{variant}-java-opts", default="",
                       help=f"the same for the server cairn-{variant} (only with --only ...,cairn-{variant}): "
                            "another Cairn, measured round for round beside cairn")
    p.add_argument("--java", default=default_java(), help="java binary for Cairn (JDK 21+)")
    p.add_argument("--user", help="Basic auth user for every client; peers get the same credentials")
    p.add_argument("--password", default=os.environ.get("CAIRN_BENCH_PASSWORD"),
                   help="Basic auth password (or env CAIRN_BENCH_PASSWORD)")
    p.add_argument("--quick", action="store_true", help="small sizes, one round: for development")
    p.add_argument("--rounds", type=int, help="rounds per workload, overriding the defaults")
    p.add_argument("--tmp", default=tempfile.gettempdir(), help="parent of the run's temp dir")
    p.add_argument("--keep", action="store_true", help="keep the temp dir (configs, logs, files)")
    p.add_argument("--results", type=Path, default=REPO / "bench/results")
    p.add_argument("--warmup", type=int, help="warm-up files, each PUT once and GET twice (default "
                   "10000 files PUT six times, and a 64 MiB file): e.g. 300 for servers as a user first meets them")
    p.add_argument("--mixed-clients", type=int,
                   help="workload 7's concurrent clients (default 64): 128 asks what twice the load does")
    p.add_argument("--profile", action="store_true",
                   help="profile each Cairn during each workload (async-profiler): flame graphs "
                        "beside the report and a summary of where its CPU went in it")
    p.add_argument("--allprop", action="store_true",
                   help="workload 4 asks <allprop/>, as clients listing a folder without a prop list do")
    args = p.parse_args(argv)
    if args.user and args.password is None:
        p.error("--user needs --password (or CAIRN_BENCH_PASSWORD)")
    args.only = [s.strip() for s in args.only.split(",") if s.strip()]
    if any(s in servers.CAIRNS for s in args.only) and not args.user:
        # Cairn answers 401 to anonymous requests: give every server the same Basic credentials,
        # so that all of them pay for authentication alike.
        args.user, args.password = "bench", secrets.token_urlsafe(18)
        print("note: Cairn requires authentication; Basic auth is on for every server (user 'bench')")
    unknown = [s for s in args.only if s not in servers.ALL]
    if unknown:
        p.error(f"unknown server(s) {unknown}; known: {servers.ALL}")
    keys = [w.strip() for w in args.workloads.split(",") if w.strip()]
    args.workloads = [w for w in WORKLOADS if w.key in keys]
    if len(args.workloads) != len(keys):
        p.error(f"workloads are numbered 1 to {len(WORKLOADS)}")
    args.cairn_args = shlex.split(args.cairn_args)
    return args


def default_java():
    home = os.environ.get("JAVA_HOME")
    for candidate in ([Path(home, "bin/java")] if home else []) + [
            Path("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java")]:
        if candidate.exists():
            return str(candidate)
    return "java"


def fs_type(path):
    """The type of the file system holding path, from the longest matching mount point."""
    path, best = os.path.realpath(path), ("", "?")
    with open("/proc/mounts") as mounts:
        for line in mounts:
            _, point, kind = line.split()[:3]
            if (path == point or path.startswith(point.rstrip("/") + "/")) and len(point) > len(best[0]):
                best = (point, kind)
    return best[1]


def size_label(n):
    return f"{n >> 30} GiB" if n >= 1 << 30 else f"{n >> 20} MiB"


def make_big_file(path, size):
    """Random bytes: nothing for a server to compress or deduplicate."""
    if shutil.which("openssl"):
        subprocess.run(["openssl", "rand", "-out", str(path), str(size)], check=True)
        return
    with open(path, "wb") as f:
        for _ in range(size // (8 << 20)):
            f.write(os.urandom(8 << 20))


def versions(names, args):
    java = args.java
    cmds = {"apache": ["apache2", "-v"], "nginx": ["nginx", "-v"], "lighttpd": ["lighttpd", "-v"],
            "rclone": ["rclone", "version"], "cairn": [java, "-version"], "wrk": ["wrk", "-v"],
            "curl": ["curl", "--version"]}
    out = []
    if any(n in servers.CAIRNS for n in names):
        jar = args.cairn_jar
        out.append(f"cairn jar: {jar} ({datetime.datetime.fromtimestamp(jar.stat().st_mtime):%Y-%m-%d %H:%M})")
    for name in names + ["curl", "wrk"]:
        cmd = cmds.get(name.split("-")[0])
        if cmd:
            p = subprocess.run(cmd, capture_output=True, text=True)
            first = (p.stdout + p.stderr).strip().splitlines()
            out.append(f"{name}: {first[0] if first else '?'}")
    return out


class Context:
    """What every workload needs: sizes, credentials, the big source file, per-server state."""

    def __init__(self, args, run_dir):
        self.args, self.run_dir, self.rounds = args, run_dir, args.rounds
        self.sizes = dict(QUICK if args.quick else FULL)
        if args.warmup is not None:
            self.sizes.update(warmup=max(1, args.warmup), warmup_puts=1, warmup_propfinds=5, warmup_big=0)
        if args.mixed_clients:
            self.sizes.update(mixed_clients=max(1, args.mixed_clients))
        if args.allprop:
            workloads.PROPFIND_BODY = workloads.ALLPROP_BODY
        self.labels = dict(self.sizes, big=size_label(self.sizes["big"]))
        self.auth_headers, self.curl_auth, self.wrk_auth = {}, [], []
        if args.user:
            token = base64.b64encode(f"{args.user}:{args.password}".encode()).decode()
            self.auth_headers = {"Authorization": f"Basic {token}"}
            self.curl_auth = ["-u", f"{args.user}:{args.password}"]
            self.wrk_auth = ["-H", f"Authorization: Basic {token}"]
        self.big_file, self.big_size = None, self.sizes["big"]
        self.warm_file = None  # the warm-up's large file, when it has one
        self.big_round = None  # the round of workload 1 the big file was last changed for
        self.state = {}
        self.loads = []  # load average at the start of each workload
        self.warnings = []
        self.notes = {}  # workload key: a line printed under its table (figure 1's disk limit)
        self.windows = {}  # key: (start, end) wall time, for figure 8's peaks per workload
        self.pidfile = run_dir / "pids"  # "name pid" per server, read by the rss.py sampler
        self.pidfile.touch()
        self.stem = None  # results path without suffix: http-<start time>
        self.profiler_lib = None  # --profile: libasyncProfiler.so
        self.profiles = {}  # server name: [(workload title, collapsed stacks path)]


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def start_servers(ctx, names, up):
    """Start, check and warm up each server; `up` collects the running ones (the caller
    stops them, even when this is interrupted). Returns {name: reason} for the rest."""
    failed = {}
    for name in names:
        try:
            server = servers.start(name, ctx.run_dir, ctx.args)
            up.append(server)
            with open(ctx.pidfile, "a") as f:
                f.write(f"{name} {server.proc.pid}\n")
            server.wait_ready(ctx.auth_headers)
            ctx.state[name] = {}
            workloads.sanity_and_warmup(ctx, server)
            log(f"{name}: up on 127.0.0.1:{server.port}, sanity check and warm-up passed")
        except (RuntimeError, workloads.Failure, OSError) as e:
            failed[name] = f"did not start or failed its sanity check: {str(e).splitlines()[0]}"
            log(f"{name}: {e}")
            if up and up[-1].name == name:
                up.pop().stop()
    return failed


def died(server):
    """A note to add to a failure when the server process is gone."""
    rc = server.proc.poll()
    return "" if rc is None else f" (the server exited with {rc}; --keep keeps its logs in {server.dir})"


def run_workloads(ctx, up, failed):
    results = {}
    for w in ctx.args.workloads:
        window_start = time.time()
        ctx.loads.append(os.getloadavg()[0])
        log(f"workload {w.key}: {w.title.format(**ctx.labels)} (load average {ctx.loads[-1]:.1f})")
        res = {name: reason for name, reason in failed.items()}
        live = []
        for s in up:
            try:
                w.prepare(ctx, s)
                res[s.name] = []
                live.append(s)
            except (workloads.Failure, OSError, subprocess.SubprocessError) as e:
                res[s.name] = f"prepare: {e}{died(s)}"
                log(f"  {s.name}: FAILED: {res[s.name]}")
        profilers = start_profilers(ctx, live)
        for r in range(w.rounds(ctx)):
            k = r % len(live) if live else 0
            for s in live[k:] + live[:k]:  # each round starts with the next server
                try:
                    sample = w.run_round(ctx, s, r)
                    res[s.name].append(sample)
                    log(f"  {s.name} round {r + 1}: {sample.value:,.1f} {w.unit}  "
                        f"(server CPU {sample.server_cpu:.0f}%, client CPU {sample.client_cpu:.0f}%)")
                except (workloads.Failure, OSError, subprocess.SubprocessError) as e:
                    res[s.name] = str(e) + died(s)
                    live.remove(s)
                    log(f"  {s.name}: FAILED: {res[s.name]}")
        stop_profilers(ctx, w, profilers)
        for s in live:
            try:
                w.finish(ctx, s)
            except (workloads.Failure, OSError, subprocess.SubprocessError) as e:
                res[s.name] = f"check after the rounds: {e}{died(s)}"
                log(f"  {s.name}: FAILED: {res[s.name]}")
        results[w.key] = res
        ctx.windows[w.key] = (window_start, time.time())
    return results


def start_profilers(ctx, live):
    """--profile: async-profiler started in each live Cairn; {server: Profiler}."""
    running = {}
    for s in live if ctx.profiler_lib else []:
        if s.name in servers.CAIRNS:
            try:
                p = cpuprofile.Profiler(ctx.profiler_lib, ctx.args.java, s.proc.pid)
                p.start()
                running[s] = p
            except (RuntimeError, OSError, subprocess.SubprocessError) as e:
                ctx.warnings.append(f"{s.name}: not profiled: {e}")
    return running


def stop_profilers(ctx, w, running):
    for s, p in running.items():
        try:
            stem = f"{ctx.stem}-{s.name}-w{w.key}"
            ctx.profiles.setdefault(s.name, []).append((f"workload {w.key}", p.stop(stem)))
            log(f"  {s.name}: profile written to {stem}.html")
        except (RuntimeError, OSError, subprocess.SubprocessError) as e:
            ctx.warnings.append(f"{s.name}: profile of workload {w.key} lost: {e}")


def main(argv):
    args = parse_args(argv)
    names = list(args.only)
    skipped = []
    if any(n in servers.CAIRNS for n in names) and not args.cairn_jar.is_file():
        names = [n for n in names if n not in servers.CAIRNS]
        skipped.append(f"cairn skipped: no jar at {args.cairn_jar} (build it, or pass --cairn-jar PATH)")
        log(skipped[-1])
    run_dir = Path(tempfile.mkdtemp(prefix="cairn-bench-", dir=args.tmp))
    ctx = Context(args, run_dir)
    up = []

    def on_signal(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")
    signal.signal(signal.SIGINT, on_signal)  # also when started in the background with SIGINT ignored
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)

    started = datetime.datetime.now()
    ctx.stem = args.results / f"http-{started:%Y%m%d-%H%M%S}"
    sampler = None
    try:
        if args.profile:
            args.results.mkdir(parents=True, exist_ok=True)
            try:
                ctx.profiler_lib = cpuprofile.library(run_dir, shlex.split(os.environ.get("MVN_FLAGS", "")))
            except (RuntimeError, OSError) as e:
                log(str(e))
                sys.exit(2)
        if any(w.key in ("1", "2") for w in args.workloads):
            log(f"writing a {size_label(ctx.big_size)} random source file in {run_dir}")
            ctx.big_file = run_dir / "source.bin"
            make_big_file(ctx.big_file, ctx.big_size)
        if ctx.sizes["warmup_big"]:
            ctx.warm_file = run_dir / "warm.bin"
            make_big_file(ctx.warm_file, ctx.sizes["warmup_big"])
        sampler = subprocess.Popen([sys.executable, "-B", str(HERE / "rss.py"), str(ctx.pidfile),
                                    str(run_dir / "rss.log"), "0.5"], stdin=subprocess.DEVNULL)
        warm_start = time.time()
        failed = start_servers(ctx, names, up)
        ctx.windows["warm-up"] = (warm_start, time.time())
        ctx.loads.append(os.getloadavg()[0])
        results = run_workloads(ctx, up, failed)
        ctx.loads.append(os.getloadavg()[0])
        for s in up:
            s.stop()
        sampler.terminate()
        sampler.wait(timeout=10)
        memory = rss.peaks(run_dir / "rss.log", ctx.windows)
        write_report(args, ctx, names, up, failed, results, started, skipped, memory)
    finally:
        for s in up:
            s.stop()
        if sampler is not None and sampler.poll() is None:
            sampler.kill()
        if args.keep:
            log(f"kept {run_dir}")
        else:
            log(f"removing {run_dir}")
            shutil.rmtree(run_dir, ignore_errors=True)


def write_report(args, ctx, names, up, failed, results, started, skipped, memory):
    all_servers = [s for s in up] + [FailedServer(n) for n in failed]
    order = [n for n in names if any(s.name == n for s in all_servers)]
    all_servers.sort(key=lambda s: order.index(s.name))
    all_rows = {w.key: report.rows(w, results[w.key], all_servers) for w in args.workloads}
    header = [f"{started:%Y-%m-%d %H:%M} on {os.uname().nodename}, {os.cpu_count()} cores "
              f"(other work may share this machine: see the load average)",
              f"mode: {'quick' if args.quick else 'full'}; Basic auth: {'on for every server' if args.user else 'off'}; "
              f"all traffic on 127.0.0.1; every server's files on one {fs_type(args.tmp)} file system ({args.tmp}); "
              f"load average (1 min) during the workloads: {min(ctx.loads):.1f} to {max(ctx.loads):.1f} "
              f"(after the warm-up, then at each workload's start and the end: "
              f"{', '.join(f'{x:.1f}' for x in ctx.loads)})",
              f"Cairn: bin/cairn (its default JVM settings)"
              + (f" with CAIRN_JAVA_OPTS={args.cairn_java_opts}" if args.cairn_java_opts else "")
              + "".join(f"; {n}: bin/cairn with CAIRN_JAVA_OPTS={getattr(args, n.replace('-', '_') + '_java_opts')}"
                        for n in names if n in servers.CAIRNS[1:]),
              *skipped, *ctx.warnings, *versions(names, args)]
    memory_rows = report.memory_rows(memory, all_servers, args.workloads)
    md = report.markdown(header, args.workloads, ctx.labels, all_rows, memory_rows, ctx.notes)
    md += "".join("\n" + cpuprofile.markdown(name, runs) for name, runs in ctx.profiles.items())
    args.results.mkdir(parents=True, exist_ok=True)
    stem = ctx.stem
    stem.with_suffix(".md").write_text(md)
    report.write_csv(stem.with_suffix(".csv"), args.workloads, all_rows)
    report.append_memory_csv(stem.with_suffix(".csv"), memory_rows)
    print("\n" + md, flush=True)
    log(f"written {stem}.md and {stem}.csv")


class FailedServer:
    """Stands in for a server that never came up, so it still gets a row in the tables."""

    def __init__(self, name):
        self.name, self.is_peer = name, name not in servers.CAIRNS
        self.fsyncs = servers.FSYNCS.get(name, False)


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except KeyboardInterrupt as e:
        print(f"\ninterrupted ({e or 'Ctrl-C'}): servers stopped, temp dir removed", file=sys.stderr)
        sys.exit(130)
