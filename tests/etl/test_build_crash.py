"""``kill -9`` of a build: its workers die with it, the previous output stays, and the next
build removes the staging folder the dead one left."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; PR_SET_PDEATHSIG is Linux")


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")  # a zombie is dead, only not yet reaped


def wait_for(cond, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.05)
    return False


def test_kill_9_of_a_build(built, sample_path, tmp_path):
    out = tmp_path / "dist"
    shutil.copytree(built, out)
    manifest = (out / "manifest.json").read_bytes()
    # Three copies of the sample in a folder: enough work for two workers to be busy.
    src = tmp_path / "src"
    src.mkdir()
    for n in range(3):
        text = sample_path.read_text(encoding="utf-8").replace("邢台市工业和信息化局", f"邢台市工业和信息化局{n}")
        (src / f"s{n}.txt").write_text(text, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "budgetkg.cli", "build", str(src), "--out", str(out), "--jobs", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_for(lambda: len(children(proc.pid)) >= 2, 60), "no workers started"
        workers = children(proc.pid)
        staged = [p for p in tmp_path.iterdir() if p.name.startswith(f".dist.tmp-{proc.pid}-")]
        assert staged
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        assert wait_for(lambda: not any(running(w) for w in workers), 10), "workers outlived their build"
    finally:
        if proc.poll() is None:
            proc.kill()
    assert (out / "manifest.json").read_bytes() == manifest  # the previous build, untouched
    assert staged[0].exists()  # left behind by the dead build ...
    r = subprocess.run([sys.executable, "-m", "budgetkg.cli", "build", str(sample_path), "--out", str(out), "--jobs", "1"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert not staged[0].exists()  # ... and removed by the next one
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist", "src"]
