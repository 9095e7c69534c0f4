"""How bench/run.py times pages over HTTP: one user in a row, N users at once, and throughput.

Every request records the client's wall time (connect, send, wait, read the whole body, on the loopback) and the
server's time (``Server-Timing: app;dur=`` written by cqp/bench.py around the whole middleware stack) with its SQL
query count (``X-Bench-Queries``).
"""

import http.client
import statistics
import threading
import time
from collections import Counter


class Client:
    def __init__(self, port, cookie=None):
        self.port, self.cookie = port, cookie

    def get(self, path):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Host": "127.0.0.1"}
        if self.cookie:
            headers["Cookie"] = f"sessionid={self.cookie}"
        started = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        wall = (time.perf_counter() - started) * 1000
        conn.close()
        timing = response.getheader("Server-Timing", "")
        server = float(timing.split("dur=")[1]) if "dur=" in timing else None
        queries = response.getheader("X-Bench-Queries")
        return response.status, server, wall, int(queries) if queries else None, len(body)


def percentile(values, p):
    values = sorted(values)
    if not values:
        return 0.0
    k = (len(values) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def summary(servers, walls) -> dict:
    return {
        "requests": len(walls),
        "server_median_ms": round(statistics.median(servers), 1),
        "server_p95_ms": round(percentile(servers, 0.95), 1),
        "client_median_ms": round(statistics.median(walls), 1),
        "client_p95_ms": round(percentile(walls, 0.95), 1),
    }


def warm(client, path, n=3):
    for _ in range(n):
        status, *_ = client.get(path)
        if status != 200:
            raise RuntimeError(f"{path} : HTTP {status}")


def single_user(client, path, n) -> dict:
    """n requests one after the other (after 3 to warm up)."""
    warm(client, path)
    servers, walls, queries = [], [], []
    for _ in range(n):
        status, server, wall, count, _ = client.get(path)
        if status != 200:
            raise RuntimeError(f"{path} : HTTP {status}")
        servers.append(server)
        walls.append(wall)
        queries.append(count)
    return {"path": path, **summary(servers, walls), **query_counts(queries)}


def query_counts(counts) -> dict:
    """The page's query count: the one most of its requests made (``queries``); when some made another, each other
    count with how many requests made it (``other_queries``): a gunicorn worker's first page, or the once-a-minute
    reading of the CQPs (referentiels/choices.py, MEMO_SECONDS) adds queries to one request, not to the page."""
    seen = Counter(counts)
    usual = max(sorted(seen), key=lambda count: seen[count])
    other = {str(count): times for count, times in sorted(seen.items()) if count != usual}
    return {"queries": usual, **({"other_queries": other} if other else {})}


def concurrent_users(clients, path, total) -> dict:
    """len(clients) users (each its own session) asking for the page at once, without pause, ``total`` requests in
    all: the client time includes the wait for a free gunicorn worker."""
    servers, walls, errors = [], [], [0]
    lock = threading.Lock()
    per_user = max(1, total // len(clients))

    def user(client):
        for _ in range(per_user):
            try:
                status, server, wall, *_ = client.get(path)
            except OSError:
                status = None
            with lock:
                if status == 200:
                    servers.append(server)
                    walls.append(wall)
                else:
                    errors[0] += 1

    threads = [threading.Thread(target=user, args=(c,)) for c in clients]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    return {
        "users": len(clients),
        **summary(servers or [0], walls or [0]),
        "errors": errors[0],
        "rps": round(len(walls) / elapsed, 1) if elapsed else 0,
    }


def throughput(client, path, *, users, seconds, max_requests=5000) -> dict:
    """Responses per second with ``users`` connections asking without pause, for ``seconds`` at most."""
    done, errors = [0], [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker():
        while time.monotonic() < deadline:
            with lock:
                if done[0] + errors[0] >= max_requests:
                    return
            try:
                status, *_ = client.get(path)
                ok = status == 200
            except OSError:
                ok = False
            with lock:
                if ok:
                    done[0] += 1
                else:
                    errors[0] += 1

    warm(client, path)
    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    return {
        "path": path,
        "requests": done[0],
        "errors": errors[0],
        "seconds": round(elapsed, 2),
        "rps": round(done[0] / elapsed, 1),
    }
