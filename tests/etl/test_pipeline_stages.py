"""The pipeline's stages: listed where the pipeline is defined (no registration by import),
overrides of what a document prints, quarantined tables, documents without a budget table.
Inputs are short text disclosures in the sample's format (tests/cases/xingtai_text/expenditure_two_rows)."""

import json
import subprocess
import sys

import pytest

from budgetkg.etl.model import EtlError
from budgetkg.etl.pipeline import Overrides, process_document
from budgetkg.etl.read_text import read_text

from tests.conftest import SAMPLE

HEAD = "# 某市某局 2023 年部门预算信息公开情况说明\n\n"
# A 支出总表 down to its 栏次 row; the tests add the body rows.
EXPENDITURE_HEAD = """## 部门预算支出总表

901 某市某局

预算年度：2023

单位：万元

序号\t功能分类科目\t\t合计\t基本支出\t项目支出
\t科目编码\t科目名称\t\t\t
栏次\t1\t2\t3\t4\t5
"""
EXPENDITURE = EXPENDITURE_HEAD + """1\t\t合计\t12.50\t10.00\t2.50
2\t201\t一般公共服务支出\t12.50\t10.00\t2.50
"""
# The same table with an amount cell that is not an amount (as a 部门名称 column read as amounts).
BROKEN_INCOME = EXPENDITURE.replace("支出总表", "收入总表").replace("12.50\t10.00", "某市某局\t10.00")
UNKNOWN = "## 人员情况表\n\n901 某市某局\n\n预算年度：2023\n\n类别\t人数\n在职\t12\n"


def test_indicators_and_narrative_run_without_importing_anything_else(built):
    # A fresh interpreter that imports only the pipeline and the mapping gets every stage.
    code = ("import sys; from budgetkg.etl.pipeline import process; from budgetkg.etl.to_rdf import to_rdf;"
            "rec = process(sys.argv[1]); print([k for k in ('narrative', 'performance') if getattr(rec, k)], len(set(to_rdf(rec, base='https://budgetkg.org/')[1])))")
    out = subprocess.run([sys.executable, "-c", code, str(SAMPLE)], capture_output=True, text=True, check=True).stdout
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    assert out.split("] ")[0] + "]" == "['narrative', 'performance']"
    assert int(out.split("] ")[1]) == manifest["documents"][0]["triples"]


def test_an_unreadable_table_is_quarantined_and_the_rest_published():
    rec = process_document(read_text(HEAD + BROKEN_INCOME + "\n" + EXPENDITURE, path="q.txt"))
    assert [t.key for t in rec.tables] == ["expenditure"]
    [q] = rec.quarantined
    assert q.location.table == "部门预算收入总表" and q.location.line == 14 and "某市某局" in q.reason
    assert any(s.reason.startswith("table not read (quarantined): ") for s in rec.skipped)


def test_no_budget_table_is_an_error_naming_the_quarantined_one():
    with pytest.raises(EtlError, match="no budget table found; every budget table was quarantined: q.txt, line 14"):
        process_document(read_text(HEAD + BROKEN_INCOME, path="q.txt"), require_budget=True)
    with pytest.raises(EtlError, match=r"no budget table found \(1 tables of an unknown kind, the first u.txt, line 9, "
                                       "table '人员情况表'\\)$"):
        process_document(read_text(HEAD + UNKNOWN, path="u.txt"), require_budget=True)


def test_a_narrative_whose_tables_are_published_separately_is_noted():
    text = HEAD + "第二部分 附件：某市某局2023年度部门预算报表\n\n" + UNKNOWN
    rec = process_document(read_text(text, path="n.txt"), require_budget=True)
    assert rec.tables == [] and rec.notes == [
        "no budget table: a narrative whose tables are published separately (line 3: 第二部分附件：某市某局2023年度部门预算报表)"]


def test_overrides_name_what_the_document_does_not():
    anonymous = EXPENDITURE.replace("901 某市某局\n\n", "").replace("预算年度：2023\n\n", "")
    doc = read_text(anonymous, path="a.txt")
    with pytest.raises(EtlError, match="no department and fiscal year found.*--department/--year or sources.csv"):
        process_document(doc)
    rec = process_document(doc, overrides=Overrides("长沙市某局", "430100", "2023", "预算").check("a.txt"))
    assert (rec.department_name, rec.jurisdiction.code, rec.year, rec.phase) == ("长沙市某局", "430100", "2023", "budget")


def test_overrides_win_over_what_is_printed():
    rec = process_document(read_text(HEAD + EXPENDITURE, path="p.txt"), overrides=Overrides(year="2024", phase="final-accounts"))
    assert (rec.department_name, rec.year, rec.phase) == ("某市某局", "2024", "final-accounts")


@pytest.mark.parametrize("bad,match", [(Overrides(jurisdiction="999999"), "jurisdiction '999999'"),
                                       (Overrides(year="26"), "year '26'"), (Overrides(phase="x"), "phase 'x'"),
                                       (Overrides(level="x"), "level 'x' is not one of department, unit, 部门, 单位")])
def test_bad_overrides_are_clear_errors(bad, match):
    with pytest.raises(EtlError, match=match):
        bad.check("sources.csv")


def test_performance_targets_alone_are_not_a_budget_disclosure():
    # An excerpt of the Xi'an performance target table (tests/cases/xian): its projects are
    # read, but a build of it is not a budget disclosure.
    from pathlib import Path

    from budgetkg.etl.pipeline import process

    excerpt = Path(__file__).parents[1] / "cases" / "xian" / "performance_targets" / "input.pdf"
    names = Overrides(department="某市某局", year="2026")  # the excerpt has no cover
    assert process(excerpt, overrides=names).performance
    with pytest.raises(EtlError, match="no budget table found"):
        process(excerpt, overrides=names, require_budget=True)


def test_an_attachment_without_cover_is_named_by_its_table_titles():
    # a tables-only attachment: no cover, no 编制单位 line, the name and year in the title
    text = EXPENDITURE.replace("## 部门预算支出总表", "## 长沙市某局2023年部门预算支出总表").replace(
        "901 某市某局\n\n", "").replace("预算年度：2023\n\n", "")
    rec = process_document(read_text(text, path="t.txt"))
    assert (rec.department_name, rec.year, rec.jurisdiction.code) == ("长沙市某局", "2023", "430100")
