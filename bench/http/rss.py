"""Figure 8: resident memory of every server's process tree, sampled during the whole run.

Runs as a process of its own (`python3 rss.py PIDFILE OUT INTERVAL`), so its reads of /proc
never take the benchmark client's CPU or interpreter lock. Every INTERVAL seconds it reads
PIDFILE (lines "name pid", appended as servers start), sums VmRSS over each server's process
and all its descendants, and appends "wall-time name rss-kib hwm-kib" to OUT, where hwm is the
largest VmHWM (the kernel's own peak resident set) of any one process in the tree: it catches
a peak between two samples in a single-process server such as Cairn. It stops when its parent
exits, on SIGTERM, or after 4 hours.

`peaks()` reads OUT back: each server's highest sample over the run and within time windows
(the workloads)."""

import os
import signal
import sys
import time
from pathlib import Path

MAX_SECONDS = 4 * 3600


def _field_kib(status, name):
    for line in status.splitlines():
        if line.startswith(name + ":"):
            return int(line.split()[1])
    return 0


def _snapshot():
    """{pid: parent pid} of every process now."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path("/proc", entry, "stat").read_text()
            except OSError:
                continue
            parents[int(entry)] = int(stat[stat.rindex(")") + 2:].split()[1])
    return parents


def tree_memory(root, parents):
    """(sum of VmRSS, largest VmHWM) in KiB over root and its descendants."""
    children = {}
    for pid, parent in parents.items():
        children.setdefault(parent, []).append(pid)
    rss = hwm = 0
    todo = [root]
    while todo:
        pid = todo.pop()
        try:
            status = Path("/proc", str(pid), "status").read_text()
        except OSError:
            continue
        rss += _field_kib(status, "VmRSS")
        hwm = max(hwm, _field_kib(status, "VmHWM"))
        todo.extend(children.get(pid, []))
    return rss, hwm


def sample(pidfile, out, interval):
    parent = os.getppid()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    end = time.monotonic() + MAX_SECONDS
    with open(out, "a", buffering=1) as log:
        while time.monotonic() < end and os.getppid() == parent:
            try:
                servers = [line.split() for line in Path(pidfile).read_text().splitlines() if line.strip()]
            except OSError:
                servers = []
            if servers:
                parents = _snapshot()
                now = time.time()
                for name, pid in servers:
                    rss, hwm = tree_memory(int(pid), parents)
                    if rss:
                        log.write(f"{now:.3f} {name} {rss} {hwm}\n")
            time.sleep(interval)


def peaks(out, windows):
    """{name: {"run": (rss_kib, hwm_kib), key: rss_kib for each window}} from the samples;
    windows: {key: (t0, t1)} in wall-clock seconds."""
    result = {}
    try:
        lines = Path(out).read_text().splitlines()
    except OSError:
        return result
    for line in lines:
        parts = line.split()
        if len(parts) != 4:
            continue
        t, name, rss, hwm = float(parts[0]), parts[1], int(parts[2]), int(parts[3])
        mine = result.setdefault(name, {"run": (0, 0)})
        mine["run"] = (max(mine["run"][0], rss), max(mine["run"][1], hwm))
        for key, (t0, t1) in windows.items():
            if t0 <= t <= t1:
                mine[key] = max(mine.get(key, 0), rss)
    return result


if __name__ == "__main__":
    sample(sys.argv[1], sys.argv[2], float(sys.argv[3]))
