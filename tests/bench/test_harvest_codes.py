"""Tests of bench/harvest_codes.py: the status of a printed (code, name) pair against the shipped code
lists, and reviewed lines turned into Turtle for them.

Pairs from the pages: the Hebei 2022 sample (000_60bd7a1a2874cc3a.txt) prints 2150501 行政运行 in its
部门预算收入总表 (line 103); 上海市普陀区司法局's 2026 budget (shpt_sfj_2026_budget.pdf, page 11)
prints 20805 行政事业单位养老支出; 江苏省人民检察院's 2018 budget (page 17) prints 20805 行政事业单位离退休.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.harvest_codes import listed_names, status, turtle  # noqa: E402

from budgetkg.names import BKG, DCT, SKOSXL  # noqa: E402


@pytest.fixture(scope="module")
def listed():
    return listed_names()


def _row(code: str, name: str, file: str, year: str = "2026", scheme: str = "functional") -> dict:
    return {"scheme": scheme, "code": code, "name": name, "year": year, "file": file, "page": 11, "line": None,
            "table": "t"}


@pytest.mark.parametrize("row, expected", [
    (_row("2150501", "行政运行", "000_60bd7a1a2874cc3a.txt", "2022"), "dated"),
    (_row("20805", "行政事业单位养老支出", "shpt_sfj_2026_budget.pdf"), "dated"),
    (_row("20805", "行政事业单位离退休", "jiangsu_jcy_2018_budget_dept.pdf", "2018"), "dated"),
    # a listed name of the code, not dated from this file
    (_row("20805", "行政事业单位离退休", "shpt_sfj_2026_budget.pdf"), "name"),
    # the name of 2150502 printed for 2150501
    (_row("2150501", "一般行政管理事务", "000_60bd7a1a2874cc3a.txt", "2022"), "other"),
    (_row("3013012", "其他", "x.pdf", scheme="economic"), "local"),
])
def test_status_against_the_dated_names(listed, row, expected):
    assert status(row, *listed) == expected


def test_reviewed_lines_become_dated_printed_names():
    """A name of a listed code printed in another year becomes a bkg:PrintedName of that year (an altLabel
    when it is not the preferred name); the Turtle parses with the code lists' prefixes."""
    rows = [_row("20805", "行政事业单位离退休", "some_2019_budget.pdf", "2019")]
    text = turtle(rows, {})["functional"]
    prefixes = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in [
        ("skos", "http://www.w3.org/2004/02/skos/core#"), ("skosxl", SKOSXL), ("bkg", BKG), ("dct", DCT),
        ("xsd", "http://www.w3.org/2001/XMLSchema#")])
    g = ox.Store()
    g.load((prefixes + text).encode("utf-8"), format=ox.RdfFormat.TURTLE)
    label = ox.NamedNode("https://budgetkg.org/def/cl/functional/20805/name/some_2019_budget")
    concept = ox.NamedNode("https://budgetkg.org/def/cl/functional/20805")
    assert list(g.quads_for_pattern(concept, ox.NamedNode(SKOSXL + "altLabel"), label))
    [valid] = [q.object for q in g.quads_for_pattern(label, ox.NamedNode(DCT + "valid"), None)]
    assert valid == ox.Literal("2019", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear"))
    [form] = [q.object for q in g.quads_for_pattern(label, ox.NamedNode(SKOSXL + "literalForm"), None)]
    assert form.value == "行政事业单位离退休"
