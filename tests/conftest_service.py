"""Fixtures for the service tests: a build of the bundled samples and real servers on loopback.

Import what a test module needs: ``from tests.conftest_service import svc_data, server, ...``.
Every server is a separate process on a free port of 127.0.0.1, started here,
waited for with a bounded timeout and stopped at the end of its scope.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
VOCAB_GRAPH = "https://budgetkg.org/def/graph"
TEST_TIMEOUT = 3.0  # the server's query time limit in these tests
TEST_LIMIT = 2000  # the server's result row cap in these tests
TEST_BODY_LIMIT = 65536
TEST_QUERY_LIMIT = 40000  # the longest query text these servers accept


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, proc: subprocess.Popen | None = None, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def build_into(out: Path, sources=None) -> Path:
    from budgetkg.etl.build import build

    from tests.conftest import SAMPLE

    # The text sample: the service tests count its tables and triples.
    build(sources or [SAMPLE], out=out, jobs=1, validate=False)  # the service is tested here, not the shapes
    return out


def start_service(data: Path, *, endpoint: str | None = None, env: dict | None = None, log: Path | None = None):
    """``budgetkg serve`` on a free port: (process, base URL)."""
    port = free_port()
    args = [PYTHON, "-m", "budgetkg.cli", "serve", "--data", str(data), "--port", str(port)]
    if endpoint:
        args += ["--sparql-endpoint", endpoint]
    environ = dict(os.environ, BUDGETKG_TIMEOUT=str(TEST_TIMEOUT), BUDGETKG_RESULT_LIMIT=str(TEST_LIMIT), BUDGETKG_WORKERS="2",
                   BUDGETKG_BODY_LIMIT=str(TEST_BODY_LIMIT), BUDGETKG_QUERY_MAX_BYTES=str(TEST_QUERY_LIMIT), BUDGETKG_RELOAD_INTERVAL="0.2",
                   BUDGETKG_LOG_LEVEL="warning", PYTHONPATH=str(ROOT))
    environ.update(env or {})
    out = open(log, "wb") if log else subprocess.DEVNULL
    proc = subprocess.Popen(args, cwd=ROOT, env=environ, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_http(url + "/health", proc)
    except BaseException:
        stop(proc)
        if log:
            sys.stderr.write(Path(log).read_text(errors="replace")[-4000:])
        raise
    return proc, url


_SHARED: dict = {}


def _shared(key, make):
    """One instance per test session, shared by every module that imports these fixtures."""
    if key not in _SHARED:
        _SHARED[key] = make()
    return _SHARED[key]


@atexit.register
def _stop_shared() -> None:
    for value in _SHARED.values():
        if isinstance(value, tuple) and isinstance(value[0], subprocess.Popen):
            stop(value[0])
    for path in _TMP:
        shutil.rmtree(path, ignore_errors=True)


_TMP: list[Path] = []


def _tmpdir(prefix: str) -> Path:
    path = Path(tempfile.mkdtemp(prefix=f"budgetkg-{prefix}-"))
    _TMP.append(path)
    return path


@pytest.fixture()
def svc_data() -> Path:
    """A build of the bundled samples (manifest, dumps, store), made once per session."""
    return _shared("svc_data", lambda: build_into(_tmpdir("data") / "data"))


@pytest.fixture()
def server(svc_data):
    """Base URL of a service over :func:`svc_data` (time limit 3 s, row cap 2000, body limit 64 KiB), one per session."""
    return _shared("server", lambda: start_service(svc_data, log=_tmpdir("log") / "serve.log"))[1]


@pytest.fixture()
def samples_server() -> str:
    """Base URL of a service over a build of every bundled sample (the text one and both PDFs), one per session."""
    from budgetkg.resources import default_sources

    def make():
        data = _tmpdir("samples") / "data"
        build_into(data, list(default_sources()))
        return start_service(data, log=_tmpdir("log") / "serve-samples.log")

    return _shared("samples_server", make)[1]


@pytest.fixture()
def client(server):
    with httpx.Client(base_url=server, timeout=30) as c:
        yield c


class Listener:
    """A loopback TCP listener that records whether anyone connected (to prove nothing is fetched)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = False
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self):
        self._stop = True
        self._thread.join(2)
        self.sock.close()


@pytest.fixture()
def listener():
    lst = Listener()
    yield lst
    lst.close()


def oxigraph_binary() -> str | None:
    candidate = Path(PYTHON).parent / "oxigraph"
    return str(candidate) if candidate.exists() else shutil.which("oxigraph")


def _start_oxigraph(svc_data: Path):
    binary = oxigraph_binary()
    location = _tmpdir("oxigraph") / "db"
    subprocess.run([binary, "load", "--location", str(location), "--file", str(svc_data / "dumps" / "budgetkg.nq")],
                   check=True, capture_output=True, timeout=120)
    subprocess.run([binary, "load", "--location", str(location), "--file", str(svc_data / "dumps" / "vocabulary.ttl"),
                    "--graph", VOCAB_GRAPH], check=True, capture_output=True, timeout=120)
    port = free_port()
    proc = subprocess.Popen([binary, "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph", "--timeout-s", str(int(TEST_TIMEOUT))],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_http(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", proc, 30)
    except BaseException:
        stop(proc)
        raise
    return proc, f"http://127.0.0.1:{port}/query"


@pytest.fixture()
def oxigraph_server(svc_data):
    """The /query URL of an Oxigraph server (``oxigraph serve-read-only``) over the same build."""
    if oxigraph_binary() is None:
        pytest.skip("the oxigraph server (PyPI package `oxigraph`) is not installed")
    return _shared("oxigraph", lambda: _start_oxigraph(svc_data))[1]
