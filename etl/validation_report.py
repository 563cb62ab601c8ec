"""``budgetkg validate [SOURCES or RDF files] --format text|json|ttl``.

API: :func:`main` ``(args) -> int`` (``args.sources``, ``args.format``); :func:`validate_sources`
``(sources) -> list[tuple[str, Outcome]]``; :func:`render_text`, :func:`render_json`,
:func:`render_ttl`; :func:`describe_results` (pyshacl's report to dicts, located by table,
row and column); :func:`report_triples` and :func:`report_graph_iri` (the report a build
publishes with a document).

A source is a disclosure (``.txt``/``.pdf``, read and mapped as the build does), an RDF file
(``.ttl``, ``.nt``: one graph; ``.nq``, ``.trig``: each named graph on its own, e.g. a build's
``dumps/budgetkg.nq``), or a folder of those. A graph without a bkg:Disclosure (the ontology, a
code list) is validated as vocabulary. No source: the bundled samples and the shipped
vocabulary. Documents are validated on their own, in parallel. Exit status 1 on any violation.
"""

from __future__ import annotations

import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache, partial
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, RDFS, SH

from budgetkg import names
from budgetkg.errors import SUCCESS, VIOLATION, BudgetkgError, InputError, SourcesFailed
from budgetkg.procs import die_with_parent

from .inputs import refuse_foreign
from .findings import SEVERITIES, describe_results, report_graph_iri, report_triples, retag_messages  # noqa: F401  (re-exported)
from .validation import Outcome, format_result, validate_documents, validate_graph
from .vocabulary import vocabulary_triples


RDF_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG,
}
DOCUMENT_SUFFIXES = {".txt", ".pdf"}
DISCLOSURE = names.BKG + "Disclosure"
VOCABULARY_GRAPH = names.VOCAB_GRAPH


def _expand(sources: list[str]) -> list[Path]:
    out: list[Path] = []
    for s in map(Path, sources):
        if s.is_dir():
            out.extend(sorted(p for p in s.rglob("*") if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES | set(RDF_FORMATS)))
        elif s.is_file():
            out.append(s)
        else:
            raise InputError("no such source", s)
    return out


def _document_results(path: str) -> tuple[list[ox.Triple], list[dict]]:
    """The document's triples as the build maps them (:func:`budgetkg.etl.to_rdf.map_document`),
    and its quarantined tables as results, from the typed records as the build reports them."""
    from .to_rdf import map_document

    rec, graph, triples = map_document(path, base=names.DEFAULT_BASE)
    return triples, quarantine_warnings(rec, graph.value)


def _has_disclosure(triples) -> bool:
    return any(t.object.value == DISCLOSURE and t.predicate.value.endswith("#type") for t in triples)


def _read_one(job: tuple[str, str, list | None]) -> tuple[str, tuple | BudgetkgError]:
    """(name, (triples, document, with_context, quarantined)) of one job; a bad source gives its
    error instead, so that the others still run.

    A document's quarantined tables (its skipped items of that reason) are results too, as in the
    report a build publishes: from the typed records when the source is a disclosure, from its
    ``bkg:SkippedItem`` s when it is RDF."""
    kind, name, triples = job
    try:
        if kind == "document":
            triples, quarantined = _document_results(name)
            document = Path(name).name
            return name, (triples, document, True, [dict(r, document=document) for r in quarantined])
    except BudgetkgError as exc:
        return name, exc
    if kind == "vocabulary":
        return name, (vocabulary_triples(), "vocabulary", False, [])
    if _has_disclosure(triples):
        return name, (triples, name, True, quarantined_results(triples, name))
    return name, (triples, name, False, [])


def _validate_one(job: tuple[str, str, list | None], engine: str = "pyshacl") -> tuple[str, Outcome | BudgetkgError]:
    """(name, outcome) of one job, validated on its own by ``engine``."""
    name, read = _read_one(job)
    if isinstance(read, BudgetkgError):
        return name, read
    triples, document, with_context, quarantined = read
    outcome = validate_graph(triples, document=document, with_context=with_context, engine=engine)
    outcome.results.extend(quarantined)
    return name, outcome


def _validate_read(done: list[tuple[str, tuple | BudgetkgError]]) -> list[tuple[str, Outcome | BudgetkgError]]:
    """The read sources validated (documents with their vocabulary, the others without)."""
    out: dict[int, tuple[str, Outcome | BudgetkgError]] = {}
    for with_context in (True, False):
        todo = [(n, name, read) for n, (name, read) in enumerate(done)
                if not isinstance(read, BudgetkgError) and read[2] == with_context]
        outcomes = validate_documents([(read[0], read[1]) for _, _, read in todo], with_context=with_context)
        for (n, name, read), outcome in zip(todo, outcomes):
            outcome.results.extend(read[3])
            out[n] = (name, outcome)
    out.update({n: (name, read) for n, (name, read) in enumerate(done) if isinstance(read, BudgetkgError)})
    return [out[n] for n in range(len(done))]


#: The rule of a quarantined table's result (not a shape: the build adds it to the shapes' results).
QUARANTINE_RULE = "QuarantinedTable"


def quarantine_result(location: str, reason: str, focus: str, *, page: int | None = None, line: int | None = None,
                      table: str | None = None, document: str | None = None) -> dict:
    """A table that could not be read, as a Warning result (rule ``QuarantinedTable``)."""
    from .pipeline import QUARANTINED

    return {"severity": "Warning", "rule": QUARANTINE_RULE, "focus": focus, "name": "Table not read",
            "message": f"{QUARANTINED}: {location}: {reason}", "message_zh": f"表格未能读取（已隔离）：{location}：{reason}",
            "table": table, "page": page, "line": line, "row": None, "column": None, "document": document,
            "path": None, "value": None, "see_also": [], "expected": None, "printed": None}


def quarantine_warnings(rec, focus: str) -> list[dict]:
    """The quarantined tables of a disclosure record (``rec.quarantined``, typed
    :class:`~budgetkg.etl.model.Skipped` records) as results; the build and ``validate`` share it."""
    return [quarantine_result(str(q.location), q.reason, focus, page=q.location.page, line=q.location.line,
                              table=q.location.table) for q in rec.quarantined]


def quarantined_results(triples, document: str) -> list[dict]:
    """The quarantined tables of a graph read from RDF alone (``bkg:SkippedItem`` s whose reason says
    so; the table is the item's ``dct:title``, which the mapping writes for a quarantined table)."""
    from .pipeline import QUARANTINED

    title = names.DCT + "title"
    facts: dict[str, dict[str, str]] = {}
    for t in triples:
        p = t.predicate.value
        if p.startswith(names.BKG):
            facts.setdefault(t.subject.value, {})[p[len(names.BKG):]] = t.object.value
        elif p == title:
            facts.setdefault(t.subject.value, {})["title"] = t.object.value
    out = []
    for node, f in facts.items():
        reason = f.get("reason", "")
        if not reason.startswith(QUARANTINED + ": ") or "location" not in f:
            continue
        out.append(quarantine_result(f["location"], reason[len(QUARANTINED) + 2:], node, document=document,
                                     page=int(f["sourcePage"]) if "sourcePage" in f else None,
                                     line=int(f["sourceLine"]) if "sourceLine" in f else None,
                                     table=f.get("title")))
    out.sort(key=lambda r: (r["page"] or 0, r["line"] or 0, r["message"]))
    return out


def _parse(p: Path, fmt: ox.RdfFormat) -> list:
    """Every quad or triple of an RDF file.

    :raises InputError: naming the file and what is wrong (syntax with line and column, a term
        longer than the parser's buffer).
    """
    try:
        with p.open("rb") as fh:
            return list(ox.parse(fh, format=fmt))
    except SyntaxError as exc:
        raise InputError(f"not valid {fmt.name}: {exc}", p.name) from None
    except MemoryError as exc:  # pyoxigraph's bounded parse buffer: a huge literal or IRI
        raise InputError(f"cannot be parsed: a term is too long ({exc})", p.name) from None


def _jobs(paths: list[Path], errors: list[BudgetkgError]) -> list[tuple[str, str, list | None]]:
    jobs: list[tuple[str, str, list | None]] = []
    for p in paths:
        suffix = p.suffix.lower()
        try:
            if suffix in DOCUMENT_SUFFIXES:
                jobs.append(("document", str(p), None))
            elif suffix in (".nq", ".trig"):
                graphs: dict[str, list[ox.Triple]] = {}
                for q in _parse(p, RDF_FORMATS[suffix]):
                    g = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
                    if g.endswith("/validation"):
                        continue  # a published validation report, not data
                    graphs.setdefault(g, []).append(ox.Triple(q.subject, q.predicate, q.object))
                for g, triples in sorted(graphs.items()):
                    jobs.append(("rdf", f"{p.name} <{g}>" if g else p.name, triples))
            elif suffix in RDF_FORMATS:
                jobs.append(("rdf", p.name, _parse(p, RDF_FORMATS[suffix])))
            else:
                refuse_foreign(p, p.read_bytes()[:65536])  # a Word file is named for what it is
                raise InputError("not a disclosure (.txt, .pdf) or RDF file (.ttl, .nt, .nq, .trig)", p.name)
        except InputError as exc:
            errors.append(exc)
    return jobs


def validate_sources(
    sources: list[str] | None, jobs: int | None = None, *, errors: list[BudgetkgError] | None = None,
    engine: str = "batch",
) -> list[tuple[str, Outcome]]:
    """Validate every source on its own; no source: samples and vocabulary.

    ``engine`` ``batch``: the sources are read in parallel, then validated one by one
    (:func:`budgetkg.etl.validation.validate_documents`); ``pyshacl`` or ``rdflib``: each source
    read and validated by pyshacl in a worker process (the reference).

    Every source is tried. A source that cannot be read is appended to ``errors`` when a list is
    given, else raised after the others ran.

    :raises InputError: the one bad source (``errors`` not given).
    :raises SourcesFailed: several bad sources, each named (``errors`` not given).
    """
    failed: list[BudgetkgError] = [] if errors is None else errors
    if sources:
        work = _jobs(_expand(sources), failed)
    else:
        from budgetkg.resources import default_sources

        work = [("document", str(p), None) for p in default_sources()] + [("vocabulary", "vocabulary", None)]
    workers = min(len(work), jobs or os.cpu_count() or 1)
    step = _read_one if engine == "batch" else partial(_validate_one, engine=engine)
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers, initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
            done = list(pool.map(step, work))
    else:
        done = [step(j) for j in work]
    if engine == "batch":
        done = _validate_read(done)
    failed += [result for _, result in done if isinstance(result, BudgetkgError)]
    if errors is None and failed:
        raise failed[0] if len(failed) == 1 else SourcesFailed(failed, total=len(sources or work))
    return [(name, result) for name, result in done if not isinstance(result, BudgetkgError)]


# ---------------------------------------------------------------- rendering


def _counts(outcomes) -> tuple[int, int]:
    v = sum(len(o.violations) for _, o in outcomes)
    w = sum(len(o.warnings) for _, o in outcomes)
    return v, w


def render_text(outcomes: list[tuple[str, Outcome]]) -> str:
    """Results grouped by rule, then by document, with table, row, column and line."""
    v, w = _counts(outcomes)
    lines = [f"{len(outcomes)} graph(s) validated: {v} violation(s), {w} warning(s)"]
    by_rule: dict[tuple[str, str], dict[str, list[dict]]] = {}
    for name, outcome in outcomes:
        for r in outcome.results:
            by_rule.setdefault((r["severity"], r["rule"]), {}).setdefault(name, []).append(r)
    for (severity, rule), docs in sorted(by_rule.items()):
        first = next(iter(docs.values()))[0]
        total = sum(len(rs) for rs in docs.values())
        lines += ["", f"{severity} {rule}: {first['name']} ({total})"]
        if first["see_also"]:
            lines.append(f"  see {', '.join(first['see_also'])}")
        for doc, rs in sorted(docs.items()):
            lines.append(f"  {doc}")
            for r in rs:
                lines.append(f"    {format_result(r)[len(r['rule']) + 3:]}")
                if r.get("message_zh"):
                    lines.append(f"      {r['message_zh']}")
    return "\n".join(lines) + "\n"


def render_json(outcomes: list[tuple[str, Outcome]]) -> str:
    v, w = _counts(outcomes)
    doc = {
        "conforms": v == 0, "violations": v, "warnings": w,
        "graphs": [{"source": name, "conforms": o.conforms, "results": o.results} for name, o in outcomes],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def render_ttl(outcomes: list[tuple[str, Outcome]]) -> str:
    """One sh:ValidationReport with every result (pyshacl's reports merged)."""
    import rdflib
    from rdflib.namespace import RDF, SH

    merged = rdflib.Graph()
    merged.bind("sh", SH)
    report = rdflib.BNode()
    merged.add((report, RDF.type, SH.ValidationReport))
    conforms = True
    for _, outcome in outcomes:
        conforms = conforms and outcome.conforms
        for s, p, o in outcome.report:
            if p == SH.conforms or (p == RDF.type and o == SH.ValidationReport):
                continue
            if p == SH.result:
                merged.add((report, SH.result, o))
            else:
                merged.add((s, p, o))
    merged.add((report, SH.conforms, rdflib.Literal(conforms)))
    return merged.serialize(format="turtle")


def main(args) -> int:
    """Print the report of every readable source, then every source that could not be read.

    :returns: 2 when a source could not be read, else 1 on a violation, else 0.
    """
    errors: list[BudgetkgError] = []
    sources = list(getattr(args, "sources", None) or [])
    outcomes = validate_sources(sources, errors=errors, engine=getattr(args, "engine", None) or "batch")
    fmt = getattr(args, "format", "text") or "text"
    render = {"text": render_text, "json": render_json, "ttl": render_ttl}[fmt]
    if outcomes or not errors:
        sys.stdout.write(render(outcomes))
    if errors:
        raise errors[0] if len(errors) == 1 else SourcesFailed(errors, total=len(outcomes) + len(errors))
    violations, _ = _counts(outcomes)
    return VIOLATION if violations else SUCCESS
