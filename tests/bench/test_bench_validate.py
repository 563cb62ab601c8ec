"""bench/bench_validate.py's split of the batched engine's time follows validate_documents: its phases are those the
engine goes through, and the report it times is pyshacl's (no speed is asserted)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import bench_validate  # noqa: E402

from budgetkg.resources import SAMPLES  # noqa: E402


def test_the_time_split_follows_the_engine_on_the_text_sample():
    sample = SAMPLES / "000_60bd7a1a2874cc3a.txt"
    report = bench_validate.batch_vs_pyshacl([(bench_validate.document_triples(str(sample)), sample.name)])
    assert report["same_report"] == "1/1"
    phases = report["batch_ms_per_document_by_phase"]
    assert list(phases) == ["vocabulary context", "index and core screens", "SHACL-SPARQL screens", "store load",
                            "core constraints", "SHACL-SPARQL", "report and description"]
    # every phase but the queries runs on every document (the screens clear the sample's core checks)
    assert all(phases[k] > 0 for k in ("vocabulary context", "index and core screens", "SHACL-SPARQL screens",
                                       "report and description"))
    checks = report["checks"]
    assert checks["core queries skipped by the screen, per document"] >= 0.9 * checks["core (one query per document unless screened)"]
