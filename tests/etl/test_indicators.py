"""Project performance target tables (etl/indicators.py) of the sample and of small made-up tables.

tests/expected/indicators.csv and tests/expected/sample/performance_targets.csv were written
by hand from the source (lines 465-625), not from this code's output.
"""

import csv
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest

from budgetkg.queries import load_queries, run
from budgetkg.tables import table_rows
from budgetkg.etl.codelists import codelists, concept_iri
from budgetkg.etl.indicators import KIND, basis_documents, basis_key
from budgetkg.etl.pipeline import HANDLED_ELSEWHERE, process_document
from budgetkg.etl.read_text import read_text

EXPECTED = Path(__file__).parents[1] / "expected"
BASE = "https://budgetkg.org/"
BKG = "https://budgetkg.org/def/budget#"
LEVEL = "https://budgetkg.org/def/cl/indicator-level/"


def read_csv(path):
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def rec(sample_rec):
    return sample_rec


@pytest.fixture(scope="module")
def projects(rec):
    return rec.performance


@pytest.fixture(scope="module")
def store(sample_store):
    return sample_store


def indicators(projects):
    return [(p, i) for p in projects for i in p.indicators]


# ---------------------------------------------------------------- the sample


def test_every_project_table_is_read(projects):
    assert [p.name for p in projects] == [
        "安全生产办公室工作经费", "工业转型升级（技改）工作经费", "机关网络维护经费", "禁化武办公室工作经费",
        "亩均论英雄专项工作经费", "物保组防疫物资采购款", "新址机房和视频会议室等改造费", "重点产业链专项工作经费"]
    assert [len(p.indicators) for p in projects] == [9, 17, 9, 9, 11, 9, 9, 10]


def test_project_goals(projects):
    assert projects[0].goal.startswith("1.主要用于开展民爆行业安全生产工作日常") and projects[0].goal.endswith("全年安全无事故")
    assert projects[1].goal == "1.目标内容 1"
    assert projects[5].goal.endswith("为全市疫情防控工作打下基础。")
    assert all(p.goal for p in projects)


def test_every_indicator_matches_the_hand_written_table(projects):
    expected = read_csv(EXPECTED / "indicators.csv")
    actual = indicators(projects)
    assert len(actual) == len(expected) == 83
    for row, (p, i) in zip(expected, actual):
        t = i.target
        got = {
            "project": p.name, "level1": i.level1, "level2": i.level2, "level3": i.name, "target": t.text,
            "kind": t.kind, "comparator": t.comparator or "", "number": t.printed_value or "", "unit": t.unit or "",
            "deadline": t.deadline.isoformat() if t.deadline else "",
        }
        assert got == row, f"line {i.line}"
        if t.printed_value:
            assert t.value == Decimal(row["number"])


def test_descriptions_and_bases_match_the_printed_table(projects):
    expected = read_csv(EXPECTED / "sample" / "performance_targets.csv")
    actual = indicators(projects)
    assert [(r["description"], r["basis"]) for r in expected] == [(i.description, i.basis) for _, i in actual]


def test_levels_are_concepts_of_the_code_list(projects):
    lists = codelists()
    for _, i in indicators(projects):
        assert i.level1_concept and i.level2_concept, i.line
        assert lists.broader[i.level2_concept] == i.level1_concept
        assert lists.label(i.level1_concept) == i.level1 and lists.label(i.level2_concept) == i.level2


def test_blank_level_cells_inherit_from_the_row_above(projects):
    p = projects[0]
    assert [i.level1 for i in p.indicators] == ["产出指标"] * 4 + ["效益指标"] * 4 + ["满意度指标"]


def test_cell_cut_by_a_page_break_is_joined(rec, projects):
    # Line 472 ends with "...民爆行业安全"; line 475 (after the repeated header at line 474) goes on.
    row = projects[0].indicators[3]
    assert row.line == 472 and 475 in row.lines
    assert row.basis == "《河北省国防科技工业局关于做好 2016 年上半年全省民爆行业安全生产考核工作的通知》 (冀军工爆字 [2016]166号)"
    # Lines 601 and 604 continue three cells at once: 完成 / 率.
    row = projects[6].indicators[5]
    assert (row.name, row.description) == ("综合事务管理工作完成率", "综合事务管理工作完成率")
    assert row.basis == "市政府关于对《邢台市工业和信息化局关于申请相关费用的请示》的批示"
    joined = [r for r in rec.doc.repairs if "continued from line" in r and "(table" in r]
    assert [int(r.split(":")[0].removeprefix("line ")) for r in joined] == [475, 482, 492, 501, 544, 587, 604, 621]


def test_fragment_repeating_the_cell_above_is_not_appended(rec, projects):
    # Line 568's basis is complete; line 571 repeats its end after the page break.
    assert projects[4].indicators[8].basis == "《中共邢台市委 2022 年工作要点》"
    assert any(r.startswith("line 571:") and "not appended" in r for r in rec.doc.repairs)


def test_merged_level3_cells_are_recovered_and_reported(rec, projects):
    names = [i.name for i in projects[1].indicators]
    assert names[:3] == ["实施百项技改工程", "购买工业设计服务个数", "工业设计创新成果转化个数"]
    assert names[6] == "组织企业参加省召开互联网+制造业相关培训次数"
    assert len(set(names)) == 17
    reports = {int(r.split(":")[0].removeprefix("line ")): r for r in rec.doc.repairs if "三级指标 cell held" in r}
    assert sorted(reports) == [489, 494, 503]
    assert "next 16 rows" in reports[489] and "next 3 rows" in reports[494] and "description" in reports[503]
    assert any("merged" in n for n in projects[1].indicators[0].notes)


def test_performance_tables_are_accounted_for(rec):
    assert {KIND, "units"} <= HANDLED_ELSEWHERE
    assert not [r for _, r in rec.skipped if "unknown kind" in r]
    # Every target of the sample parses; nothing about the tables needed reporting.
    assert not [r for _, r in rec.skipped if "指标" in r or "performance" in r]


def test_basis_documents_are_shared_resources(projects):
    bases = {basis_key(b) for _, i in indicators(projects) for b in i.bases}
    assert len(bases) == 9
    p4 = projects[3].indicators
    assert len(p4[0].bases) == 2  # two titles in one cell
    assert [basis_key(b) for b in p4[0].bases] == [basis_key(b) for b in p4[2].bases]  # 〈〉 and <> printings
    p1 = {basis_key(b) for i in projects[0].indicators for b in i.bases}
    assert len(p1) == 1  # three printings of one notice
    assert projects[2].indicators[6].bases == []  # 不涉及


# ---------------------------------------------------------------- the graph


def test_indicator_triples(store):
    st, graph = store
    s = graph.value.replace("/graph/", "/id/")  # the disclosure scope S
    node = ox.NamedNode(f"{s}/indicator/2/11")
    values = {t.predicate.value.removeprefix(BKG): t.object for t in st.quads_for_pattern(node, None, None)}
    assert values["targetKind"].value == "deadline"
    assert values["deadline"] == ox.Literal("2022-12-31", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))
    assert values["indicatorLevel2"] == ox.NamedNode(LEVEL + "timeliness")
    node = ox.NamedNode(f"{s}/indicator/1/4")
    values = {t.predicate.value.removeprefix(BKG): t.object for t in st.quads_for_pattern(node, None, None)}
    assert values["targetValue"] == ox.Literal("1500", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal"))
    assert (values["comparator"].value, values["targetUnit"].value, values["targetText"].value) == ("≤", "人/天", "≤1500 人/天")
    assert values["project"] == ox.NamedNode(f"{s}/project/1")


def test_one_basis_resource_per_document(store):
    st, _ = store
    q = f"SELECT (COUNT(DISTINCT ?b) AS ?n) WHERE {{ ?i <{BKG}basis> ?b }}"
    assert int(next(iter(st.query(q, use_default_graph_as_union=True)))["n"].value) == 9


def test_performance_targets_table_round_trips(store):
    st, graph = store
    rows = table_rows(st, graph.value, KIND)
    with (EXPECTED / "sample" / "performance_targets.csv").open(encoding="utf-8", newline="") as fh:
        assert rows == list(csv.reader(fh))


def query(st, name, **params):
    results = run(st, load_queries()[name], {k: v for k, v in params.items()})
    names = [v.value for v in results.variables]
    return [{n: (s[n].value if s[n] is not None else "") for n in names} for s in results]


def test_indicators_by_type(store):
    st, _ = store
    cost = query(st, "performance_indicators_by_type", level=LEVEL + "cost")
    assert len(cost) == 8 and {r["type"] for r in cost} == {"成本指标"}
    outcome = query(st, "performance_indicators_by_type", level=LEVEL + "outcome")
    assert len(outcome) == 4 + 4 + 4 + 4 + 4 + 4 + 4 + 4
    assert len(query(st, "performance_indicators_by_type")) == 2 * 83


def test_quantitative_share_per_project(store):
    st, _ = store
    rows = {r["project"]: r for r in query(st, "performance_quantitative_share")}
    assert len(rows) == 8
    r = rows["亩均论英雄专项工作经费"]
    assert (r["indicators"], r["quantitative"], r["qualitative"], r["notApplicable"]) == ("11", "8", "3", "0")
    assert Decimal(r["quantitativeShare"]).quantize(Decimal("0.0001")) == Decimal("0.7273")
    r = rows["重点产业链专项工作经费"]
    assert (r["quantitative"], r["deadline"], r["qualitative"], r["notApplicable"]) == ("6", "1", "2", "1")
    assert Decimal(rows["机关网络维护经费"]["quantitativeShare"]) == 1
    assert query(st, "performance_quantitative_share", year="2021") == []


def test_projects_citing_a_basis(store):
    st, _ = store
    rows = query(st, "performance_projects_by_basis")
    assert len(rows) == 9
    four = [r for r in rows if r["project"] == "禁化武办公室工作经费"]
    assert len(four) == 2 and all(r["indicators"] == "7" for r in four)
    one = query(st, "performance_projects_by_basis", basis=four[0]["basis"])
    assert [r["project"] for r in one] == ["禁化武办公室工作经费"]


def test_named_queries_have_headers():
    for name, q in load_queries().items():
        if "performance" in name:
            assert q.title and q.description, name


# ---------------------------------------------------------------- made-up tables (generality)

HEAD = "## 1、某项目绩效目标表\n\n绩效目标\t\t\t目标甲\t\t\n一级指标\t二级指标\t三级指标\t绩效指标描述\t指标值\t指标值确定依据\n"
DOC_HEAD = "## 收入总表\n\n901 某市某局\n\n预算年度：2023\n\n单位：万元\n\n序号\t项目\t金额\n1\t合计\t1.00\n\n"


def made_up(body: str):
    return process_document(read_text(DOC_HEAD + HEAD + body))


def test_made_up_table_with_unparsed_target_and_unknown_level():
    rec = made_up(
        "产出指标\t数量指标\t甲\t甲描述\t90%-100%\t《某办法》\n"
        "\t其他指标\t乙\t乙描述\t≥3 次\t《某办法》\n"
    )
    (p,) = rec.performance
    assert p.name == "某项目" and p.goal == "目标甲"
    a, b = p.indicators
    assert a.target.kind == "unparsed" and a.target.text == "90%-100%"
    assert b.level2 == "其他指标" and b.level2_concept is None and b.level1_concept == LEVEL + "output"
    reasons = [r for _, r in rec.skipped]
    assert any("90%-100%" in r and "kept as printed" in r for r in reasons)
    assert any("其他指标" in r for r in reasons)


def test_made_up_continuation_and_merged_names():
    rec = made_up(
        "产出指标\t数量指标\t甲项乙项丙项\t描述\t≥1 个\t《某市关于\n"
        "一级指标\t二级指标\t三级指标\t绩效指标描述\t指标值\t指标值确定依据\n"
        "\t\t\t\t\t某事的通知》\n"
        "\t数量指标\t乙项\t描述\t≥2 个\t《某市关于某事的通知》\n"
        "\t质量指标\t丙项\t描述\t100%\t《某市关于某事的通知》\n"
    )
    (p,) = rec.performance
    assert [i.name for i in p.indicators] == ["甲项", "乙项", "丙项"]
    assert p.indicators[0].basis == "《某市关于某事的通知》"
    assert len({basis_key(b) for i in p.indicators for b in i.bases}) == 1
    assert any("next 2 rows" in r for r in rec.doc.repairs)


def test_made_up_single_name_overlap_is_reported_not_cut():
    rec = made_up(
        "满意度指标\t服务对象满意度指标\t企业满意度\t描述\t≥90%\t无\n"
        "\t服务对象满意度指标\t满意度\t描述\t≥90%\t无\n"
    )
    (p,) = rec.performance
    assert [i.name for i in p.indicators] == ["企业满意度", "满意度"]
    assert any("kept as printed" in r for r in rec.doc.repairs)


def test_made_up_table_without_target_column_is_skipped():
    text = DOC_HEAD + "## 某项目绩效目标表\n\n一级指标\t二级指标\t三级指标\n产出指标\t数量指标\t甲\n"
    rec = process_document(read_text(text))
    assert rec.performance == []
    assert any("without 指标值 column" in r for _, r in rec.skipped)


@pytest.mark.parametrize("cell,titles", [
    ("《甲》，《乙》", ["《甲》", "《乙》"]),
    ("《甲》、《乙》；《丙》", ["《甲》", "《乙》", "《丙》"]),
    ("某政府《关于甲、乙的意见》", ["某政府《关于甲、乙的意见》"]),
    ("根据甲，结合乙", ["根据甲，结合乙"]),
    ("不涉及", []),
    ("", []),
])
def test_basis_documents(cell, titles):
    assert basis_documents(cell) == titles


def test_level_concepts_by_printed_variant():
    lists = codelists()
    assert lists.match("indicator-level", "经济效益", suffix=False) == concept_iri("indicator-level", "economic")
    assert lists.match("indicator-level", "数量", suffix=False) == concept_iri("indicator-level", "quantity")
    assert lists.broader[concept_iri("indicator-level", "recipient-satisfaction")] == concept_iri("indicator-level", "satisfaction")
