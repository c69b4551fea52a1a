"""--profile: where each Cairn's CPU goes during each workload, from async-profiler.

The profiler (tools.profiler:async-profiler, linux-x64, from Maven Central into ~/.m2) is loaded
into the running server with `jcmd PID JVMTI.agent_load`, started before a workload's first round
and stopped after its last; it samples CPU time (perf events, kernel frames included) on every
thread. Each workload leaves a flame graph (.html) and its collapsed stacks (.collapsed) beside the
report, and a summary for the report: CPU by kind of work, by thread, and the hottest frames.
Sampling costs the server a few per cent of CPU: compare figures of profiled runs only with each
other."""

import os
import re
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

VERSION = "4.2"
ARTIFACT = f"tools.profiler:async-profiler:{VERSION}:jar:linux-x64"
JAR = (Path.home() / ".m2/repository/tools/profiler/async-profiler" / VERSION
       / f"async-profiler-{VERSION}-linux-x64.jar")

# Kind of work: the compiler's and the collector's threads by their names; on other threads, the
# first frame from the leaf up that matches one of these (kernel frames end in "_[k]"), so that a
# JDK or JVM frame counts for the code that called it. Order matters only within one frame.
KINDS = [
    ("hashing (SHA-256, SHA-1, MD5)", re.compile(r"sha256|sha1|md5|/SHA|/MD5|DigestBase")),
    ("chunking (FastCDC)", re.compile(r"io/cairn/core/chunk/|FastCdc|ChunkStream")),
    ("SQLite", re.compile(r"sqlite|org/sqlite")),
    ("PostgreSQL driver", re.compile(r"org/postgresql")),
    ("kernel: network", re.compile(r"^(tcp_|sock_|inet_|__sys_send|__sys_recv|ip_|__tcp|skb_|"
                                   r"net_rx|loopback|__dev_queue|do_tcp|__x64_sys_(sendto|recvfrom|"
                                   r"sendfile|sendfile64|writev|readv))")),
    ("kernel: files and fsync", re.compile(r"^(ext4_|jbd2|__x64_sys_(fsync|fdatasync|pwrite64|"
                                           r"write|read|pread64|openat|close|rename|fcntl)|"
                                           r"filemap_|generic_perform_write|do_sys_open|vfs_)")),
    ("kernel: scheduling, futex, epoll", re.compile(r"^(futex|__x64_sys_futex|schedule|__schedule|"
                                                    r"do_epoll|ep_poll|__x64_sys_epoll|"
                                                    r"try_to_wake_up|wake_up)")),
    ("XML (PROPFIND bodies)", re.compile(r"javax/xml|com/sun/org/apache/xerces|com/ctc/wstx|"
                                         r"io/cairn/webdav/xml|XMLStreamWriter")),
    ("milton dispatch", re.compile(r"io/milton")),
    ("Netty and Vert.x", re.compile(r"io/netty|io/vertx")),
    ("Cairn code", re.compile(r"io/cairn")),
]
JDK = re.compile(r"^(java|javax|jdk|sun)/")
THREADS = [  # thread name pattern -> group
    (re.compile(r"GC Thread|G1 |GC |VM Periodic"), "GC"),
    (re.compile(r"C[12] Compiler"), "JIT compiler"),
    (re.compile(r"vert\.x-eventloop"), "Vert.x event loops"),
    (re.compile(r"ForkJoinPool|cairn-request|VirtualThread"), "request threads (virtual)"),
]


def library(run_dir, mvn_flags=()):
    """libasyncProfiler.so, extracted into run_dir; fetched into ~/.m2 first when missing."""
    if not JAR.is_file():
        got = subprocess.run(["mvn", "-q", "-B", *mvn_flags, "dependency:get", f"-Dartifact={ARTIFACT}"],
                             stdout=subprocess.DEVNULL)
        if got.returncode != 0 or not JAR.is_file():
            raise RuntimeError(f"--profile needs {ARTIFACT} from Maven Central, and mvn could not fetch it")
    target = Path(run_dir, "async-profiler")
    with zipfile.ZipFile(JAR) as z:
        z.extract("linux-x64/libasyncProfiler.so", target)
    return target / "linux-x64/libasyncProfiler.so"


class Profiler:
    """async-profiler in one running JVM, driven by jcmd next to the java that runs it."""

    def __init__(self, lib, java, pid):
        self.lib, self.pid = lib, pid
        self.jcmd = str(Path(java).resolve().parent / "jcmd") if os.sep in java else "jcmd"

    def _command(self, command):
        # jcmd would read "a=b" as one of its own options: quoted, it passes as one argument.
        p = subprocess.run([self.jcmd, str(self.pid), "JVMTI.agent_load", str(self.lib), f'"{command}"'],
                           capture_output=True, text=True, timeout=60)
        if p.returncode != 0 or "[ERROR]" in p.stdout:
            raise RuntimeError(f"async-profiler {command.split(',')[0]}: {(p.stdout + p.stderr).strip()}")

    def start(self):
        self._command("start,event=cpu,interval=2ms,threads")

    def stop(self, stem):
        """Stops, writing stem.html (flame graph) and stem.collapsed; returns the collapsed path."""
        self._command(f"dump,file={stem}.html")
        self._command(f"stop,file={stem}.collapsed")
        return Path(f"{stem}.collapsed")


def _thread_group(frame):
    name = re.sub(r"\s*tid=\d+$", "", frame.strip("[]"))
    for pattern, group in THREADS:
        if pattern.search(name):
            return group
    return re.sub(r"[-#]?\d+$", "", name) or "?"


def _kind(thread, frames):
    if thread in ("GC", "JIT compiler"):
        return thread
    for frame in reversed(frames):
        name = frame[:-4] if frame.endswith("_[k]") else frame
        for kind, pattern in KINDS:
            if pattern.search(name):
                return kind
    if any(JDK.search(f) for f in frames):
        return "JDK library (not called from any of the above)"
    return "JVM runtime (interpreter, stubs, unresolved)"


def _leaf(frame):
    """A frame's name for the table: native libraries by file name."""
    if not frame.startswith("/"):
        return frame
    # sqlite-jdbc extracts its library under a random name each start
    return re.sub(r"^sqlite-.*-(libsqlitejdbc\.so)$", r"\1", os.path.basename(frame))


def summarize(collapsed, top=10):
    """(total samples, [(kind, share)], [(thread group, share)], [(leaf frame, share)])."""
    kinds, threads, leaves = Counter(), Counter(), Counter()
    total = 0
    for line in Path(collapsed).read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        frames = stack.split(";")
        total += n
        thread = _thread_group(frames[0])
        threads[thread] += n
        kinds[_kind(thread, frames[1:])] += n
        leaves[_leaf(frames[-1])] += n

    def shares(counter, limit=None):
        return [(k, v / total) for k, v in counter.most_common(limit)] if total else []
    return total, shares(kinds), shares(threads, 8), shares(leaves, top)


def markdown(name, profiles):
    """A report section for one server: profiles is [(workload title, collapsed path)]."""
    out = [f"### Where {name}'s CPU went (async-profiler, CPU samples every 2 ms on every thread)", ""]
    for title, collapsed in profiles:
        total, kinds, threads, leaves = summarize(collapsed)
        out.append(f"**{title}**: {total:,} samples; flame graph {Path(collapsed).with_suffix('.html').name}")
        out.append("")
        out.append("| kind of work | share | thread | share | hottest frame | share |")
        out.append("|---|---:|---|---:|---|---:|")
        for i in range(max(len(kinds), len(threads), len(leaves))):
            cells = []
            for rows in (kinds, threads, leaves):
                k, v = rows[i] if i < len(rows) else ("", None)
                cells += [k.replace("|", "\\|"), f"{v:.0%}" if v is not None else ""]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    return "\n".join(out)
