"""Performance target tables cut or joined by page breaks (etl/indicators.py).

Each case of tests/cases/<template>/<case>/ is a page excerpt of a corpus document
(../shared/samples/corpus/) with the indicators of its projects, typed by hand from the page
images (pypdfium2, scale 1.4), not from this code's output:

- fuzhou/performance_targets_split: 福州市医疗保障局 2026 pages 26-27 (the first rows of a project
  table, 项目名称 with a name broken by the page break, at the bottom of page 26; the rest, from the
  last character of the name, on page 27);
- fuzhou/performance_targets_same_title: the same document, pages 37-38 (two tables of one title,
  综合工作经费项目绩效目标表, and one project name, for two implementing units: the reader joins them
  and drops the second 项目名称 row as a repeated header).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from budgetkg.etl.pipeline import process_document
from budgetkg.etl.read_pdf import read_pdf
from budgetkg.etl.recognize import UNKNOWN_KIND

CASES = Path(__file__).parents[1] / "cases"


def _rec(case: str):
    doc = read_pdf(CASES / case / "input.pdf")
    doc.meta.update(department_name="某市某局", year="2026")  # the excerpt has no cover
    return process_document(doc)


def _got(projects) -> list[dict]:
    return [{
        "project": p.name, "amount": p.amount.printed() if p.amount else "", "amount_unit": p.amount_unit or "",
        "level1": i.level1, "level2": i.level2, "level3": i.name, "target": i.target.text, "kind": i.target.kind,
        "comparator": i.target.comparator or "", "number": i.target.printed_value or "", "unit": i.target.unit or "",
        "deadline": i.target.deadline.isoformat() if i.target.deadline else "",
    } for p in projects for i in p.indicators]


@pytest.mark.parametrize("case", ["fuzhou/performance_targets_split", "fuzhou/performance_targets_same_title"])
def test_indicators_come_out_as_printed(case):
    with (CASES / case / "expected.csv").open(encoding="utf-8", newline="") as fh:
        expected = list(csv.DictReader(fh))
    rec = _rec(case)
    assert _got(rec.performance) == expected


def test_head_cut_by_the_page_break_is_read_with_its_table():
    rec = _rec("fuzhou/performance_targets_split")
    (p,) = rec.performance
    assert (p.page, p.goal) == (1, "2026年医疗服务与保障能力提升补助资金")  # the name stands on the first page
    assert not any(r.startswith(UNKNOWN_KIND) for _, r in rec.skipped)
    assert any("ends the project name" in r for r in rec.doc.repairs)


def test_fact_row_below_indicators_starts_the_next_project():
    rec = _rec("fuzhou/performance_targets_same_title")
    first, second = rec.performance
    assert first.goal.startswith("保证临时聘用人员的工资等待遇刚需需求") and first.page == 1
    assert (second.goal, second.page) == ("保证费用及时、准确支付。", 2)
    # the implementing unit of the second project is not mapped, and said so with its page
    assert any(loc.page == 2 and "福州市医疗保障服务行为监测中心" in r for loc, r in rec.skipped)
