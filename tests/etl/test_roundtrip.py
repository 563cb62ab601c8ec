"""Every cell of every budget table of the sample, regenerated from the graph by SPARQL,
equals the CSV transcribed by hand from the source (tests/expected/sample)."""

import csv
from pathlib import Path

import pytest

from budgetkg.headers import JOIN
from budgetkg.tables import regenerate

EXPECTED = Path(__file__).parents[1] / "expected" / "sample"
KEYS = sorted(p.stem for p in EXPECTED.glob("*.csv"))


@pytest.fixture(scope="module")
def regenerated(built, tmp_path_factory):
    out = tmp_path_factory.mktemp("tables")
    regenerate(built, out)
    return out / "000_60bd7a1a2874cc3a"


def read(path):
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def test_every_budget_table_regenerated(regenerated):
    assert {"income_expenditure_summary", "income", "expenditure", "appropriation_summary",
            "general_budget_expenditure", "general_budget_basic_expenditure",
            "government_fund_expenditure", "state_capital_expenditure", "three_public_expenses",
            "government_procurement", "fixed_assets"} <= {p.stem for p in regenerated.glob("*.csv")}


@pytest.mark.parametrize("key", KEYS)
def test_table_round_trip(regenerated, key):
    expected, actual = read(EXPECTED / f"{key}.csv"), read(regenerated / f"{key}.csv")
    assert [h.rsplit(JOIN, 1)[-1] for h in actual[0]] == expected[0], "column headers (leaves; whole paths below)"
    assert len(actual) == len(expected), "row count"
    for r, (exp_row, act_row) in enumerate(zip(expected[1:], actual[1:]), 1):  # the body (the header above)
        for c, cell in enumerate(exp_row):
            if cell:
                assert act_row[c] == cell, f"row {r} column {c} ({expected[0][c]})"


# The whole printed header, each column's header cells joined (lines 114-115 and 301-302 of the source: 功能分类科目
# over 科目 编码 and 科目名称; 资 金 性 质 over the four fund-source columns).
HEADERS = {
    "expenditure": ["序号", "功能分类科目/科目编码", "功能分类科目/科目名称", "合计", "基本支出", "项目支出", "经营支出",
                    "上解上级支出", "对附属单位补助支出"],
    "three_public_expenses": ["序号", "项目", "资金性质/合计", "资金性质/一般公共预算财政拨款", "资金性质/政府性基金预算拨款",
                              "资金性质/国有资本经营预算财政拨款"],
}


@pytest.mark.parametrize("key", sorted(HEADERS))
def test_csv_header_carries_the_whole_printed_header(regenerated, key):
    assert read(regenerated / f"{key}.csv")[0] == HEADERS[key]


def test_xlsx_tables_merge_the_header_as_printed(built, tmp_path):
    import openpyxl
    from decimal import Decimal

    written = regenerate(built, tmp_path / "xlsx", fmt="xlsx")
    assert {p.suffix for p in written} == {".xlsx"}
    ws = openpyxl.load_workbook(tmp_path / "xlsx" / "000_60bd7a1a2874cc3a" / "three_public_expenses.xlsx").active
    assert {str(r) for r in ws.merged_cells.ranges} == {"A1:A2", "B1:B2", "C1:F1"}
    assert [c.value for c in ws[1]][:3] == ["序号", "项目", "资金性质"]
    assert [c.value for c in ws[2]][2:] == ["合计", "一般公共预算财政拨款", "政府性基金预算拨款", "国有资本经营预算财政拨款"]
    rows = {r[1].value: r for r in ws.iter_rows(min_row=3)}
    car = rows["公务用车运行维护费"]  # line 311: 6.00 in 合计 and 一般公共预算财政拨款, the other two blank
    assert Decimal(str(car[2].value)) == Decimal("6.00") and car[2].number_format == "#,##0.00"
    assert car[4].value is None and car[5].value is None  # empty cells stay empty, not zero
