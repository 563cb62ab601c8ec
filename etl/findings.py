"""What validation found, in two forms: located results (for people) and the published report (RDF).

API: :func:`describe_results` ``(report, data, shapes, *, document=None) -> list[dict]``
(pyshacl's report to dicts, located by table, row and column); :func:`retag_messages`;
:func:`report_graph_iri` and :func:`report_triples` (the ``sh:ValidationReport`` a build
publishes with a document). Used by :mod:`budgetkg.etl.validation` and
:mod:`budgetkg.etl.validation_report`; imports neither.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, RDFS, SH

from budgetkg import names

from .vocab import RDF as ORDF
from .vocab import RDFS as ORDFS
from .vocab import lit, typed

BKG = rdflib.Namespace(names.BKG)
DCT = rdflib.Namespace(names.DCT)
_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
_COLUMN = re.compile(r", column (.+?): printed ")
_FIGURES = re.compile(r"printed (\S+?),? expected (\S+?)(?:[ ,;)]|$)")
SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


# ---------------------------------------------------------------- describing results


@lru_cache(maxsize=4096)
def _templates(shapes: rdflib.Graph, node) -> tuple:
    """(language, regex) of each sh:message of a shape or constraint; {?var} matches anything."""
    out = []
    for m in shapes.objects(node, SH.message):
        parts = re.split(r"\{[?$]\w+\}", str(m))
        out.append((m.language, re.compile("^" + ".*?".join(map(re.escape, parts)) + "$", re.S)))
    return tuple(out)


def _language(shapes: rdflib.Graph, text: str, nodes) -> str:
    """The language of a result message: from the template it was filled from, else by script."""
    for node in nodes:
        if node is None:
            continue
        for lang, rx in _templates(shapes, node):
            if lang and rx.match(text):
                return lang
    return "zh" if _CJK.search(text) else "en"


def retag_messages(report: rdflib.Graph, shapes: rdflib.Graph) -> None:
    """pyshacl drops the language of a message it fills from SPARQL bindings: tag it again."""
    for res in list(report.subjects(SH.resultMessage, None)):
        nodes = (_first(report, res, SH.sourceConstraint), _first(report, res, SH.sourceShape))
        for o in list(report.objects(res, SH.resultMessage)):
            if isinstance(o, rdflib.Literal) and o.language is None:
                report.remove((res, SH.resultMessage, o))
                report.add((res, SH.resultMessage, rdflib.Literal(str(o), lang=_language(shapes, str(o), nodes))))


def _first(g: rdflib.Graph, s, p):
    for o in g.objects(s, p):
        return o
    return None


def _text(node) -> str | None:
    return None if node is None else str(node)


def _locate(data: rdflib.Graph, node) -> dict:
    """Table, row, column, line and page of a node of the data graph (observation, row, ...)."""
    info: dict = {}
    if node is None or not isinstance(node, rdflib.URIRef):
        return info
    item = column = table = None
    types = set(data.objects(node, RDF.type))
    if BKG.BudgetObservation in types or BKG.TextCell in types:
        item, column = _first(data, node, BKG.lineItem), _first(data, node, BKG.column)
        table = _first(data, node, BKG.sourceTable)
        if table is None and item is not None:
            table = next(data.subjects(BKG.hasLineItem, item), None)
    elif BKG.LineItem in types:
        item = node
        table = next(data.subjects(BKG.hasLineItem, node), None)
    elif BKG.Column in types:
        column = node
        table = next(data.subjects(BKG.hasColumn, node), None)
    elif BKG.BudgetDataSet in types or BKG.PerformanceTargetSet in types:
        table = node
    elif BKG.PerformanceIndicator in types or BKG.Project in types:
        project = _first(data, node, BKG.project) or node
        info["row"] = _text(_first(data, node, BKG.rowIndex))
        table = _first(data, project, DCT.isPartOf)
        info["project"] = _text(_first(data, project, RDFS.label))
    if table is not None:
        info["table"] = _text(_first(data, table, DCT.title) or _first(data, table, RDFS.label))
        info["table_iri"] = str(table)
    if item is not None:
        index = _first(data, item, BKG.rowIndex)
        label = _first(data, item, BKG.printedLabel)
        code = _first(data, item, BKG.printedCode)
        side = _first(data, item, BKG.side)
        row = str(index) if index is not None else ""
        if side is not None:
            row += f" ({side})"
        text = " ".join(str(x) for x in (code, label) if x)
        info["row"] = f"{row} {text}".strip()
    if column is not None:
        index = _first(data, column, BKG.columnIndex)
        info["column"] = f"{index} {_first(data, column, RDFS.label) or ''}".strip()
    for key, prop in (("line", BKG.sourceLine), ("page", BKG.sourcePage)):
        value = _first(data, node, prop) or (item is not None and _first(data, item, prop)) or None
        if value is not None:
            info[key] = int(value) if str(value).isdigit() else str(value)
    return info


def describe_results(report: rdflib.Graph, data: rdflib.Graph, shapes: rdflib.Graph, *, document: str | None = None) -> list[dict]:
    """Each result of pyshacl's ``report`` as a dict (see :mod:`budgetkg.etl.validation`), located in ``data``."""
    out = []
    for res in report.subjects(RDF.type, SH.ValidationResult):
        shape = _first(report, res, SH.sourceShape)
        constraint = _first(report, res, SH.sourceConstraint)
        named = shape if isinstance(shape, rdflib.URIRef) else _named_parent(shapes, shape)
        static = {str(m) for m in shapes.objects(shape, SH.message)} if constraint is not None else set()
        messages = list(report.objects(res, SH.resultMessage))
        specific = [m for m in messages if str(m) not in static] or messages
        en = sorted(str(m) for m in specific if (m.language or "en") == "en")
        zh = sorted(str(m) for m in specific if m.language == "zh")
        focus, value, path = (_first(report, res, p) for p in (SH.focusNode, SH.value, SH.resultPath))
        names = {o.language: str(o) for o in shapes.objects(constraint or shape, SH.name)}
        if not names and named is not None:
            names = {o.language: str(o) for o in shapes.objects(named, SH.name)}
        r = {
            "rule": _local(named) if named is not None else "shape",
            "name": names.get("en") or names.get(None) or "",
            "severity": SEVERITIES.get(_first(report, res, SH.resultSeverity), "Violation"),
            "message": en[0] if en else (zh[0] if zh else ""),
            "message_zh": zh[0] if zh else "",
            "focus": _text(focus),
            "path": _text(path) if not isinstance(path, rdflib.BNode) else "(path)",
            "value": _text(value),
            "document": document,
            "see_also": sorted(str(o) for o in shapes.objects(constraint or shape, RDFS.seeAlso)),
            "expected": None,
            "printed": None,
        }
        loc = _locate(data, value if isinstance(value, rdflib.URIRef) and (value, None, None) in data else focus)
        if "table" not in loc:
            loc = {**_locate(data, focus), **loc}
        r.update({k: loc.get(k) for k in ("table", "row", "column", "line", "page", "project")})
        m = _FIGURES.search(r["message"])
        if m:
            r["printed"], r["expected"] = m.group(1), m.group(2)
            amount = _first(data, value, BKG.amount) if isinstance(value, rdflib.URIRef) else None
            if amount is not None and r["printed"] != "(blank)":
                r["printed"] = str(amount)  # as printed (a SPARQL engine may canonicalise 440.00 to 440)
            c = _COLUMN.search(r["message"])
            if c and not r.get("column"):
                r["column"] = c.group(1)
        out.append(r)
    out.sort(key=lambda r: (r["severity"], r["rule"], r.get("table") or "", _row_key(r.get("row")), r["message"]))
    return out


def _row_key(row) -> tuple:
    m = re.match(r"\d+", row or "")
    return (int(m.group()) if m else 0, row or "")


def _named_parent(shapes: rdflib.Graph, node):
    """The named node shape a blank property shape belongs to."""
    for parent in shapes.subjects(SH.property, node):
        if isinstance(parent, rdflib.URIRef):
            return parent
    return None


def _local(node) -> str:
    s = str(node)
    return s.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


# ---------------------------------------------------------------- the published report


def report_graph_iri(graph_iri: str | ox.NamedNode) -> ox.NamedNode:
    """Named graph holding a document's validation report: ``<document graph>/validation``."""
    value = graph_iri.value if isinstance(graph_iri, ox.NamedNode) else str(graph_iri)
    return ox.NamedNode(value.rstrip("/") + "/validation")


def report_triples(warnings: list[dict], graph_iri: str | ox.NamedNode) -> list[ox.Triple]:
    """A ``sh:ValidationReport`` of a document's warnings, as triples with stable IRIs.

    The report is ``<graph_iri>/validation`` and result *n* is ``<graph_iri>/validation/<n>``
    (no blank nodes, so dumps stay byte-identical). Put the triples in the named graph
    :func:`report_graph_iri` ``(graph_iri)``.
    """
    node = report_graph_iri(graph_iri)
    sh = {k: ox.NamedNode(names.SH + k) for k in (
        "ValidationReport", "ValidationResult", "conforms", "result", "focusNode", "resultPath", "value",
        "resultSeverity", "sourceShape", "resultMessage", "Violation", "Warning", "Info")}
    out = [
        ox.Triple(node, ORDF.type, sh["ValidationReport"]),
        ox.Triple(node, sh["conforms"], typed("true" if not any(w["severity"] == "Violation" for w in warnings) else "false", "boolean")),
    ]
    for n, w in enumerate(warnings, start=1):
        r = ox.NamedNode(f"{node.value}/{n}")
        out += [
            ox.Triple(node, sh["result"], r),
            ox.Triple(r, ORDF.type, sh["ValidationResult"]),
            ox.Triple(r, sh["resultSeverity"], sh[w["severity"]]),
            ox.Triple(r, sh["sourceShape"], ox.NamedNode(names.SHAPES + w["rule"])),
        ]
        for key, pred in (("focus", "focusNode"), ("value", "value")):
            if w.get(key) and re.match(r"^[a-z][a-z0-9+.-]*:", w[key]):
                out.append(ox.Triple(r, sh[pred], ox.NamedNode(w[key])))
        if w.get("path") and w["path"].startswith("http"):
            out.append(ox.Triple(r, sh["resultPath"], ox.NamedNode(w["path"])))
        if w.get("message"):
            out.append(ox.Triple(r, sh["resultMessage"], lit(w["message"], "en")))
        if w.get("message_zh"):
            out.append(ox.Triple(r, sh["resultMessage"], lit(w["message_zh"], "zh")))
        if w.get("name"):
            out.append(ox.Triple(r, ORDFS.label, lit(w["name"], "en")))
    return out
