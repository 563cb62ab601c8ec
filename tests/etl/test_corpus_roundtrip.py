"""Round trip of the real corpus: each disclosure of ``../shared/samples/corpus`` is read, mapped
to RDF, and its 收支总表 and 支出总表 (and its 项目支出表 where transcribed) regenerated from the graph by SPARQL are compared cell by
cell with the transcription made by hand from the page images (``tests/expected/corpus/<stem>/``);
the headline figures of ``meta.json`` must come back exactly.

Body rows are compared (the header rows are printed in many shapes; ``meta.json`` says how many);
amounts without thousands separators. A label printed in a cell merged across several columns (合计
across 类/款/项 and 科目名称) is in the leftmost column of the merged range, the top-left rule of
spreadsheets; a label printed inside the name column only stays there. The transcriptions of the
bundled samples (``tests/expected/shpt_*``) follow the same rule; the text sample prints no merges. Department, year and phase are given from
``meta.json`` as ``--department/--year/--phase`` would give them, so that the tables are tested
on their own.

Documents (or one table of one) not read correctly yet are listed in :data:`XFAIL`, the one list of
what is still wrong: the marks are strict, so a fix that makes one pass forces removing its mark.
"""

from __future__ import annotations

import csv
import functools
import json
import re
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest

from budgetkg.tables import table_rows

EXPECTED = Path(__file__).parents[1] / "expected" / "corpus"
STEMS = sorted(p.name for p in EXPECTED.iterdir() if (p / "meta.json").exists())
TABLES = ("income_expenditure_summary", "expenditure", "project_expenditure")
_NUMBER = re.compile(r"[-−]?[\d,]+(\.\d+)?")
# Letter-spaced labels (合 计, 项 目) print real spaces between CJK characters; the graph keeps the word.
_CJK_SPACE = re.compile(r"(?<=[\u4e00-\u9fff]) +(?=[\u4e00-\u9fff])")

# (document, table key or "headline") -> why it does not come back yet. THE list of known failures.
XFAIL: dict[tuple[str, str], str] = {
}

BKG = "https://budgetkg.org/def/budget#"
CL = "https://budgetkg.org/def/cl/"


def _obs(kinds: str, **dims: str) -> str:
    """Observations of a table of one of ``kinds`` (space-separated keys) with these concepts, figures of the
    document's year (not the prior year's printed beside them, nor a change)."""
    values = " ".join(f"<{CL}table-kind/{k}>" for k in kinds.split())
    pattern = " ".join(f"?obs <{BKG}{dim}> <{CL}{concept}> ." for dim, concept in dims.items())
    return (f"VALUES ?kind {{ {values} }} ?ds <{BKG}tableKind> ?kind . ?obs <{BKG}sourceTable> ?ds . {pattern} "
            f"?ds <{BKG}fiscalYear> ?docYear . ?obs <{BKG}fiscalYear> ?docYear . "
            f"FILTER NOT EXISTS {{ ?obs <{BKG}figureKind> \"change\" }}")


# The income lines of a summary table printed below its carry-over line (上年结转结余, 年初结转和结余)
# break the carry-over down by fund (一般公共预算拨款 under 上年结转结余); the current year's
# lines are the ones above it.
_CARRY_OVER = " ".join(f"<{CL}{c}>" for c in ("fund-source/carry-over", "fund-source/appropriation-carry-over",
                                              "summary-item/carry-over-in"))
_CURRENT_YEAR_LINE = f"""?obs <{BKG}lineItem> ?line . ?line <{BKG}side> "in" ; <{BKG}rowIndex> ?i .
    FILTER NOT EXISTS {{ ?ds <{BKG}hasLineItem> ?c . ?c <{BKG}side> "in" ; <{BKG}rowIndex> ?ci ;
                         <{BKG}classification> ?cc . FILTER (?ci < ?i && ?cc IN ({_CARRY_OVER.replace(" ", ", ")})) }}"""
_SUMMARIES = "income_expenditure_summary appropriation_summary"

# Headline figure -> the observations that may print it (alternatives, as a reader of the graph would
# look for it). The 财政拨款 and 一般公共预算 totals are those of the current year (本年): the 本年收入合计
# (or 本年收入) line of the 财政拨款收支总表, its 收入总计 where no carry-over is printed, or the
# 财政拨款 / 一般公共预算 line of a summary table above the carry-over lines; the 一般公共预算 total is
# also the 合计 of the 一般公共预算支出表. The 基本支出 and 项目支出 totals are the 合计 row of the 支出总表
# or the expenditure lines of the 收支总表 of that type (一、基本支出; 人员经费和公用经费支出). The 三公 total is the 合计 of the 三公 categories or the
# “三公”经费 line or column (a table that also prints 行政经费, 会议费 or 培训费).
HEADLINES: dict[str, tuple[str, ...]] = {
    "income_total": (_obs("income_expenditure_summary", summaryItem="summary-item/income-grand-total"),),
    "expenditure_total": (_obs("income_expenditure_summary", summaryItem="summary-item/expenditure-grand-total"),),
    "appropriation_total": (
        _obs("appropriation_summary", summaryItem="summary-item/income-grand-total"),
        _obs("appropriation_summary", summaryItem="summary-item/income-total-current"),
        _obs("appropriation_summary", fundSource="fund-source/current-year"),
        _obs(_SUMMARIES, fundSource="fund-source/appropriation") + _CURRENT_YEAR_LINE,
    ),
    "general_budget_total": (
        _obs("general_budget_expenditure", functionalClassification="functional/_T",
             expenditureType="expenditure-type/_T"),
        _obs(_SUMMARIES, fundSource="fund-source/general-budget") + _CURRENT_YEAR_LINE,
    ),
    "basic_expenditure_total": (_obs("expenditure", functionalClassification="functional/_T",
                                     expenditureType="expenditure-type/basic"),
                                _obs("income_expenditure_summary", expenditureType="expenditure-type/basic")),
    "project_expenditure_total": (_obs("expenditure", functionalClassification="functional/_T",
                                       expenditureType="expenditure-type/project"),
                                  _obs("income_expenditure_summary", expenditureType="expenditure-type/project")),
    "three_public_total": (_obs("three_public_expenses", threePublicCategory="three-public/_T"),
                           _obs("three_public_expenses", threePublicCategory="three-public/three-public-total")),
}

def meta(stem: str) -> dict:
    return json.loads((EXPECTED / stem / "meta.json").read_text(encoding="utf-8"))


@functools.cache
def built(stem: str, corpus: Path) -> tuple[ox.Store, str]:
    """The document read and mapped into an in-memory store, and the IRI of its named graph."""
    from budgetkg.etl.pipeline import Overrides, process_document
    from budgetkg.etl.read_pdf import read_pdf
    from budgetkg.etl.to_rdf import to_rdf

    m = meta(stem)
    overrides = Overrides(department=m["department"], year=m["year"], phase=m["phase"])
    graph, triples = to_rdf(process_document(read_pdf(corpus / m["file"]), overrides=overrides),
                            base="https://budgetkg.org/")
    store = ox.Store()
    store.extend([ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples])
    return store, graph.value


def _cases(kinds):
    out = []
    for stem in STEMS:
        for kind in kinds:
            if kind != "headline" and not (EXPECTED / stem / f"{kind}.csv").exists():
                continue
            if kind == "headline" and not any(meta(stem)["headline"].get(k) for k in HEADLINES):
                continue
            marks = [pytest.mark.xfail(strict=True, reason=XFAIL[(stem, kind)])] if (stem, kind) in XFAIL else []
            out.append(pytest.param(stem, kind, marks=marks, id=f"{stem}-{kind}"))
    return out


@pytest.fixture(scope="module")
def corpus(shared_dir) -> Path:
    path = shared_dir / "samples" / "corpus"
    if not path.is_dir():
        pytest.skip("../shared/samples/corpus is not present")
    return path


def norm(cell: str) -> str:
    cell = cell.strip()
    return cell.replace(",", "").replace("−", "-") if _NUMBER.fullmatch(cell) else _CJK_SPACE.sub("", cell)


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


@pytest.mark.parametrize("stem,kind", _cases(TABLES))
def test_table_round_trip(corpus, stem, kind):
    store, graph = built(stem, corpus)
    expected = read_csv(EXPECTED / stem / f"{kind}.csv")[meta(stem)["header_rows"][kind]:]
    regenerated = table_rows(store, graph, kind)
    assert len(regenerated) > 1, f"no {kind} table in the graph"
    actual = regenerated[1:]
    assert [len(r) for r in actual[:1]] == [len(expected[0])], "columns"
    assert len(actual) == len(expected), "row count"
    for r, (exp_row, act_row) in enumerate(zip(expected, actual)):
        assert [norm(c) for c in act_row] == [norm(c) for c in exp_row], f"body row {r + 1}"


def headline_amounts(store: ox.Store, graph: str, patterns: tuple[str, ...]) -> set[Decimal]:
    union = " UNION ".join(f"{{ {p} }}" for p in patterns)
    query = f"SELECT ?amount WHERE {{ {union} ?obs <{BKG}amount> ?amount . }}"
    return {Decimal(s["amount"].value) for s in store.query(query, default_graph=ox.NamedNode(graph))}


@pytest.mark.parametrize("stem,kind", _cases(("headline",)))
def test_headline_figures(corpus, stem, kind):
    store, graph = built(stem, corpus)
    wrong = {}
    for name, printed in meta(stem)["headline"].items():
        if name not in HEADLINES or not printed:
            continue
        found = headline_amounts(store, graph, HEADLINES[name])
        if Decimal(printed.replace(",", "")) not in found:
            wrong[name] = (printed, sorted(map(str, found)))
    assert not wrong, wrong


@pytest.mark.parametrize("stem", [s for s in STEMS if meta(s).get("prior_year")])
def test_prior_year_figures_are_not_the_document_years(corpus, stem):
    """A headline figure of the prior year printed beside the document year's (``prior_year`` of ``meta.json``,
    read off the page image: 深圳 表9 row 2025年, 西安 表13 block 上年) is found as a figure of the year before the
    document's, and not among the document year's figures."""
    store, graph = built(stem, corpus)
    for name, printed in meta(stem)["prior_year"].items():
        value = Decimal(printed.replace(",", ""))
        assert value not in headline_amounts(store, graph, HEADLINES[name])
        prior = tuple(p.replace(f"?obs <{BKG}fiscalYear> ?docYear .",
                                f"?obs <{BKG}fiscalYear> ?year . FILTER (xsd:integer(STR(?year)) = xsd:integer(STR(?docYear)) - 1)")
                      .replace("xsd:integer", "<http://www.w3.org/2001/XMLSchema#integer>") for p in HEADLINES[name])
        assert value in headline_amounts(store, graph, prior)
