"""Batched SHACL: every shape of ``shapes/`` compiled to SPARQL SELECT queries, run over each
document of a batch in a pyoxigraph store of its own.

API: :func:`compile_shapes` ``(shapes, use_shapes=None) -> list[Check]``; :func:`run_batch`
``(documents, checks) -> list[list[Finding]]`` (``documents``: one triple list per document);
:func:`run_document`; :class:`Unsupported` (raised while compiling a shape that uses a constraint
component, target or path form this compiler does not translate: nothing is skipped silently);
:data:`SUPPORTED`.

The translation follows the SHACL Core and SHACL-SPARQL definitions as pyshacl implements them
(pyshacl stays the reference engine: tests compare both reports on every sample):

- focus nodes: ``sh:targetClass`` (``rdf:type/rdfs:subClassOf*`` in the data), ``sh:targetNode``
  (in every document), ``sh:targetSubjectsOf`` / ``sh:targetObjectsOf``;
- value nodes: the property path (predicate, inverse, sequence, alternative, ``*`` ``+`` ``?``);
- one query per constraint component, answering ``?G ?this [?value ...]`` for every result, run
  only when a screen in Python (:mod:`.shacl_screen`) cannot tell that it has no answer;
- ``sh:sparql``: the focus nodes from one query, then the constraint's own
  SELECT once per focus node with ``$this`` (and ``$currentShape``) pre-bound, on its document's graph
  (see :func:`run_check`).

Each document's graph must already hold the vocabulary it is validated with (see
:func:`budgetkg.etl.validation.context_triples`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from itertools import count

import pyoxigraph as ox
import rdflib

from budgetkg import names
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD

from . import shacl_screen, sparql_screen, sparql_shared

GRAPH_VAR = "bkgBatchGraph"
_G = "?" + GRAPH_VAR
# SHACL instance of: rdf:type/rdfs:subClassOf*; a batch without rdfs:subClassOf triples (every
# document graph) runs the plain rdf:type pattern, which oxigraph joins far better.
_INSTANCE = "INSTANCE__OF"
_TYPE = f"<{names.RDF_TYPE}>"
_SUBCLASS = f"<{names.RDFS}subClassOf>"
# Lexical forms of the datatypes whose ill-typed literals pyshacl (through rdflib) reports.
_LEXICAL = {
    XSD.integer: r"^[+-]?[0-9]+$",
    XSD.decimal: r"^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)$",
    XSD.boolean: r"^(true|false|1|0)$",
    XSD.gYear: r"^-?[0-9]{4,}(Z|[+-][0-9]{2}:[0-9]{2})?$",
    XSD.date: r"^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?$",
}
# Parameters of the constraint components this compiler translates; any other sh: predicate
# on a shape raises Unsupported.
SUPPORTED = {
    SH["class"], SH.datatype, SH.nodeKind, SH.languageIn, SH.minInclusive, SH.maxInclusive, SH.minExclusive,
    SH.maxExclusive, SH.pattern, SH.flags, SH["in"], SH.hasValue, SH.minCount, SH.maxCount, SH.uniqueLang,
    SH.equals, SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount, SH["or"], SH["and"],
    SH["not"], SH.property, SH.sparql,
}
# Predicates of a shape that are not constraints.
_DESCRIPTIVE = {
    RDF.type, SH.name, SH.message, SH.description, SH.severity, SH.path, SH.targetClass, SH.targetNode,
    SH.targetSubjectsOf, SH.targetObjectsOf, SH.deactivated, SH.order, SH.group, SH.defaultValue,
    RDFS.label, RDFS.comment, RDFS.seeAlso,
}
_COMPONENT = {
    SH["class"]: SH.ClassConstraintComponent, SH.datatype: SH.DatatypeConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent, SH.languageIn: SH.LanguageInConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent, SH.maxInclusive: SH.MaxInclusiveConstraintComponent,
    SH.minExclusive: SH.MinExclusiveConstraintComponent, SH.maxExclusive: SH.MaxExclusiveConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent, SH["in"]: SH.InConstraintComponent,
    SH.hasValue: SH.HasValueConstraintComponent, SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent, SH.uniqueLang: SH.UniqueLangConstraintComponent,
    SH.equals: SH.EqualsConstraintComponent, SH.qualifiedMinCount: SH.QualifiedMinCountConstraintComponent,
    SH.qualifiedMaxCount: SH.QualifiedMaxCountConstraintComponent, SH["or"]: SH.OrConstraintComponent,
    SH["and"]: SH.AndConstraintComponent, SH["not"]: SH.NotConstraintComponent,
    SH.sparql: SH.SPARQLConstraintComponent,
}
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
# A blank node in N-Triples (a subject starts a line, an object follows a space; a literal holding
# " _:" only sends its document the slower way).
_BLANK = re.compile(rb"(?:^|[ \n])_:")


class Unsupported(ValueError):
    """A shape uses something this compiler does not translate (named with the shape)."""


@dataclass(frozen=True)
class Check:
    """One compiled constraint: its query answers ``?G ?this`` (and ``?value``, ``?path``, message
    variables) for every result."""

    shape: rdflib.term.Node
    component: rdflib.URIRef
    severity: rdflib.URIRef
    path: rdflib.term.Node | None
    query: str
    value: str  # "row" (?value of the row), "focus" (the focus node), "row-or-focus", "none"
    messages: tuple
    constraint: rdflib.term.Node | None = None
    targets: tuple = ()  # sh:targetNode IRIs (rows of VALUES, one per document)
    focus_query: str | None = None  # SHACL-SPARQL: the focus nodes, ``query`` runs once for each
    prologue: str = ""  # SHACL-SPARQL: the PREFIX declarations ``query`` starts with
    shared: tuple = ()  # SHACL-SPARQL: sub-SELECTs run once per focus node for every check (sparql_shared)
    at_once: bool = False  # SHACL-SPARQL: may run once for all focus nodes of a document (sparql_shared.at_once)
    screen: tuple | None = None  # core: the test telling in Python that the query finds nothing (shacl_screen)
    focus_screen: object = None  # SHACL-SPARQL: ``(index, focus) -> bool``, False when no solution (sparql_screen)


@dataclass
class Finding:
    check: Check
    focus: ox.Term
    value: ox.Term | None
    path: object  # an rdflib path node, an ox term (?path of a SPARQL row) or None
    bindings: dict = field(default_factory=dict)  # SPARQL message variables


def _term(node) -> str:
    """An rdflib term in SPARQL syntax."""
    if isinstance(node, rdflib.URIRef):
        return f"<{node}>"
    if isinstance(node, rdflib.Literal):
        if node.language:
            return str(ox.Literal(str(node), language=node.language))
        return str(ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype or XSD.string))))
    raise Unsupported(f"a blank node where a constant is expected: {node}")


class _Compiler:
    def __init__(self, g: rdflib.Graph):
        self.g = g
        self.fresh = count()
        self.prefix_text = self._prefix_map()

    def var(self, stem: str = "v") -> str:
        return f"?{stem}{next(self.fresh)}"

    def _prefix_map(self) -> dict:
        out = {}
        for decl in self.g.objects(None, SH.declare):
            out[str(self.g.value(decl, SH.prefix))] = str(self.g.value(decl, SH.namespace))
        return out

    # ------------------------------------------------------------ paths and targets

    def path(self, node) -> str:
        g = self.g
        if isinstance(node, rdflib.URIRef):
            return f"<{node}>"
        if (node, RDF.first, None) in g:
            return "(" + "/".join(self.path(p) for p in Collection(g, node)) + ")"
        for pred, fmt in ((SH.inversePath, "^({})"), (SH.zeroOrMorePath, "({})*"), (SH.oneOrMorePath, "({})+"),
                          (SH.zeroOrOnePath, "({})?")):
            inner = g.value(node, pred)
            if inner is not None:
                return fmt.format(self.path(inner))
        alt = g.value(node, SH.alternativePath)
        if alt is not None:
            return "(" + "|".join(self.path(p) for p in Collection(g, alt)) + ")"
        raise Unsupported(f"path form of {node}")

    def target(self, shape, local: bool = False) -> tuple[str, tuple]:
        """The pattern binding ?this (and, unless ``local``, the graph variable) to every focus
        node; and the sh:targetNode IRIs. Batched, those are bound by a VALUES block the runner
        fills with one row per document; ``local`` (one document as the default graph), by
        ``VALUES ?this``."""
        g = self.g
        parts = [f"?this {_INSTANCE} {_term(c)} ." for c in g.objects(shape, SH.targetClass)]
        parts += [f"{{ SELECT DISTINCT ?this WHERE {{ ?this {_term(p)} ?t_o }} }}" for p in g.objects(shape, SH.targetSubjectsOf)]
        parts += [f"{{ SELECT DISTINCT ?this WHERE {{ ?t_s {_term(p)} ?this }} }}" for p in g.objects(shape, SH.targetObjectsOf)]
        nodes = tuple(sorted(str(n) for n in g.objects(shape, SH.targetNode)))
        if nodes:
            parts.append("{ VALUES ?this { " + " ".join(f"<{n}>" for n in nodes) + " } }" if local else "{ VALUES__TARGETS }")
        if not parts:
            raise Unsupported(f"shape {shape} has no target")
        if len(parts) == 1:
            return parts[0], nodes
        # A node reached by two targets is one focus node.
        union = " UNION ".join(p if p.startswith("{") else "{ " + p + " }" for p in parts)
        if local:
            return f"{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}", nodes
        return f"{{ SELECT DISTINCT {_G} ?this WHERE {{ GRAPH {_G} {{ {union} }} }} }}", nodes

    # ------------------------------------------------------------ value conditions

    def violation(self, param, arg, v: str, shape) -> str | None:
        """A SPARQL expression, never an error, true when value ``v`` breaks the constraint
        (for the value-level components); None for others."""
        g = self.g
        if param == SH.datatype:
            if arg == RDF.langString:
                return f"!(isLiteral({v}) && LANG({v}) != \"\")"
            if arg == RDFS.Literal:
                return f"!isLiteral({v})"
            lex = _LEXICAL.get(arg)
            ok = f"isLiteral({v}) && sameTerm(DATATYPE({v}), {_term(arg)})"
            if lex:
                ok += f" && REGEX(STR({v}), \"{lex}\")"
            return f"!({ok})"
        if param == SH.nodeKind:
            kinds = {SH.IRI: f"isIRI({v})", SH.BlankNode: f"isBlank({v})", SH.Literal: f"isLiteral({v})",
                     SH.BlankNodeOrIRI: f"(isIRI({v}) || isBlank({v}))", SH.IRIOrLiteral: f"(isIRI({v}) || isLiteral({v}))",
                     SH.BlankNodeOrLiteral: f"(isBlank({v}) || isLiteral({v}))"}
            if arg not in kinds:
                raise Unsupported(f"sh:nodeKind {arg} of {shape}")
            return f"!{kinds[arg]}"
        if param == SH.languageIn:
            langs = [str(x).lower() for x in Collection(g, arg)]
            if "*" in langs:
                return f"!(isLiteral({v}) && LANG({v}) != \"\")"
            tags = ", ".join(_term(rdflib.Literal(x)) for x in langs)
            return (f"!(isLiteral({v}) && LANG({v}) != \"\" && (LCASE(LANG({v})) IN ({tags})"
                    f" || LCASE(STRBEFORE(CONCAT(LANG({v}), \"-\"), \"-\")) IN ({tags})))")
        ops = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}
        if param in ops:
            return f"!(isLiteral({v}) && COALESCE({v} {ops[param]} {_term(arg)}, false))"
        if param == SH.pattern:
            flags = g.value(shape, SH.flags)
            fl = f", {_term(rdflib.Literal(str(flags)))}" if flags is not None else ""
            return f"!(!isBlank({v}) && REGEX(STR({v}), {_term(rdflib.Literal(str(arg)))}{fl}))"
        if param == SH["in"]:
            items = list(Collection(g, arg))
            return "!(" + (" || ".join(f"sameTerm({v}, {_term(x)})" for x in items) or "false") + ")"
        return None

    def conforms(self, shape, v: str) -> str:
        """A SPARQL expression true when node ``v`` conforms to ``shape`` (nested shapes of
        sh:or, sh:and, sh:not, sh:qualifiedValueShape)."""
        g = self.g
        self.check_known(shape)
        path = g.value(shape, SH.path)
        conds = []
        if path is None:
            for p, o in g.predicate_objects(shape):
                conds += self._node_conforms(p, o, v, shape)
            return "(" + (" && ".join(conds) or "true") + ")"
        p_text = self.path(path)
        for p, o in g.predicate_objects(shape):
            x = self.var("q")
            bad = self.violation(p, o, x, shape)
            if bad is not None:
                conds.append(f"NOT EXISTS {{ {v} {p_text} {x} FILTER ({bad}) }}")
            elif p == SH["class"]:
                conds.append(f"NOT EXISTS {{ {v} {p_text} {x} FILTER NOT EXISTS {{ {x} {_INSTANCE} {_term(o)} }} }}")
            elif p == SH.hasValue:
                conds.append(f"EXISTS {{ {v} {p_text} {_term(o)} }}")
            elif p == SH.minCount and int(o) <= 1:
                conds.append(f"EXISTS {{ {v} {p_text} {x} }}" if int(o) == 1 else "true")
            elif p == SH.maxCount and int(o) == 0:
                conds.append(f"NOT EXISTS {{ {v} {p_text} {x} }}")
            elif p == SH.maxCount and int(o) == 1:
                y = self.var("q")
                conds.append(f"NOT EXISTS {{ {v} {p_text} {x} . {v} {p_text} {y} FILTER (!sameTerm({x}, {y})) }}")
            elif p in SUPPORTED:
                raise Unsupported(f"{p} in a nested property shape {shape}")
        return "(" + (" && ".join(conds) or "true") + ")"

    def _node_conforms(self, p, o, v, shape) -> list[str]:
        g = self.g
        bad = self.violation(p, o, v, shape)
        if bad is not None:
            return [f"!({bad})"]
        if p == SH["class"]:
            return [f"EXISTS {{ {v} {_INSTANCE} {_term(o)} }}"]
        if p == SH.hasValue:
            return [f"sameTerm({v}, {_term(o)})"]
        if p == SH["not"]:
            return [f"!{self.conforms(o, v)}"]
        if p == SH["or"]:
            return ["(" + " || ".join(self.conforms(s, v) for s in Collection(g, o)) + ")"]
        if p == SH["and"]:
            return ["(" + " && ".join(self.conforms(s, v) for s in Collection(g, o)) + ")"]
        if p == SH.property:
            return [self.conforms(o, v)]
        if p in SUPPORTED:
            raise Unsupported(f"{p} in a nested node shape {shape}")
        return []

    def check_known(self, shape) -> None:
        for p in set(self.g.predicates(shape)):
            if p in SUPPORTED or p in _DESCRIPTIVE or not str(p).startswith(str(SH)):
                continue
            raise Unsupported(f"constraint parameter {p} of shape {shape}")

    # ------------------------------------------------------------ shapes

    def shape_checks(self, shape, target: str, nodes: tuple, focus: tuple | None = None) -> list[Check]:
        """The checks of ``shape``; ``focus``: its targets as :func:`.shacl_screen.targets` gives them."""
        g = self.g
        if g.value(shape, SH.deactivated) == rdflib.Literal(True):
            return []
        self.check_known(shape)
        severity = g.value(shape, SH.severity) or SH.Violation
        messages = tuple(g.objects(shape, SH.message))
        path = g.value(shape, SH.path)
        out: list[Check] = []

        def add(param, arg, query, value):
            screen = shacl_screen.plan(g, shape, param, arg, path, focus, _LEXICAL)
            out.append(Check(shape, _COMPONENT[param], severity, path, query, value, messages, targets=nodes, screen=screen))

        head = f"SELECT DISTINCT {_G} ?this"
        if path is None:
            for p, o in sorted(g.predicate_objects(shape)):
                if p == SH.property:
                    out += self.shape_checks(o, target, nodes, focus)
                elif p == SH.sparql:
                    out += self.sparql_check(shape, o, target, nodes, severity, messages)
                elif p in (SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.minCount,
                           SH.maxCount, SH.uniqueLang, SH.equals, SH.flags):
                    if p != SH.flags:
                        raise Unsupported(f"{p} on node shape {shape}")
                else:
                    cond = self._node_conforms(p, o, "?this", shape)
                    if cond:
                        add(p, o, f"{head} WHERE {{ GRAPH {_G} {{ {target} FILTER (!{cond[0]}) }} }}", "focus")
            return out
        pt = self.path(path)
        for p, o in sorted(g.predicate_objects(shape)):
            bad = self.violation(p, o, "?value", shape)
            if bad is not None:
                add(p, o, f"{head} ?value WHERE {{ GRAPH {_G} {{ {target} ?this {pt} ?value . FILTER ({bad}) }} }}", "row")
            elif p == SH["class"]:
                add(p, o, f"{head} ?value WHERE {{ GRAPH {_G} {{ {target} ?this {pt} ?value . "
                       f"FILTER NOT EXISTS {{ ?value {_INSTANCE} {_term(o)} }} }} }}", "row")
            elif p == SH.hasValue:
                add(p, o, f"{head} WHERE {{ GRAPH {_G} {{ {target} FILTER NOT EXISTS {{ ?this {pt} {_term(o)} }} }} }}", "none")
            elif p == SH.minCount:
                n = int(o)
                if n == 1:
                    add(p, o, f"{head} WHERE {{ GRAPH {_G} {{ {target} FILTER NOT EXISTS {{ ?this {pt} ?v }} }} }}", "none")
                elif n > 1:
                    add(p, o, f"SELECT {_G} ?this WHERE {{ {{ SELECT {_G} ?this (COUNT(DISTINCT ?v) AS ?n) WHERE {{ "
                           f"GRAPH {_G} {{ {target} OPTIONAL {{ ?this {pt} ?v }} }} }} GROUP BY {_G} ?this }} FILTER (?n < {n}) }}",
                        "none")
            elif p == SH.maxCount:
                add(p, o, f"SELECT {_G} ?this WHERE {{ GRAPH {_G} {{ {target} ?this {pt} ?v }} }} "
                       f"GROUP BY {_G} ?this HAVING (COUNT(DISTINCT ?v) > {int(o)})", "none")
            elif p == SH.uniqueLang:
                if o == rdflib.Literal(True):
                    add(p, o, f"SELECT {_G} ?this ?lang WHERE {{ GRAPH {_G} {{ {target} ?this {pt} ?v . "
                           f"FILTER (isLiteral(?v) && LANG(?v) != \"\") }} }} GROUP BY {_G} ?this (LCASE(LANG(?v)) AS ?lang) "
                           f"HAVING (COUNT(DISTINCT ?v) > 1)", "none")
            elif p == SH.equals:
                other = self.path(o)
                add(p, o, f"{head} ?value WHERE {{ GRAPH {_G} {{ {target} {{ ?this {pt} ?value FILTER NOT EXISTS {{ ?this {other} ?value }} }} "
                       f"UNION {{ ?this {other} ?value FILTER NOT EXISTS {{ ?this {pt} ?value }} }} }} }}", "row")
            elif p == SH.qualifiedValueShape:
                if g.value(shape, SH.qualifiedValueShapesDisjoint) == rdflib.Literal(True):
                    raise Unsupported(f"sh:qualifiedValueShapesDisjoint of {shape}")
                q = self.var("q")
                ok = self.conforms(o, q)
                inner = (f"{{ SELECT {_G} ?this (COUNT(DISTINCT {q}) AS ?n) WHERE {{ GRAPH {_G} {{ {target} "
                         f"OPTIONAL {{ ?this {pt} {q} FILTER {ok} }} }} }} GROUP BY {_G} ?this }}")
                for bound, op in ((SH.qualifiedMinCount, "<"), (SH.qualifiedMaxCount, ">")):
                    n = g.value(shape, bound)
                    if n is not None:
                        add(bound, n, f"SELECT {_G} ?this WHERE {{ {inner} FILTER (?n {op} {int(n)}) }}", "none")
            elif p in (SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.flags):
                continue  # with sh:qualifiedValueShape / sh:pattern
            elif p in (SH["or"], SH["and"], SH["not"]):
                cond = self._node_conforms(p, o, "?value", shape)[0]
                add(p, o, f"{head} ?value WHERE {{ GRAPH {_G} {{ {target} ?this {pt} ?value . FILTER (!{cond}) }} }}", "row")
            elif p in (SH.sparql, SH.property):
                raise Unsupported(f"{p} on property shape {shape}")
        return out

    def sparql_check(self, shape, constraint, target, nodes, severity, messages) -> list[Check]:
        g = self.g
        if g.value(constraint, SH.deactivated) == rdflib.Literal(True):
            return []
        text = g.value(constraint, SH.select)
        if text is None:
            raise Unsupported(f"SPARQL constraint of {shape} without sh:select")
        prefixes = {}
        for decl_node in g.objects(constraint, SH.prefixes):
            for decl in g.objects(decl_node, SH.declare):
                prefixes[str(g.value(decl, SH.prefix))] = str(g.value(decl, SH.namespace))
        head = "".join(f"PREFIX {k}: <{v}>\n" for k, v in sorted(prefixes.items()))
        query = head + str(text)
        ox.Store().query(query)  # a syntax error names the shape now, not in the middle of a build
        focus = f"SELECT DISTINCT {_G} ?this WHERE {{ GRAPH {_G} {{ {target} }} }}"
        extra = tuple(m for m in g.objects(constraint, SH.message) if m not in messages)
        return [Check(shape, SH.SPARQLConstraintComponent, severity, None, query, "row-or-focus",
                      messages + extra, constraint=constraint, targets=nodes, focus_query=focus, prologue=head,
                      focus_screen=sparql_screen.plan(shape, query))]


# ---------------------------------------------------------------- compiling and running


def compile_shapes(g: rdflib.Graph, use_shapes: list[str] | None = None) -> list[Check]:
    """Every constraint of every shape with a target (or of ``use_shapes`` only) as a :class:`Check`.

    :raises Unsupported: a constraint component, target or path this compiler does not translate.
    """
    c = _Compiler(g)
    shapes = sorted({s for t in _TARGETS for s in g.subjects(t, None)}, key=str)
    if use_shapes:
        wanted = set(use_shapes)
        shapes = [s for s in shapes if str(s) in wanted]
    out: list[Check] = []
    for shape in shapes:
        target, nodes = c.target(shape)
        out += c.shape_checks(shape, target, nodes, shacl_screen.targets(g, shape))
    sparql = [n for n, check in enumerate(out) if check.focus_query is not None]
    shared = sparql_shared.share([(out[n].prologue, out[n].query[len(out[n].prologue):]) for n in sparql])
    for n, (template, used) in zip(sparql, shared):
        marked = sparql_shared.at_once(template)
        out[n] = replace(out[n], query=out[n].prologue + (marked or template), shared=used, at_once=marked is not None)
    return out


def _graph_iri(n: int) -> ox.NamedNode:
    return ox.NamedNode(f"urn:budgetkg:batch:{n}")


def run_batch(documents: list[list[ox.Triple]], checks: list[Check]) -> list[list[Finding]]:
    """Run every check over ``documents``; the findings of each document, in their order.

    Each document is loaded once, into a store of its own, and every check runs on it
    (:func:`run_document`): oxigraph plans a query on the whole store's statistics, and the
    arithmetic queries slow down several times when other documents share the store.
    """
    core = [c for c in checks if c.focus_query is None]
    sparql = [c for c in checks if c.focus_query is not None]
    return [run_document(triples, core, sparql) for triples in documents]


def run_document(triples: list[ox.Triple], core: list[Check], sparql: list[Check]) -> list[Finding]:
    """The findings of one document: its core checks (in their order), then its SHACL-SPARQL checks.

    A core check whose screen (:mod:`.shacl_screen`) tells that it finds nothing on the
    document's triples is not run, nor a SHACL-SPARQL check for a focus node its screen
    (:mod:`.sparql_screen`) clears: a screen is cheaper than parsing and planning the query.
    """
    g = _graph_iri(0)
    store = _store([(g, triples)])
    instance = instance_path(store)
    index = shacl_screen.Index(triples)
    out: list[Finding] = []
    for check in shacl_screen.to_run(index, core):
        out.extend(finding for _, finding in run_check(store, [g], check, instance))
    shared: dict = {}  # answers of the sub-SELECTs the checks share (sparql_shared), per focus node
    for check in sparql:
        out.extend(finding for _, finding in run_check(store, [g], check, instance, shared, index))
    return out


def _store(graphs) -> ox.Store:
    """A store holding each ``(graph, triples)``: written as N-Triples and parsed by oxigraph, which
    costs less than a Quad built in Python per triple; with blank nodes (the parser would rename
    them, and findings name them) quad by quad."""
    store = ox.Store()
    for g, triples in graphs:
        data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        if b"_:" in data and _BLANK.search(data):  # the plain test first: a scan of the bytes
            store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, g) for t in triples)
        else:
            store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=g)
    return store


def instance_path(store: ox.Store) -> str:
    """How "SHACL instance of" is matched in this store (see :data:`_INSTANCE`)."""
    return f"{_TYPE}/{_SUBCLASS}*" if store.query(f"ASK {{ GRAPH ?g {{ ?s {_SUBCLASS} ?o }} }}") else _TYPE


def run_check(store: ox.Store, graphs: list[ox.NamedNode], check: Check, instance: str, shared: dict | None = None,
              index: shacl_screen.Index | None = None):
    """(graph, :class:`Finding`) of every result of one check over the documents of ``graphs``.

    A SHACL-SPARQL constraint runs as SHACL defines it (and pyshacl does): its SELECT once per
    focus node, ``$this`` pre-bound, on the focus node's document as the default graph; a SELECT
    :func:`.sparql_shared.at_once` accepts runs once for a document's focus nodes instead (same
    solutions: ``VALUES ?this`` binds ``$this`` wherever the pre-binding would). The
    focus nodes of the whole batch come from one query. (Run over ``GRAPH ?g`` instead, oxigraph
    evaluates a nested SELECT over every graph at once, and its join order degrades on patterns
    that all share the graph variable.) ``shared`` keeps the answers of the sub-SELECTs that
    several checks repeat (:mod:`.sparql_shared`) for the next checks run on the same store.
    ``index``: the document's :class:`.shacl_screen.Index` (one document only), for the check's
    ``focus_screen``: a focus node it clears is not queried.
    """
    if check.focus_query is None:
        yield from _solutions(check, store.query(_fill(check.query, check, graphs, instance)), None)
        return
    this = ox.Variable("this")
    shared = {} if shared is None else shared
    by_graph: dict = {}
    # $currentShape pre-bound as SHACL-SPARQL defines it: a constraint shared by two shapes (a Warning and its
    # rounding Info) tells by it which differences to report
    shape = {ox.Variable("currentShape"): ox.NamedNode(str(check.shape))} if "currentShape" in check.query else {}
    for sol in store.query(_fill(check.focus_query, check, graphs, instance)):
        by_graph.setdefault(sol[GRAPH_VAR], []).append(sol["this"])
    for g, nodes in by_graph.items():
        if index is not None and check.focus_screen is not None:
            kept = [n for n in nodes if check.focus_screen(index, n)]
            if not kept:
                continue
            if not (check.at_once and len(nodes) > 1):  # one query for all focus nodes: left as it was
                nodes = kept
        if check.at_once and not check.shared and len(nodes) > 1 and not any(isinstance(n, ox.BlankNode) for n in nodes):
            # one query for the document's focus nodes (a table-level check: one per table)
            yield from _solutions(check, store.query(sparql_shared.focus_nodes(check.query, nodes), substitutions=shape,
                                                     default_graph=g), g)
            continue
        for focus in nodes:

            def run(query, g=g, focus=focus):
                # a shared sub-SELECT that does not project $currentShape cannot take it (oxigraph refuses it)
                bound = {this: focus, **(shape if "currentShape" in query else {})}
                return store.query(query, substitutions=bound, default_graph=g)

            query = sparql_shared.fill(sparql_shared.focus_nodes(check.query, None), check.shared, run,
                                       shared.setdefault((g, focus), {}))
            yield from _solutions(check, run(query), g, focus)


def _fill(query: str, check: Check, graphs, instance: str) -> str:
    query = query.replace(_INSTANCE, instance)
    if check.targets:
        rows = " ".join(f"({g} <{t}>)" for g in graphs for t in check.targets)
        query = query.replace("VALUES__TARGETS", f"VALUES ({_G} ?this) {{ {rows} }}")
    return query


def _solutions(check: Check, answer, graph, this=None):
    seen = set()
    names = [v.value for v in answer.variables]
    extra = [v for v in names if v not in (GRAPH_VAR, "this", "path", "value", "currentShape")]
    for sol in answer:
        g = graph or sol[GRAPH_VAR]
        focus = sol["this"] if "this" in names and sol["this"] is not None else this
        row_value = sol["value"] if "value" in names else None
        value = {"row": row_value, "focus": focus,
                 "row-or-focus": focus if row_value is None else row_value}.get(check.value)
        path, bindings = check.path, {}
        if check.constraint is not None:
            bindings = {v: sol[v] for v in extra if sol[v] is not None}
            if "path" in names and sol["path"] is not None:
                path = sol["path"]
            key = (g, focus, path, value, tuple(sorted(bindings.items())))
            if key in seen:  # pyshacl reports a repeated solution once
                continue
            seen.add(key)
        yield g, Finding(check, focus, value, path, bindings)
