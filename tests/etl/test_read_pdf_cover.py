"""The cover where the corpus prints it: above the contents on page 1, or as the title line of
the narrative; a tables-only attachment names nothing (excerpts of the corpus covers)."""

from budgetkg.etl.model import Heading, Paragraph
from budgetkg.etl.read_pdf import read_pdf
from tests.etl.test_read_pdf import make_pdf, write

NARRATIVE = [(60, 500, 12, "一、部门主要职责"), (60, 480, 10, "负责全市财政收支管理。")]


def test_cover_above_the_contents_on_page_one(tmp_path):
    # shenzhen_czj_2026_budget_dept.pdf page 1: the title wrapped in the middle of 预算, then 目 录
    page1 = {"text": [(100, 780, 22, "2026 年深圳市财政局（本级）部门预"), (280, 752, 22, "算"),
                      (260, 700, 16, "目 录"), (100, 680, 12, "第一部分 部门概况"),
                      (100, 660, 12, "第二部分 部门预算收支总体情况")]}
    page2 = {"text": [(100, 700, 12, "第三部分 部门预算支出具体情况"), (100, 680, 12, "第四部分 政府采购预算情况"),
                      (100, 660, 12, "第五部分 名词解释")]}
    doc = read_pdf(write(tmp_path, "c.pdf", make_pdf([page1, page2, {"text": NARRATIVE}])))
    assert doc.meta == {"department_name": "深圳市财政局", "name_scope": "本级", "year": "2026",
                        "phase": "budget", "level": "department"}
    assert doc.title == "2026 年深圳市财政局（本级）部门预算"
    texts = [b.text for b in doc.blocks if isinstance(b, (Heading, Paragraph))]
    assert not any("部门概况" in t or "名词解释" in t for t in texts)  # the contents, also on page 2
    assert "负责全市财政收支管理。" in texts


def test_cover_as_the_title_line_of_the_narrative(tmp_path):
    # chongqing_kjj_2026_budget_dept.pdf page 1: no cover page, the narrative opens with the title
    page1 = {"text": [(100, 780, 16, "重庆市科学技术局 2026 年部门预算情况说明")] + NARRATIVE}
    doc = read_pdf(write(tmp_path, "n.pdf", make_pdf([page1])))
    assert (doc.meta["department_name"], doc.meta["year"], doc.meta["phase"]) == ("重庆市科学技术局", "2026", "budget")
    texts = [b.text for b in doc.blocks if isinstance(b, (Heading, Paragraph))]
    assert texts[0] == "重庆市科学技术局 2026 年部门预算情况说明" and "负责全市财政收支管理。" in texts


def test_a_page_without_title_names_nothing(tmp_path):
    page1 = {"text": [(100, 780, 12, "附件2"), (100, 760, 12, "部门预算报表")] + NARRATIVE}
    doc = read_pdf(write(tmp_path, "t.pdf", make_pdf([page1])))
    assert "department_name" not in doc.meta and "year" not in doc.meta
