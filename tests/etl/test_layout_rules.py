"""Column and row rules of table layouts met in the corpus (etl/extract/engine.py), on small tables.

The cells are those printed on the corpus pages named in each test (checked on the page images);
the tables are cut to the rows a rule needs.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from budgetkg.etl.extract import extract
from budgetkg.etl.extract.engine import _role
from budgetkg.etl.model import Document, Row, Table

CL = "https://budgetkg.org/def/cl/"


def _doc() -> Document:
    doc = Document("t.pdf", "0" * 64, "pdf")
    doc.meta.update(department_name="某市某局", year="2026")
    return doc


def _table(title: str, header: list[list[str]], rows: list[list[str]]) -> Table:
    return Table(title=title, line=1, page=1, meta={"unit": "元"}, header=header,
                 rows=[Row(cells, line=2 + i, page=1) for i, cells in enumerate(rows)])


def _obs(rec) -> dict[tuple[int, int], object]:
    return {(o.item.index, o.column.index): o for o in rec.observations}


def test_blocks_under_one_heading_are_lines_of_their_own():
    # 西安 部门综合预算收支总表 (p26): 收入 | 支出 by function, by 部门预算 and by 政府预算 economic class, each
    # header ending in （按大类）; 本年收入合计 / 本年支出合计 repeated per block.
    header = [["收入", "", "支出", "", "", "", "", ""],
              ["项目", "预算数", "支出功能分类科目（按大类）", "预算数", "部门预算支出经济分类科目（按大类）", "预算数",
               "政府预算支出经济分类科目（按大类）", "预算数"]]
    rows = [["1、财政拨款", "62,109,297.20", "1、一般公共服务支出", "50,037,708.13", "1、人员经费和公用经费支出",
             "36,701,197.20", "1、机关工资福利支出", "32,493,937.03"],
            ["本年收入合计", "62,109,297.20", "本年支出合计", "62,109,297.20", "本年支出合计", "62,109,297.20",
             "本年支出合计", "62,109,297.20"]]
    rec = extract(_table("部门综合预算收支总表", header, rows), "income_expenditure_summary", doc=_doc())
    assert [c.role for c in rec.columns] == ["label", "amount"] * 4
    assert [c.side for c in rec.columns] == ["in", "in", "out", "out", "out-3", "out-3", "out-4", "out-4"]
    items = {(i.index, i.side): i for i in rec.items}
    assert items[(1, "out-3")].label == "1、人员经费和公用经费支出"
    obs = _obs(rec)
    assert obs[(1, 6)].amount.value == Decimal("36701197.20") and obs[(1, 6)].item.side == "out-3"
    assert obs[(1, 6)].dims["operationCharacter"] == CL + "operation/expenditure"
    for col in (4, 6, 8):
        assert obs[(2, col)].item.classification == CL + "summary-item/expenditure-total-current"


def test_a_label_printed_across_two_blocks_classifies_the_amount_in_the_second():
    # 江苏 公开01表 (p14): 支出合计 merged over the 功能分类 and 支出用途 blocks, its amount in the last column.
    header = [["收入", "", "支出", "", "", ""], ["项目名称", "金额", "功能分类", "", "支出用途", ""],
              ["", "", "功能科目名称", "金额", "项目名称", "金额"]]
    rows = [["收入合计", "21,955.35", "支出合计", "", "", "21,955.35"]]
    rec = extract(_table("收支预算总表", header, rows), "income_expenditure_summary", doc=_doc())
    obs = _obs(rec)
    assert obs[(1, 6)].item.label == ""  # printed once, in the first block
    assert obs[(1, 6)].item.classification == CL + "summary-item/expenditure-grand-total"


def test_a_table_of_amounts_only_prints_its_totals():
    # 江苏 公开03表 支出预算总表 (p15): one row, no code or label column.
    header = [["合计", "基本支出", "项目支出", "单位预留机动经费", "结转下年资金"]]
    rows = [["21,955.35", "13,994.31", "5,573.00", "2,388.04", ""]]
    rec = extract(_table("支出预算总表", header, rows), "expenditure", doc=_doc())
    obs = _obs(rec)
    assert obs[(1, 2)].dims["functionalClassification"] == CL + "functional/_T"
    assert obs[(1, 2)].dims["expenditureType"] == CL + "expenditure-type/basic"
    assert (1, 5) not in obs  # an empty cell is no observation


def test_the_department_row_of_a_table_listing_units_is_its_total():
    # 深圳 支出总表 (p20): 预算单位 | 科目编码 | 科目名称 ..., the first row names the department (本级), the only
    # organisation of the table: the department's total, its classified rows the department's.
    header = [["预算单位", "科目编码", "科目名称", "支出总计", "基本支出", "项目支出"]]
    rows = [["某市某局（本级）", "", "", "37,385.88", "11,024.31", "26,361.57"],
            ["", "201", "一般公共服务支出", "20,563.76", "6,487.76", "14,076.00"]]
    rec = extract(_table("支出总表", header, rows), "expenditure", doc=_doc())
    obs = _obs(rec)
    assert [c.role for c in rec.columns[:3]] == ["text", "code", "label"]
    assert obs[(1, 5)].dims["functionalClassification"] == CL + "functional/_T"
    assert obs[(2, 5)].dims["functionalClassification"] == CL + "functional/201"
    assert rec.by_unit and [i.organization for i in rec.items] == [None, None]  # None: the department
    assert [t.text for t in rec.texts if t.column.index == 1] == ["某市某局（本级）"]


def test_beside_other_units_the_departments_own_office_is_a_unit():
    # The same layout listing a second unit: 某市某局（本级） is then the department's own office, one unit among
    # others (no row totals the department), each heading its own classified rows; neither is the department's total.
    header = [["预算单位", "科目编码", "科目名称", "支出总计", "基本支出", "项目支出"]]
    rows = [["某市某局（本级）", "", "", "37,385.88", "11,024.31", "26,361.57"],
            ["", "201", "一般公共服务支出", "20,563.76", "6,487.76", "14,076.00"],
            ["某市某中心", "", "", "1.00", "1.00", ""],
            ["", "201", "一般公共服务支出", "1.00", "1.00", ""]]
    rec = extract(_table("支出总表", header, rows), "expenditure", doc=_doc())
    obs = _obs(rec)
    assert obs[(1, 5)].dims["functionalClassification"] != CL + "functional/_T"
    assert obs[(3, 5)].dims["functionalClassification"] != CL + "functional/_T"
    assert [(i.organization.name, i.organization.department) for i in rec.items] == [
        ("某市某局（本级）", False), ("某市某局（本级）", False), ("某市某中心", False), ("某市某中心", False)]


@pytest.mark.parametrize("header", ["部门预算支出经济科目", "支出功能分类科目", "功能分类科目名称", "科目名称"])
def test_a_header_naming_the_classification_is_the_label_column(header):
    """广州 表6 (一般公共预算基本支出情况表) heads its code-and-name column 部门预算支出经济科目: a classification,
    though the words 预算 and 支出 are in it; the column of amounts beside it is headed 预算."""
    assert _role(header, [header]) == "label"
    assert _role("预算", ["预算"]) == "amount"


def test_a_total_group_over_fund_columns_is_the_total_of_the_categories():
    """深圳 表9 财政拨款“三公”经费支出表 (p38, cut to tests/cases/shenzhen/three_public_by_fund): each 三公 category
    is a group of 一般公共预算 | 政府性基金预算 | 国有资本经营预算 columns, the first group headed 总计. The 总计
    group is the 三公 total, split by fund; the document prints no total across the funds (the 2026 row:
    58.46 | 0.00 | 0.00, read off the page image)."""
    from pathlib import Path

    from budgetkg.etl.pipeline import process_document
    from budgetkg.etl.read_pdf import read_pdf

    doc = read_pdf(Path(__file__).parents[1] / "cases" / "shenzhen" / "three_public_by_fund" / "input.pdf")
    doc.meta.update(department_name="深圳市财政局", year="2026")  # the excerpt has no cover
    (rec,) = [t for t in process_document(doc).tables if t.key == "three_public_expenses"]
    row_2026 = {(o.column.path[0], o.dims["fundSource"].rsplit("/", 1)[1]): (o.dims["threePublicCategory"], o.amount.value)
                for o in rec.observations if o.item.label == "2026年"}
    tp = CL + "three-public/"
    assert row_2026[("总计", "general-budget")] == (tp + "_T", Decimal("58.46"))
    assert row_2026[("总计", "government-fund")] == (tp + "_T", Decimal("0.00"))
    assert row_2026[("总计", "state-capital")] == (tp + "_T", Decimal("0.00"))
    assert row_2026[("因公出国(境)费", "general-budget")] == (tp + "overseas-travel", Decimal("41.60"))
    assert row_2026[("公务接待费", "general-budget")] == (tp + "reception", Decimal("9.46"))
    by_category = {o.dims["threePublicCategory"]: o.amount.value for o in rec.observations
                   if o.item.label == "2026年" and o.dims["fundSource"].endswith("general-budget")}
    assert by_category[tp + "vehicles"] == Decimal("7.40")  # 小计
    assert by_category[tp + "vehicle-purchase"] == Decimal("0.00")
    assert by_category[tp + "vehicle-operation"] == Decimal("7.40")


def test_a_label_several_codes_share_is_the_one_under_the_line_above():
    # 深圳 表1 收支总表 (p16): the expenditure side prints names only; 行政运行, 一般行政管理事务 and 信息化建设
    # are 项 of several 款 (2010601 公共服务/财政事务, 2040601 公安, 2150501 ...): below 财政事务 they are its 项.
    header = [["收入", "", "支出", ""], ["项目", "2026年预算数", "项目", "2026年预算数"]]
    rows = [["一、财政拨款", "36,989.05", "一、一般公共服务支出", "20,563.76"],
            ["1.一般公共预算拨款", "36,989.05", "财政事务", "20,563.76"],
            ["2.政府性基金预算拨款", "0.00", "行政运行", "6,487.76"],
            ["3.国有资本经营预算拨款", "0.00", "一般行政管理事务", "11,732.23"],
            ["二、财政专户管理资金", "0.00", "财政国库业务", "1,585.88"],
            ["三、单位资金", "0.00", "信息化建设", "757.89"]]
    rec = extract(_table("收支总表", header, rows), "income_expenditure_summary", doc=_doc())
    out = {it.label: it.classification for it in rec.items if it.side == "out"}
    fn = CL + "functional/"
    assert out["财政事务"] == fn + "20106"
    assert out["行政运行"] == fn + "2010601"
    assert out["一般行政管理事务"] == fn + "2010602"
    assert out["信息化建设"] == fn + "2010607"


def test_a_shared_label_read_without_context_names_the_same_concept_in_every_process():
    """The code lists are read into the same keys whatever the process's string hashing (dumps are byte-identical)."""
    import os
    import subprocess
    import sys

    code = "from budgetkg.etl.codelists import codelists; print(sorted(codelists().keys['functional'].items()))"
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3", "4")}
    assert len(outs) == 1


def test_the_general_budget_by_economic_class_maps_its_basic_and_project_columns():
    """深圳 表8 一般公共预算支出表（按经济分类） (p34, cut to tests/cases/shenzhen/general_budget_by_economic_class):
    the department's row is the total (37,385.88 | 11,024.31 | 26,361.57), 301 工资福利支出 8,490.42 | 8,490.42 | 0.00,
    302 商品和服务支出 15,168.06 | 1,462.93 | 13,705.13 (read off the page image)."""
    from pathlib import Path

    from budgetkg.etl.pipeline import process_document
    from budgetkg.etl.read_pdf import read_pdf

    doc = read_pdf(Path(__file__).parents[1] / "cases" / "shenzhen" / "general_budget_by_economic_class" / "input.pdf")
    doc.meta.update(department_name="深圳市财政局", year="2026")
    (rec,) = [t for t in process_document(doc).tables if t.key == "general_budget_basic_expenditure"]
    got = {(o.dims["economicClassification"].rsplit("/", 1)[1], o.dims["expenditureType"].rsplit("/", 1)[1]): o.amount.value
           for o in rec.observations}
    assert rec.constants["fundSource"] == CL + "fund-source/general-budget"
    assert [got[("_T", t)] for t in ("_T", "basic", "project")] == [Decimal("37385.88"), Decimal("11024.31"), Decimal("26361.57")]
    assert [got[("301", t)] for t in ("_T", "basic", "project")] == [Decimal("8490.42"), Decimal("8490.42"), Decimal("0.00")]
    assert [got[("302", t)] for t in ("_T", "basic", "project")] == [Decimal("15168.06"), Decimal("1462.93"), Decimal("13705.13")]
