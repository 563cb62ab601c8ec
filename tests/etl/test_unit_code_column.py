"""A 单位编码 column is printed text, not a classification code (issue 12, Columns typed by content):
the 西安市统计局 2026 部门综合预算支出总表 (page 28) lists its units by 单位编码 | 单位名称 (119 西安市统计局,
119001 西安市统计局, 119002 西安市社会经济调查中心 ...; its 合计 line prints 合计 in that column). Read by the code suffix, 119 became a functional
类 that does not exist and 119001 an unclassified code."""

from budgetkg.etl.pipeline import process_document
from budgetkg.etl.read_text import read_text

from .test_pipeline_stages import HEAD

TABLE = """## 部门综合预算支出总表

901 某市某局

预算年度：2023

单位：元

单位编码\t单位名称\t合计\t一般公共预算拨款
合计\t\t100.00\t100.00
119\t某市某局\t100.00\t100.00
119001\t某市某局机关\t60.00\t60.00
119002\t某市某中心\t40.00\t40.00
"""


def test_unit_codes_are_text_cells_not_classifications():
    rec = process_document(read_text(HEAD + TABLE, path="u.txt"))
    [table] = rec.tables
    assert table.new_concepts == []
    assert [c.role for c in table.columns[:2]] == ["text", "label"]
    assert [(i.label, i.classification) for i in table.items] == [
        ("", "https://budgetkg.org/def/cl/functional/_T"), ("某市某局", None), ("某市某局机关", None), ("某市某中心", None)]
    assert [t.text for t in table.texts] == ["合计", "119", "119001", "119002"]


def test_a_department_code_column_is_text_and_its_total_line_a_total():
    # 苏州市审计局 2026 收入总表 (page 10): 部门代码 | 部门名称 | 合计 ..., its 合计 merged over the first two columns
    rec = process_document(read_text(HEAD + TABLE.replace("单位编码", "部门代码"), path="d.txt"))
    [table] = rec.tables
    assert table.new_concepts == [] and table.columns[0].role == "text"
    assert table.items[0].classification == "https://budgetkg.org/def/cl/functional/_T"
