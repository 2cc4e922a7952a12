"""The load-test script (tests/perf/loadtest.py): loopback only, bounded, and its counts and
percentiles right against a local stdlib server whose answers are known."""

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.perf import loadtest


class Handler(BaseHTTPRequestHandler):
    """200 on /ok, 404 elsewhere; HTTP/1.1 so connections are kept alive."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802  (the standard library's name)
        """Answer with a short body."""
        body = b"ok"
        self.send_response(200 if self.path == "/ok" else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        """Stay quiet."""


@pytest.fixture
def server() -> Iterator[int]:
    """A local server on a free port."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize("base", ["http://example.org", "http://10.0.0.1:8000",
                                  "https://127.0.0.1:8000", "http://127.0.0.2:8000"])
def test_anything_but_loopback_http_is_refused(base: str) -> None:
    with pytest.raises(SystemExit, match="refused"):
        loadtest.check_base(base)


def test_loopback_names_are_accepted() -> None:
    assert loadtest.check_base("http://localhost:8000") == ("localhost", 8000)
    assert loadtest.check_base("http://127.0.0.1") == ("127.0.0.1", 80)


@pytest.mark.parametrize("args", [["--duration", "121"], ["--duration", "0"],
                                  ["--concurrency", "33"], ["--concurrency", "0"]])
def test_duration_and_concurrency_are_bounded(args: list[str]) -> None:
    with pytest.raises(SystemExit):
        loadtest.parse(["/", *args])


def test_nearest_rank_percentiles() -> None:
    values = [float(n) for n in range(100, 0, -1)]  # 1 … 100, unsorted
    assert loadtest.percentile(values, 0.5) == 50
    assert loadtest.percentile(values, 0.99) == 99
    assert loadtest.percentile([7.0], 0.99) == 7


def test_load_counts_successes_and_errors(server: int) -> None:
    ok, elapsed = loadtest.load("127.0.0.1", server, "/ok", 0.5, 2, {})
    assert ok.errors == 0
    assert len(ok.latencies) > 10
    assert 0.5 <= elapsed < 5
    missing, _elapsed = loadtest.load("127.0.0.1", server, "/missing", 0.3, 2, {})
    assert missing.latencies == []
    assert missing.errors > 0
    assert missing.first_error == "404 on /missing"


def test_main_prints_one_row_per_path(server: int, capsys: pytest.CaptureFixture[str]) -> None:
    loadtest.main(["--base", f"http://127.0.0.1:{server}", "--duration", "0.3",
                   "--warmup", "0", "--concurrency", "2", "/ok", "/missing"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split() == ["path", "req/s", "p50", "ms", "p99", "ms", "errors"]
    assert lines[2].startswith("/ok") and lines[2].split()[-1] == "0"
    assert lines[3].startswith("/missing") and "404 on /missing" in lines[3]
