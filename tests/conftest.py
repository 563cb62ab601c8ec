"""Shared fixtures: the bundled sample, and one build of it per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "samples" / "000_60bd7a1a2874cc3a.txt"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def sample_path() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "samples").is_dir():
        pytest.skip("../shared is not present")
    return SHARED


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The bundled sample built once into a temporary data folder."""
    from etl.build import build

    out = tmp_path_factory.mktemp("build") / "dist"
    build([SAMPLE], out=out, jobs=1)
    return out
