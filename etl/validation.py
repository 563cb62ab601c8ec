"""SHACL validation of document graphs against ``shapes/*.ttl``.

Two engines give the same report: ``batch`` (the default: the shapes compiled to SPARQL by
:mod:`budgetkg.etl.shacl_batch`, compiled once for many documents) and ``pyshacl`` (the
reference, one document at a time, unpatched; tests/shapes/test_shapes_batch.py compares both on every
sample and corpus document; the other tests validate with ``batch``).

API: :func:`validate_triples` ``(triples, path) -> list[dict]`` (the build's hook: raises
:class:`ValueError` naming the violations, returns the warnings); :func:`validate_graph`
``(triples, *, document=None, engine="batch") -> Outcome`` (every result);
:func:`validate_documents` ``([(triples, name), ...]) -> list[Outcome]`` (the shapes compiled once);
:func:`validate_vocabulary`
``() -> Outcome`` (the ontology and code lists themselves); :func:`context_triples`;
:func:`report_triples` ``(warnings, graph_iri) -> list[pyoxigraph.Triple]`` and
:func:`report_graph_iri` (the published validation report of a document, from
:mod:`budgetkg.etl.findings`). ``budgetkg validate`` is :mod:`budgetkg.etl.validation_report`,
which imports this module (never the reverse).

A document is validated on its own, with only the vocabulary it uses: the data structure
definitions of its tables (components, dimensions, code lists) and the code-list concepts
it refers to, with their broader concepts (:func:`context_triples`). No inference is run.
Documents are validated in parallel by the build's worker processes. Arithmetic shapes use
exact ``xsd:decimal`` arithmetic (in oxigraph, and in rdflib with Python :class:`decimal.Decimal`).

Each result is a dict: ``rule`` (the shape's local name), ``name``, ``severity``
(``Violation``/``Warning``/``Info``), ``message`` (en), ``message_zh``, ``focus``,
``path``, ``value``, ``document``, ``table``, ``row``, ``column``, ``line``, ``page``,
``expected``, ``printed`` (arithmetic), ``see_also``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from pathlib import Path

import pyoxigraph as ox
import rdflib

from budgetkg import names
from budgetkg.resources import SHAPES, files

from .findings import describe_results, report_graph_iri, report_triples, retag_messages  # noqa: F401  (re-exported)
from .shacl_screen import group, last_of, positions, to_ox
from .terms import Triples, columns, few_collections, joined
from .vocabulary import vocabulary_files, vocabulary_triples

BKG_IRI, CL_IRI, QB_IRI, SKOS_IRI, RDF_TYPE = names.BKG, names.CL, names.QB, names.SKOS, names.RDF_TYPE
SKOSXL_IRI, DCT_IRI = names.SKOSXL, names.DCT
# Code lists included whole when a document uses them (rules need every concept, e.g.
# "every project has an indicator of each level 1", "every prescribed table is there").
WHOLE_SCHEMES = (CL_IRI + "indicator-level", CL_IRI + "table-kind")
# altLabel: the other names of a code (audit: printed name against printed code);
# prescribedFor: the tables a phase's template prescribes (audit: completeness);
# grandTotalOf: the table whose total a narrative item states (audit: narrative against tables);
# rowLabelNamesItem: tables whose row labels name items, not codes (audit: printed name against printed code).
_CONCEPT_KEEP = frozenset({RDF_TYPE, BKG_IRI + "prescribedFor", BKG_IRI + "grandTotalOf", BKG_IRI + "rowLabelNamesItem"}) | {
    SKOS_IRI + p for p in ("inScheme", "notation", "broader", "prefLabel", "altLabel", "topConceptOf")} | {
    SKOSXL_IRI + "prefLabel", SKOSXL_IRI + "altLabel"}
# A printed name of a code (bkg:PrintedName): its form and year (audit: a name for the document's year).
_NAME_KEEP = frozenset({SKOSXL_IRI + "literalForm", DCT_IRI + "valid"})
# Code lists whose rows print codes: a concept a document uses comes with the other codes of its level
# under its parent (audit: which code a printed name belongs to, when not to the printed code).
SIBLING_SCHEMES = (CL_IRI + "functional", CL_IRI + "economic")
# Component specifications and properties come without their rdf:type: the shapes on the
# vocabulary itself (IC-3 to IC-6) are checked once, by validate_vocabulary, not per document.
_PROPERTY_KEEP = frozenset({names.RDFS + "range", QB_IRI + "codeList"})
_COMPONENT_KEEP = frozenset(QB_IRI + p for p in ("dimension", "measure", "attribute", "componentRequired", "order"))
_DSD_KEEP = frozenset({RDF_TYPE, QB_IRI + "component"})
_TYPE_KEEP = frozenset({RDF_TYPE})
_IN_SCHEME = SKOS_IRI + "inScheme"
_STRUCTURE = ox.NamedNode(QB_IRI + "structure")
# The nodes the context follows from a kept triple, by its predicate: what is kept of its object.
_FOLLOW = {SKOS_IRI + "broader": _CONCEPT_KEEP, SKOSXL_IRI + "prefLabel": _NAME_KEEP, SKOSXL_IRI + "altLabel": _NAME_KEEP,
           _IN_SCHEME: _TYPE_KEEP, SKOS_IRI + "topConceptOf": _TYPE_KEEP, QB_IRI + "codeList": _TYPE_KEEP,
           QB_IRI + "component": _COMPONENT_KEEP, QB_IRI + "dimension": _PROPERTY_KEEP, QB_IRI + "measure": _PROPERTY_KEEP,
           QB_IRI + "attribute": _PROPERTY_KEEP}
log = logging.getLogger(__name__)


# ---------------------------------------------------------------- shapes and vocabulary


def shape_files() -> list[Path]:
    return files(SHAPES, "*.ttl")


@lru_cache(maxsize=1)
def shapes_graph() -> rdflib.Graph:
    """Every shapes file in one graph (parsed once per process)."""
    g = rdflib.Graph()
    for path in shape_files():
        g.parse(path, format="turtle")
    return g


@dataclass
class _Vocabulary:
    by_subject: dict[ox.NamedNode, list[ox.Triple]] = field(default_factory=dict)
    schemes: dict[ox.NamedNode, list[ox.NamedNode]] = field(default_factory=dict)  # scheme -> concepts
    dimension_properties: list[ox.NamedNode] = field(default_factory=list)
    siblings: dict[ox.NamedNode, list[ox.NamedNode]] = field(default_factory=dict)  # parent or scheme -> concepts
    parent: dict[ox.NamedNode, ox.NamedNode] = field(default_factory=dict)  # concept of a SIBLING_SCHEMES list -> parent or scheme
    # subject -> (predicate IRI, object when an IRI, triple) of each of its triples: read once, not at each document
    links: dict[ox.NamedNode, list[tuple[str, ox.NamedNode | None, ox.Triple]]] = field(default_factory=dict)
    # (node, what is kept of it) -> (its kept triples, the nodes they lead to): made once per process, not at each
    # document
    kept: dict[tuple, tuple[list, list]] = field(default_factory=dict)


@lru_cache(maxsize=1)
def _vocabulary() -> _Vocabulary:
    v = _Vocabulary()
    in_scheme = ox.NamedNode(SKOS_IRI + "inScheme")
    for path in vocabulary_files():
        with path.open("rb") as fh:
            for t in ox.parse(fh, format=ox.RdfFormat.TURTLE):
                if isinstance(t.subject, ox.NamedNode):
                    v.by_subject.setdefault(t.subject, []).append(t)
                    o = t.object
                    v.links.setdefault(t.subject, []).append((t.predicate.value, o if isinstance(o, ox.NamedNode) else None, t))
                    if t.predicate == in_scheme and isinstance(t.object, ox.NamedNode):
                        v.schemes.setdefault(t.object, []).append(t.subject)
                    if t.predicate.value == RDF_TYPE and t.object.value == QB_IRI + "DimensionProperty":
                        v.dimension_properties.append(t.subject)
                    if (t.predicate.value in (SKOS_IRI + "broader", SKOS_IRI + "topConceptOf")
                            and t.subject.value.startswith(SIBLING_SCHEMES)):
                        v.parent[t.subject] = t.object
                        v.siblings.setdefault(t.object, []).append(t.subject)
    return v


def context_triples(triples) -> list[ox.Triple]:
    """The vocabulary a document's graph needs to be validated on its own.

    Data structure definitions named by ``qb:structure`` (with their component
    specifications and component properties), every code-list concept the document refers
    to (type, scheme, notation, broader, preferred labels) with its broader concepts, the
    type of each scheme, and the range and code list of every dimension property.
    """
    v = _vocabulary()
    out: list[ox.Triple] = []
    seen: set[ox.NamedNode] = set()
    subjects = set()
    # The stack of nodes to visit: the dimension properties, then for each triple in order its
    # code-list concept (with the concept's siblings) or data structure. A node pushed again
    # higher up is visited there, so only its last push counts: the triples are read backwards
    # keeping each node's first sighting (a concept's siblings are listed once, not once per cell
    # that uses the concept), and the stack is the reverse of that.
    backwards: list[tuple[ox.NamedNode, set[str]]] = []

    def sight(items) -> None:
        for item in items:
            if item[0] not in seen:
                seen.add(item[0])
                backwards.append(item)

    triples = triples if isinstance(triples, list) else list(triples)
    subject_terms, predicates, objects = columns(triples)
    subjects.update(subject_terms)
    vocabulary = v.by_subject
    # Read backwards, a concept is met first at its last position in the document, a data structure at its last
    # position as the object of qb:structure: the IRIs' last positions are found in C (literals not even hashed), and
    # the loop is over the distinct IRIs, not over every triple.
    structures = {objects[i]: i for i in positions(predicates, _STRUCTURE)}
    met = []
    for o, i in last_of(objects, ox.NamedNode).items():  # (the term classes are final: a type is a class)
        if o not in vocabulary:
            continue
        if o.value.startswith(CL_IRI):
            met.append((i, o, True))
        elif o in structures:
            met.append((structures[o], o, False))
    met.sort(key=itemgetter(0), reverse=True)  # (one object per position)
    for _, o, concept in met:
        if concept:
            pushed = [(o, _CONCEPT_KEEP)] + [(c, _CONCEPT_KEEP) for c in v.siblings.get(v.parent.get(o), ())]
        else:
            pushed = [(o, _DSD_KEEP)]
        sight(reversed(pushed))
    sight(reversed([(p, _PROPERTY_KEEP) for p in v.dimension_properties]))
    todo = backwards[::-1]
    seen.clear()
    terms: list[tuple] = []
    while todo:
        node, keep = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        kept, kept_terms, follows = _kept(v, node, keep)
        # a concept minted in the document itself keeps the document's description of it
        if not (node in subjects and node.value.startswith(CL_IRI)):
            out += kept
            terms += kept_terms
        todo += follows
    return Triples(out, terms)


def _kept(v: _Vocabulary, node: ox.NamedNode, keep: frozenset) -> tuple[list, list, list]:
    """The triples of ``node`` whose predicate is in ``keep``, their terms, and the nodes they lead to, in the order
    :func:`context_triples` visits them (a stack: the last pushed is visited first)."""
    key = (node, keep)  # a frozenset hashes once (CPython keeps its hash)
    out = v.kept.get(key)
    if out is None:
        kept, terms, follows = [], [], []
        for p, o, t in v.links.get(node, ()):
            if p not in keep:
                continue
            kept.append(t)
            terms.append((t.subject, t.predicate, t.object))
            follow = _FOLLOW.get(p) if o is not None else None
            if follow is None:
                continue
            follows.append((o, follow))
            if p == _IN_SCHEME and o.value in WHOLE_SCHEMES:
                follows.extend((c, _CONCEPT_KEEP) for c in v.schemes.get(o, ()))
        out = v.kept[key] = (kept, terms, follows)
    return out


_PREPARED: dict[str, object] = {}
SPARQL_ENGINES = ("oxigraph", "rdflib")


class ValidationGraph(rdflib.Graph):
    """The data graph handed to pyshacl: rdflib for the core constraints, with the SPARQL
    of SHACL-SPARQL constraints evaluated by pyoxigraph over the same triples.

    pyshacl runs a SPARQL constraint once per focus node, with ``$this`` pre-bound; rdflib
    parses the query text at every call and evaluates it in Python. Here the query runs
    in oxigraph with ``$this`` substituted (exact ``xsd:decimal`` arithmetic, as in rdflib).
    With ``engine="rdflib"`` queries run in rdflib, parsed once per process (for
    cross-checking the two engines).
    """

    def __init__(self, store: ox.Store | None = None, engine: str = "oxigraph"):
        super().__init__()
        if engine not in SPARQL_ENGINES:
            raise ValueError(f"unknown SPARQL engine {engine!r}")
        self.ox_store = store if engine == "oxigraph" else None

    def query(self, query_object, *args, **kwargs):
        init = kwargs.get("initBindings") or (args[3] if len(args) > 3 else None) or {}
        if isinstance(query_object, str) and self.ox_store is not None and not any(
            isinstance(v, rdflib.BNode) for v in init.values()
        ):
            return _ox_query(self.ox_store, query_object, init)
        if isinstance(query_object, str):
            prepared = _PREPARED.get(query_object)
            if prepared is None:
                from rdflib.plugins.sparql import prepareQuery

                prepared = _PREPARED[query_object] = prepareQuery(query_object)
            query_object = prepared
        return super().query(query_object, *args, **kwargs)


def _to_rdflib(term):
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    dt = term.datatype.value
    return rdflib.Literal(term.value, datatype=None if dt.endswith("#string") else rdflib.URIRef(dt))


def _ox_query(store: ox.Store, text: str, init: dict):
    from rdflib.query import Result

    subs = {ox.Variable(str(k)): to_ox(v) for k, v in init.items()}
    answer = store.query(text, substitutions=subs)
    if isinstance(answer, ox.QueryBoolean):
        out = Result("ASK")
        out.askAnswer = bool(answer)
        return out
    out = Result("SELECT")
    names = [v.value for v in answer.variables]
    out.vars = [rdflib.Variable(n) for n in names]
    out.bindings = [
        {var: _to_rdflib(sol[n]) for var, n in zip(out.vars, names) if sol[n] is not None} for sol in answer
    ]
    return out


def to_rdflib(triples, engine: str = "oxigraph") -> ValidationGraph:
    """pyoxigraph triples to the validation graph (terms converted once each)."""
    triples = list(triples)
    store = None
    if engine == "oxigraph":
        store = ox.Store()
        store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
    g = ValidationGraph(store, engine)
    cache: dict = {}

    def conv(term):
        r = cache.get(term)
        if r is None:
            r = cache[term] = _to_rdflib(term)
        return r

    g.addN((conv(t.subject), conv(t.predicate), conv(t.object), g) for t in triples)
    return g


# ---------------------------------------------------------------- running pyshacl


@dataclass
class Outcome:
    conforms: bool
    results: list[dict]
    report: rdflib.Graph
    data: rdflib.Graph

    @property
    def violations(self) -> list[dict]:
        return [r for r in self.results if r["severity"] == "Violation"]

    @property
    def warnings(self) -> list[dict]:
        return [r for r in self.results if r["severity"] != "Violation"]


def run_pyshacl(
    data: rdflib.Graph, shapes: rdflib.Graph | None = None, use_shapes: list[str] | None = None
) -> tuple[bool, rdflib.Graph]:
    """pyshacl as released: nothing of it is patched (the reference must be pyshacl's own behaviour). Its
    SHACL-SPARQL queries reach oxigraph through the data graph's public ``query`` (:class:`ValidationGraph`)."""
    import pyshacl

    conforms, report, _ = pyshacl.validate(
        data, shacl_graph=shapes if shapes is not None else shapes_graph(), inference="none",
        advanced=False, allow_warnings=True, allow_infos=True, inplace=True, abort_on_first=False,
        use_shapes=use_shapes or None,
    )
    if not isinstance(report, rdflib.Graph):  # a ValidationFailure (malformed shapes)
        raise RuntimeError(f"SHACL validation failed: {report}")
    return bool(conforms), report


ENGINES = ("batch", "pyshacl", "rdflib")


def validate_graph(
    triples, *, document: str | None = None, with_context: bool = True, engine: str = "batch",
    use_shapes: list[str] | None = None,
) -> Outcome:
    """Validate pyoxigraph ``triples`` (one document, or vocabulary) and describe every result.

    ``engine``: ``batch`` (the shapes compiled to SPARQL, :mod:`budgetkg.etl.shacl_batch`),
    ``pyshacl`` (the reference: pyshacl, with SHACL-SPARQL evaluated in oxigraph) or ``rdflib``
    (pyshacl with rdflib's own SPARQL); ``use_shapes``: IRIs of the only shapes to run (tests).
    """
    if engine == "batch":
        return validate_documents([(triples, document)], with_context=with_context, use_shapes=use_shapes)[0]
    if engine not in ENGINES:
        raise ValueError(f"unknown validation engine {engine!r} (one of {', '.join(ENGINES)})")
    triples = list(triples)
    if with_context:
        triples += context_triples(triples)
    data = to_rdflib(triples, "oxigraph" if engine == "pyshacl" else "rdflib")
    conforms, report = run_pyshacl(data, use_shapes=use_shapes)
    shapes = shapes_graph()
    retag_messages(report, shapes)
    results = describe_results(report, data, shapes, document=document)
    return Outcome(not any(r["severity"] == "Violation" for r in results), results, report, data)


@lru_cache(maxsize=16)
def _checks(use_shapes: tuple | None):
    from .shacl_batch import compile_shapes

    return compile_shapes(shapes_graph(), list(use_shapes) if use_shapes else None)


def validate_documents(documents, *, with_context: bool = True, use_shapes: list[str] | None = None) -> list[Outcome]:
    """Validate many documents with the batched engine (the shapes compiled once): ``documents``
    are ``(triples, name)`` pairs; each document is validated on its own, with the vocabulary it
    uses (:func:`.shacl_batch.run_document`), so that its report is the one it gets alone. One
    :class:`Outcome` per document, in order."""
    from .shacl_batch import run_document

    checks = _checks(tuple(use_shapes) if use_shapes else None)
    core = [c for c in checks if c.focus_query is None]
    sparql = [c for c in checks if c.focus_query is not None]
    shapes = shapes_graph()
    out: list[Outcome] = []
    with few_collections():
        for triples, name in documents:
            triples = triples if isinstance(triples, list) else list(triples)
            if with_context:
                triples = joined(triples, context_triples(triples))
            report = batch_report(run_document(triples, core, sparql), shapes)
            data = TriplesGraph(triples)
            results = describe_results(report, data, shapes, document=name)
            out.append(Outcome(not any(r["severity"] == "Violation" for r in results), results, report, data))
    return out


def batch_report(findings, shapes: rdflib.Graph) -> rdflib.Graph:
    """The sh:ValidationReport of the batched engine's findings, as pyshacl writes it (messages
    of SHACL-SPARQL constraints filled from the solution's variables, then tagged again)."""
    import re

    from rdflib.namespace import RDF, SH

    report = rdflib.Graph()
    node = rdflib.BNode()
    report.add((node, RDF.type, SH.ValidationReport))
    report.add((node, SH.conforms, rdflib.Literal(not any(f.check.severity == SH.Violation for f in findings))))
    for f in findings:
        c = f.check
        r = rdflib.BNode()
        report.add((node, SH.result, r))
        focus, value = _to_rdflib(f.focus), _to_rdflib(f.value)
        path = f.path if isinstance(f.path, rdflib.term.Node) or f.path is None else _to_rdflib(f.path)
        report.add((r, RDF.type, SH.ValidationResult))
        report.add((r, SH.sourceConstraintComponent, c.component))
        report.add((r, SH.sourceShape, c.shape))
        report.add((r, SH.resultSeverity, c.severity))
        report.add((r, SH.focusNode, focus))
        if value is not None:
            report.add((r, SH.value, value))
        if path is not None:
            report.add((r, SH.resultPath, path))
        if c.constraint is None:
            for m in c.messages:
                report.add((r, SH.resultMessage, m))
            continue
        report.add((r, SH.sourceConstraint, c.constraint))
        names = {k: _to_rdflib(v) for k, v in f.bindings.items()}
        names.update({"this": focus, "value": value, "path": path})
        for m in c.messages:
            text = str(m)
            for var, val in names.items():
                if val is not None:
                    text = re.sub("{{[?$]{}}}".format(var), str(val), text)  # as pyshacl fills them
            report.add((r, SH.resultMessage, rdflib.Literal(text)))
    retag_messages(report, shapes)
    return report


class TriplesGraph:
    """The part of rdflib's Graph API that reports use (``objects``, ``subjects``, ``in``,
    iteration), over a list of pyoxigraph triples. Indexed on first use, by subject, and by
    object for each predicate asked (a report asks few; indexing every triple twice cost more
    than the queries of a small document)."""

    def __init__(self, triples):
        self.triples = triples = triples if isinstance(triples, list) else list(triples)
        self.columns = columns(triples)
        self._by_subject: dict | None = None
        self._by_object: dict = {}  # predicate -> {object: [subjects]}

    def _subjects(self) -> dict:
        """subject -> the positions of its triples."""
        if self._by_subject is None:
            self._by_subject = group(self.columns[0])
        return self._by_subject

    def objects(self, s, p):
        if isinstance(s, rdflib.Literal) or s is None:
            return iter(())
        p = to_ox(p)
        _, predicates, objects = self.columns
        return (_to_rdflib(objects[i]) for i in self._subjects().get(to_ox(s), ()) if predicates[i] == p)

    def subjects(self, p, o):
        p = to_ox(p)
        index = self._by_object.get(p)
        if index is None:
            index = self._by_object[p] = {}
            for s, q, x in zip(*self.columns):
                if q == p:
                    index.setdefault(x, []).append(s)
        return (_to_rdflib(s) for s in index.get(to_ox(o), ()))

    def __contains__(self, triple) -> bool:
        s, p, o = triple
        if p is not None or o is not None or isinstance(s, rdflib.Literal):
            raise NotImplementedError("only (node, None, None) in graph")
        return to_ox(s) in self._subjects()

    def __iter__(self):
        return ((_to_rdflib(t.subject), _to_rdflib(t.predicate), _to_rdflib(t.object)) for t in self.triples)

    def __len__(self) -> int:
        return len(self.triples)


def validate_vocabulary() -> Outcome:
    """The ontology and code lists validated as data (DSDs, dimension properties, concepts)."""
    return validate_graph(vocabulary_triples(), document="vocabulary", with_context=False)


def validate_triples(triples, path) -> list[dict]:
    """The build's hook: validate one document's triples.

    :raises ValidationFailed: naming every violation (rule, table, row, message) when the graph
        violates a shape of severity sh:Violation.
    :returns: the warnings (dicts, see the module docstring), sorted.
    """
    outcome = validate_graph(triples, document=Path(str(path)).name)
    if outcome.violations:
        lines = [format_result(r) for r in outcome.violations[:50]]
        more = len(outcome.violations) - len(lines)
        if more > 0:
            lines.append(f"... and {more} more")
        from budgetkg.errors import ValidationFailed

        raise ValidationFailed(f"{path}: {len(outcome.violations)} SHACL violation(s):\n  " + "\n  ".join(lines))
    return outcome.warnings


def format_result(r: dict) -> str:
    where = ", ".join(
        f"{k} {r[k]}" for k in ("table", "row", "column", "line", "page") if r.get(k) not in (None, "")
    )
    if r.get("table") and r["table"] in r["message"]:
        where = ", ".join(f"{k} {r[k]}" for k in ("line", "page") if r.get(k) is not None)
    return f"[{r['rule']}] {where + ': ' if where else ''}{r['message']}"
