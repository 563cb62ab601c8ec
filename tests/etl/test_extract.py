"""Extraction of tables into records, and bad input."""

from decimal import Decimal

import pytest

from budgetkg.etl.model import EtlError
from budgetkg.etl.pipeline import process_document
from budgetkg.etl.read_text import read_text

PAGE = "501 某某局\n\n预算年度：2023\n\n单位：万元\n\n"
EXP_HEADER = "序号\t功能分类科目\t\t合计\t基本支出\t项目支出\n\t科目编码\t科目名称\t\t\t\n栏次\t1\t2\t3\t4\t5\n"


def rec_of(body, title="部门预算支出总表", path="t.txt"):
    return process_document(read_text(f"## {title}\n\n" + PAGE + EXP_HEADER + body, path=path))


def test_rows_codes_and_amounts():
    rec = rec_of("1\t\t合计\t3.50\t1.50\t2.00\n2\t201\t一般公共服务支出\t3.50\t1.50\t2.00\n")
    (table,) = rec.tables
    assert table.key == "expenditure" and table.unit == "万元" and table.multiplier == 4
    values = {(o.item.index, o.column.label): o.amount.value for o in table.observations}
    assert values[(2, "项目支出")] == Decimal("2.00")
    assert table.items[1].code == "201"
    assert table.items[1].classification.endswith("/functional/201")


def test_empty_cell_is_no_observation():
    rec = rec_of("1\t\t合计\t1.50\t1.50\t\n")
    assert [o.column.label for o in rec.tables[0].observations] == ["合计", "基本支出"]


def test_unknown_code_kept_and_reported():
    rec = rec_of("1\t299\t某新设类级科目\t1.00\t1.00\t\n")
    (nc,) = rec.tables[0].new_concepts
    assert (nc.scheme, nc.notation, nc.label) == ("functional", "299", "某新设类级科目")


def test_non_numeric_amount_quarantines_the_table_naming_file_line_and_table():
    rec = rec_of("1\t\t合计\t3.5O\t1.50\t2.00\n", path="bad.txt")
    (q,) = rec.quarantined
    msg = f"{q.location}: {q.reason}"
    assert "bad.txt" in msg and "line 12" in msg and "部门预算支出总表" in msg and "3.5O" in msg
    assert rec.tables == []
    with pytest.raises(EtlError, match="every budget table was quarantined: bad.txt, line 12"):
        process_document(read_text("## 部门预算支出总表\n\n" + PAGE + EXP_HEADER + "1\t\t合计\t3.5O\t1.50\t2.00\n",
                                   path="bad.txt"), require_budget=True)


def test_table_cut_off_mid_row():
    rec = rec_of("1\t\t合计\t3.50\t1.50\t\n2\t201\t一般公共\n")
    (q,) = rec.quarantined
    assert "cut off" in q.reason and q.location.line == 13


def test_unknown_table_reported_not_dropped():
    text = "## 部门预算支出总表\n\n" + PAGE + EXP_HEADER + "1\t\t合计\t1\t1\t\n\n## 某种新表\n\n甲\t乙\n1\t2\n"
    rec = process_document(read_text(text, path="x.txt"))
    reasons = [(loc.line, loc.table, why) for loc, why in rec.skipped]
    assert (16, "某种新表", "table of an unknown kind, not mapped") in reasons


def test_full_width_and_thousands_in_cells():
    rec = rec_of("1\t\t合计\t１,２３４.５０\t1,234.50\t\n")
    assert {o.amount.value for o in rec.tables[0].observations} == {Decimal("1234.50")}


def test_disclosure_without_department_is_refused():
    with pytest.raises(EtlError, match="no department"):
        process_document(read_text("## 表\n\n序号\t金额\n1\t2\n", path="x.txt"))


def test_sample_observation_counts(sample_path):
    """Counted by hand from the source: non-empty amount cells per table."""
    from budgetkg.etl.pipeline import process

    counts = {t.key: len(t.observations) for t in process(sample_path).tables}
    assert counts["income"] == 24  # 8 rows x 3 filled columns
    assert counts["expenditure"] == 20
    assert counts["general_budget_basic_expenditure"] == 53  # 26 rows x 2 + 合计 row's 3rd
    assert counts["three_public_expenses"] == 8
    assert counts["government_fund_expenditure"] == 0
    assert counts["fixed_assets"] == 5  # 4 values + 1 quantity


def test_sample_summary_rows_classified(sample_path):
    from budgetkg.etl.pipeline import process

    rec = process(sample_path)
    summary = next(t for t in rec.tables if t.key == "income_expenditure_summary")
    health = next(i for i in summary.items if i.label == "十、卫生健康支出")
    assert health.classification == "https://budgetkg.org/def/cl/functional/210"
    general = next(i for i in summary.items if i.label == "一、一般公共预算拨款收入")
    assert general.classification == "https://budgetkg.org/def/cl/fund-source/general-budget"
