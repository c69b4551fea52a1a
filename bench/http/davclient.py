"""A small concurrent HTTP/1.1 client: N keep-alive connections driven by one selector loop.

Written for the benchmark's many-small-requests workloads (4 KiB PUTs, folder population,
PROPFIND). One thread, no GIL contention, no per-request process: it costs roughly
10-20 µs of CPU per request, far below what a 2-core machine's servers can answer.
The run reports its CPU use so a saturated client shows up in the results."""

import selectors
import socket
import time


class Response:
    __slots__ = ("status", "headers", "body", "latency", "error", "complete")

    def __init__(self):
        self.status, self.headers, self.body, self.latency, self.error = 0, {}, b"", 0.0, None
        self.complete = False

    @property
    def ok(self):
        return self.complete and self.error is None and 200 <= self.status < 300


class _Conn:
    def __init__(self, host, port):
        self.sock = socket.create_connection((host, port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock.setblocking(False)
        self.mask = selectors.EVENT_WRITE
        self.served = 0         # responses completed on this connection
        self.reset()

    def reset(self):
        self.out = memoryview(b"")
        self.buf = bytearray()
        self.index = None       # which request this connection is serving
        self.started = 0.0
        self.resp = None
        self.body_len = None    # -1: chunked, -2: until close, >=0: Content-Length
        self.head_done = False
        self.keep_alive = True
        self.method = ""
        self.chunks = bytearray()

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def _parse_head(conn):
    """Parse the status line and headers if complete; returns True when parsed."""
    end = conn.buf.find(b"\r\n\r\n")
    if end < 0:
        return False
    lines = bytes(conn.buf[:end]).decode("latin-1").split("\r\n")
    del conn.buf[:end + 4]
    resp = conn.resp
    version, status = lines[0].split(" ", 2)[:2]
    resp.status = int(status)
    for line in lines[1:]:
        k, _, v = line.partition(":")
        resp.headers[k.strip().lower()] = v.strip()
    if resp.status == 100:  # interim response: a real one follows
        resp.headers = {}
        return _parse_head(conn)
    conn.keep_alive = (version == "HTTP/1.1" and resp.headers.get("connection", "").lower() != "close"
                       or resp.headers.get("connection", "").lower() == "keep-alive")
    if conn.method == "HEAD" or resp.status in (204, 304):
        conn.body_len = 0
    elif "chunked" in resp.headers.get("transfer-encoding", "").lower():
        conn.body_len = -1
    elif "content-length" in resp.headers:
        conn.body_len = int(resp.headers["content-length"])
    else:
        conn.body_len = -2
    conn.head_done = True
    return True


def _parse_chunked(conn):
    """Consume complete chunks from buf; returns True when the last chunk has been read."""
    buf, pos = conn.buf, 0
    while True:
        eol = buf.find(b"\r\n", pos)
        if eol < 0:
            break
        size = int(bytes(buf[pos:eol]).split(b";")[0], 16)
        if size == 0:
            # "0\r\n" then either "\r\n" at once or trailer lines ending in "\r\n\r\n"
            if buf[eol + 2:eol + 4] == b"\r\n" or buf.find(b"\r\n\r\n", eol) >= 0:
                del buf[:]
                return True
            break
        if len(buf) < eol + 2 + size + 2:
            break
        conn.chunks += buf[eol + 2:eol + 2 + size]
        pos = eol + 2 + size + 2
    del buf[:pos]
    return False


def run(host, port, requests, concurrency=16, headers=None, keep_body=False, time_limit=300):
    """Send every request (method, path, extra_headers dict, body bytes) over `concurrency`
    keep-alive connections; returns (responses in request order, wall seconds).
    Stops with the remaining requests marked as errors after time_limit seconds."""
    common = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
    sel = selectors.DefaultSelector()
    results = [Response() for _ in requests]
    next_req, done = 0, 0
    retry, retried = [], set()
    conns = []

    def start_next(conn):
        nonlocal next_req
        if retry:
            index = retry.pop()
        elif next_req < len(requests):
            index = next_req
            next_req += 1
        else:
            sel.unregister(conn.sock)
            conn.close()
            return
        method, path, extra, body = requests[index]
        conn.reset()
        conn.index, conn.method, conn.resp = index, method, results[index]
        head = (f"{method} {path} HTTP/1.1\r\nHost: {host}:{port}\r\n{common}"
                + "".join(f"{k}: {v}\r\n" for k, v in (extra or {}).items())
                + f"Content-Length: {len(body)}\r\n\r\n").encode("latin-1")
        conn.out = memoryview(head + body)
        conn.started = time.perf_counter()
        # Most requests fit the socket buffer: send now and skip a selector round trip.
        try:
            conn.out = conn.out[conn.sock.send(conn.out):]
        except BlockingIOError:
            pass
        want(conn, selectors.EVENT_WRITE if conn.out else selectors.EVENT_READ)

    def want(conn, mask):
        if conn.mask != mask:
            sel.modify(conn.sock, mask, conn)
            conn.mask = mask

    def finish(conn):
        nonlocal done
        resp = conn.resp
        resp.latency = time.perf_counter() - conn.started
        resp.complete = True
        if keep_body:
            if conn.body_len == -1:
                resp.body = bytes(conn.chunks)
            elif conn.body_len >= 0:
                resp.body = bytes(conn.buf[:conn.body_len])
            else:
                resp.body = bytes(conn.buf)
        done += 1
        conn.served += 1
        if not conn.keep_alive or conn.body_len == -2:
            reconnect(conn)
        else:
            start_next(conn)

    def reconnect(conn):
        sel.unregister(conn.sock)
        conn.close()
        if next_req >= len(requests) and not retry:
            return
        fresh = _Conn(host, port)
        conns[conns.index(conn)] = fresh
        sel.register(fresh.sock, selectors.EVENT_WRITE, fresh)
        start_next(fresh)

    def fail(conn, error):
        nonlocal done
        if conn.served and not conn.buf and not conn.head_done and conn.index not in retried:
            # The server closed an idle keep-alive connection as we reused it: retry once.
            retried.add(conn.index)
            retry.append(conn.index)
            reconnect(conn)
            return
        conn.resp.error = error
        conn.resp.complete = True
        done += 1
        reconnect(conn)

    t0 = time.perf_counter()
    for _ in range(min(concurrency, len(requests))):
        conn = _Conn(host, port)
        conns.append(conn)
        sel.register(conn.sock, selectors.EVENT_WRITE, conn)
        start_next(conn)

    deadline = time.monotonic() + time_limit
    while done < len(requests) and time.monotonic() < deadline:
        for key, mask in sel.select(timeout=1.0):
            conn = key.data
            try:
                if mask & selectors.EVENT_WRITE:
                    sent = conn.sock.send(conn.out)
                    conn.out = conn.out[sent:]
                    if not conn.out:
                        want(conn, selectors.EVENT_READ)
                    continue
                data = conn.sock.recv(1 << 18)
                if not data:
                    if conn.head_done and conn.body_len == -2:
                        finish(conn)
                    else:
                        fail(conn, "connection closed by server")
                    continue
                conn.buf += data
                if not conn.head_done and not _parse_head(conn):
                    continue
                if conn.body_len == -1:
                    if _parse_chunked(conn):
                        finish(conn)
                elif conn.body_len >= 0 and len(conn.buf) >= conn.body_len:
                    finish(conn)
            except (OSError, ValueError, IndexError) as e:
                fail(conn, f"{type(e).__name__}: {e}")
    elapsed = time.perf_counter() - t0
    for r in results:
        if not r.complete and not r.error:
            r.error = "not completed within the time limit"
    for conn in conns:
        conn.close()
    sel.close()
    return results, elapsed
