"""Many concurrent large uploads plus reads against a Cairn started with bin/cairn's default heap.

memory.py PORT USER PASSWORD SERVER_PID [UPLOADS] [MIB]: UPLOADS concurrent PUTs of MIB MiB each
(distinct pseudo-random content, so nothing deduplicates), while readers GET what is already
stored. Every upload must end 201/204, or 503 with Retry-After (the upload budget under pressure,
docs/operations.md#memory), which it retries after that many seconds, at most 8 times; then every
file's SHA-256 must read back. No answer may be a 500. Prints 'ok - ...' / 'FAIL - ...' lines and
the server's peak resident memory (VmHWM), which is reported, not asserted.
"""
import base64
import hashlib
import http.client
import random
import sys
import threading
import time

PORT, USER, PASSWORD, PID = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
UPLOADS = int(sys.argv[5]) if len(sys.argv) > 5 else 32
MIB = int(sys.argv[6]) if len(sys.argv) > 6 else 64
AUTH = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
DEADLINE = time.monotonic() + 600  # the whole run: every wait below is bounded by it too
PIECE = 1 << 20

lock = threading.Lock()
statuses = {}      # status -> count, over every request
sent = {}          # path -> sha256 of the body the server accepted
problems = []


def count(status):
    with lock:
        statuses[status] = statuses.get(status, 0) + 1


def connect():
    return http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)


def put(i):
    path = f"/mem/big-{i:03d}.bin"
    for attempt in range(8):
        if time.monotonic() > DEADLINE:
            break
        rng = random.Random(i)  # the same bytes on every attempt
        digest = hashlib.sha256()
        conn = connect()
        status, retry_after = None, None
        try:
            conn.putrequest("PUT", path)
            conn.putheader("Authorization", AUTH)
            conn.putheader("Content-Length", str(MIB * PIECE))
            conn.endheaders()
            try:
                for _ in range(MIB):
                    piece = rng.randbytes(PIECE)
                    digest.update(piece)
                    conn.send(piece)
            except OSError:
                pass  # refused before the body was read (503): the answer is still there to read
            resp = conn.getresponse()
            resp.read()
            status, retry_after = resp.status, resp.getheader("Retry-After")
        except (OSError, http.client.HTTPException) as e:
            with lock:
                problems.append(f"PUT {path} attempt {attempt}: {e!r}")
            time.sleep(1)
            continue
        finally:
            conn.close()
        count(status)
        if status in (201, 204):
            with lock:
                sent[path] = digest.hexdigest()
            return
        if status == 503 and retry_after is not None:
            time.sleep(min(int(retry_after), 10))
            continue
        with lock:
            problems.append(f"PUT {path}: {status} (Retry-After {retry_after})")
        return


def get_sha(conn, path):
    conn.request("GET", path, headers={"Authorization": AUTH})
    resp = conn.getresponse()
    digest = hashlib.sha256()
    while True:
        block = resp.read(PIECE)
        if not block:
            break
        digest.update(block)
    count(resp.status)
    return resp.status, digest.hexdigest()


def reader(stop):
    conn = connect()
    rounds = 0
    while not stop.is_set() and time.monotonic() < DEADLINE and rounds < 10000:
        rounds += 1
        with lock:
            paths = list(sent)
        if not paths:
            time.sleep(0.2)
            continue
        path = random.choice(paths)
        try:
            status, _ = get_sha(conn, path)
            if status >= 500:
                with lock:
                    problems.append(f"GET {path} while uploading: {status}")
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = connect()
    conn.close()


def main():
    conn = connect()
    conn.request("MKCOL", "/mem/", headers={"Authorization": AUTH})
    resp = conn.getresponse()
    resp.read()
    conn.close()
    stop = threading.Event()
    readers = [threading.Thread(target=reader, args=(stop,)) for _ in range(4)]
    uploads = [threading.Thread(target=put, args=(i,)) for i in range(UPLOADS)]
    for t in readers + uploads:
        t.start()
    for t in uploads:
        t.join(max(1, DEADLINE - time.monotonic()))
    stop.set()
    for t in readers:
        t.join(max(1, DEADLINE - time.monotonic()))

    def report(ok, what):
        print(("ok   - " if ok else "FAIL - ") + what)

    report(len(sent) == UPLOADS, f"all {UPLOADS} concurrent uploads of {MIB} MiB were stored ({len(sent)})")
    report(not problems, "no upload or read failed otherwise" + ("" if not problems else ": " + "; ".join(problems[:5])))
    report(not any(s >= 500 and s != 503 for s in statuses), f"no answer was a 5xx other than 503 ({statuses})")
    conn = connect()
    mismatched = []
    for path, sha in sorted(sent.items()):
        status, got = get_sha(conn, path)
        if status != 200 or got != sha:
            mismatched.append(f"{path}: {status}")
    conn.close()
    report(not mismatched, f"every stored upload's SHA-256 reads back ({len(sent) - len(mismatched)}/{len(sent)})"
           + ("" if not mismatched else ": " + ", ".join(mismatched[:5])))
    try:
        with open(f"/proc/{PID}/status") as f:
            hwm = next(line.split()[1] for line in f if line.startswith("VmHWM"))
        print(f"# server peak resident memory (VmHWM): {int(hwm) // 1024} MiB; statuses {statuses}")
    except (OSError, StopIteration):
        report(False, "the server is still running")


main()
