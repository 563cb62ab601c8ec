"""``budgetkg audit`` (issue 14): a per-document report grouped by check, in four formats, and the
DQV measurements of a document (budgetkg.etl.quality)."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal

import pyoxigraph as ox
import pytest

from tests.shapes.test_shapes_support import B, fixed_sample, subjects_of_type, validate

from budgetkg.etl.quality import measures, quality_triples


def _without_three_public(t):
    ds = next(s for s in subjects_of_type(t, "BudgetDataSet") if s.value.endswith("/three_public_expenses"))
    gone = {ds} | {x.subject for x in t if x.subject.value.startswith(ds.value + "/")}
    return [x for x in t if x.subject not in gone and x.object not in gone]


@pytest.fixture(scope="module")
def mutated(tmp_path_factory):
    """The sample without its 三公 table, as an N-Triples file."""
    path = tmp_path_factory.mktemp("audit") / "mutated.nt"
    path.write_bytes(ox.serialize(_without_three_public(list(fixed_sample())), format=ox.RdfFormat.N_TRIPLES))
    return path


def _audit(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "budgetkg.cli", "audit", *args], capture_output=True, text=True, timeout=900)


def test_json_report_groups_findings_by_check(mutated):
    out = _audit(str(mutated), "--format", "json")
    assert out.returncode == 0, out.stderr
    [doc] = json.loads(out.stdout)
    checks = {c["rule"]: c for c in doc["checks"]}
    assert (checks["AuditPrescribedTable"]["name"], checks["AuditPrescribedTable"]["name_zh"]) == (
        "Prescribed table present", "规定公开表齐全")  # the shape's sh:name in both languages
    missing = checks["AuditPrescribedTable"]["findings"]
    assert len(missing) == 1 and "three_public_expenses" in missing[0]["message"] and missing[0]["message_zh"]
    quality = {(q["metric"], q["check"]): q["value"] for q in doc["quality"]}
    assert quality[("metric-prescribed-tables", None)] == str((Decimal(8) / Decimal(9)).quantize(Decimal("0.0001")))
    assert quality[("metric-findings", "AuditPrescribedTable")] == "1"


@pytest.mark.parametrize("fmt, marker", [("text", "Warning AuditPrescribedTable"), ("md", "### Warning AuditPrescribedTable"),
                                         ("html", "<h3>Warning AuditPrescribedTable")])
def test_readable_formats(mutated, fmt, marker):
    out = _audit(str(mutated), "--format", fmt)
    assert out.returncode == 0, out.stderr
    assert marker in out.stdout and "三公" in out.stdout and "metric-reconciled-amounts" in out.stdout
    assert "AuditPrescribedTable: Prescribed table present · 规定公开表齐全 (1)" in out.stdout


def test_missing_build_is_bad_input(tmp_path):
    out = _audit("--data", str(tmp_path))
    assert out.returncode == 2 and "no build in" in out.stderr


def test_quality_of_the_sample():
    """Two RowBlankTotal warnings (三公 table, blank 公务用车购置及运维费): blank totals are no amount,
    so every printed amount reconciles; all nine prescribed tables are there."""
    t = list(fixed_sample())
    outcome = validate(t)
    got = {(m.metric, m.check): m.value for m in measures(outcome.results, t)}
    assert got[("metric-warnings", None)] == 2 and got[("metric-violations", None)] == 0
    assert got[("metric-findings", "RowBlankTotal")] == 2 and got[("metric-findings", "AuditNarrativeVsTable")] == 0
    assert got[("metric-prescribed-tables", None)] == Decimal("1.0000")
    assert got[("metric-reconciled-amounts", None)] == Decimal("1.0000")
    triples = quality_triples(outcome.results, t, "https://budgetkg.org/graph/x")
    assert len({x.subject for x in triples if x.predicate.value.endswith("#isMeasurementOf")}) == len(got)
    assert not any(isinstance(x.subject, ox.BlankNode) or isinstance(x.object, ox.BlankNode) for x in triples)


def test_audit_of_a_build_names_each_document(tmp_path):
    """``--data DIR``: the report of a build names the file each graph of the dump was read from. The Hebei
    sample prints 二、公务用车购置及运维费 blank in its 三公 table's 合计 and 一般公共预算财政拨款 columns over a
    part of 6.00 (line 309): two RowBlankTotal warnings there, nothing else."""
    from budgetkg.etl.build import build
    from budgetkg.resources import default_sources

    sample = next(p for p in default_sources() if p.suffix == ".txt")
    build([str(sample)], out=tmp_path / "data", jobs=1)
    out = _audit("--data", str(tmp_path / "data"), "--format", "json")
    assert out.returncode == 0, out.stderr
    [doc] = json.loads(out.stdout)
    assert doc["source"].startswith(f"{sample.name} (") and "/graph/" in doc["source"]
    assert [(c["rule"], [f["line"] for f in c["findings"]]) for c in doc["checks"]] == [("RowBlankTotal", [309, 309])]
    md = _audit("--data", str(tmp_path / "data"), "--format", "md")
    assert f"## {sample.name} (" in md.stdout
