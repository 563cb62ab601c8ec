"""The observation page: one printed amount with its unit, its value in 元, its row and column, and where it was printed.

API: :func:`view` ``(s, iri) -> View``.
"""

from __future__ import annotations

from .. import html as h
from .common import View, amount, select, yuan

Q_OBS = """SELECT ?this ?g ?value ?quantity ?decimals ?multiplier ?unit ?ds ?title ?rowLabel ?rowCode ?rowNumber ?colLabel ?colPath
       ?line ?page ?file ?year ?phase ?orgLabel WHERE {
  GRAPH ?g { $this bkg:sourceTable ?ds .
    OPTIONAL { $this bkg:amount ?value } OPTIONAL { $this bkg:quantity ?quantity }
    OPTIONAL { $this bkg:decimals ?decimals } OPTIONAL { $this bkg:unitMultiplier ?multiplier }
    OPTIONAL { $this bkg:sourceLine ?line } OPTIONAL { $this bkg:sourcePage ?page }
    OPTIONAL { $this bkg:fiscalYear ?year } OPTIONAL { $this bkg:budgetPhase ?phase }
    OPTIONAL { ?ds bkg:unitLabel ?unit } OPTIONAL { ?ds dct:title ?title }
    OPTIONAL { $this bkg:lineItem ?item OPTIONAL { ?item bkg:printedLabel ?rowLabel } OPTIONAL { ?item bkg:printedCode ?rowCode }
               OPTIONAL { ?item bkg:rowNumber ?rowNumber } }
    OPTIONAL { $this bkg:column ?col OPTIONAL { ?col rdfs:label ?colLabel } OPTIONAL { ?col bkg:headerPath ?colPath } }
    OPTIONAL { ?doc a bkg:Disclosure ; bkg:fileName ?file }
    OPTIONAL { $this bkg:organization ?org . ?org skos:prefLabel ?orgLabel FILTER(lang(?orgLabel) = "zh") }
  }
} LIMIT 1"""


async def view(s, iri: str) -> View:
    """The page of one observation.

    :raises ServiceError: when the query behind it fails.
    """
    rows = await select(s, Q_OBS, this=iri)
    o = rows[0] if rows else {}
    base = s.data.base_iri
    unit = o.get("unit", "")
    facts = []
    if "value" in o:
        printed = amount(o["value"], o.get("decimals"))
        facts.append(("金额 Amount", f"<b class='amount'>{printed} {h.esc(unit)}</b>"))
        if "multiplier" in o:
            facts.append(("折合元 In 元 (yuan)", f"{amount(str(yuan(o['value'], o['multiplier'])), o.get('decimals'))} 元"))
    if "quantity" in o:
        facts.append(("数量 Quantity", h.esc(o["quantity"])))
    row = " ".join(h.esc(o[k]) for k in ("rowNumber", "rowCode", "rowLabel") if k in o)
    column = h.esc(o.get("colPath") or o.get("colLabel", ""))
    table = o.get("title", o.get("ds", ""))
    graph = o.get("g", "")
    anchor = "#t-" + o["ds"].rstrip("/").rsplit("/", 1)[-1] if "ds" in o else ""
    where = []
    if "page" in o:
        where.append(f"第 {h.esc(o['page'])} 页 page {h.esc(o['page'])}")
    if "line" in o:
        where.append(f"第 {h.esc(o['line'])} 行 line {h.esc(o['line'])}")
    facts += [("行 Row", row), ("列 Column", column),
              ("表 Printed table", f"<a href='{h.esc(h.href(graph, base) + anchor)}'>{h.esc(table)}</a>"),
              ("来源 Source", h.esc(o.get("file", "")) + (" · " + ", ".join(where) if where else "")),
              ("部门 Department", h.esc(o.get("orgLabel", ""))), ("年度 Year", h.esc(o.get("year", "")))]
    body = "<table class='facts'>" + "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in facts) + "</table>"
    title = f"{o.get('rowLabel', '')} · {o.get('colLabel', '')}".strip(" ·") or iri
    return View(title, body)
