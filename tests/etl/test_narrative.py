"""The explanation text of a disclosure (etl/narrative.py, etl/narrative_figures.py): the sample's
department facts, goals, glossary and budget figures, checked against the source by hand, and
the same readers on made-up sentences."""

from decimal import Decimal

import pyoxigraph as ox
import pytest

from budgetkg.etl.codelists import concept_iri
from budgetkg.etl.narrative_figures import read_figures, split_sentences
from budgetkg.etl.pipeline import process_document
from budgetkg.etl.read_text import read_text

BASE = "https://budgetkg.org/"
BKG = "https://budgetkg.org/def/budget#"
XSD = "http://www.w3.org/2001/XMLSchema#"
PREFIXES = f"PREFIX bkg: <{BKG}> PREFIX qb: <http://purl.org/linked-data/cube#> " \
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> " \
    "PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> " \
    "PREFIX org: <http://www.w3.org/ns/org#> PREFIX dct: <http://purl.org/dc/terms/> "


@pytest.fixture(scope="module")
def rec(sample_rec):
    return sample_rec


@pytest.fixture(scope="module")
def nar(rec):
    return rec.narrative


@pytest.fixture(scope="module")
def store(sample_store):
    return sample_store[0]


def select(st, q):
    res = st.query(PREFIXES + q, use_default_graph_as_union=True)
    names = [v.value for v in res.variables]
    return [{n: (s[n].value if s[n] is not None else None) for n in names} for s in res]


def figure(nar, label, year="2022", kind="level"):
    found = [f for f in nar.figures if f.label == label and f.year == year and f.kind == kind]
    assert len(found) == 1, (label, year, kind, found)
    return found[0]


# ---------------------------------------------------------------- department


def test_department_name_code_and_jurisdiction(store):
    (row,) = select(store, "SELECT ?name ?code ?j ?div WHERE { ?d a bkg:Department ; skos:prefLabel ?name ; "
                           "skos:notation ?code . OPTIONAL { ?d bkg:jurisdiction ?j . ?j bkg:divisionCode ?div } }")
    assert (row["name"], row["code"]) == ("邢台市工业和信息化局", "501")
    if row["j"] is None:
        pytest.skip("jurisdiction table does not list the sample's city")
    assert row["div"] == "130500"
    (j,) = select(store, f"SELECT ?zh WHERE {{ <{row['j']}> rdfs:label ?zh FILTER(lang(?zh) = 'zh') }}")
    assert j["zh"] == "邢台市"


def test_duties(nar, store):
    assert len(nar.duties) == 14
    assert nar.duties[0].text.startswith("提出全市新型工业化发展战略和政策") and nar.duties[0].text.endswith("推进信息化和工业化融合。")
    assert nar.duties[10].text == "承担履行《禁止化学武器公约》的组织协调工作。"
    assert nar.duties[13].text == "完成市委、市政府交办的其他任务。"
    assert [d.number for d in nar.duties] == [str(n) for n in range(1, 15)]
    rows = select(store, "SELECT ?d ?text WHERE { ?org bkg:hasDuty ?d . ?d a bkg:Duty ; rdf:value ?text }")
    assert len(rows) == 14


def test_internal_bodies(nar, store):
    assert nar.body_count == 10
    assert [b.name for b in nar.bodies] == [
        "办公室", "政策法规科", "机关党委", "规划科", "中小企业科", "运行监测协调科", "科技与节能综合利用科",
        "原材料与消费品工业科", "装备工业科", "信息产业与两化融合科"]
    rows = select(store, "SELECT ?u ?name WHERE { ?u a org:OrganizationalUnit ; org:unitOf ?d ; rdfs:label ?name . "
                         "?d a bkg:Department }")
    assert len(rows) == 10


def test_unit_table(nar, rec, store):
    (u,) = nar.units
    assert u.name == "邢台市工业和信息化局本级"
    assert u.values == {"unitNature": "行政", "unitRank": "正处（县）级", "fundingForm": "财政拨款"}
    (row,) = select(store, "SELECT ?nature ?rank ?form WHERE { ?u a bkg:BudgetUnit ; org:subOrganizationOf ?d ; "
                           "bkg:unitNature ?nature ; bkg:unitRank ?rank ; bkg:fundingForm ?form }")
    assert row == {"nature": "行政", "rank": "正处（县）级", "form": "财政拨款"}
    assert not [r for _, r in rec.skipped if "unknown kind" in r]


# ---------------------------------------------------------------- goals, glossary, sections


def test_department_goals(nar, store):
    overall, *parts = nar.goals
    assert overall.n == 0 and overall.title == "总体绩效目标"
    assert overall.goal.startswith("2022年我局将深入落实省市决策部署") and overall.goal.endswith("推动工信领域各项工作跨上新台阶。")
    assert [g.title for g in parts] == [
        "以服务企业为抓手，壮大全市工业经济总量", "以亩均改革为动力，全面提升产业发展质量效益",
        "以产业链发展为突破，加速提升产业现代化发展水平", "以项目建设为根基，打造高质量发展源头活水",
        "以信息化手段为引擎，推动制造业数字化转型。", "以绿色低碳发展为引领，全面加强行业管理"]
    assert parts[0].goal.endswith("即围绕工业经济运行主线，发挥两个平台作用，实施好三项机制。")  # joined over a page break
    assert parts[0].indicators.startswith("一是坚守运行主线。")
    assert parts[5].goal == "实施工业低碳和绿色制造工程。持续推进工业企业“四个一批”计划。加大行业管理工作力度。"
    rows = select(store, "SELECT ?g ?level WHERE { ?g a bkg:DepartmentGoal ; bkg:goalLevel ?level }")
    assert sorted(r["level"] for r in rows) == ["component"] * 6 + ["overall"]


def test_glossary(nar, store):
    terms = [(t.term, t.definition) for t in nar.glossary]
    assert len(terms) == 10
    assert terms[0] == ("一般公共预算拨款收入", "指市级财政当年拨付的资金。")
    assert terms[6][0] == "“三公”经费" and terms[6][1].startswith("纳入市级财政预算管理的“三公”经费")
    assert terms[9] == ("事业单位经营支出", "指事业单位在专业业务活动及其辅助活动之外开展非独立核算经营活动发生的支出。")
    rows = select(store, "SELECT ?c ?term ?def WHERE { ?c a skos:Concept ; skos:inScheme ?s ; skos:prefLabel ?term ; "
                         "skos:definition ?def . ?s a skos:ConceptScheme FILTER(STRSTARTS(STR(?s), 'https://budgetkg.org/id/')) }")
    assert len(rows) == 10
    basic = next(t for t in nar.glossary if t.term == "基本支出")
    assert concept_iri("expenditure-type", "basic") in basic.matches
    (link,) = select(store, "SELECT ?m WHERE { ?c skos:prefLabel '基本支出'@zh ; skos:closeMatch ?m }")
    assert link["m"] == concept_iri("expenditure-type", "basic")


def test_section_without_facts_is_recorded(nar, store):
    last = nar.sections[-1]
    assert last.title == "九、其他需要说明的事项" and last.empty
    assert [s.title for s in nar.sections if s.empty] == ["九、其他需要说明的事项"]
    (row,) = select(store, "SELECT ?s WHERE { ?s a bkg:NarrativeSection ; rdfs:label '九、其他需要说明的事项'@zh ; "
                           "bkg:isEmpty true }")
    assert row["s"].endswith("/section/681")


def test_every_paragraph_is_kept_as_sentences(rec, nar):
    from budgetkg.etl.model import Paragraph
    paragraphs = [b for b in rec.doc.blocks if isinstance(b, Paragraph)]
    assert len(paragraphs) == len({s.line for s in nar.sentences})
    for p in paragraphs:
        kept = "".join(s.text for s in nar.sentences if s.line == p.line)
        assert kept.replace(" ", "") == p.text.replace(" ", "")


# ---------------------------------------------------------------- figures


def test_income_and_its_split(nar):
    total = figure(nar, "预算收入")
    assert (total.amount.value, total.amount.decimals, total.unit, total.operation) == (Decimal("1476.29"), 2, "万元", "revenue")
    parts = {f.label: f.amount.value for f in nar.figures if f.parent == total.key}
    assert parts == {"一般公共预算收入": Decimal("1476.29"), "基金预算收入": 0, "国有资本经营预算收入": 0,
                     "财政专户核拨收入": 0, "单位资金收入": 0, "上年结转结余": 0}
    assert figure(nar, "一般公共预算收入").dims["fundSource"] == concept_iri("fund-source", "general-budget")


def test_expenditure_and_its_split(nar):
    total = figure(nar, "支出预算")
    assert total.amount.value == Decimal("1476.29") and total.operation == "expenditure"
    basic, project = figure(nar, "基本支出"), figure(nar, "项目支出")
    assert (basic.amount.value, basic.parent) == (Decimal("891.29"), total.key)
    assert (project.amount.value, project.amount.decimals, project.parent) == (Decimal("585"), 0, total.key)
    assert project.note.startswith("主要为物保组防疫物资采购经费")
    assert figure(nar, "人员经费").amount.value == Decimal("777.56") and figure(nar, "人员经费").parent == basic.key
    assert figure(nar, "日常公用经费").amount.value == Decimal("113.73") and figure(nar, "日常公用经费").parent == basic.key
    assert basic.dims["expenditureType"] == concept_iri("expenditure-type", "basic")


def test_year_on_year_change_gives_the_previous_budget(nar):
    level = figure(nar, "预算收支")
    change = figure(nar, "预算收支", kind="change")
    assert (change.amount.value, change.compared_year, change.change_of) == (Decimal("574.32"), "2021", level.key)
    prev = figure(nar, "预算收支", year="2021")
    assert prev.derived and prev.amount.value == Decimal("901.97") and prev.derived_from == [level.key, change.key]
    basic = figure(nar, "基本支出", kind="change")
    assert (basic.amount.value, basic.reason) == (Decimal("79.32"), "主要为增加人员经费支出")
    assert figure(nar, "基本支出", year="2021").amount.value == Decimal("811.97")
    project = figure(nar, "项目支出", kind="change")
    assert (project.amount.value, project.reason) == (Decimal("495"), "主要为物保组防疫物资采购款项目增加所致")
    assert figure(nar, "项目支出", year="2021").amount.value == Decimal("90")


def test_running_costs(nar):
    assert figure(nar, "财政拨款人员经费").amount.value == Decimal("777.56")
    assert figure(nar, "公用经费").amount.value == Decimal("113.73")


def test_three_public_expenses_changes_and_reasons(nar):
    total = figure(nar, "财政拨款“三公”经费")
    assert total.amount.value == Decimal("8")
    assert figure(nar, "财政拨款“三公”经费", kind="change").amount.value == Decimal("0.5")
    assert figure(nar, "财政拨款“三公”经费", year="2021").amount.value == Decimal("7.5")
    cars = figure(nar, "公务用车购置及运维费")
    assert (cars.amount.value, cars.parent) == (Decimal("6"), total.key)
    flat = figure(nar, "公务用车购置及运维费", kind="change")
    assert (flat.amount.value, flat.derived, flat.words) == (0, True, "与上年度持平")
    reception = figure(nar, "公务接待费", kind="change")
    assert (reception.amount.value, reception.compared_year, reception.reason) == (
        Decimal("0.5"), "2021", "主要是因为今年增加了产业链项目")
    assert figure(nar, "公务接待费", year="2021").amount.value == Decimal("1.5")
    abroad = figure(nar, "因公出国经费")
    assert (abroad.amount.value, abroad.derived, abroad.parent) == (0, True, total.key)
    assert abroad.dims["threePublicCategory"] == concept_iri("three-public", "overseas-travel")


def test_procurement_and_assets(nar):
    proc = figure(nar, "政府采购预算")
    assert (str(proc.amount.value), proc.amount.printed()) == ("0.00", "0.00")
    assets = figure(nar, "固定资产金额", year="2021")
    assert (assets.amount.value, assets.as_of) == (Decimal("374.03"), "2021-12-31")
    assert figure(nar, "拟购置固定资产总额").amount.printed() == "0.00"


def test_no_figures_from_performance_goals_or_glossary(nar):
    # 总投资130亿元 in the department goals is not a budget figure of the disclosure.
    assert not [f for f in nar.figures if f.unit == "亿元"]
    assert {f.line for f in nar.figures} == {367, 371, 375, 379, 383, 631, 648}


def test_figures_in_the_graph(store):
    rows = select(store, """
        SELECT ?o ?amount ?year ?derived ?text ?line WHERE {
          ?o a bkg:NarrativeFigure ; qb:dataSet ?ds ; bkg:amount ?amount ; bkg:fiscalYear ?year ;
             bkg:derived ?derived ; bkg:unitMultiplier 4 ; prov:wasDerivedFrom ?s .
          ?s a bkg:Sentence ; rdf:value ?text ; bkg:sourceLine ?line .
          FILTER(STRENDS(STR(?ds), '/narrative'))
        }""")
    assert len(rows) == 36  # 26 printed, 3 read from words (持平 x2, 未安排), 7 previous-year amounts derived
    assert all(r["amount"] is not None for r in rows)
    prev = [r for r in rows if r["o"].endswith("/narrative/obs/375-2-prev")]
    assert prev and prev[0]["derived"] == "true" and prev[0]["year"] == "2021" and Decimal(prev[0]["amount"]) == Decimal("901.97")
    assert "较2021年预算增加574.32万元" in prev[0]["text"] and prev[0]["line"] == "375"
    total = [r for r in rows if r["o"].endswith("/narrative/obs/367-1")]
    assert total[0]["derived"] == "false" and total[0]["text"].startswith("2022年预算收入1476.29万元")


def test_amounts_are_typed_decimals(store):
    for q in store.quads_for_pattern(None, ox.NamedNode(BKG + "amount"), None):
        assert q.object.datatype == ox.NamedNode(XSD + "decimal")


def test_narrative_observations_have_every_dimension(store):
    missing = select(store, """
        SELECT ?o ?dim WHERE {
          ?o a bkg:NarrativeFigure ; qb:dataSet ?ds . ?ds qb:structure ?dsd .
          ?dsd qb:component ?c . ?c qb:dimension ?dim .
          FILTER NOT EXISTS { ?o ?dim ?v }
        }""")
    assert missing == []
    dups = select(store, "SELECT ?i (COUNT(?o) AS ?n) WHERE { ?o a bkg:NarrativeFigure ; bkg:lineItem ?i } GROUP BY ?i HAVING (COUNT(?o) > 1)")
    assert dups == []


# ---------------------------------------------------------------- made-up text (generality)


def test_made_up_sentences():
    s = ("2023年支出预算200.50万元，其中：基本支出150.50万元，项目支出50万元。"
         "2023年支出预算较上年减少20万元，主要原因是项目完成。")
    figs = read_figures([(7, n, t, "二、支出说明") for n, t in enumerate(split_sentences(s), start=1)], year="2023")
    by = {(f.label, f.year, f.kind): f for f in figs}
    assert by[("支出预算", "2023", "level")].amount.value == Decimal("200.50")
    assert by[("项目支出", "2023", "level")].parent == by[("支出预算", "2023", "level")].key
    cut = by[("支出预算", "2023", "change")]
    assert (cut.amount.value, cut.compared_year, cut.reason) == (Decimal("-20"), "2022", "主要原因是项目完成")
    assert by[("支出预算", "2022", "level")].amount.value == Decimal("220.50")


def test_unlabelled_amount_takes_the_section_subject():
    figs = read_figures([(3, 1, "2023年安排12.00万元。", "六、政府采购预算情况")], year="2023")
    assert [(f.label, f.amount.printed()) for f in figs] == [("政府采购预算", "12.00")]


def test_made_up_document():
    text = (
        "## 收入总表\n\n901 某市某局\n\n预算年度：2023\n\n单位：万元\n\n序号\t项目\t金额\n1\t合计\t1.00\n\n"
        "# 说明\n\n## 一、部门职责\n\n（一）负责甲。\n\n（二）负责乙。\n\n## 二、机构设置\n\n"
        "某市某局内设3个科室，分别是：办公室、甲科、乙科。\n\n"
        "## 三、名词解释\n\n（一）基本支出：指甲。\n\n（二）项目支出：指乙。\n\n## 四、其他事项\n\n无\n"
    )
    rec = process_document(read_text(text))
    nar = rec.narrative
    assert [d.text for d in nar.duties] == ["负责甲。", "负责乙。"]
    assert [b.name for b in nar.bodies] == ["办公室", "甲科", "乙科"] and nar.body_count == 3
    assert [(t.number, t.term, t.definition) for t in nar.glossary] == [("一", "基本支出", "指甲。"), ("二", "项目支出", "指乙。")]
    assert [s.title for s in nar.sections if s.empty] == ["四、其他事项"]


def test_body_count_mismatch_is_reported():
    text = ("## 收入总表\n\n901 某市某局\n\n预算年度：2023\n\n单位：万元\n\n序号\t项目\t金额\n1\t合计\t1.00\n\n# 说明\n\n## 机构设置\n\n"
            "共设置 4 个内部机构，具体设置如下：办公室、甲科、乙科。\n")
    rec = process_document(read_text(text))
    assert rec.narrative.body_count == 4 and len(rec.narrative.bodies) == 3
    assert any("counts 4 internal bodies but names 3" in r for _, r in rec.skipped)
