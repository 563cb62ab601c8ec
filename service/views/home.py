"""The home page: the corpus at a glance, search by department name, every disclosure with its totals.

API: :func:`view` ``(s, rows, q="") -> str`` (the page body; ``rows`` as :func:`budgetkg.service.pages.home_rows`
gives them); :func:`matches` ``(name, q) -> bool``.

Search runs on the server (``/?q=...``, a plain GET form), so it works without JavaScript. Totals are
shown as printed (thousands separated, printed decimals) with their unit; phases in words (预算 / 决算).
The documents per jurisdiction and year come from the named query ``documents_by_jurisdiction``, as a
table and as the ``documents`` chart (Vega-Lite, rendered to SVG on the server).

>>> matches("某市财政局", "财政"), matches("Finance Bureau", "finance"), matches("某市财政局", "司法")
(True, True, False)
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict

from .. import charts
from .. import html as h
from .common import amount, phase_words, select

PHASE_ORDER = ("budget", "final-accounts")
INTRO = ("<p>部门预算、决算公开表格的关联数据知识图谱：每张公开表格是一个数据集，每个金额是一个带单位和出处的观测值。"
         "<br>A linked-data knowledge graph of Chinese department budget and final-accounts disclosures: every printed "
         "table is a data set, every amount an observation with its unit and the place it was printed.</p>"
         "<p><a href='/sparql'>SPARQL 查询 query page</a> · <a href='/queries'>命名查询 named queries</a> · "
         "<a href='/api/queries'>API</a> · <a href='/dumps/'>数据下载 dumps</a> · <a href='/catalog'>数据目录 DCAT-AP catalog</a> · "
         "<a href='/.well-known/void'>VoID</a> · <a href='/def/budget'>本体 ontology</a> · <a href='/def/graph'>代码表 code lists</a></p>")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def matches(name: str, q: str) -> bool:
    """Whether a department name contains the search text (full-width and case folded)."""
    return _fold(q.strip()) in _fold(name)


def _search_form(q: str) -> str:
    return ("<form class='search' method='get' action='/' role='search'>"
            "<label for='q'>按部门名称搜索 Search by department name</label> "
            f"<input id='q' type='search' name='q' value='{h.esc(q)}' placeholder='部门名称 department name'> "
            "<button type='submit'>搜索 Search</button></form>")


def _docs(rows: list[dict]) -> dict[str, dict]:
    """One entry per document graph: its row and its income and expenditure totals (as printed, with the unit)."""
    docs: dict[str, dict] = {}
    for r in rows:
        d = docs.setdefault(r["g"], {"r": r, "revenue": "", "expenditure": ""})
        if "op" in r and "total" in r:
            unit = f" {r['unitLabel']}" if "unitLabel" in r else ""
            d[r["op"].rsplit("/", 1)[1]] = amount(r["total"], r.get("decimals")) + unit
    return docs


def _glance(s, docs: dict[str, dict], by_jur: list[dict]) -> str:
    infos = s.data.documents
    years = sorted({d["r"]["year"] for d in docs.values()})
    phases = Counter(d["r"]["phase"].rsplit("/", 1)[-1] for d in docs.values())
    facts = [("公开文件 Documents", f"{len(docs)} (" + ", ".join(f"{phase_words(p)} {n}" for p, n in sorted(phases.items())) + ")"),
             ("部门 Departments", str(len({d["r"].get("org") for d in docs.values() if d["r"].get("org")}))),
             ("地区 Jurisdictions", str(len({r.get("jurisdiction") for r in by_jur if r.get("jurisdiction")}))),
             ("年度 Years", f"{years[0]}–{years[-1]}" if len(years) > 1 else "".join(years)),
             ("表格 Tables", f"{sum(int(i.get('tables') or 0) for i in infos):,}"),
             ("金额观测值 Amounts (observations)", f"{sum(int(i.get('observations') or 0) for i in infos):,}")]
    return ("<h2>Corpus at a glance · 概览</h2><table class='facts'>"
            + "".join(f"<tr><th>{k}</th><td class='num'>{h.esc(v)}</td></tr>" for k, v in facts) + "</table>")


async def _per_jurisdiction(s, by_jur: list[dict]) -> str:
    """Documents per jurisdiction (rows) and year (columns), each cell split by phase; then the chart."""
    years = sorted({r["year"] for r in by_jur})
    cells: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for r in by_jur:
        cells[charts.jurisdiction_words(r)][r["year"]][r["phase"]] = int(r["documents"])
    body = []
    for jur in sorted(cells):
        row = [h.esc(jur)]
        for y in years:
            per = cells[jur].get(y, {})
            row.append("<br>".join(f"{h.esc(phase_words(p))}: {per[p]}" for p in sorted(per, key=_phase_key)))
        row.append(str(sum(sum(v.values()) for v in cells[jur].values())))
        body.append(row)
    table = h.table(["地区 Jurisdiction"] + [h.esc(y) for y in years] + ["合计 Total"], body, set(range(1, len(years) + 2)))
    spec, svg = await charts.rendered(s, "documents", {})
    chart = ("<figure class='chart' id='chart-documents'>" + svg + "<figcaption>"
             "<a href='/charts/documents.vl.json' download='documents.vl.json'>Vega-Lite spec · 图表规格</a> · "
             "<a href='/charts/documents.svg'>SVG</a> · <a href='/queries/documents_by_jurisdiction'>查询 query</a>"
             "</figcaption></figure>") if spec["data"]["values"] else ""
    return "<h2>Documents per jurisdiction and year · 各地区各年度公开文件</h2>" + table + chart


def _phase_key(phase: str) -> tuple:
    return (PHASE_ORDER.index(phase) if phase in PHASE_ORDER else len(PHASE_ORDER), phase)


def _disclosures(docs: dict[str, dict], base: str, heading: str) -> str:
    rows = []
    for g, d in sorted(docs.items(), key=lambda kv: (kv[1]["r"].get("orgLabel", ""), kv[1]["r"]["year"], _phase_key(kv[1]["r"]["phase"].rsplit("/", 1)[-1]))):
        r = d["r"]
        org = (f"<a href='{h.esc(h.href(r['org'], base))}'>{h.esc(r.get('orgLabel') or h.short(r['org']))}</a>"
               if r.get("org") else "")
        title = r.get("title") or g
        rows.append([org, h.esc(r["year"]), h.esc(phase_words(r["phase"])), h.esc(d["revenue"]), h.esc(d["expenditure"]),
                     f"<a href='{h.esc(h.href(g, base))}'>{h.esc(title)}</a>"])
    return (f"<h2>{heading} ({len(rows)})</h2>"
            + h.table(["部门 Department", "年度 Year", "阶段 Phase", "收入合计 Income total", "支出合计 Expenditure total",
                       "公开文件 Disclosure"], rows, {3, 4}))


async def view(s, rows: list[dict], q: str = "") -> str:
    """The body of the home page; with ``q``, the departments whose name contains it and their disclosures.

    :raises ServiceError: when a query behind it fails.
    """
    base = s.data.base_iri
    by_jur = await select(s, s.named_queries()["documents_by_jurisdiction"].text)
    docs = _docs(rows)
    parts = [INTRO, _search_form(q)]
    if q.strip():
        found = {g: d for g, d in docs.items() if matches(d["r"].get("orgLabel", ""), q)}
        if found:
            parts.append(_disclosures(found, base, f"部门名称含“{h.esc(q.strip())}” · Departments matching “{h.esc(q.strip())}”"))
        else:
            parts.append(f"<p class='note'>没有名称含“{h.esc(q.strip())}”的部门。No department name contains “{h.esc(q.strip())}”.</p>")
    parts += [_glance(s, docs, by_jur), await _per_jurisdiction(s, by_jur),
              _disclosures(docs, base, "Disclosures · 公开文件")]
    return "".join(parts)
