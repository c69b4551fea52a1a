#!/usr/bin/env python3
"""Attacks on a running Cairn over raw sockets, as the security review made them (issue 10).

Run by hardening.sh, which starts the jar with short limits (see there) and passes:
  hardening.py URL_PORT MANAGEMENT_PORT USER PASSWORD SERVER_PID
Prints one "ok   - ..." or "FAIL - ..." line per check. Every loop is bounded in count and time.
"""
import base64
import socket
import sys
import time
import urllib.request

PORT, MPORT, USER, PASSWORD, PID = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
AUTH = "Authorization: Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
failed = 0


def check(what, ok, detail=""):
    global failed
    if ok:
        print(f"ok   - {what}")
    else:
        failed += 1
        print(f"FAIL - {what} {detail}")


def connect(source="127.0.0.1"):
    s = socket.create_connection(("127.0.0.1", PORT), timeout=10, source_address=(source, 0))
    s.settimeout(10)
    return s


def exchange(data, wait=5.0):
    """Sends data, reads until the server closes or `wait` seconds pass; returns (bytes, closed)."""
    s = connect()
    s.settimeout(wait)
    s.sendall(data)
    out, closed = b"", False
    deadline = time.time() + wait
    try:
        while time.time() < deadline:
            b = s.recv(65536)
            if not b:
                closed = True
                break
            out += b
    except socket.timeout:
        pass
    except ConnectionResetError:
        closed = True
    s.close()
    return out, closed


def status_lines(out):
    return [l for l in out.decode("latin1").split("\r\n") if l.startswith("HTTP/1.")]


def request(method, path, body=None, headers=None, port=PORT, auth=AUTH):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body, method=method)
    if port == PORT and auth:
        req.add_header("Authorization", auth.split(": ", 1)[1])
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=20) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def rss_kib():
    with open(f"/proc/{PID}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def metric(name):
    _, text = request("GET", "/metrics", port=MPORT)
    total = 0.0
    for line in text.decode().splitlines():
        if line.startswith(name) and not line.startswith("#"):
            total += float(line.rsplit(" ", 1)[1])
    return total


def smuggled(te):
    """A PUT whose body is a whole second request; the second must never run."""
    inner = f"PUT /smuggled.txt HTTP/1.1\r\nHost: x\r\n{AUTH}\r\nContent-Length: 2\r\n\r\nhi"
    body = f"{len(inner):x}\r\n{inner}\r\n0\r\n\r\n"
    head = f"PUT /carrier.txt HTTP/1.1\r\nHost: x\r\n{AUTH}\r\nTransfer-Encoding: {te}\r\n\r\n"
    return exchange((head + body).encode(), wait=3)


def answer_and_close(s):
    """What the server answered on s (up to 4 KiB, waiting 5 s at most); closes s."""
    s.settimeout(5)
    try:
        return s.recv(4096)
    except (socket.timeout, ConnectionResetError):
        return b""
    finally:
        s.close()


# 1. The admin API authenticates on the headers and never buffers an anonymous body.
def anonymous_admin_body():
    before = rss_kib()
    s = connect()
    s.sendall(b"POST /.cairn/admin/users HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
    sent, chunk = 0, b"%x\r\n" % (1 << 20) + b"\0" * (1 << 20) + b"\r\n"
    peak = before
    start = time.time()
    try:
        while sent < 600 << 20 and time.time() - start < 30:
            s.sendall(chunk)
            sent += 1 << 20
            if sent % (64 << 20) == 0:
                peak = max(peak, rss_kib())
    except (BrokenPipeError, ConnectionResetError):
        pass
    answer = answer_and_close(s)
    peak = max(peak, rss_kib())
    check("anonymous 600 MB chunked POST to /.cairn/admin/ is refused before its body "
          f"(sent {sent >> 20} MiB, RSS {before >> 10} -> {peak >> 10} MiB)",
          sent < 600 << 20 and peak - before < 100 << 10, f"answer={answer[:40]!r}")
    check("  ... and answered 401", answer.startswith(b"HTTP/1.1 401"), repr(answer[:40]))


def admin_body_limit():
    s = connect()
    s.sendall(f"POST /.cairn/admin/users HTTP/1.1\r\nHost: x\r\n{AUTH}\r\nTransfer-Encoding: chunked\r\n\r\n".encode())
    try:
        for _ in range(200):
            s.sendall(b"1000\r\n" + b"{" * 4096 + b"\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass
    answer = answer_and_close(s)
    check("an admin's chunked admin body over 64 KiB is 413", answer.startswith(b"HTTP/1.1 413"), repr(answer[:60]))


# 2. Framing: unknown transfer codings, Host, request line, version.
def framing():
    for te, want in (("gzip", "501"), ("xchunked", "501"), ("chunked, gzip", "501"), ("chunked, chunked", "400")):
        out, closed = smuggled(te)
        lines = status_lines(out)
        check(f"Transfer-Encoding: {te} is {want} and the connection closes",
              len(lines) == 1 and lines[0].split(" ")[1] == want and closed, repr(lines))
    check("no smuggled request ran and no carrier file was stored",
          request("GET", "/smuggled.txt")[0] == 404 and request("GET", "/carrier.txt")[0] == 404)
    cases = [
        ("a request without Host", f"GET / HTTP/1.1\r\n{AUTH}\r\n\r\n", "400"),
        ("a request with two Host headers", f"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n{AUTH}\r\n\r\n", "400"),
        ("GET<TAB>/", f"GET\t/ HTTP/1.1\r\nHost: a\r\n{AUTH}\r\n\r\n", "400"),
        ("HTTP/1.2", f"GET / HTTP/1.2\r\nHost: a\r\n{AUTH}\r\n\r\n", "505"),
        ("an HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "505"),
        ("a space before a header's colon", f"GET / HTTP/1.1\r\nHost : a\r\n{AUTH}\r\n\r\n", "400"),
    ]
    for what, raw, want in cases:
        out, closed = exchange(raw.encode(), wait=3)
        lines = status_lines(out)
        check(f"{what} is {want} and the connection closes",
              len(lines) == 1 and lines[0].split(" ")[1] == want and closed, repr(lines))
    both = (f"PUT /both.txt HTTP/1.1\r\nHost: a\r\n{AUTH}\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
            f"2\r\nhi\r\n0\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n{AUTH}\r\n\r\n")
    out, closed = exchange(both.encode(), wait=3)
    check("Content-Length with chunked is read as chunked, answered, and the connection closes",
          status_lines(out)[:1] == ["HTTP/1.1 201 Created"] and out.count(b"HTTP/1.1 ") == 1 and closed
          and request("GET", "/both.txt") == (200, b"hi"), repr(out[:200]))
    out, _ = exchange(f"GET / HTTP/1.1\r\nHost: a\r\n{AUTH}\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n{AUTH}\r\nConnection: close\r\n\r\n".encode())
    check("two well-formed pipelined requests are both answered", out.count(b"HTTP/1.1 200 OK\r\n") == 2, repr(out[:300]))


# 3. Time and connection limits (hardening.sh sets head 2 s, body 2 s at 1 KiB/s, 20 per address).
def closed_within(send_step, seconds):
    """Runs send_step(sock) every 0.5 s until the server closes; returns seconds taken or None."""
    s = connect()
    start = time.time()
    try:
        while time.time() - start < seconds:
            send_step(s)
            s.settimeout(0.5)
            try:
                if s.recv(4096) == b"":
                    return time.time() - start
            except socket.timeout:
                pass
    except (BrokenPipeError, ConnectionResetError):
        return time.time() - start
    finally:
        s.close()
    return None


def slow_clients():
    head = iter([b"GET / HTTP/1.1\r\n"] + [b"X-Slow: 1\r\n"] * 100)
    t = closed_within(lambda s: s.send(next(head)), 15)
    check(f"slowloris (one header line every 0.5 s) is closed by the head timeout ({t and round(t, 1)} s)",
          t is not None and t < 10)
    t = closed_within(lambda s: s.send(b"\r\n"), 15)
    check(f"a stream of blank lines is closed ({t and round(t, 1)} s)", t is not None and t < 10)
    t = closed_within(lambda s: None, 15)
    check(f"a connection that sends nothing is closed by the head timeout ({t and round(t, 1)} s)", t is not None and t < 10)
    sent = iter([f"PUT /half.txt HTTP/1.1\r\nHost: a\r\n{AUTH}\r\nContent-Length: 100000\r\n\r\n".encode(), b"x" * 1000]
                + [b""] * 100)
    t = closed_within(lambda s: s.send(next(sent)), 15)
    check(f"a PUT that stops half way is closed by the minimum body rate ({t and round(t, 1)} s)", t is not None and t < 12)
    check("  ... and stored nothing", request("GET", "/half.txt")[0] == 404)


def keep_alive_exchange(s):
    """One complete OPTIONS on s, its answer read: s then idles under the idle timeout, not the head's."""
    s.sendall(b"OPTIONS / HTTP/1.1\r\nHost: x\r\n\r\n")
    s.settimeout(5)
    got = b""
    while b"\r\n\r\n" not in got:
        part = s.recv(4096)
        if not part:
            break
        got += part
    return got.startswith(b"HTTP/1.1 200")


def connection_caps():
    before = metric("cairn_http_connections_open")
    idle = [connect() for _ in range(3)]
    counted = metric("cairn_http_connections_open") - before
    check(f"cairn_http_connections_open counts sockets from accept, before any request ({counted:.0f} of 3)",
          counted >= 3)
    for s in idle:
        s.close()
    deadline = time.time() + 10
    while metric("cairn_http_connections_open") > before and time.time() < deadline:
        time.sleep(0.1)  # the server sees the closes a moment later; the cap counts them till then
    socks = []
    try:
        for _ in range(20):
            socks.append(connect())
        check("20 connections from one address are served", all(keep_alive_exchange(s) for s in socks))
        extra = [connect() for _ in range(5)]
        socks += extra
        refused = 0
        for s in extra:
            s.settimeout(3)
            try:
                if s.recv(100).startswith(b"HTTP/1.1 503"):
                    refused += 1
            except (socket.timeout, ConnectionResetError):
                pass
        check(f"the connections past 20 from one address get 503 ({refused} of 5)", refused == 5)
    finally:
        for s in socks:
            s.close()
    time.sleep(0.5)
    check("after they close, a new client is served", request("GET", "/")[0] == 200)
    check("the refusals are counted", metric("cairn_http_connections_refused_total") >= 5)


# 4. Failed logins throttle the (user, address) pair, never the innocent. hardening.sh trusts
# 127.0.0.2 as a reverse proxy, so X-Forwarded-For from there names the client.
def basic(user, password):
    return "Authorization: Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def via_proxy(client, auth):
    """Status of a PROPFIND sent through the trusted proxy 127.0.0.2 for `client`."""
    s = connect("127.0.0.2")
    s.sendall(f"PROPFIND / HTTP/1.1\r\nHost: x\r\n{auth}\r\nDepth: 0\r\nX-Forwarded-For: {client}\r\n"
              f"Content-Length: 0\r\nConnection: close\r\n\r\n".encode())
    out = answer_and_close(s)
    return int(out.split(b" ", 2)[1]) if out.startswith(b"HTTP/1.1 ") else 0


def lockout():
    for name in ("erin", "fred"):
        code, _ = request("POST", "/.cairn/admin/users", f'{{"name":"{name}","password":"{name}-password"}}'.encode(),
                          {"Content-Type": "application/json"})
        check(f"the admin API creates {name}", code == 201, code)
    wrong = [via_proxy("198.51.100.7", basic("erin", "not-her-password")) for _ in range(10)]
    check("ten wrong passwords for erin from one client are 401", wrong == [401] * 10, wrong)
    check("erin from that client is now 429, even with her password",
          via_proxy("198.51.100.7", basic("erin", "erin-password")) == 429)
    check("erin from another client logs in", via_proxy("198.51.100.8", basic("erin", "erin-password")) == 207)
    check("fred from the failing client logs in", via_proxy("198.51.100.7", basic("fred", "fred-password")) == 207)
    check("a forged X-Forwarded-For from an untrusted peer changes nothing",
          request("PROPFIND", "/", headers={"Depth": "0", "X-Forwarded-For": "198.51.100.7"},
                  auth=basic("erin", "erin-password"))[0] == 207)
    check("failed logins and throttles are counted",
          metric("cairn_auth_failures_total") >= 10 and metric("cairn_auth_throttled_total") >= 1)


# 5. One name per Unicode form: macOS sends NFD, Windows and Linux NFC.
def unicode_names():
    nfd, nfc = "/cafe%CC%81.txt", "/caf%C3%A9.txt"
    first = request("PUT", nfd, b"from a Mac")[0]
    second = request("PUT", nfc, b"from Windows")[0]
    check(f"PUT in NFD then in NFC writes one file ({first}, {second})", first == 201 and second == 204)
    _, listing = request("PROPFIND", "/", headers={"Depth": "1"})
    check("the listing shows the name once", listing.count(b"<D:href>/caf") == 1, listing[:300])
    check("GET in either form reads it", request("GET", nfd) == (200, b"from Windows") == request("GET", nfc))
    check("a name with a control character is 400", request("PUT", "/bell%07.txt", b"x")[0] == 400)


# 6. The smaller items.
def smaller():
    s = connect()
    s.sendall(f"PUT /huge.bin HTTP/1.1\r\nHost: x\r\n{AUTH}\r\nContent-Length: {1 << 60}\r\n"
              f"Expect: 100-continue\r\n\r\n".encode())
    out = answer_and_close(s)
    check("a PUT announcing more than the free disk is 507 before any 100 Continue",
          out.startswith(b"HTTP/1.1 507"), repr(out[:40]))
    big = b'<?xml version="1.0"?><D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope>' \
          b'<D:locktype><D:write/></D:locktype><D:owner>' + b"x" * (2 << 20) + b"</D:owner></D:lockinfo>"
    check("a LOCK body over the limit is 413", request("LOCK", "/", big)[0] == 413)
    for method, headers in (("DELETE", {}), ("MOVE", {"Destination": "/elsewhere/"}), ("COPY", {"Destination": "/c/"})):
        check(f"{method} of the root is 403", request(method, "/", headers=headers)[0] == 403)


anonymous_admin_body()
admin_body_limit()
framing()
slow_clients()
connection_caps()
lockout()
unicode_names()
smaller()
sys.exit(1 if failed else 0)
