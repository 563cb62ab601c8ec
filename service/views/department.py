"""The department page: totals per year and phase with their line chart, documents, units, duties and goals.

API: :func:`view` ``(s, iri) -> View``.

Duties and goals are listed in the order printed (their row numbers), per year, not as IRIs sorted as text.
"""

from __future__ import annotations

from budgetkg import names

from .. import charts
from .. import html as h
from .common import View, amount, phase_words, select

Q_NAME = """SELECT ?this ?name ?code ?jurisdiction WHERE {
  OPTIONAL { $this skos:prefLabel ?name FILTER(lang(?name) = "zh") } OPTIONAL { $this skos:notation ?code }
  OPTIONAL { $this bkg:jurisdiction ?j . ?j rdfs:label ?jurisdiction FILTER(lang(?jurisdiction) = "zh") }
} LIMIT 1"""
Q_DOCS = """SELECT ?this ?g ?doc ?file ?title ?year ?phase WHERE {
  GRAPH ?g { ?doc a bkg:Disclosure ; bkg:organization $this ; bkg:fiscalYear ?year ; bkg:budgetPhase ?phase ; bkg:fileName ?file .
             OPTIONAL { ?doc dct:title ?title } }
} ORDER BY ?year ?phase ?file"""
Q_UNITS = """SELECT DISTINCT ?this ?u ?name ?kind ?nature ?funding ?rank WHERE {
  { ?u org:subOrganizationOf $this } UNION { $this org:hasUnit ?u }
  ?u a ?kind FILTER(?kind IN (bkg:BudgetUnit, org:OrganizationalUnit))
  OPTIONAL { ?u skos:prefLabel ?name FILTER(lang(?name) = "zh") }
  OPTIONAL { ?u bkg:unitNature ?nature } OPTIONAL { ?u bkg:fundingForm ?funding } OPTIONAL { ?u bkg:unitRank ?rank }
}"""
Q_DUTIES = """SELECT ?this ?year ?n ?text WHERE { $this bkg:hasDuty ?d . ?d rdf:value ?text .
  OPTIONAL { ?d bkg:rowNumber ?n } OPTIONAL { ?d bkg:fiscalYear ?year } }"""
Q_GOALS = """SELECT ?this ?year ?level ?n ?text WHERE { ?g a bkg:DepartmentGoal ; bkg:organization $this ; bkg:goal ?text .
  OPTIONAL { ?g bkg:goalLevel ?level } OPTIONAL { ?g bkg:rowIndex ?n } OPTIONAL { ?g bkg:fiscalYear ?year } }"""
TYPES = {"_T": "合计 Total", "basic": "基本支出 Basic", "project": "项目支出 Project"}
KINDS = {names.BKG + "BudgetUnit": "预算单位 budget unit",
         names.ORG + "OrganizationalUnit": "内设机构 internal body"}


def _in_order(rows: list[dict]) -> list[dict]:
    """Latest year first, then as printed (row numbers compared as numbers)."""
    return sorted(rows, key=lambda r: (-int(r.get("year", 0)), r.get("level", "") != "overall", int(r.get("n", 0))))


async def _totals(s, iri: str) -> str:
    query = s.named_queries()["department_over_years"]
    rows = await select(s, query.text, department=iri)
    if not rows:
        return ""
    by_key: dict[tuple, dict] = {}
    for r in rows:
        by_key.setdefault((r["year"], r["phase"]), {})[r["type"]] = r["yuan"]
    body = [[h.esc(y), h.esc(phase_words(p))] + [f"{amount(v[t], None)} 元" if t in v else "" for t in TYPES]
            for (y, p), v in sorted(by_key.items())]
    spec, svg = await charts.rendered(s, "department_totals", {"department": iri})
    chart = (f"<figure class='chart' id='chart-department_totals'>{svg}<figcaption>"
             f"<a href='/charts/department_totals.vl.json?department={h.esc(iri)}' download>Vega-Lite spec · 图表规格</a>"
             f"</figcaption></figure>") if spec["data"]["values"] else ""
    return ("<h2>Totals per year and phase · 各年度支出</h2>"
            + h.table(["年度 Year", "阶段 Phase"] + list(TYPES.values()), body, {2, 3, 4}) + chart)


async def view(s, iri: str) -> View:
    """The page of one department.

    :raises ServiceError: when a query behind it fails.
    """
    base = s.data.base_iri
    name = (await select(s, Q_NAME, this=iri) or [{}])[0]
    parts = [f"<p>{h.esc(name.get('jurisdiction', ''))} · 编码 code {h.esc(name.get('code', ''))}</p>", await _totals(s, iri)]
    docs = await select(s, Q_DOCS, this=iri)
    rows = [[h.esc(d["year"]), h.esc(phase_words(d["phase"])),
             f"<a href='{h.esc(h.href(d['g'], base))}'>{h.esc(d.get('title', d['file']))}</a>", h.esc(d["file"])] for d in docs]
    parts.append(f"<h2>Documents · 公开文件 ({len(rows)})</h2>" + h.table(["年度 Year", "阶段 Phase", "Disclosure · 公开", "File · 文件"], rows))
    units = sorted(await select(s, Q_UNITS, this=iri), key=lambda u: (u["kind"], u.get("name", "")))
    if units:
        rows = [[f"<a href='{h.esc(h.href(u['u'], base))}'>{h.esc(u.get('name', h.short(u['u'])))}</a>",
                 h.esc(KINDS.get(u["kind"], "")), h.esc(u.get("nature", "")), h.esc(u.get("funding", "")), h.esc(u.get("rank", ""))]
                for u in units]
        parts.append(f"<h2>Units · 单位 ({len(rows)})</h2>"
                     + h.table(["Name · 名称", "Kind · 类别", "Nature · 性质", "Funding · 经费形式", "Rank · 级别"], rows))
    duties = _in_order(await select(s, Q_DUTIES, this=iri))
    if duties:
        parts.append("<h2>Duties · 部门职责</h2><ol>" + "".join(
            f"<li value='{h.esc(d.get('n', ''))}'>{h.esc(d['text'])} <span class='dt'>{h.esc(d.get('year', ''))}</span></li>"
            for d in duties) + "</ol>")
    goals = _in_order(await select(s, Q_GOALS, this=iri))
    if goals:
        parts.append("<h2>Goals · 绩效目标</h2><ol>" + "".join(
            f"<li>{h.esc(g['text'])} <span class='dt'>{h.esc(g.get('year', ''))}</span></li>" for g in goals) + "</ol>")
    return View(name.get("name", iri), "".join(parts))
