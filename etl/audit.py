"""``budgetkg audit [SOURCES or --data DIR] [--format text|json|html|md]``: the audit report.

API: :func:`main` ``(args) -> int``; :func:`audit_sources` ``(sources, *, data=None)
-> list[Document]``; :func:`render` ``(documents, fmt) -> str``; :data:`FORMATS`.

One section per document: its data-quality measurements (:mod:`budgetkg.etl.quality`) and its
findings grouped by check (every result of the shapes: audit, arithmetic, structure), each
with page or line, table, row, printed and expected values, in English and Chinese. Sources
are read and validated as ``budgetkg validate`` does (disclosures, RDF files, folders); ``--data``
audits a build (its ``dumps/budgetkg.nq``). Exit status 1 when a finding is a violation.
"""

from __future__ import annotations

import html
import json
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from .shacl_screen import to_ox
from .validation import Outcome

FORMATS = ("text", "json", "html", "md")
SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}
FIELDS = ("page", "line", "table", "row", "column", "printed", "expected")


@dataclass
class Check:
    rule: str
    name: str
    severity: str
    see_also: list[str]
    findings: list[dict] = field(default_factory=list)
    name_zh: str = ""

    @property
    def title(self) -> str:
        """The check's name in English and Chinese (a reviewer reads either)."""
        return f"{self.name} · {self.name_zh}" if self.name_zh else self.name


@dataclass
class Document:
    source: str
    checks: list[Check]
    measures: list  # budgetkg.etl.quality.Measure

    @property
    def violations(self) -> int:
        return sum(len(c.findings) for c in self.checks if c.severity == "Violation")


def _heading(source: str, triples) -> str:
    """``source``, after the file name of the disclosure when the source does not say it (a graph of a dump)."""
    from budgetkg.names import BKG

    files = sorted({t.object.value for t in triples if t.predicate.value == BKG + "fileName"})
    return f"{files[0]} ({source})" if len(files) == 1 and files[0] not in source else source


@cache
def _names_zh() -> dict[str, str]:
    """Shape local name -> its sh:name in Chinese (the results carry the English one)."""
    from rdflib.namespace import SH

    from budgetkg.names import SHAPES

    from .validation import shapes_graph

    g = shapes_graph()
    return {str(s)[len(SHAPES):]: str(o) for s, o in g.subject_objects(SH.name)
            if str(s).startswith(SHAPES) and getattr(o, "language", None) == "zh"}


def _document(source: str, outcome: Outcome) -> Document:
    from .quality import measures

    by_rule: dict[tuple[str, str], Check] = {}
    for r in outcome.results:
        key = (r["severity"], r["rule"])
        if key not in by_rule:
            by_rule[key] = Check(r["rule"], r["name"], r["severity"], r["see_also"], name_zh=_names_zh().get(r["rule"], ""))
        by_rule[key].findings.append(r)
    checks = sorted(by_rule.values(), key=lambda c: (SEVERITY_ORDER.get(c.severity, 9), c.rule))
    triples = [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in outcome.data] if outcome.data is not None else []
    return Document(_heading(source, triples), checks, measures(outcome.results, triples))


def audit_sources(sources: list[str] | None, *, data: str | None = None) -> list[Document]:
    """Validate ``sources`` (or the build in ``data``) and group each document's findings by check.

    :raises FileNotFoundError: a source does not exist.
    :raises budgetkg.errors.MissingBuild: ``data`` holds no build.
    """
    from budgetkg import names
    from budgetkg.errors import MissingBuild

    from .validation_report import validate_sources

    if data is not None:
        dump = Path(data) / names.DUMPS_DIR / names.DUMP_QUADS
        if not dump.exists():
            raise MissingBuild(f"no build in {data} ({dump} is missing; run `budgetkg build` first)")
        sources = [str(dump)]
    outcomes = validate_sources(list(sources or []))
    return [_document(name, o) for name, o in outcomes if name != "vocabulary" and f"<{names.VOCAB_GRAPH}>" not in name]


def _where(r: dict) -> str:
    return ", ".join(f"{k} {r[k]}" for k in ("page", "line", "table", "row", "column") if r.get(k) not in (None, ""))


def _measure_label(m) -> str:
    return f"{m.metric}{' ' + m.check if m.check else ''}"


def render_text(docs: list[Document]) -> str:
    lines = []
    for d in docs:
        total = sum(len(c.findings) for c in d.checks)
        lines += [f"{d.source}: {total} finding(s) in {len(d.checks)} check(s)"]
        for m in d.measures:
            if not m.check:
                lines.append(f"  quality {m.metric}: {m.value}")
        for c in d.checks:
            lines += ["", f"  {c.severity} {c.rule}: {c.title} ({len(c.findings)})"]
            for r in c.findings:
                lines.append(f"    {_where(r)}")
                if r.get("printed") is not None:
                    lines.append(f"      printed {r['printed']}, expected {r['expected']}")
                lines.append(f"      en: {r['message']}")
                if r.get("message_zh"):
                    lines.append(f"      zh: {r['message_zh']}")
        lines.append("")
    return "\n".join(lines)


def render_md(docs: list[Document]) -> str:
    def cell(x) -> str:
        return "" if x is None else str(x).replace("|", "\\|").replace("\n", " ")

    out = ["# Audit report · 审核报告", ""]
    for d in docs:
        out += [f"## {d.source}", "", "| quality metric | value |", "|---|---|"]
        out += [f"| {m.metric} | {m.value} |" for m in d.measures if not m.check]
        for c in d.checks:
            out += ["", f"### {c.severity} {c.rule}: {c.title} ({len(c.findings)})", "",
                    "| page | line | table | row | column | printed | expected | message (en) | 说明 (zh) |",
                    "|---|---|---|---|---|---|---|---|---|"]
            for r in c.findings:
                out.append("| " + " | ".join(cell(r.get(k)) for k in FIELDS) + f" | {cell(r['message'])} | {cell(r.get('message_zh'))} |")
        out.append("")
    return "\n".join(out) + "\n"


def render_html(docs: list[Document]) -> str:
    e = html.escape
    out = ["<!doctype html><html lang='zh'><head><meta charset='utf-8'><title>Audit report · 审核报告</title></head><body>",
           "<h1>Audit report · 审核报告</h1>"]
    for d in docs:
        out.append(f"<section><h2>{e(d.source)}</h2><table><tr><th>quality metric</th><th>value</th></tr>")
        out += [f"<tr><td>{e(m.metric)}</td><td>{e(str(m.value))}</td></tr>" for m in d.measures if not m.check]
        out.append("</table>")
        for c in d.checks:
            out.append(f"<h3>{e(c.severity)} {e(c.rule)}: {e(c.title)} ({len(c.findings)})</h3><table><tr>"
                       + "".join(f"<th>{k}</th>" for k in FIELDS) + "<th>message</th><th>说明</th></tr>")
            for r in c.findings:
                out.append("<tr>" + "".join(f"<td>{e('' if r.get(k) is None else str(r.get(k)))}</td>" for k in FIELDS)
                           + f"<td lang='en'>{e(r['message'])}</td><td>{e(r.get('message_zh') or '')}</td></tr>")
            out.append("</table>")
        out.append("</section>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def render_json(docs: list[Document]) -> str:
    doc = [{
        "source": d.source,
        "quality": [{"metric": m.metric, "check": m.check, "value": str(m.value)} for m in d.measures],
        "checks": [{"rule": c.rule, "name": c.name, "name_zh": c.name_zh, "severity": c.severity, "see_also": c.see_also,
                    "findings": [{k: r.get(k) for k in (*FIELDS, "message", "message_zh", "focus", "value")} for r in c.findings]}
                   for c in d.checks],
    } for d in docs]
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def render(docs: list[Document], fmt: str) -> str:
    """The report in ``fmt`` (one of :data:`FORMATS`). :raises KeyError: an unknown format."""
    return {"text": render_text, "json": render_json, "html": render_html, "md": render_md}[fmt](docs)


def main(args) -> int:
    docs = audit_sources(list(getattr(args, "sources", None) or []), data=getattr(args, "data", None))
    sys.stdout.write(render(docs, getattr(args, "format", "text") or "text"))
    return 1 if any(d.violations for d in docs) else 0
