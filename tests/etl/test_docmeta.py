"""Metadata anywhere: the covers of the corpus as printed (text of page 1 above 目录, copied
from the page images of tests/expected/corpus/<stem>/), and what each names."""

import pytest

from budgetkg.etl.docmeta import split_scope, title_meta
from budgetkg.etl.read_pdf import cover_meta

COVERS = [
    # year after the name, on one line with spaces
    ("湖州市财政局 2026 年部门预算", "湖州市财政局", None, "2026", "budget", "department"),
    ("北京市财政局 2026 年度部门预算信息公开", "北京市财政局", None, "2026", "budget", "department"),
    # year before the name
    ("2026年\n广州市统计局部门预算", "广州市统计局", None, "2026", "budget", "department"),
    ("2026年烟台市统计局部门预算", "烟台市统计局", None, "2026", "budget", "department"),
    ("2026 年度\n福州市医疗保障局\n部门预算", "福州市医疗保障局", None, "2026", "budget", "department"),
    # bracketed scope, and the title wrapped in the middle of 预算
    ("2026 年深圳市财政局（本级）部门预\n算", "深圳市财政局", "本级", "2026", "budget", "department"),
    ("西安市统计局（汇总）\n2026年部门预算公开说明", "西安市统计局", "汇总", "2026", "budget", "department"),
    # a date line below the title; final accounts of a central department
    ("国家信访局\n2024 年度部门决算\n二〇二五年七月", "国家信访局", None, "2024", "final-accounts", "department"),
    # a labelled field names the unit; the level is 单位
    ("上海市2026年市级单位预算\n预算单位：上海市审计局", "上海市审计局", None, "2026", "budget", "unit"),
    # the title repeated on a second line
    ("2026 年度苏州市审计局部门预算公开\n苏州市审计局 2026 年度部门预算公开", "苏州市审计局", None, "2026", "budget",
     "department"),
]


@pytest.mark.parametrize("text,name,scope,year,phase,level", COVERS)
def test_cover_names_department_year_phase_level(text, name, scope, year, phase, level):
    meta = cover_meta(text)
    assert (meta["department_name"], meta.get("name_scope"), meta["year"], meta["phase"], meta["level"]) == \
        (name, scope, year, phase, level)


@pytest.mark.parametrize("field", ["部门：", "单位名称：", "编制单位："])
def test_labelled_fields_name_the_department(field):
    assert title_meta(f"2026年部门预算\n{field}上海市审计局")["department_name"] == "上海市审计局"


def test_a_unit_field_is_not_a_name():
    assert "department_name" not in title_meta("预算01表 收支总表\n金额单位：万元")


def test_a_name_containing_budget_words_is_kept_whole():
    assert title_meta("上海市财政局预算评审中心\n2026年单位预算") == {
        "year": "2026", "phase": "budget", "level": "unit", "department_name": "上海市财政局预算评审中心"}


def test_bracket_forms_of_the_scope():
    assert split_scope("深圳市财政局(本级)") == ("深圳市财政局", "本级")
    assert split_scope("深圳市财政局（本级）") == ("深圳市财政局", "本级")
    assert split_scope("深圳市财政局（二分局）") == ("深圳市财政局（二分局）", None)


def test_no_name_no_year_when_nothing_names_them():
    assert title_meta("附件2\n部门预算报表") == {"phase": "budget", "level": "department"}
