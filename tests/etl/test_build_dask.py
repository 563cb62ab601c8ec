"""``budgetkg build --scheduler ADDRESS``: each document a task on a Dask cluster (two worker
processes started here), the same dumps and manifest as a build in local processes."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from budgetkg.etl.build import build
from budgetkg.resources import default_sources

distributed = pytest.importorskip("distributed")
dask_config = pytest.importorskip("dask.config")
ROOT = Path(__file__).resolve().parents[2]


def _budgetkg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "budgetkg.cli", *args], cwd=ROOT, capture_output=True, text=True, timeout=900)


def test_build_on_a_dask_cluster_equals_a_local_build(tmp_path):
    sources = [str(p) for p in default_sources()]  # the text sample and both PDFs
    local = build(sources, out=tmp_path / "local", jobs=1).out
    # Dask's scratch folder in the test's own (by default it leaves dask-scratch-space in the system's temp folder)
    with dask_config.set({"temporary-directory": str(tmp_path / "scratch")}), distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        done = _budgetkg("build", *sources, "--out", str(tmp_path / "dask"), "--scheduler", cluster.scheduler_address)
    assert done.returncode == 0, done.stderr
    dask = tmp_path / "dask"
    names = sorted(p.name for p in (local / "dumps").iterdir())
    assert names == sorted(p.name for p in (dask / "dumps").iterdir())
    for name in names:
        assert (dask / "dumps" / name).read_bytes() == (local / "dumps" / name).read_bytes(), name
    assert json.loads((dask / "manifest.json").read_text(encoding="utf-8")) == json.loads(
        (local / "manifest.json").read_text(encoding="utf-8"))
    assert (dask / "store").is_dir()


def test_unreachable_scheduler_is_a_usage_error_and_writes_nothing(tmp_path):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    text = next(p for p in default_sources() if p.suffix == ".txt")
    done = _budgetkg("build", str(text), "--out", str(tmp_path / "out"), "--scheduler", f"tcp://127.0.0.1:{port}")
    assert done.returncode == 2
    assert f"Dask scheduler at tcp://127.0.0.1:{port}" in done.stderr
    assert not (tmp_path / "out").exists()
