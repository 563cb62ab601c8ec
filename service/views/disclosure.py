"""The disclosure page: one document graph as a reader knows the document.

API: :func:`view` ``(s, graph) -> View``; :func:`printed_table` ``(columns, items, cells) -> str``.

The department, year, phase, units and the source file with its sha256; the charts; every printed
table regenerated from the graph (row labels, codes, the header in its groups, amounts with
thousands separators and the unit), each amount linking to its observation; the performance
targets; the validation findings published with the document.
"""

from __future__ import annotations

from urllib.parse import urlencode

from budgetkg.headers import grid, paths

from .. import charts
from .. import html as h
from .common import VOCAB_GRAPH, View, amount, phase_words, select

Q_DOC = """SELECT ?doc ?file ?sha ?format ?title ?org ?orgLabel ?year ?phase WHERE {
  ?doc a bkg:Disclosure ; bkg:fileName ?file ; bkg:fiscalYear ?year ; bkg:budgetPhase ?phase .
  OPTIONAL { ?doc bkg:sha256 ?sha } OPTIONAL { ?doc dct:format ?format } OPTIONAL { ?doc dct:title ?title }
  OPTIONAL { ?doc bkg:organization ?org OPTIONAL { ?org skos:prefLabel ?orgLabel FILTER(lang(?orgLabel) = "zh") } }
}"""
Q_SETS = """SELECT ?ds ?kind ?title ?unit ?line ?page ?kindLabel WHERE {
  ?ds bkg:tableKind ?kind . FILTER NOT EXISTS { ?ds a bkg:NarrativeDataSet }
  OPTIONAL { ?ds dct:title ?title } OPTIONAL { ?ds bkg:unitLabel ?unit }
  OPTIONAL { ?ds bkg:sourceLine ?line } OPTIONAL { ?ds bkg:sourcePage ?page }
  OPTIONAL { ?kind skos:prefLabel ?kindLabel FILTER(lang(?kindLabel) = "en") }
}"""
Q_COLUMNS = """SELECT ?ds ?col ?label ?path ?role ?side WHERE {
  { SELECT ?ds ?c WHERE { ?ds bkg:hasColumn ?c } }
  { SELECT ?c ?col WHERE { ?c bkg:columnIndex ?col } }
  OPTIONAL { SELECT ?c ?label WHERE { ?c rdfs:label ?label } }
  OPTIONAL { SELECT ?c ?path WHERE { ?c bkg:headerPath ?path } }
  OPTIONAL { SELECT ?c ?role WHERE { ?c bkg:columnRole ?role } }
  OPTIONAL { SELECT ?c ?side WHERE { ?c bkg:side ?side } }
}"""
Q_ITEMS = """SELECT ?ds ?row ?side ?seq ?code ?label WHERE {
  { SELECT ?ds ?item WHERE { ?ds bkg:hasLineItem ?item } }
  { SELECT ?item ?row WHERE { ?item bkg:rowIndex ?row } }
  OPTIONAL { SELECT ?item ?side WHERE { ?item bkg:side ?side } }
  OPTIONAL { SELECT ?item ?seq WHERE { ?item bkg:rowNumber ?seq } }
  OPTIONAL { SELECT ?item ?code WHERE { ?item bkg:printedCode ?code } }
  OPTIONAL { SELECT ?item ?label WHERE { ?item bkg:printedLabel ?label } }
}"""
# Each predicate read by its own sub-select, which Oxigraph hash-joins (as sparql/tables/cells.rq does):
# as plain patterns it looks every observation up in turn and takes seconds on a single document.
Q_AMOUNTS = """SELECT ?ds ?row ?col ?value ?decimals ?obs WHERE {
  { SELECT ?obs ?ds WHERE { ?obs bkg:sourceTable ?ds } }
  { SELECT ?obs ?item WHERE { ?obs bkg:lineItem ?item } }
  { SELECT ?obs ?c WHERE { ?obs bkg:column ?c } }
  { SELECT ?obs ?value WHERE { { ?obs bkg:amount ?value } UNION { ?obs bkg:quantity ?value } } }
  OPTIONAL { SELECT ?obs ?decimals WHERE { ?obs bkg:decimals ?decimals } }
  { SELECT ?item ?row WHERE { ?item bkg:rowIndex ?row } }
  { SELECT ?c ?col WHERE { ?c bkg:columnIndex ?col } }
}"""
Q_TEXT_CELLS = """SELECT ?ds ?row ?col ?value WHERE {
  ?cell a bkg:TextCell ; bkg:lineItem ?item ; bkg:column ?c ; rdf:value ?value .
  ?ds bkg:hasColumn ?c . ?item bkg:rowIndex ?row . ?c bkg:columnIndex ?col .
}"""
Q_FINDINGS = """SELECT ?report ?r ?severity ?message ?shape ?value WHERE {
  GRAPH $report { ?r a sh:ValidationResult . OPTIONAL { ?r sh:resultSeverity ?severity } OPTIONAL { ?r sh:resultMessage ?message }
    OPTIONAL { ?r sh:sourceShape ?shape } OPTIONAL { ?r sh:value ?value } }
} ORDER BY ?r"""
Q_REPORT = "SELECT ?report WHERE { GRAPH $report { $report a sh:ValidationReport } }"
VALIDATION_SUFFIX = "/validation"  # the named graph of a document's published sh:ValidationReport
PER_DOCUMENT_CHARTS = ("functional", "economic", "three_public")
LABEL_ROLES = ("seq", "code", "label")


def printed_table(columns: list[dict], items: dict[tuple, dict], cells: dict[tuple, dict], base: str) -> str:
    """One printed table as HTML: header groups as printed, body rows with labels, codes and linked amounts."""
    columns = sorted(columns, key=lambda c: int(c["col"]))
    head = "".join("<tr>" + "".join(
        f"<th colspan='{c.colspan}' rowspan='{c.rowspan}'>{h.esc(c.text)}</th>" for c in row) + "</tr>"
        for row in grid(paths([(c.get("label", ""), c.get("path")) for c in columns])))
    rows = sorted({key[0] for key in items} | {key[0] for key in cells})
    by_row: dict[int, list[dict]] = {}
    for (row, side), item in sorted(items.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        by_row.setdefault(row, []).append(item)
    body = []
    for row in rows:
        tds = []
        for c in columns:
            col, role = int(c["col"]), c.get("role")
            cell = cells.get((row, col))
            if role in LABEL_ROLES:
                side = c.get("side")  # a sided column shows its side's row; an unsided one (序号) any side's
                item = items.get((row, side)) or next((v for v in by_row.get(row, ()) if not side and v.get(role)), {})
                tds.append(f"<td class='{role}'>{h.esc(item.get(role, ''))}</td>")
            elif cell and "obs" in cell:
                text = amount(cell["value"], cell.get("decimals"))
                tds.append(f"<td class='num'><a href='{h.esc(h.href(cell['obs'], base))}'>{text}</a></td>")
            elif cell:
                tds.append(f"<td>{h.esc(cell['value'])}</td>")
            else:
                tds.append("<td></td>")  # an empty cell: no observation, shown empty, not zero
        body.append("<tr>" + "".join(tds) + "</tr>")
    return f"<table class='printed'><thead>{head}</thead><tbody>{''.join(body)}</tbody></table>"


def _anchor(ds: str) -> str:
    return "t-" + ds.rstrip("/").rsplit("/", 1)[-1]


async def _chart(s, name: str, params: dict) -> str:
    spec, svg = await charts.rendered(s, name, params)
    if not spec["data"]["values"]:
        return ""
    query = urlencode(params)
    return (f"<figure class='chart' id='chart-{name}'>{svg}<figcaption>{h.esc(charts.CHARTS[name].title)} · "
            f"<a href='/charts/{name}.vl.json?{h.esc(query)}' download='{name}.vl.json'>Vega-Lite spec · 图表规格</a> · "
            f"<a href='/charts/{name}.svg?{h.esc(query)}'>SVG</a></figcaption></figure>")


async def _charts(s, graph: str, doc: dict) -> str:
    parts = [await _chart(s, name, {"graph": graph}) for name in PER_DOCUMENT_CHARTS]
    same = [d for d in s.data.documents if d.get("department") == doc.get("department") and d.get("year") == doc.get("year")]
    if doc.get("org") and len({d.get("phase") for d in same}) > 1:  # the corpus holds budget and final accounts
        parts.append(await _chart(s, "budget_vs_final", {"department": doc["org"], "year": doc["year"]}))
    return "<h2>Charts · 图表</h2>" + "".join(parts) if any(parts) else ""


async def _tables(s, graph: str, base: str) -> tuple[str, str]:
    graphs = [graph, VOCAB_GRAPH]
    sets = await select(s, Q_SETS, graphs=graphs)
    columns, items, cells = {}, {}, {}
    for c in await select(s, Q_COLUMNS, graphs=graphs):
        columns.setdefault(c["ds"], []).append(c)
    for i in await select(s, Q_ITEMS, graphs=graphs):
        items.setdefault(i["ds"], {})[(int(i["row"]), i.get("side"))] = i
    for c in await select(s, Q_TEXT_CELLS, graphs=graphs) + await select(s, Q_AMOUNTS, graphs=graphs):
        cells.setdefault(c["ds"], {})[(int(c["row"]), int(c["col"]))] = c
    sets.sort(key=lambda d: (int(d.get("page", 0)), int(d.get("line", 0)), d["ds"]))
    toc, parts = [], []
    for d in sets:
        ds = d["ds"]
        if ds not in columns:
            continue
        title = d.get("title") or d.get("kindLabel") or ds
        where = f"第 {d['page']} 页 page {d['page']}" if "page" in d else (f"第 {d['line']} 行 line {d['line']}" if "line" in d else "")
        toc.append(f"<li><a href='#{_anchor(ds)}'>{h.esc(title)}</a></li>")
        unit = f"单位 Unit: {h.esc(d['unit'])}" if "unit" in d else ""
        parts.append(f"<section id='{_anchor(ds)}'><h3>{h.esc(title)}</h3><p class='meta'>{unit} · {h.esc(where)} · "
                     f"<a href='{h.esc(h.href(ds, base))}'>data set · 数据集</a> · {h.esc(d.get('kindLabel', ''))}</p>"
                     + printed_table(columns[ds], items.get(ds, {}), cells.get(ds, {}), base) + "</section>")
    return f"<ol class='toc'>{''.join(toc)}</ol>", "".join(parts)


async def _targets(s, graph: str) -> str:
    query = s.named_queries().get("tables/performance_targets")
    if query is None:
        return ""
    rows = await select(s, query.text, graphs=[graph, VOCAB_GRAPH])
    if not rows:
        return ""
    names = list(dict.fromkeys(k for r in rows for k in r))
    body = [[h.esc(r.get(n, "")) for n in names] for r in rows]
    return "<h2 id='performance-targets'>Performance targets · 绩效目标</h2>" + h.table([h.esc(n) for n in names], body)


async def _findings(s, graph: str, base: str) -> str:
    report = graph + VALIDATION_SUFFIX
    rows = await select(s, Q_FINDINGS, report=report)
    if not rows:
        if await select(s, Q_REPORT, report=report):
            return "<h2>Validation · 校验</h2><p>No findings: the published report is empty. 校验无发现。</p>"
        return ("<h2>Validation · 校验</h2><p>No validation report was published with this document "
                "(built without validation). 未发布校验报告。</p>")
    found: dict[str, dict] = {}
    for r in rows:
        f = found.setdefault(r["r"], {"messages": [], "severity": r.get("severity", ""), "value": r.get("value")})
        if r.get("message") and r["message"] not in f["messages"]:
            f["messages"].append(r["message"])
    body = [[h.esc(f["severity"].rsplit("#", 1)[-1]), "<br>".join(h.esc(m) for m in sorted(f["messages"])),
             f"<a href='{h.esc(h.href(f['value'], base))}'>row · 行</a>" if f["value"] else ""] for f in found.values()]
    return (f"<h2>Validation findings · 校验发现 ({len(found)})</h2>"
            + h.table(["Severity · 级别", "Finding · 发现", "Where · 位置"], body))


async def view(s, graph: str) -> View:
    """The disclosure page of a document graph.

    :raises ServiceError: when a query behind it fails.
    """
    base = s.data.base_iri
    info = next((d for d in s.data.documents if d.get("graph") == graph), {})
    docs = await select(s, Q_DOC, graphs=[graph, VOCAB_GRAPH])
    doc = docs[0] if docs else {}
    doc_info = {"department": info.get("department"), "year": doc.get("year", info.get("year")), "org": doc.get("org")}
    toc, tables = await _tables(s, graph, base)
    org = (f"<a href='{h.esc(h.href(doc['org'], base))}'>{h.esc(doc.get('orgLabel', info.get('department', '')))}</a>"
           if doc.get("org") else h.esc(info.get("department", "")))
    facts = [("部门 Department", org), ("年度 Year", h.esc(doc.get("year", ""))),
             ("阶段 Phase", h.esc(phase_words(doc.get("phase", info.get("phase", ""))))),
             ("源文件 Source file", h.esc(doc.get("file", info.get("path", "")))),
             ("SHA-256", f"<code>{h.esc(doc.get('sha', ''))}</code>"),
             ("格式 Format", h.esc(doc.get("format", ""))),
             ("内容 Contents", f"{info.get('tables', '')} tables · 表, {info.get('observations', '')} observations · 观测值"),
             ("源文件资源 Source", f"<a href='{h.esc(h.href(doc['doc'], base))}'>{h.esc(h.short(doc['doc']))}</a>" if doc.get("doc") else "")]
    head = "<table class='facts'>" + "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in facts) + "</table>"
    body = [head, await _charts(s, graph, doc_info), "<h2>Printed tables · 公开表格</h2>", toc, tables,
            await _targets(s, graph), await _findings(s, graph, base)]
    title = doc.get("title") or f"{info.get('department', '')} {doc.get('year', '')} {phase_words(doc.get('phase', ''))}"
    return View(title, "".join(body))
