#!/usr/bin/env python3
"""Cairn's cold start: one fresh server through bin/cairn, as a user starts it, timed from launch
to its first answer, then passes (3, --passes) of the same small requests, each pass's rate and server CPU
per request (the first pass is what a fresh JVM does while it compiles). Prints one JSON line.

  bench/http/coldstart.py --jar /tmp/x.jar [--label L] [--java-opts=...] [--passes N]
  CAIRN_AOT=on bench/http/coldstart.py --jar /tmp/x.jar --label aot    # with bin/cairn's AOT cache

The environment goes to bin/cairn (CAIRN_AOT, CAIRN_CACHE_DIR...). Run it a few times, alternating
the variants: the machine is shared. A pass is 300 PUTs of 4 KiB (16 connections), 600 GETs of
them, and 20 PROPFIND <allprop/> of their folder (one connection)."""

import argparse
import base64
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import davclient

HERE = Path(__file__).resolve().parent
CAIRN = HERE.parent.parent / "bin/cairn"
ALLPROP = b'<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind>'


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port_pair():
    """A port with the next one free too (Cairn's management port), below the kernel's ephemeral
    range, where an outgoing connection may hold a port: as test/e2e/lib.sh picks them."""
    low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    for _ in range(200):
        port = random.randrange(10000, max(low, 12000) - 2)
        try:
            with socket.socket() as a, socket.socket() as b:
                a.bind(("127.0.0.1", port))
                b.bind(("127.0.0.1", port + 1))
            return port
        except OSError:
            continue
    raise SystemExit("no free pair of ports found")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--jar", required=True, help="the Cairn jar (a copy, so a rebuild does not change it)")
    p.add_argument("--label", default="cairn")
    p.add_argument("--java-opts", default="", help="CAIRN_JAVA_OPTS")
    p.add_argument("--passes", type=int, default=3, choices=range(1, 101), metavar="1..100")
    args = p.parse_args()
    base = Path(tempfile.mkdtemp(prefix="cairn-coldstart-"))
    try:
        print(json.dumps(run(args, base)), flush=True)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def run(args, base):
    data, password = base / "data", "coldstart-" + os.urandom(6).hex()
    env = dict(os.environ, CAIRN_JAR=args.jar, CAIRN_JAVA_OPTS=args.java_opts)
    out = {"label": args.label}
    t0 = time.time()
    subprocess.run([str(CAIRN), "user", "add", "bench", "--password-stdin", "--data", str(data)],
                   input=password.encode(), env=env, check=True, capture_output=True, timeout=120)
    out["command_s"] = round(time.time() - t0, 2)
    port = free_port_pair()
    auth = {"Authorization": "Basic " + base64.b64encode(f"bench:{password}".encode()).decode()}
    with open(base / "server.log", "w") as log:
        t0 = time.time()
        server = subprocess.Popen([str(CAIRN), "--port", str(port), "--data", str(data)], env=env,
                                  stdout=log, stderr=log)  # bin/cairn execs java: the same pid
    try:
        for _ in range(1500):  # 0.1 s apart at least: 150 s at most
            if server.poll() is not None:
                raise SystemExit(f"cairn exited at start: {(base / 'server.log').read_text()[-2000:]}")
            try:
                answered, _ = davclient.run("127.0.0.1", port, [("OPTIONS", "/", None, b"")], 1, auth, time_limit=2)
                if answered[0].status:
                    break
            except OSError:  # not listening yet
                pass
            time.sleep(0.1)
        else:
            raise SystemExit("cairn did not answer within 150 s")
        out["first_answer_s"] = round(time.time() - t0, 2)
        out["cpu_at_first_answer_s"] = cpu_seconds(server.pid)
        time.sleep(0.5)  # a server that answers and then fails to start (its management port) exits
        if server.poll() is not None:
            raise SystemExit(f"cairn exited at start: {(base / 'server.log').read_text()[-2000:]}")
        with open(f"/proc/{server.pid}/maps") as f:
            out["aot_cache_mapped"] = any(line.rstrip().endswith(".aot") for line in f)
        body = os.urandom(4096)

        def measure(name, requests, concurrency=16):
            before = cpu_seconds(server.pid)
            answers, seconds = davclient.run("127.0.0.1", port, requests, concurrency, auth, time_limit=120)
            failed = sum(1 for a in answers if not a.ok)
            out[name] = {"per_s": round(len(requests) / seconds),
                         "cpu_us": round((cpu_seconds(server.pid) - before) * 1e6 / len(requests)),
                         "failed": failed}

        davclient.run("127.0.0.1", port, [("MKCOL", "/cold/", None, b"")], 1, auth)
        for n in range(1, args.passes + 1):
            davclient.run("127.0.0.1", port, [("MKCOL", f"/cold/{n}/", None, b"")], 1, auth)
            measure(f"put{n}", [("PUT", f"/cold/{n}/{i}.bin", None, body) for i in range(300)])
            measure(f"get{n}", [("GET", f"/cold/{n}/{i % 300}.bin", None, b"") for i in range(600)])
            measure(f"propfind{n}", [("PROPFIND", f"/cold/{n}/", {"Depth": "1"}, ALLPROP)] * 20, 1)
        out["cpu_total_s"] = round(cpu_seconds(server.pid), 2)
        with open(f"/proc/{server.pid}/status") as f:
            out["vmhwm_mib"] = next(int(l.split()[1]) // 1024 for l in f if l.startswith("VmHWM"))
    finally:
        t0 = time.time()
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=120)  # a run that records the AOT cache writes it as it stops
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        out["stop_s"] = round(time.time() - t0, 2)
    out["recorded_aot_cache"] = "AOTCache creation is complete" in (base / "server.log").read_text()
    return out


if __name__ == "__main__":
    sys.exit(main())
