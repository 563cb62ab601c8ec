"""Charts: a Vega-Lite spec per chart, rendered to SVG on the server by vl-convert, the spec beside it.

API: :data:`CHARTS` (chart name -> :class:`Chart`); :func:`spec` ``(name, rows, *, unit, title, link=None)
-> dict``; :func:`svg` ``(spec) -> str``; :func:`chart_rows` ``(service, name, params) -> (rows, unit)``;
:func:`rendered` ``(service, name, params) -> (spec, svg)`` (kept until the next build);
routes ``GET /charts/{name}.svg`` and ``GET /charts/{name}.vl.json`` (the Vega-Lite spec).

Charts and their parameters (IRIs as query parameters):

- ``functional``: expenditure by functional class of a document (``graph``), 类; with ``class`` (a 类
  code) its 款 — each bar of the 类 chart links to that drill-down;
- ``economic``: basic expenditure of a document by economic class (款), personnel against public;
- ``three_public``: the 三公 categories of a document;
- ``budget_vs_final``: budget against final accounts by functional class (``department``, ``year``),
  where the corpus holds both;
- ``department_totals``: a department's totals per year and phase (``department``), a line chart;
- ``documents``: the corpus at a glance, documents per jurisdiction and year (no parameter).

The data come from the named queries of ``sparql/`` (the same rows a researcher gets), read over the
document's graph where the chart is about one document. Amounts keep their exact text in the spec
(``amount_text``, shown in tooltips); the plotted ``amount`` is that text as a JSON number, which
Vega reads as a double anyway.

>>> s = spec("three_public", [{"label": "公务接待费", "amount": "2.00", "phase": "budget"}], unit="万元", title="t")
>>> s["data"]["values"][0]["amount_text"], s["encoding"]["x"]["title"]
('2.00', '金额 Amount (万元)')
>>> svg(s).startswith("<svg")
True
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.responses import Response

from budgetkg.names import VOCAB_GRAPH
from budgetkg.queries import bind, term

from .common import svc
from .errors import ServiceError

router = APIRouter()
VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
VEGA_LITE_MEDIA = "application/vnd.vegalite.v5+json"
SVG_MEDIA = "image/svg+xml"
CLASS_DIGITS = 3  # 类: the functional-class code length of the top level
SUBCLASS_DIGITS = 5  # 款
FONT = "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif"
WIDTH = 560
BAR_STEP = 22
# What each type of a row is called on a chart (the named queries give codes or English words).
WORDS = {"basic": "基本支出 basic", "personnel": "人员经费 personnel", "public": "公用经费 public",
         "project": "项目支出 project", "_T": "合计 total", "budget": "预算 budget", "final_accounts": "决算 final accounts",
         "budgetYuan": "预算 budget", "executedYuan": "决算 final accounts", "final-accounts": "决算 final accounts"}


@dataclass(frozen=True)
class Chart:
    title: str
    query: str  # the named query behind it
    params: tuple[str, ...]  # required request parameters
    per_document: bool  # read over the document's graph (``graph`` parameter)


CHARTS = {
    "functional": Chart("支出功能分类 Expenditure by functional class", "expenditure_by_function", ("graph",), True),
    "economic": Chart("基本支出经济分类 Basic expenditure by economic class", "basic_expenditure_by_economic", ("graph",), True),
    "three_public": Chart("“三公”经费 Three public expenses", "three_public_by_category", ("graph",), True),
    "budget_vs_final": Chart("预算与决算 Budget against final accounts", "budget_vs_execution", ("department", "year"), False),
    "department_totals": Chart("各年度支出合计 Totals per year and phase", "department_over_years", ("department",), False),
    "documents": Chart("各地区各年度公开文件 Documents per jurisdiction and year", "documents_by_jurisdiction", (), False),
}


def _number(text: str):
    """The exact decimal text as a JSON number (an int when whole): the shortest float repr of a printed amount is that text."""
    d = Decimal(text)
    return int(d) if d == d.to_integral_value() else float(d)


def _axis(unit: str) -> str:
    return f"金额 Amount ({unit})"


def _base(title: str, values: list[dict]) -> dict:
    return {"$schema": VEGA_LITE_SCHEMA, "title": title, "width": WIDTH, "data": {"values": values},
            "config": {"font": FONT, "axis": {"labelLimit": 260}}}


def _bars(title: str, values: list[dict], unit: str, *, color: str | None = None) -> dict:
    s = _base(title, values)
    s.update({"mark": {"type": "bar", "tooltip": True}, "height": {"step": BAR_STEP}})
    s["encoding"] = {
        "y": {"field": "label", "type": "nominal", "sort": "-x", "title": None},
        "x": {"field": "amount", "type": "quantitative", "title": _axis(unit)},
        "tooltip": [{"field": "label", "title": "项目 Item"}, {"field": "amount_text", "title": _axis(unit)}],
    }
    if color:
        s["encoding"]["color"] = {"field": color, "type": "nominal", "title": None, "legend": {"orient": "bottom"}}
        s["encoding"]["tooltip"].append({"field": color, "title": None})
    if any("href" in v for v in values):
        s["encoding"]["href"] = {"field": "href"}
    return s


def spec(name: str, rows: list[dict], *, unit: str, title: str, link=None) -> dict:
    """The Vega-Lite spec of chart ``name`` over ``rows`` (named-query rows as plain strings).

    ``link(code)`` gives the drill-down URL of a functional class (``functional`` only).

    :raises KeyError: for an unknown chart.
    """
    if name == "three_public":
        values = [{"label": r["label"], "phase": WORDS.get(r.get("phase", ""), r.get("phase", "")),
                   "amount": _number(r["amount"]), "amount_text": r["amount"]} for r in rows]
        phases = {v["phase"] for v in values}
        s = _bars(title, values, unit, color="phase" if len(phases) > 1 else None)
        if len(phases) > 1:  # a final-accounts template prints 预算数 beside 决算数
            s["encoding"]["yOffset"] = {"field": "phase"}
        return s
    if name == "functional":
        values = []
        for r in rows:
            label = f"{r['code']} {r['name_zh']}"
            v = {"label": label, "amount": _number(r["amount"]), "amount_text": r["amount"]}
            if link and "code" in r:
                v["href"] = link(r["code"])
            values.append(v)
        return _bars(title, values, unit)
    if name == "economic":
        values = [{"label": f"{r['code']} {r['name']}", "type": WORDS.get(r["type"], r["type"]),
                   "amount": _number(r["amount"]), "amount_text": r["amount"]} for r in rows]
        return _bars(title, values, unit, color="type")
    if name == "budget_vs_final":
        values = [{"label": f"{r['code']} {r['name']}", "type": WORDS[key], "amount": _number(r[key]), "amount_text": r[key]}
                  for r in rows for key in ("budgetYuan", "executedYuan") if r.get(key)]
        s = _bars(title, values, unit, color="type")
        s["encoding"]["yOffset"] = {"field": "type"}
        return s
    if name == "department_totals":
        values = [{"year": r["year"], "series": f"{WORDS.get(r['phase'], r['phase'])} · {WORDS.get(r['type'], r['type'])}",
                   "amount": _number(r["yuan"]), "amount_text": r["yuan"]} for r in rows]
        s = _base(title, values)
        s.update({"mark": {"type": "line", "point": True, "tooltip": True}, "height": 260})
        s["encoding"] = {"x": {"field": "year", "type": "ordinal", "title": "年度 Year"},
                         "y": {"field": "amount", "type": "quantitative", "title": _axis(unit)},
                         "color": {"field": "series", "type": "nominal", "title": None, "legend": {"orient": "bottom"}},
                         "tooltip": [{"field": "year"}, {"field": "series", "title": None},
                                     {"field": "amount_text", "title": _axis(unit)}]}
        return s
    if name == "documents":
        values = [{"year": r["year"], "jurisdiction": jurisdiction_words(r), "phase": WORDS.get(r["phase"], r["phase"]),
                   "documents": int(r["documents"])} for r in rows]
        s = _base(title, values)
        s.update({"mark": {"type": "bar", "tooltip": True}, "height": 220})
        s["encoding"] = {"x": {"field": "year", "type": "ordinal", "title": "年度 Year", "axis": {"labelAngle": 0}},
                         "y": {"field": "documents", "type": "quantitative", "aggregate": "sum", "title": "文件数 Documents",
                               "axis": {"tickMinStep": 1, "format": "d"}},
                         "color": {"field": "jurisdiction", "type": "nominal", "title": None, "legend": {"orient": "bottom"}},
                         "tooltip": [{"field": "year", "title": "年度 Year"}, {"field": "jurisdiction", "title": "地区 Jurisdiction"},
                                     {"field": "phase", "title": "阶段 Phase"},
                                     {"field": "documents", "aggregate": "sum", "title": "文件数 Documents"}]}
        return s
    raise KeyError(name)


def jurisdiction_words(row: dict) -> str:
    """A jurisdiction as "110000 北京市 Beijing" from a row of ``documents_by_jurisdiction``."""
    words = " ".join(row[k] for k in ("code", "name_zh", "name_en") if row.get(k))
    return words or "未注明 not stated"


def svg(chart_spec: dict) -> str:
    """The spec rendered to SVG (vl-convert: Vega in an embedded engine, no browser, nothing fetched)."""
    import vl_convert

    return vl_convert.vegalite_to_svg(chart_spec)


def _plain(rows: list[dict]) -> list[dict]:
    return [{k: b["value"] for k, b in r.items()} for r in rows]


async def chart_rows(s, name: str, params: dict[str, str]) -> tuple[list[dict], str]:
    """The rows a chart draws and the unit of their amounts.

    :raises ServiceError: 400 for a missing or malformed parameter, 404 for an unknown chart.
    """
    chart = CHARTS.get(name)
    if chart is None:
        raise ServiceError(404, f"no chart {name!r}; charts: {', '.join(CHARTS)}")
    missing = [p for p in chart.params if not params.get(p)]
    if missing:
        raise ServiceError(400, f"chart {name!r} needs the parameter(s) {', '.join(missing)}")
    query = s.named_queries()[chart.query]
    given = {k: v for k, v in params.items() if k in {p.name for p in query.params}}
    if name == "functional":
        code = params.get("class")
        if code and not code.isdigit():
            raise ServiceError(400, f"class must be a functional-class code, not {code!r}")
        given["digits"] = str(SUBCLASS_DIGITS if code else CLASS_DIGITS)
    try:
        subs = {v.value: t for v, t in bind(query, given).items()}
        graphs = [str(term(params["graph"], "iri").value), VOCAB_GRAPH] if chart.per_document else None
    except ValueError as exc:
        raise ServiceError(400, str(exc)) from None
    result = await s.backend.query(query.text, "json", default_graphs=graphs, subs=subs)
    rows = _plain(json.loads(result.body)["results"]["bindings"])
    if name == "functional" and params.get("class"):
        rows = [r for r in rows if r["code"].startswith(params["class"])]
    elif name == "three_public":
        # the categories of the 三公 (those with a parent: not the totals, not 机关运行经费 printed beside them),
        # each drawn once: a category whose parts are printed is drawn as its parts (as the economic chart does)
        rows = [r for r in rows if r.get("parent")]
        split = {(r["phase"], r["parent"]) for r in rows}
        rows = [r for r in rows if (r["phase"], r["category"].rsplit("/", 1)[-1]) not in split]
    elif name == "economic":
        rows = [r for r in rows if len(r["code"]) == SUBCLASS_DIGITS]
        split = {r["code"] for r in rows if r["type"] != "basic"}  # printed as personnel / public: draw those parts
        rows = [r for r in rows if r["type"] != "basic" or r["code"] not in split]
    elif name == "department_totals":
        rows = [r for r in rows if r["type"] == "_T"]
    unit = next((r["unit"] for r in rows if r.get("unit")), "元")  # queries without a unit column give yuan
    return rows, unit


async def spec_for(s, name: str, params: dict[str, str]) -> dict:
    """The spec of a chart, kept until the next build.

    :raises ServiceError: as :func:`chart_rows` does.
    """
    key, specs = (name, tuple(sorted(params.items()))), s.cache.chart_specs
    cached = specs.get(key)
    if cached is None:
        rows, unit = await chart_rows(s, name, params)
        link = None
        if name == "functional" and not params.get("class"):
            def link(code):
                return "/charts/functional.svg?" + urlencode({"graph": params["graph"], "class": code})
        title = CHARTS[name].title + (f" · {params['class']}" if params.get("class") else "")
        cached = specs[key] = spec(name, rows, unit=unit, title=title, link=link)
    return cached


async def rendered(s, name: str, params: dict[str, str]) -> tuple[dict, str]:
    """The spec of a chart and its SVG, both kept until the next build.

    :raises ServiceError: as :func:`chart_rows` does.
    """
    chart_spec = await spec_for(s, name, params)
    key, svgs = (name, tuple(sorted(params.items()))), s.cache.chart_svgs
    body = svgs.get(key)
    if body is None:
        # vl-convert takes tens of milliseconds: off the event loop
        body = svgs[key] = await asyncio.to_thread(svg, chart_spec)
    return chart_spec, body


@router.api_route("/charts/{name}.vl.json", methods=["GET", "HEAD"])
async def chart_spec_route(request: Request, name: str):
    """The Vega-Lite spec of a chart (open it in any Vega-Lite editor)."""
    body = json.dumps(await spec_for(svc(request), name, dict(request.query_params)), ensure_ascii=False, indent=1)
    return Response(body, media_type=VEGA_LITE_MEDIA,
                    headers={"Content-Disposition": f'inline; filename="{name}.vl.json"'})


@router.api_route("/charts/{name}.svg", methods=["GET", "HEAD"])
async def chart_svg_route(request: Request, name: str):
    """A chart rendered to SVG on the server."""
    _, body = await rendered(svc(request), name, dict(request.query_params))
    return Response(body, media_type=SVG_MEDIA)
