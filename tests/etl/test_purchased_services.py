"""政府购买服务 tables (issue 12: every budget table recognized as its kind): ``government_purchased_services``.

tests/cases/beijing/purchased_services is 北京市财政局 2026 报表 p16, 预算11表 财政拨款政府购买服务明细表 (万元, six
decimals): the 指导性目录 printed as 一级 | 二级 | 三级 columns, then 预算金额. The expected cells were read off the
page image (rendered with pypdfium2), not from the code's output.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from budgetkg.etl.model import Row, Table
from budgetkg.etl.pipeline import process_document
from budgetkg.etl.read_pdf import read_pdf
from budgetkg.etl.recognize import recognize

CASE = Path(__file__).parents[1] / "cases" / "beijing" / "purchased_services" / "input.pdf"
CL = "https://budgetkg.org/def/cl/"

# (一级, 二级, 三级, 预算金额) as printed, the 合计 line first
PRINTED = [
    ("合计", "", "", "9725.394000"),
    ("01-公共服务", "0115-公共信息与宣传服务", "公共信息系统开发与维护服务", "4869.261500"),
    ("01-公共服务", "0115-公共信息与宣传服务", "公共公益宣传服务", "128.040000"),
    ("01-公共服务", "0116-行业管理服务", "行业人才培养服务", "205.580000"),
    ("01-公共服务", "0116-行业管理服务", "行业咨询服务", "20.000000"),
    ("01-公共服务", "0116-行业管理服务", "行业职业资格准入和水平评价管理服务", "1469.271000"),
    ("02-政府履职辅助性服务", "0201-法律服务", "法律咨询服务", "256.362600"),
    ("02-政府履职辅助性服务", "0202-课题研究和社会调查服务", "课题研究服务", "48.000000"),
    ("02-政府履职辅助性服务", "0203-会计审计服务", "会计服务", "636.264000"),
    ("02-政府履职辅助性服务", "0204-会议服务", "会议服务", "18.700000"),
    ("02-政府履职辅助性服务", "0205-监督检查辅助服务", "监督检查辅助服务", "316.976900"),
    ("02-政府履职辅助性服务", "0207-评审、评估和评价服务", "评估和评价服务", "959.628000"),
    ("02-政府履职辅助性服务", "0208-咨询服务", "咨询服务", "144.830000"),
    ("02-政府履职辅助性服务", "0209-机关工作人员培训服务", "机关工作人员技术业务培训服务", "29.920000"),
    ("02-政府履职辅助性服务", "0210-信息化服务", "机关信息系统开发与维护服务", "486.600000"),
    ("02-政府履职辅助性服务", "0211-后勤服务", "印刷和出版服务", "87.960000"),
    ("02-政府履职辅助性服务", "0212-其他辅助性服务", "档案管理服务", "48.000000"),
]


def _table():
    doc = read_pdf(CASE)
    doc.meta.update(department_name="北京市财政局", year="2026")
    rec = process_document(doc)
    assert not [s for s in rec.skipped if "unknown kind" in s.reason or "quarantined" in s.reason], rec.skipped
    (table,) = rec.tables
    return table


def test_printed_rows_are_the_services_bought():
    t = _table()
    assert t.key == "government_purchased_services" and t.unit == "万元" and t.unmatched == []
    # the deepest catalogue level labels the row; the 合计 line prints its word in the 一级 column
    assert [it.label or it.text_label for it in t.items] == [p[2] or p[0] for p in PRINTED]
    assert [(o.item.index, o.amount.value, o.amount.decimals) for o in t.observations] == [
        (n, Decimal(p[3]), 6) for n, p in enumerate(PRINTED, start=1)]
    # the levels above it are printed text of the row
    texts = {(x.item.index, x.column.label): x.text for x in t.texts}
    for n, (level1, level2, _, _) in enumerate(PRINTED, start=1):
        assert texts.get((n, "一级")) == level1 and texts.get((n, "二级")) == (level2 or None)
    # the document adds up: the services sum to the 合计 line
    assert sum(Decimal(p[3]) for p in PRINTED[1:]) == Decimal(PRINTED[0][3])


def test_the_title_names_the_fund():
    """财政拨款 in the title, one amount column (预算金额) naming no fund: the appropriation's services."""
    t = _table()
    assert {o.dims["fundSource"] for o in t.observations} == {CL + "fund-source/appropriation"}
    assert {o.dims["operationCharacter"] for o in t.observations} == {CL + "operation/expenditure"}


def test_purchased_services_and_procurement_are_told_apart():
    def kind(title, header):
        return recognize(Table(title=title, line=1, header=[header], rows=[Row(["合计", "1.00"], 2)]))

    assert kind("政府购买服务预算表", ["项目名称", "购买服务内容", "金额"]) == "government_purchased_services"
    # a 政府采购 table naming 购买服务 among its parts (西安 表12) stays procurement
    assert kind("部门综合预算政府采购（资产配置、购买服务）预算表", ["采购目录", "金额"]) == "government_procurement"
    # the columns the kind must have: the service bought (a catalogue level, its content, the project)
    assert kind("政府购买服务预算表", ["合计", "金额"]) is None
