"""Benchmarks (see the README, "Benchmarks"); :func:`scratch` is their scratch folder, :func:`child` runs one
measurement in a fresh process."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def scratch(work: Path | None, prefix: str) -> Iterator[Path]:
    """``work`` (a folder the user named with ``--work``, kept), or a temporary one removed at the end."""
    if work is not None:
        yield Path(work)
        return
    with tempfile.TemporaryDirectory(prefix=prefix, ignore_cleanup_errors=True) as tmp:
        yield Path(tmp)


def child(code: str, payload, *, cwd: Path | None = None, ok: tuple[int, ...] = (0,)) -> dict:
    """Run ``code`` in a fresh Python process with ``payload`` as JSON in ``sys.argv[1]``; the JSON object of its last
    line of output. Exits with its stderr's end when its exit status is not in ``ok``."""
    res = subprocess.run([sys.executable, "-c", code, json.dumps(payload)], capture_output=True, text=True, cwd=cwd)
    if res.returncode not in ok:
        sys.exit(f"child process failed ({res.returncode}):\n{res.stderr[-3000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])
