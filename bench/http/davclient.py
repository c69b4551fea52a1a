"""A small concurrent HTTP/1.1 client: N keep-alive connections driven by one selector loop.

Written for the benchmark's many-small-requests workloads (4 KiB PUTs, folder population,
PROPFIND). One thread, no GIL contention, no per-request process: it costs roughly
10-20 µs of CPU per request, far below what a 2-core machine's servers can answer.
The run reports its CPU use so a saturated client shows up in the results."""

import fcntl
import os
import selectors
import socket
import struct
import time


class Response:
    __slots__ = ("status", "headers", "body", "latency", "error", "complete", "sent", "body_bytes")

    def __init__(self):
        self.status, self.headers, self.body, self.latency, self.error = 0, {}, b"", 0.0, None
        self.complete = self.sent = False
        self.body_bytes = 0     # response body bytes received, also when they are not kept

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
        self.dropped = 0        # body bytes counted and dropped (Content-Length bodies not kept)
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


def run(host, port, requests, concurrency=16, headers=None, keep_body=False, time_limit=300,
        stop_after=None):
    """Send every request (method, path, extra_headers dict, body bytes) over `concurrency`
    keep-alive connections; returns (responses in request order, wall seconds).
    `requests` is any sequence (len and indexing), so bodies can be made as they are sent.
    With stop_after (seconds), no request is started after that time and the ones in flight
    are finished: responses with `sent` False were never sent. Stops with the remaining
    requests marked as errors after time_limit seconds."""
    common = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
    sel = selectors.DefaultSelector()
    results = [Response() for _ in range(len(requests))]
    next_req, done = 0, 0
    retry, retried = [], set()
    conns = []

    def start_next(conn):
        nonlocal next_req
        if retry:
            index = retry.pop()
        elif next_req < len(requests) and (stop_after is None or time.perf_counter() - t0 < stop_after):
            index = next_req
            next_req += 1
        else:
            sel.unregister(conn.sock)
            conn.close()
            return
        method, path, extra, body = requests[index]
        conn.reset()
        conn.index, conn.method, conn.resp = index, method, results[index]
        conn.resp.sent = True
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
        resp.body_bytes = (len(conn.chunks) if conn.body_len == -1
                           else conn.dropped + min(len(conn.buf), conn.body_len) if conn.body_len >= 0
                           else len(conn.buf))
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
        if (next_req >= len(requests) or stop_after is not None and time.perf_counter() - t0 >= stop_after) \
                and not retry:
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

    def finished():
        if done >= len(requests):
            return True
        stopped = stop_after is not None and time.perf_counter() - t0 >= stop_after
        return stopped and done >= next_req and not retry

    deadline = time.monotonic() + time_limit
    while not finished() and time.monotonic() < deadline:
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
                elif conn.body_len >= 0:
                    if not keep_body and len(conn.buf) < conn.body_len - conn.dropped:
                        conn.dropped += len(conn.buf)  # count, do not keep: big GETs stay cheap
                        del conn.buf[:]
                    elif len(conn.buf) >= conn.body_len - conn.dropped:
                        finish(conn)
            except (OSError, ValueError, IndexError) as e:
                fail(conn, f"{type(e).__name__}: {e}")
    elapsed = time.perf_counter() - t0
    for r in results:
        if r.sent and not r.complete and not r.error:
            r.error = "not completed within the time limit"
    for conn in conns:
        conn.close()
    sel.close()
    return results, elapsed




def _connect_blocking(host, port, time_limit):
    """A blocking socket (splice and sendfile want one) whose every wait is still bounded."""
    sock = socket.create_connection((host, port), timeout=time_limit)
    sock.settimeout(None)
    bound = struct.pack("ll", int(time_limit), 0)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, bound)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, bound)
    return sock


def _read_head(sock):
    """Status, lower-cased header fields, and the bytes that followed the header."""
    head = bytearray()
    while b"\r\n\r\n" not in head:
        data = sock.recv(65536)
        if not data:
            raise ConnectionError("connection closed in the response headers")
        head += data
    end = head.index(b"\r\n\r\n")
    lines = bytes(head[:end]).decode("latin-1").split("\r\n")
    fields = {k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:])}
    return int(lines[0].split()[1]), fields, bytes(head[end + 4:])


def _discard_body(sock, fields, rest):
    if "chunked" in fields.get("transfer-encoding", "").lower():
        return _discard_chunked(sock, rest)
    length = int(fields["content-length"]) if "content-length" in fields else None
    return len(rest) + _discard(sock, None if length is None else length - len(rest))


def _request_head(method, path, host, port, headers, extra=""):
    fields = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
    return f"{method} {path} HTTP/1.1\r\nHost: {host}:{port}\r\n{fields}{extra}Connection: close\r\n\r\n"


def get_discard(host, port, path, headers=None, time_limit=300):
    """GET one (big) resource and count its body bytes without keeping them. The body is
    spliced from the socket to /dev/null through a pipe, so the client spends little CPU
    (curl's 16 KiB reads were the bottleneck). Returns (status, body bytes, seconds from
    sending the request to the last byte)."""
    t0 = time.perf_counter()
    with _connect_blocking(host, port, time_limit) as sock:
        sock.sendall(_request_head("GET", path, host, port, headers).encode("latin-1"))
        status, fields, rest = _read_head(sock)
        total = _discard_body(sock, fields, rest)
    return status, total, time.perf_counter() - t0


def put_file(host, port, path, file, headers=None, time_limit=300):
    """PUT a local file as the body with sendfile(): no copy through this process, so the
    client is not what limits a fast server (curl was, near 1.8 GB/s). Returns (status,
    seconds from sending the request to the end of the response)."""
    size = os.path.getsize(file)
    t0 = time.perf_counter()
    with _connect_blocking(host, port, time_limit) as sock, open(file, "rb") as body:
        sock.sendall(_request_head("PUT", path, host, port, headers, f"Content-Length: {size}\r\n")
                     .encode("latin-1"))
        try:
            sock.sendfile(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may refuse early (413, 401) and close: its answer says why
        status, fields, rest = _read_head(sock)
        _discard_body(sock, fields, rest)
    return status, time.perf_counter() - t0

def _discard(sock, size):
    """Drop `size` bytes (None: until the server closes) from sock; returns bytes dropped."""
    if not hasattr(os, "splice"):  # before Python 3.10, or not Linux
        return _recv_discard(sock, size)
    got = 0
    r, w = os.pipe()
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        fcntl.fcntl(w, 1031, 1 << 20)  # F_SETPIPE_SZ: 1 MiB per splice
        while size is None or got < size:
            n = os.splice(sock.fileno(), w, (1 << 20) if size is None else min(1 << 20, size - got))
            if n == 0:
                break
            got += n
            while n:
                n -= os.splice(r, null, n)
    finally:
        for fd in (r, w, null):
            os.close(fd)
    return got


def _recv_discard(sock, size):
    scratch = memoryview(bytearray(1 << 20))
    got = 0
    while size is None or got < size:
        n = sock.recv_into(scratch if size is None else scratch[:min(len(scratch), size - got)])
        if n == 0:
            break
        got += n
    return got


def _discard_chunked(sock, buf):
    """Drop a chunked body, `buf` holding whatever already followed the headers."""
    buf = bytearray(buf)

    def line():
        while (i := buf.find(b"\r\n")) < 0:
            data = sock.recv(65536)
            if not data:
                raise ConnectionError("connection closed in a chunked body")
            buf.extend(data)
        out = bytes(buf[:i])
        del buf[:i + 2]
        return out

    total = 0
    while (size := int(line().split(b";")[0], 16)) > 0:
        buffered = min(size, len(buf))
        del buf[:buffered]
        if size > buffered and _recv_discard(sock, size - buffered) != size - buffered:
            raise ConnectionError("connection closed in a chunked body")
        total += size
        line()  # the CRLF that ends the chunk
    return total
