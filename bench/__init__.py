"""Benchmarks (see the README, "Benchmarks"); :func:`scratch` is their scratch folder."""

from __future__ import annotations

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
