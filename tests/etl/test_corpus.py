"""The three samples (text budget, PDF budget, PDF final accounts) built into one graph.

Expected figures are read off the source documents by hand: the 司法局 2026 budget PDF
(page 12 支出预算总表 合计 96,282,213.44 元; page 21 三公 合计 10.81 万元, 公务接待费 0.83),
the 财政局 2024 final-accounts PDF (page 10 支出决算表 合计 2,940.05 万元, 201 一般公共服务支出
2,106.66), and the text sample (支出总表 合计 1476.29 万元).
"""

from decimal import Decimal

import pyoxigraph as ox
import pytest

from budgetkg.queries import resolve, run
from budgetkg.etl.build import build

BASE = "https://budgetkg.org/id/"


@pytest.fixture(scope="module")
def corpus(shared_dir, sample_path, tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus") / "dist"
    pdfs = [shared_dir / "samples" / "shpt_sfj_2026_budget.pdf", shared_dir / "samples" / "shpt_czj_2024_final_accounts.pdf"]
    result = build([sample_path, *pdfs], out=out, jobs=2)
    return result, ox.Store.read_only(str(out / "store"))


def rows(store, name, **params):
    res = run(store, resolve(name), params)
    names = [v.value for v in res.variables]
    return [{n: (s[n].value if s[n] is not None else None) for n in names} for s in res]


def test_one_graph_per_document(corpus):
    result, store = corpus
    assert len({d.graph for d in result.documents}) == 3
    assert {(d.year, d.phase) for d in result.documents} == {("2022", "budget"), ("2026", "budget"), ("2024", "final-accounts")}


def test_departments_in_their_jurisdictions(corpus):
    _, store = corpus
    got = {(r["name"], r["year"], r["phase"]): (r["jurisdiction"], Decimal(r["totalYuan"])) for r in rows(store, "departments")}
    assert got[("上海市普陀区司法局", "2026", "budget")] == ("普陀区", Decimal("96282213.44"))
    assert got[("上海市普陀区财政局", "2024", "final-accounts")] == ("普陀区", Decimal("29400500"))
    assert got[("邢台市工业和信息化局", "2022", "budget")] == ("邢台市", Decimal("14762900"))


def test_jurisdiction_has_its_parent(corpus):
    _, store = corpus
    parents = {s["p"].value for s in store.query(
        "SELECT ?p WHERE { <%sjurisdiction/310107> <http://www.w3.org/2004/02/skos/core#broader> ?p }" % BASE,
        use_default_graph_as_union=True)}
    assert parents == {BASE + "jurisdiction/310000"}


def test_three_public_across_a_jurisdiction(corpus):
    _, store = corpus
    got = {(r["name"], r["phase"], r["category"]): Decimal(r["yuan"])
           for r in rows(store, "three_public_by_jurisdiction", jurisdiction=BASE + "jurisdiction/310000")}
    assert got[("上海市普陀区司法局", "budget", "three-public-total")] == Decimal("108100")
    assert got[("上海市普陀区司法局", "budget", "reception")] == Decimal("8300")
    assert not any(name.startswith("邢台") for name, _, _ in got)


def test_execution_by_functional_class(corpus):
    _, store = corpus
    dept = next(r["department"] for r in rows(store, "departments") if r["name"] == "上海市普陀区财政局")
    got = {r["code"]: Decimal(r["executedYuan"]) for r in rows(store, "budget_vs_execution", department=dept, year="2024")}
    assert got["201"] == Decimal("21066600")


def test_split_codes_share_concepts_with_whole_codes(corpus):
    """2040601 printed as 204 | 06 | 01 is the same concept as a 7-digit printed code."""
    _, store = corpus
    items = {s["code"].value for s in store.query(
        "SELECT ?code WHERE { ?i <https://budgetkg.org/def/budget#classification> <https://budgetkg.org/def/cl/functional/2040601> ;"
        " <https://budgetkg.org/def/budget#printedCode> ?code }", use_default_graph_as_union=True)}
    assert items == {"2040601"}


def test_final_accounts_warnings_are_the_printing_differences(corpus):
    """The 决算 PDF prints 社会保障和就业支出 as 326.72 in 支出决算表 (page 10) but 326.71 in both
    summary tables (pages 6 and 12); its 三公 table prints budget (预算数 0.95) beside a blank
    execution column, which is no arithmetic error. The audit adds one finding of its explanation
    text: page 21 prints 财政拨款收入支出总计0.3万元 where the tables print 2995.39 (page 6) and
    2961.68 (page 12) 万元, a factor of 10,000 (亿元 figures written as 万元)."""
    result, _ = corpus
    doc = next(d for d in result.documents if d.phase == "final-accounts")
    found = [(w["rule"], w["severity"], w["message"]) for w in doc.warnings if not w["rule"].startswith("Audit")]
    assert len(found) == 2, found
    # one unit of the last printed digit: a rounding (sh:Info), not a disagreement
    assert sorted(rule for rule, _, _ in found) == ["AppropriationVsFundTablesRounding", "SummaryVsExpenditureRounding"]
    assert all(severity == "Info" and "326.71" in m and "326.72" in m and "rounding" in m for _, severity, m in found)
    assert not any("三公" in m for _, _, m in found)
    audit = [(w["rule"], w["printed"]) for w in doc.warnings if w["rule"].startswith("Audit")]
    assert audit == [("AuditNarrativeUnitFactor", "0.3")]


def test_departments_by_arithmetic_warnings(corpus):
    """Two warnings: the Hebei 三公 row printed blank (two columns); the 决算's 326.71/326.72 differ by one unit
    of the last printed digit, a rounding (sh:Info), not counted."""
    _, store = corpus
    got = {(r["name"], r["phase"]): int(r["warnings"]) for r in rows(store, "arithmetic_warnings", threshold="1")}
    assert got == {("邢台市工业和信息化局", "budget"): 2}
    assert rows(store, "arithmetic_warnings", threshold="2") == []
