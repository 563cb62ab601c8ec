"""Every table of both sample PDFs, regenerated from the graph by SPARQL, equals the CSV
transcribed by hand from the PDF page images (tests/expected/<document>/).

Amounts are compared without thousands separators: the graph keeps the value and the
printed number of decimals, not the typography of digit grouping.
"""

import csv
import re
from pathlib import Path

import pytest

from budgetkg.headers import JOIN
from budgetkg.tables import regenerate
from budgetkg.etl.build import build

EXPECTED = Path(__file__).parents[1] / "expected"
DOCS = ("shpt_sfj_2026_budget", "shpt_czj_2024_final_accounts")
CASES = [(d, p.stem) for d in DOCS for p in sorted((EXPECTED / d).glob("*.csv"))]
_NUMBER = re.compile(r"-?[\d,]+(\.\d+)?")


@pytest.fixture(scope="module")
def pdf_build(shared_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf-build") / "dist"
    build([shared_dir / "samples" / f"{d}.pdf" for d in DOCS], out=out, jobs=2)
    return out


@pytest.fixture(scope="module")
def regenerated(pdf_build, tmp_path_factory):
    tables = tmp_path_factory.mktemp("pdf-tables")
    regenerate(pdf_build, tables)
    return tables


def read(path):
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def norm(cell: str) -> str:
    return cell.replace(",", "") if _NUMBER.fullmatch(cell) else cell


@pytest.mark.parametrize("doc,key", CASES, ids=[f"{d[:8]}-{k}" for d, k in CASES])
def test_pdf_table_round_trip(regenerated, doc, key):
    expected, actual = read(EXPECTED / doc / f"{key}.csv"), read(regenerated / doc / f"{key}.csv")
    assert [h.rsplit(JOIN, 1)[-1] for h in actual[0]] == expected[0], "column headers (leaves; whole paths below)"
    assert len(actual) == len(expected), "row count"
    for r, (exp_row, act_row) in enumerate(zip(expected[1:], actual[1:]), 1):  # the body (the header above)
        for c, cell in enumerate(exp_row):
            if cell:
                assert norm(act_row[c]) == norm(cell), f"row {r} column {c} ({expected[0][c]})"


# 财政拨款“三公”经费支出决算表 (final accounts, page 18): 财政拨款“三公”经费 over every column; under it 合计,
# 因公出国（境）费, 公务用车购置及运行费 (over 小计, 公务用车购置费, 公务用车运行费) and 公务接待费, each over 预算数 and 决算数.
THREE_PUBLIC = [f"财政拨款“三公”经费/{group}/{leaf}" for group in (
    "合计", "因公出国（境）费", "公务用车购置及运行费/小计", "公务用车购置及运行费/公务用车购置费",
    "公务用车购置及运行费/公务用车运行费", "公务接待费") for leaf in ("预算数", "决算数")]


def test_three_public_csv_says_which_category_each_pair_belongs_to(regenerated):
    header = read(regenerated / "shpt_czj_2024_final_accounts" / "three_public_expenses.csv")[0]
    assert header == THREE_PUBLIC


def test_three_public_xlsx_merges_the_printed_header(pdf_build, tmp_path):
    import openpyxl
    from decimal import Decimal

    regenerate(pdf_build, tmp_path / "xlsx", fmt="xlsx")
    ws = openpyxl.load_workbook(tmp_path / "xlsx" / "shpt_czj_2024_final_accounts" / "three_public_expenses.xlsx").active
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:L1", "A2:B2", "C2:D2", "E2:J2", "K2:L2", "E3:F3", "G3:H3", "I3:J3"} <= merged
    assert ws["A1"].value == "财政拨款“三公”经费" and ws["E2"].value == "公务用车购置及运行费" and ws["K2"].value == "公务接待费"
    body = next(r for r in ws.iter_rows(min_row=ws.freeze_panes and int(ws.freeze_panes[1:])) if any(c.value is not None for c in r))
    # the printed row: 合计 预算数 0.95 and 公务接待费 预算数 0.95, every 决算数 blank
    assert Decimal(str(body[0].value)) == Decimal("0.95") and Decimal(str(body[10].value)) == Decimal("0.95")
    assert body[1].value is None and body[11].value is None
