"""The ETL reads bench/generate's synthetic disclosures like the real sample."""

import re
from decimal import Decimal

import pyoxigraph as ox
import pytest

from bench.generate import generate_corpus
from budgetkg.queries import resolve, run
from budgetkg.etl.build import build


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    src = tmp_path_factory.mktemp("gen")
    paths = generate_corpus(src, 3, [2022, 2023], seed=7)
    out = build(paths, out=tmp_path_factory.mktemp("gen-build") / "dist", jobs=2)
    return paths, out


def printed_total(text: str) -> Decimal:
    """本年支出合计 of the 收支总表, read straight from the text (last amount on its line)."""
    line = next(l for l in text.splitlines() if "本年支出合计" in l)
    return Decimal(re.findall(r"\d+\.\d+", line.replace("<b>", "").replace("</b>", ""))[-1])


def test_every_document_built(corpus):
    paths, out = corpus
    assert len(out.documents) == len(paths) == 6
    assert all(d.tables == 11 for d in out.documents)


def test_totals_in_graph_match_the_text(corpus):
    paths, out = corpus
    store = ox.Store.read_only(str(out.out / "store"))
    totals = {(s["name"].value, s["year"].value): Decimal(s["total"].value) for s in run(store, resolve("departments"))}
    for path in paths:
        text = path.read_text(encoding="utf-8")
        name = re.search(r"^\d+ (\S+)$", text, re.M).group(1)
        year = re.search(r"预算年度：(\d{4})", text).group(1)
        assert totals[(name, year)] == printed_total(text), path.name
