"""Running text set in ruled boxes is read as text, not as tables (issue 12: "prose pages with
rules must not become tables").

tests/cases/changsha/prose_in_boxes/input.pdf is pages 7-8 of the 长沙市信访局 2026 部门预算
(../shared/samples/corpus/changsha_xfj_2026_budget_dept.pdf): the narrative's text runs are drawn
with rectangles around them, which a table finder takes for one-row tables (112 of them in that
document). Expected values read off the page images: page 7 prints 2026 年本单位一般公共预算拨款
支出 1935.36 万元 ... 基本支出预算数 1517.95 万元 ... 项目支出预算 417.41 万元; page 8 prints
机关运行经费 122.98 万元，比上年预算增加 7.20 万元，上升 6.22% and “三公”经费预算数为 8.00 万元，
其中，公务接待费 3.00 万元 ... 较 2025 年减少 1.75 万元.
"""

from decimal import Decimal
from pathlib import Path

from budgetkg.etl.model import Paragraph, Table
from budgetkg.etl.narrative import extract_narrative
from budgetkg.etl.pdf_tables import is_prose_row
from budgetkg.etl.pipeline import Overrides, extract_tables, identify
from budgetkg.etl.read_pdf import read_pdf

CASE = Path(__file__).parents[1] / "cases" / "changsha" / "prose_in_boxes" / "input.pdf"


def test_boxed_prose_is_paragraphs():
    doc = read_pdf(CASE)
    assert [b for b in doc.blocks if isinstance(b, Table)] == []
    texts = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert "2026年本单位一般公共预算拨款支出1935.36万元，其中：一般公共服务支出1935.36万元，占100.00%。具体安排情况如下：" in texts
    assert ("（一）机关运行经费：2026年长沙市信访局机关运行经费122.98万元，比上年预算增加7.20万元，上升6.22%。"
            "主要是人员增加，经费较上年增加。") in texts
    # The boxes around these lines are white, unstroked rectangles (nothing shows on the page image): since
    # white fills are no ruling lines (pdf_raw), no ruled box is seen, so none is reported as repaired.
    assert [r for r in doc.repairs if "ruled boxes around running text" in r] == []


def test_the_boxed_narrative_yields_its_figures():
    doc = read_pdf(CASE)
    rec = identify(doc, Overrides(department="长沙市信访局", year="2026"))
    extract_tables(doc, rec)
    extract_narrative(doc, rec)
    figures = {(f.label, f.kind): f for f in rec.narrative.figures if not f.derived}
    assert figures[("一般公共预算拨款支出", "level")].amount.value == Decimal("1935.36")
    assert figures[("基本支出", "level")].amount.value == Decimal("1517.95")
    assert figures[("机关运行经费", "level")].amount.value == Decimal("122.98")
    change = figures[("机关运行经费", "change")]
    assert (change.amount.value, change.rate, change.compared_year) == (Decimal("7.20"), "6.22", "2025")
    assert figures[("公务接待费", "level")].amount.value == Decimal("3.00")
    assert figures[("“三公”经费预算", "change")].amount.value == Decimal("-1.75")


def test_a_continued_total_row_is_still_a_table_row():
    # 杭州市司法局 2026 page 29: the 收入总计 | 支出总计 row of the 财政拨款收支预算总表 alone on its page
    assert not is_prose_row(["收入总计", "91,842.80", "支出总计", "91,842.80"])
    assert is_prose_row(["构编制调整有关事项的通知》（长编委发〔", "2019", "〕", "16"])
