"""A bounded load test of a running tracker on this machine: requests per second and
latency percentiles per URL.

    .venv/bin/python tests/perf/loadtest.py --base http://127.0.0.1:8000 \\
        --duration 20 --concurrency 8 / /cities/ethekwini /cities/ethekwini/progress

Each URL is loaded on its own for --duration seconds by --concurrency threads, each thread
with one kept-alive connection (stdlib http.client; no dependency). Only the loopback host is
accepted (127.0.0.1, ::1 or localhost): this is not a tool for loading anyone's server.
Duration and concurrency are capped. A response other than 200 counts as an error (the
first one is printed) and stays out of the timings. Pages that need a login (a network's
progress) are loaded signed in with --sign-in EMAIL; the password is read from the
environment variable TRACKER_LOADTEST_PASSWORD, never from the command line.
"""

import argparse
import http.client
import math
import os
import re
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

LOOPBACK = {"127.0.0.1", "::1", "localhost"}
MAX_DURATION = 120.0  # seconds per URL
MAX_CONCURRENCY = 32
TIMEOUT = 60.0  # seconds a single request may take


@dataclass
class Tally:
    """What the threads measured for one URL."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    first_error: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float, status: int, path: str) -> None:
        """Record one response."""
        with self.lock:
            if status == 200:
                self.latencies.append(seconds)
                return
            self.errors += 1
            self.first_error = self.first_error or f"{status} on {path}"


def percentile(values: list[float], share: float) -> float:
    """Return the nearest-rank percentile of the values (share in 0–1)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def check_base(base: str) -> tuple[str, int]:
    """Return host and port of the base URL, refusing anything but plain http on loopback."""
    parts = urlsplit(base)
    if parts.scheme != "http" or parts.hostname not in LOOPBACK:
        raise SystemExit(f"refused: {base} is not http on 127.0.0.1, ::1 or localhost")
    return parts.hostname or "127.0.0.1", parts.port or 80


def session_cookie(response: http.client.HTTPResponse) -> str:
    """Return the "session=…" pair a response sets ("" when none)."""
    for header in response.headers.get_all("Set-Cookie") or []:
        if header.startswith("session="):
            return header.split(";", 1)[0]
    return ""


def sign_in(host: str, port: int, email: str, password: str) -> str:
    """Sign in through the login form (its CSRF token included); return the cookie."""
    connection = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
    connection.request("GET", "/login")
    page = connection.getresponse()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.read().decode())
    form = urlencode({"csrf_token": token.group(1) if token else "", "email": email,
                      "password": password})
    connection.request("POST", "/login", body=form, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": session_cookie(page)})
    answer = connection.getresponse()
    answer.read()
    cookie = session_cookie(answer)
    if answer.status != 302 or not cookie:
        raise SystemExit(f"sign-in as {email} failed: {answer.status}")
    return cookie


def worker(host: str, port: int, path: str, deadline: float, tally: Tally,
           headers: dict[str, str]) -> None:
    """Request the path until the deadline on one kept-alive connection."""
    connection = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as error:
            status = 0
            tally.first_error = tally.first_error or f"{error!r} on {path}"
            connection.close()
            connection = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
        tally.add(time.perf_counter() - started, status, path)
    connection.close()


def load(host: str, port: int, path: str, duration: float, concurrency: int,
         headers: dict[str, str]) -> tuple[Tally, float]:
    """Load one path; return the tally and the seconds it took."""
    tally = Tally()
    started = time.perf_counter()
    deadline = started + duration
    threads = [threading.Thread(target=worker, args=(host, port, path, deadline, tally, headers))
               for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally, time.perf_counter() - started


def row(path: str, tally: Tally, elapsed: float) -> str:
    """Return one line of the table."""
    done = tally.latencies
    if not done:
        return f"{path:<52} {'-':>8} {'-':>8} {'-':>8} {tally.errors:>6}  {tally.first_error}"
    rate = len(done) / elapsed
    p50, p99 = percentile(done, 0.5) * 1000, percentile(done, 0.99) * 1000
    note = f"  first error: {tally.first_error}" if tally.errors else ""
    return f"{path:<52} {rate:>8.1f} {p50:>8.0f} {p99:>8.0f} {tally.errors:>6}{note}"


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", help="paths to load, e.g. / /cities/ethekwini")
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per URL")
    parser.add_argument("--concurrency", type=int, default=8, help="threads per URL")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds per URL, untimed")
    parser.add_argument("--sign-in", default="", metavar="EMAIL",
                        help="sign in first (password: $TRACKER_LOADTEST_PASSWORD)")
    args = parser.parse_args(argv)
    if not 0 < args.duration <= MAX_DURATION or not 0 <= args.warmup <= MAX_DURATION:
        parser.error(f"--duration and --warmup lie within 0–{MAX_DURATION:.0f} s")
    if not 1 <= args.concurrency <= MAX_CONCURRENCY:
        parser.error(f"--concurrency lies within 1–{MAX_CONCURRENCY}")
    return args


def main(argv: list[str] | None = None) -> None:
    """Load each path in turn and print req/s, p50 and p99 (ms) per path."""
    args = parse(argv)
    host, port = check_base(args.base)
    headers = {}
    if args.sign_in:
        password = os.environ.get("TRACKER_LOADTEST_PASSWORD", "")
        headers["Cookie"] = sign_in(host, port, args.sign_in, password)
    print(f"{args.base}: {args.concurrency} threads, {args.duration:.0f} s per URL")
    print(f"{'path':<52} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6}")
    for path in args.paths:
        if args.warmup:
            load(host, port, path, args.warmup, args.concurrency, headers)
        tally, elapsed = load(host, port, path, args.duration, args.concurrency, headers)
        print(row(path, tally, elapsed), flush=True)


if __name__ == "__main__":
    main()
