"""The servers under test: each runs as our own child process, on its own free loopback port,
with its config, document root and logs in the run's temp dir, and is stopped at the end.

None of the peers fsyncs a PUT; Cairn does (see FSYNCS)."""

import base64
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import time
import http.client
from pathlib import Path

HERE = Path(__file__).resolve().parent
PEERS = ["apache", "nginx", "lighttpd", "rclone"]
# Opt-in variants: only run when named in --only.
VARIANTS = ["nginx-nosendfile"]
# "cairn-b", "cairn-c": more Cairns with other JVM options (--cairn-b-java-opts...), measured in
# the same run as "cairn", round for round, to tell whether an option helps.
CAIRNS = ["cairn", "cairn-b", "cairn-c"]
ALL = PEERS + VARIANTS + CAIRNS
FSYNCS = {name: True for name in CAIRNS}  # every peer writes a PUT to the page cache and returns


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def render(template, values, auth, root):
    """Fill @NAME@ placeholders; enable '#AUTH# ' lines when auth is on, '#NOAUTH# ' lines when
    it is off, '#ROOT# ' lines when running as root."""
    text = (HERE / "peers" / template).read_text()
    for key, value in values.items():
        text = text.replace("@" + key + "@", str(value))
    out = []
    for line in text.splitlines():
        for marker, enabled in (("#AUTH# ", auth), ("#NOAUTH# ", not auth), ("#ROOT# ", root)):
            if line.startswith(marker):
                line = line[len(marker):] if enabled else None
                break
        if line is not None:
            out.append(line)
    return "\n".join(out) + "\n"


def process_tree_cpu(pid):
    """CPU seconds (user+system, including reaped children) of pid and all its descendants."""
    tick = os.sysconf("SC_CLK_TCK")
    parent, cpu = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path("/proc", entry, "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        p = int(entry)
        parent[p] = int(fields[1])
        cpu[p] = sum(int(f) for f in fields[11:15]) / tick
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        total += cpu.get(p, 0.0)
        todo.extend(c for c, pp in parent.items() if pp == p)
    return total


class Server:
    """One running server. url_base is http://127.0.0.1:PORT; root is where files land
    on disk (None for Cairn, whose storage is not a plain tree)."""

    def __init__(self, name, base_dir, port, cmd, root, env=None):
        self.name, self.dir, self.port, self.cmd, self.root = name, base_dir, port, cmd, root
        self.is_peer = name not in CAIRNS
        self.fsyncs = FSYNCS.get(name, False)
        self.log = base_dir / "stdout.log"
        with open(self.log, "wb") as out:
            self.proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, cwd=base_dir, env=env,
                                         start_new_session=True)

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def cpu(self):
        return process_tree_cpu(self.proc.pid)

    def wait_ready(self, auth_header, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                tail = self.log_tail()
                last = tail.strip().splitlines()[-1] if tail.strip() else "no output"
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode} ({last})\n{tail}")
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                c.request("OPTIONS", "/", headers=auth_header)
                c.getresponse().read()
                c.close()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.name} not answering on port {self.port} after {timeout}s:\n{self.log_tail()}")

    def log_tail(self, lines=15):
        chunks = []
        for f in sorted(self.dir.glob("*.log")):
            text = f.read_text(errors="replace").splitlines()[-lines:]
            if text and f.name != "access.log":
                chunks.append(f"--- {f}\n" + "\n".join(text))
        return "\n".join(chunks)

    def stop(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                # 60 s, as the Debian unit's TimeoutStopSec: a Cairn on Java 25 that records its
                # AOT cache writes it as it stops (bin/cairn, docs/operations.md).
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
            except ProcessLookupError:
                pass


def write_htpasswd(path, user, password):
    # {SHA} is understood by Apache, nginx and lighttpd alike and needs no crypt().
    digest = base64.b64encode(hashlib.sha1(password.encode()).digest()).decode()
    path.write_text(f"{user}:{{SHA}}{digest}\n")


def start(name, run_dir, opts):
    """Prepare config and dirs for one server and start it. opts: user, password, cairn_jar,
    java, cairn_args. Returns a Server (not yet known to be ready)."""
    base = run_dir / name
    root = base / "docroot"
    root.mkdir(parents=True)
    port = free_port()
    auth = bool(opts.user)
    is_root = os.geteuid() == 0
    if auth and name not in CAIRNS:
        write_htpasswd(base / "htpasswd", opts.user, opts.password)
    values = {"DIR": base, "ROOT": root, "PORT": port}

    if name == "apache":
        (base / "lock").mkdir()
        (base / "apache.conf").write_text(render("apache.conf.in", values, auth, is_root))
        cmd = ["apache2", "-d", str(base), "-f", str(base / "apache.conf"), "-DFOREGROUND"]
    elif name in ("nginx", "nginx-nosendfile"):
        values["SENDFILE"] = "off" if name == "nginx-nosendfile" else "on"
        (base / "nginx.conf").write_text(render("nginx.conf.in", values, auth, is_root))
        cmd = ["nginx", "-p", str(base), "-e", str(base / "error.log"),
               "-c", str(base / "nginx.conf"), "-g", "daemon off;"]
    elif name == "lighttpd":
        (base / "upload").mkdir()
        (base / "lighttpd.conf").write_text(render("lighttpd.conf.in", values, auth, is_root))
        cmd = ["lighttpd", "-D", "-f", str(base / "lighttpd.conf")]
    elif name == "rclone":
        cmd = ["rclone", "serve", "webdav", str(root), "--addr", f"127.0.0.1:{port}",
               "--config", str(base / "rclone.conf"), "--log-file", str(base / "rclone.log")]
        if auth:
            cmd += ["--user", opts.user, "--pass", opts.password]
    elif name in CAIRNS:
        data = base / "data"
        data.mkdir()
        root.rmdir()
        root = None
        # The management port (metrics, health) defaults to port + 1, which this picker does not
        # check is free: a busy one failed a run. The bench does not use it, so any free port.
        conf = base / "cairn.properties"
        conf.write_text("management.port = 0\n")
        # bin/cairn, as a user and the Debian package's unit start it: the same JVM options
        # (figure 8 is Cairn's memory with default settings); --cairn-java-opts adds to them.
        env = dict(os.environ, CAIRN_JAR=str(opts.cairn_jar), JAVA_HOME=str(Path(opts.java).resolve().parent.parent),
                   CAIRN_JAVA_OPTS=getattr(opts, name.replace("-", "_") + "_java_opts"))
        script = str(HERE.parent.parent / "bin/cairn")
        cmd = [script, "--port", str(port), "--data", str(data), "--config", str(conf)] + opts.cairn_args
        if auth:
            # The bench user, made with Cairn's own CLI before the first start (so no random
            # admin password is printed); Cairn refuses anonymous requests.
            made = subprocess.run([script, "user", "add", opts.user, "--password-stdin", "--data", str(data)],
                                  input=(opts.password + "\n").encode(), capture_output=True, timeout=120, env=env)
            if made.returncode != 0:
                raise RuntimeError("cairn user add failed: " + made.stderr.decode(errors="replace").strip())
    else:
        raise ValueError(f"unknown server {name}; known: {', '.join(ALL)}")

    if is_root and name in ("apache", "nginx", "nginx-nosendfile"):
        # Their workers drop to www-data: it must be able to reach and write the tree.
        os.chmod(run_dir, 0o755)
        os.chmod(base, 0o755)
        for d in (root, base / "lock"):
            if d.exists():
                shutil.chown(d, "www-data", "www-data")
    return Server(name, base, port, cmd, root, env if name in CAIRNS else None)
