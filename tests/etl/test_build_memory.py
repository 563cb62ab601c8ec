"""Memory per document in the build: the process reading one document is capped (``--doc-memory-mb``,
``RLIMIT_AS``), and a document past the cap is reported with its file, not fatal to the others, whether
the allocation fails in Python (``MemoryError``) or in native code (pyoxigraph ends the process)."""

import faulthandler
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pyoxigraph as ox
import pytest

import budgetkg.etl.build as build_module
from budgetkg.etl.build import build

from .test_pipeline_stages import EXPENDITURE, HEAD

GOOD = HEAD + EXPENDITURE
HOG = GOOD.replace("某市某局", "某市另一局")  # another department: its own graph
HEADROOM_MB = 512  # what a document may take above what the worker starts with


def vm_size_mb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) >> 10
    raise AssertionError("no VmSize")


def worker_start_mb() -> int:
    """What a build worker starts with, measured in one forked as the build forks them (the parent's own
    size is no guide: some of its mappings, a JavaScript engine's reservations, are not inherited)."""
    with ProcessPoolExecutor(max_workers=1) as pool:
        return pool.submit(vm_size_mb).result()


def sources(tmp_path) -> tuple[Path, Path]:
    good, hog = tmp_path / "good.txt", tmp_path / "hog.txt"
    good.write_text(GOOD, encoding="utf-8")
    hog.write_text(HOG, encoding="utf-8")
    return good, hog


def python_hog(megabytes: int):
    data = bytearray(megabytes << 20)  # fails at once under the cap
    return len(data)


def native_hog(megabytes: int):
    """pyoxigraph doubling a string past ``megabytes``: Rust aborts the process when the allocation fails."""
    # the abort is what the test wants: pytest's fault handler, inherited by the forked worker, would print it
    # as a fatal error with a traceback in the test log
    faulthandler.disable()
    times = max(1, (megabytes << 20).bit_length() - 6 + 1)  # 64 bytes doubled: a little above ``megabytes``
    binds = ['BIND("' + "x" * 64 + '" AS ?v0)'] + [f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(times)]
    return list(ox.Store().query(f"SELECT (STRLEN(?v{times}) AS ?n) WHERE {{ {' '.join(binds)} }}"))


@pytest.mark.parametrize("hog_kind", ["python", "native"])
def test_a_document_past_the_memory_cap_is_reported_and_the_others_built(tmp_path, monkeypatch, hog_kind):
    good, hog = sources(tmp_path)
    cap = worker_start_mb() + HEADROOM_MB
    original = build_module.process_one

    def process_one(path, *args, **kw):
        if Path(path).name == hog.name:
            if hog_kind == "python":
                python_hog(cap)  # the whole cap: past it whatever the worker holds
            else:
                native_hog(2 * HEADROOM_MB)  # really taken: bounded, so that a cap not applied cannot take the machine
        return original(path, *args, **kw)

    monkeypatch.setattr(build_module, "process_one", process_one)  # the workers are forked: they see it
    result = build([good, hog], out=tmp_path / "dist", jobs=2, validate=False, keep_going=True, memory_mb=cap)
    assert [Path(d.path).name for d in result.documents] == ["good.txt"]
    assert len(result.failed) == 1 and result.failed[0]["path"] == str(hog)
    reason = result.failed[0]["reason"]
    assert reason.startswith("hog.txt") and f"more than the {cap} MB of memory" in reason and "--doc-memory-mb" in reason
