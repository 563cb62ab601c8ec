"""Duties and internal bodies of other templates than the samples (etl/narrative.py).

Each case is a page excerpt of a corpus document (../shared/samples/corpus/); the expected
values were read off the page images (``pdftoppm -r 80``):

- yantai/duties: 烟台市统计局 2026 page 4 (一、主要职责: numbered duties whose first printed line
  the PDF reader takes for a heading, the rest of the duty in the paragraph below it);
- jiangsu/internal_bodies: 江苏省人民检察院 2018 page 5 ((一)机关内设机构: a numbered list of
  names, one with a bracketed note ``（挂“……”牌子）``).

The excerpts hold no budget table, so the stages are run up to the narrative (a whole
document without a budget table is refused by the pipeline).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from budgetkg.etl.model import Heading, Paragraph
from budgetkg.etl.narrative import extract_narrative
from budgetkg.etl.pipeline import Overrides, extract_tables, identify
from budgetkg.etl.read_pdf import read_pdf
from budgetkg.etl.read_text import read_text

CASES = Path(__file__).parents[1] / "cases"


def narrative(path: Path):
    doc = read_pdf(path)
    rec = identify(doc, Overrides(department="某市某局", year="2026"))
    extract_tables(doc, rec)
    extract_narrative(doc, rec)
    return rec.narrative


def test_duties_cut_into_a_heading_and_a_paragraph():
    out = narrative(CASES / "yantai" / "duties" / "input.pdf")
    assert [d.number for d in out.duties] == ["一", "二", "三", "四", "五", "六"]
    assert out.duties[0].text == ("承担组织领导和协调全市统计工作，确保统计数据真实、准确、及时的责任；组织实施国家、省有关统计工作的"
                                  "法律、法规、政策；制定全市统计政策、规划、统计制度和统计标准，起草有关规范性文件；依法监督涉外社会"
                                  "调查活动；依法查处统计违法行为。")
    assert out.duties[3].text == "统一核定、管理、公布全市性的基本统计资料，定期向社会公众发布全市国民经济和社会发展情况的统计信息。"
    assert out.duties[5].text.startswith("按照有关规定，协助管理县市区统计部门负责人；指导全市统计基")


def test_internal_bodies_listed_by_number():
    out = narrative(CASES / "jiangsu" / "internal_bodies" / "input.pdf")
    assert [b.name for b in out.bodies] == [
        "办公室", "法律政策研究室", "侦查监督处", "公诉一处", "公诉二处", "刑事执行检察处", "民事行政检察处",
        "控告申诉检察处", "检察技术处", "案件监督管理处", "监察处", "干部人事处", "新闻办公室", "教育培训处",
        "检察官管理处", "司法警察总队", "机关党委", "离退休干部处"]


HEAD = "## 收入总表\n\n901 某市某局\n\n预算年度：2023\n\n单位：万元\n\n序号\t项目\t金额\n1\t合计\t1.00\n\n"


def _made_up(body: str):
    doc = read_text(HEAD + body)
    rec = identify(doc, Overrides())
    extract_tables(doc, rec)
    extract_narrative(doc, rec)
    return rec.narrative


def test_a_list_of_budget_units_is_not_a_list_of_bodies():
    out = _made_up("## 二、机构设置情况\n\n某局部门预算包括：局机关预算、局属事业单位预算。\n\n1.某局机关\n\n2.某调查队\n")
    assert out.bodies == []


def test_a_short_numbered_heading_after_the_duties_is_no_duty():
    out = _made_up("## 一、主要职能\n\n1、负责甲。\n\n2、负责乙。\n\n## （二）机构设置\n\n1、办公室。\n\n负责机关政务工作。\n\n2、统计处。\n")
    assert [d.text for d in out.duties] == ["负责甲。", "负责乙。"]
    assert [b.name for b in out.bodies] == ["办公室", "统计处"]


def test_internal_bodies_named_inline_after_she():
    # 长沙市信访局 2026 page 5, （二）机构设置: 局机关设办公室、机关党总支、综合调研处、来信办理处、接待来访处、
    # 网络信访处、督查处、联络协调处、异地接访处、政策法规处，共计 10 个正科级处室。 (printed in ruled boxes)
    out = narrative(CASES / "changsha" / "internal_bodies" / "input.pdf")
    assert [b.name for b in out.bodies] == ["办公室", "机关党总支", "综合调研处", "来信办理处", "接待来访处", "网络信访处",
                                            "督查处", "联络协调处", "异地接访处", "政策法规处"]


def test_a_sentence_listing_budget_units_after_she_is_no_list_of_bodies():
    out = _made_up("## （二）机构设置\n\n本部门下设某某中心、某某研究院，均为公益一类事业单位。\n")
    assert out.bodies == []
