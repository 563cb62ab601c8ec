"""Batched SHACL: every shape of ``shapes/`` compiled to SPARQL SELECT queries, run over each
document in a pyoxigraph store of its own (the queries a Python screen clears are not run).

API: :func:`compile_shapes` ``(shapes, use_shapes=None) -> list[Check]``; :func:`run_document`
``(triples, core, sparql) -> list[Finding]``; :class:`Document` and :func:`run_check` (one check on
one document), :func:`cleared` (a SHACL-SPARQL check its screen clears on a document); :class:`Unsupported` (raised while compiling a shape that uses a constraint
component, target or path form this compiler does not translate: nothing is skipped silently);
:data:`SUPPORTED`.

The translation follows the SHACL Core and SHACL-SPARQL definitions as pyshacl implements them
(pyshacl stays the reference engine: tests compare both reports on every sample):

- focus nodes: ``sh:targetClass`` (``rdf:type/rdfs:subClassOf*`` in the data), ``sh:targetNode``
  (in every document), ``sh:targetSubjectsOf`` / ``sh:targetObjectsOf``;
- value nodes: the property path (predicate, inverse, sequence, alternative, ``*`` ``+`` ``?``);
- one query per constraint component, answering ``?G ?this [?value ...]`` for every result, run
  only when a screen in Python (:mod:`.shacl_screen`) cannot tell that it has no answer;
- terms compared as SHACL compares them (sh:equals, sh:in, sh:hasValue, counts, sh:datatype's IRI,
  sh:pattern's lexical form), values where SHACL compares values (sh:minInclusive and the other ranges):
  a check reading a predicate with a literal the store would rewrite runs on a store of exact terms
  (:mod:`.shacl_terms`);
- ``sh:sparql``: the focus nodes from one query, then the constraint's own
  SELECT once per focus node with ``$this`` (and ``$currentShape``) pre-bound, on its document's graph
  (see :func:`run_check`), but for the focus nodes a screen in Python (:mod:`.sparql_screen`) clears.

Each document is validated in a store of its own (oxigraph plans a query on the whole store's
statistics, and the arithmetic queries slowed down several times when documents shared one), loaded
only when a query must run.

Each document's graph must already hold the vocabulary it is validated with (see
:func:`budgetkg.etl.validation.context_triples`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from itertools import count

import pyoxigraph as ox
import rdflib

from budgetkg import names, sparqltext
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH

from . import shacl_screen, shacl_terms, sparql_screen, sparql_screen_audit, sparql_shared
from .xsd_lexical import INTEGER_BOUNDS as _INTEGER_BOUNDS, LEXICAL as _LEXICAL
from .sparql_predicates import read_by

GRAPH_VAR = "bkgBatchGraph"
_G = "?" + GRAPH_VAR
# SHACL instance of: rdf:type/rdfs:subClassOf*; a document without rdfs:subClassOf triples (every
# document graph) runs the plain rdf:type pattern, which oxigraph joins far better.
_INSTANCE = "INSTANCE__OF"
_TYPE = f"<{names.RDF_TYPE}>"
_SUBCLASS = f"<{names.RDFS}subClassOf>"
_INSTANCE_OF = (ox.NamedNode(names.RDF_TYPE), ox.NamedNode(names.RDFS + "subClassOf"))  # the predicates of _INSTANCE
_INSTANCE_IRIS = tuple(p.value for p in _INSTANCE_OF)
# The screens of the SHACL-SPARQL constraints (shape IRI -> (digest of its query, screen)), of both modules.
SPARQL_SCREENS = {**sparql_screen.SCREENS, **sparql_screen_audit.SCREENS}
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
# Parameters SHACL allows once on a shape (the syntax rules "a shape has at most one value for ...", and "exactly
# one value for sh:path" of a property shape); pyshacl refuses a second value of most of them, and picks one of
# sh:flags, sh:severity or sh:deactivated. Read with one value only, two would compile one and drop the other:
# a second value raises Unsupported. (sh:class, sh:hasValue, sh:equals ... may repeat: each value is a constraint
# of its own, compiled as one. SHACL's "multiple parameters" rule allows sh:pattern and sh:qualifiedValueShape once
# too, as SHACL-SHACL says; pyshacl takes each of several as a constraint of its own, and so does this compiler.)
_SINGLE = (
    SH.path, SH.datatype, SH.nodeKind, SH.minCount, SH.maxCount, SH["in"], SH.languageIn, SH.uniqueLang, SH.flags,
    SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.qualifiedValueShapesDisjoint, SH.severity, SH.deactivated,
)
# A blank node in N-Triples (a subject starts a line, an object follows a space; a literal holding
# " _:" only sends its document the slower way).
_BLANK = re.compile(rb"(?:^|[ \n])_:")


class Unsupported(ValueError):
    """A shape uses something this compiler does not translate (named with the shape)."""


def _one(g: rdflib.Graph, node, pred):
    """The value of a parameter SHACL allows once (or None); two values raise :class:`Unsupported`."""
    values = set(g.objects(node, pred))
    if len(values) > 1:
        raise Unsupported(f"{len(values)} values of {pred} on {node}: SHACL allows one")
    return next(iter(values), None)


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
    targets: tuple = ()  # sh:targetNode terms in SPARQL syntax (rows of VALUES, one per document)
    focus_query: str | None = None  # SHACL-SPARQL: the focus nodes, ``query`` runs once for each
    focus_targets: tuple | None = None  # SHACL-SPARQL: the targets as shacl_screen.targets gives them (focus nodes in Python)
    prologue: str = ""  # SHACL-SPARQL: the PREFIX declarations ``query`` starts with
    shared: tuple = ()  # SHACL-SPARQL: sub-SELECTs run once per focus node for every check (sparql_shared)
    at_once: bool = False  # SHACL-SPARQL: may run once for all focus nodes of a document (sparql_shared.at_once)
    screen: tuple | None = None  # core: the test telling in Python that the query finds nothing (shacl_screen)
    focus_screen: object = None  # SHACL-SPARQL: ``(index, focus) -> bool``, False when no solution (sparql_screen)
    reads: frozenset = frozenset()  # core: the IRIs of its query (the predicates whose values it compares among them)
    predicates: frozenset | None = None  # the predicates its queries read (sparql_predicates); None: any
    classes: frozenset | None = None  # the classes whose rdf:type triples they read (sparql_predicates); None: any
    # (IRI, "object" | "subject"): its variable verbs read the predicates that are the objects (subjects) of IRI's triples
    verbs: frozenset = frozenset()


@dataclass
class Finding:
    check: Check
    focus: ox.Term
    value: ox.Term | None
    path: object  # an rdflib path node, an ox term (?path of a SPARQL row) or None
    bindings: dict = field(default_factory=dict)  # SPARQL message variables


def _term(node) -> str:
    """An rdflib term in SPARQL syntax, as the store of exact terms holds it (:mod:`.shacl_terms`): a term SHACL
    compares as a term."""
    if isinstance(node, rdflib.BNode):
        raise Unsupported(f"a blank node where a constant is expected: {node}")
    return str(shacl_terms.exact(shacl_screen.to_ox(node)))


def _reads(query: str) -> frozenset:
    """The IRIs of a compiled query (the predicates it reads among them): its IRI tokens, so a "<...>" inside a
    string constant (a sh:pattern, a member of sh:in) is no IRI."""
    return frozenset(t.text[1:-1] for t in sparqltext.tokens(query) if t.kind == "iri")


def _within(v: str, low: int | None, high: int | None) -> str:
    """SPARQL: the integer lexical form ``v`` is within ``low`` and ``high``, compared as digit strings (no cast: an
    xsd:unsignedLong is beyond the store's 64-bit integers)."""
    # the magnitude, "" for zero: the sign and leading zeros removed, after a mark that makes the pattern match at
    # least one character (XPath's fn:replace raises err:FORX0003 on a pattern that matches the empty string)
    digits = f"REPLACE(CONCAT(\"x\", STR({v})), \"^x[+-]?0*\", \"\")"

    def at_most(n: int) -> str:
        return f"(STRLEN({digits}) < {len(str(n))} || STRLEN({digits}) = {len(str(n))} && {digits} <= \"{n}\")"
    # below zero (a "-" and a digit other than 0): at least low; at zero or above: within low and high
    negative = "true" if low is None else "false" if low >= 0 else at_most(-low)
    if high is not None and high < 0:
        positive = "false"
    else:
        positive = " && ".join(x for x in (f"{digits} != \"\"" if low is not None and low > 0 else "",
                                             at_most(high) if high is not None else "") if x) or "true"
    return f"IF(STRSTARTS(STR({v}), \"-\") && {digits} != \"\", {negative}, {positive})"


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
            out[str(_one(self.g, decl, SH.prefix))] = str(_one(self.g, decl, SH.namespace))
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
            inner = _one(g, node, pred)
            if inner is not None:
                return fmt.format(self.path(inner))
        alt = _one(g, node, SH.alternativePath)
        if alt is not None:
            return "(" + "|".join(self.path(p) for p in Collection(g, alt)) + ")"
        raise Unsupported(f"path form of {node}")

    def nullable(self, node) -> bool:
        """Whether path ``node`` may have length zero (SHACL 2.3.1: a zero-or-more or zero-or-one path reaches the
        focus node itself, in the data graph or not)."""
        g = self.g
        if isinstance(node, rdflib.URIRef):
            return False
        if (node, RDF.first, None) in g:
            return all(self.nullable(p) for p in Collection(g, node))
        if _one(g, node, SH.zeroOrMorePath) is not None or _one(g, node, SH.zeroOrOnePath) is not None:
            return True
        for pred in (SH.inversePath, SH.oneOrMorePath):
            inner = _one(g, node, pred)
            if inner is not None:
                return self.nullable(inner)
        alt = _one(g, node, SH.alternativePath)
        return alt is not None and any(self.nullable(p) for p in Collection(g, alt))

    def step(self, subj: str, path, obj: str, test: bool = False) -> str:
        """The pattern ``subj path obj`` (a fresh variable ``obj`` is bound to each value node; a term, or a variable
        bound before, is tested), written at the level of the group that binds ``subj``. SPARQL matches a path of
        length zero with both ends unbound only to the nodes of the graph: for a path that may have length zero the
        focus node is added as a value of its own, COALESCE reading ``subj`` in this group (a BIND in a group of its
        own would not see it)."""
        pt = self.path(path)
        if not self.nullable(path):
            return f"{subj} {pt} {obj} ."
        t = self.var("z")
        union = f"{{ {subj} {pt} {t} }} UNION {{ }}"
        if obj.startswith("?") and not test:
            return f"{union} BIND(COALESCE({t}, {subj}) AS {obj})"
        return f"{union} FILTER (sameTerm(COALESCE({t}, {subj}), {obj}))"

    @staticmethod
    def target_node(shape, node) -> str:
        """A sh:targetNode in SPARQL syntax: an IRI or a literal (SHACL 2.1.3.1), one the store keeps as written
        (the SHACL-SPARQL constraints run on the store that compares values)."""
        term = shacl_screen.to_ox(node) if not isinstance(node, rdflib.BNode) else None
        if term is None or shacl_terms.rewritten(term):
            raise Unsupported(f"sh:targetNode {node} of {shape}")
        return str(term)

    def target(self, shape, local: bool = False) -> tuple[str, tuple]:
        """The pattern binding ?this (and, unless ``local``, the graph variable) to every focus
        node; and the sh:targetNode IRIs. Batched, those are bound by a VALUES block the runner
        fills with one row per document; ``local`` (one document as the default graph), by
        ``VALUES ?this``."""
        g = self.g
        parts = [f"?this {_INSTANCE} {_term(c)} ." for c in g.objects(shape, SH.targetClass)]
        parts += [f"{{ SELECT DISTINCT ?this WHERE {{ ?this {_term(p)} ?t_o }} }}" for p in g.objects(shape, SH.targetSubjectsOf)]
        parts += [f"{{ SELECT DISTINCT ?this WHERE {{ ?t_s {_term(p)} ?this }} }}" for p in g.objects(shape, SH.targetObjectsOf)]
        nodes = tuple(sorted(self.target_node(shape, n) for n in g.objects(shape, SH.targetNode)))
        if nodes:
            parts.append("{ VALUES ?this { " + " ".join(nodes) + " } }" if local else "{ VALUES__TARGETS }")
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
            if arg == RDFS.Literal:
                return f"!isLiteral({v})"
            lex = _LEXICAL.get(arg)
            ok = f"isLiteral({v}) && {shacl_terms.datatype_is(v, str(arg))}"
            if lex:
                ok += f" && REGEX(STR({v}), \"{lex}\")"
            if arg in _INTEGER_BOUNDS:
                ok += " && " + _within(v, *_INTEGER_BOUNDS[arg])
            return f"!({ok})"
        if param == SH.nodeKind:
            kinds = {SH.IRI: f"isIRI({v})", SH.BlankNode: f"isBlank({v})", SH.Literal: f"isLiteral({v})",
                     SH.BlankNodeOrIRI: f"(isIRI({v}) || isBlank({v}))", SH.IRIOrLiteral: f"(isIRI({v}) || isLiteral({v}))",
                     SH.BlankNodeOrLiteral: f"(isBlank({v}) || isLiteral({v}))"}
            if arg not in kinds:
                raise Unsupported(f"sh:nodeKind {arg} of {shape}")
            return f"!{kinds[arg]}"
        if param == SH.languageIn:
            # SHACL 4.4.4: the tag matches one of the basic language ranges as SPARQL's langMatches filters (RFC 4647
            # 3.3.1: "en" matches "en", "EN-gb", "en-US-x-y", not "eng"); shacl_screen.lang_matches is its Python twin
            ranges = sorted({str(x) for x in Collection(g, arg)})
            if "*" in ranges:
                return f"!(isLiteral({v}) && LANG({v}) != \"\")"
            matches = " || ".join(f"langMatches(LANG({v}), {_term(rdflib.Literal(x))})" for x in ranges) or "false"
            return f"!(isLiteral({v}) && LANG({v}) != \"\" && ({matches}))"
        ops = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}
        if param in ops:
            # SHACL compares values here (SPARQL's operator): the bound as a value, not as a term
            return f"!(isLiteral({v}) && COALESCE({shacl_terms.value_of(v)} {ops[param]} {shacl_screen.to_ox(arg)}, false))"
        if param == SH.pattern:
            flags = _one(g, shape, SH.flags)
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
        if _one(g, shape, SH.deactivated) == rdflib.Literal(True):
            return "(true)"  # SHACL 2.1.5: every RDF term conforms to a deactivated shape
        path = _one(g, shape, SH.path)
        conds = []
        if path is None:
            for p, o in g.predicate_objects(shape):
                conds += self._node_conforms(p, o, v, shape)
            return "(" + (" && ".join(conds) or "true") + ")"
        def step(x):
            return self.step(v, path, x)

        for p, o in g.predicate_objects(shape):
            x = self.var("q")
            bad = self.violation(p, o, x, shape)
            if bad is not None:
                conds.append(f"NOT EXISTS {{ {step(x)} FILTER ({bad}) }}")
            elif p == SH["class"]:
                conds.append(f"NOT EXISTS {{ {step(x)} FILTER NOT EXISTS {{ {x} {_INSTANCE} {_term(o)} }} }}")
            elif p == SH.hasValue:
                conds.append(f"EXISTS {{ {step(_term(o))} }}")
            elif p == SH.minCount and int(o) <= 1:
                conds.append(f"EXISTS {{ {step(x)} }}" if int(o) == 1 else "true")
            elif p == SH.maxCount and int(o) == 0:
                conds.append(f"NOT EXISTS {{ {step(x)} }}")
            elif p == SH.maxCount and int(o) == 1:
                y = self.var("q")
                conds.append(f"NOT EXISTS {{ {step(x)} {step(y)} FILTER (!sameTerm({x}, {y})) }}")
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
        for p in _SINGLE:
            _one(self.g, shape, p)
        for p in set(self.g.predicates(shape)):
            if p in SUPPORTED or p in _DESCRIPTIVE or not str(p).startswith(str(SH)):
                continue
            raise Unsupported(f"constraint parameter {p} of shape {shape}")

    # ------------------------------------------------------------ shapes

    def shape_checks(self, shape, target: str, nodes: tuple, focus: tuple | None = None) -> list[Check]:
        """The checks of ``shape``; ``focus``: its targets as :func:`.shacl_screen.targets` gives them."""
        g = self.g
        if _one(g, shape, SH.deactivated) == rdflib.Literal(True):
            return []
        self.check_known(shape)
        severity = _one(g, shape, SH.severity) or SH.Violation
        messages = tuple(g.objects(shape, SH.message))
        path = _one(g, shape, SH.path)
        out: list[Check] = []

        def add(param, arg, query, value, value_shape=None):
            screen = shacl_screen.plan(g, shape, param, arg, path, focus, _LEXICAL, value_shape)
            read = read_by(query, _INSTANCE_IRIS)
            out.append(Check(shape, _COMPONENT[param], severity, path, query, value, messages, targets=nodes, screen=screen,
                             reads=_reads(query), predicates=read.predicates, classes=read.classes, verbs=read.verbs))

        head = f"SELECT DISTINCT {_G} ?this"
        if path is None:
            for p, o in sorted(g.predicate_objects(shape)):
                if p == SH.property:
                    out += self.shape_checks(o, target, nodes, focus)
                elif p == SH.sparql:
                    out += self.sparql_check(shape, o, target, nodes, severity, messages, focus)
                elif p in (SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.minCount,
                           SH.maxCount, SH.uniqueLang, SH.equals, SH.flags):
                    if p != SH.flags:
                        raise Unsupported(f"{p} on node shape {shape}")
                else:
                    cond = self._node_conforms(p, o, "?this", shape)
                    if cond:
                        # SHACL 4.8.2 gives a sh:hasValue result no sh:value (the others' value node is the focus node)
                        add(p, o, f"{head} WHERE {{ GRAPH {_G} {{ {target} FILTER (!{cond[0]}) }} }}",
                            "none" if p == SH.hasValue else "focus")
            return out
        pt = self.path(path)

        def step(x, test=False):  # ?this path x, written after the target
            return self.step("?this", path, x, test)

        def values(x):  # the value nodes x, if any, of every focus node (a path of length zero gives one at least)
            return step(x) if self.nullable(path) else f"OPTIONAL {{ ?this {pt} {x} }}"

        for p, o in sorted(g.predicate_objects(shape)):
            bad = self.violation(p, o, "?value", shape)
            if bad is not None:
                add(p, o, f"{head} ?value WHERE {{ GRAPH {_G} {{ {target} {step('?value')} FILTER ({bad}) }} }}", "row")
            elif p == SH["class"]:
                add(p, o, f"{head} ?value WHERE {{ GRAPH {_G} {{ {target} {step('?value')} "
                       f"FILTER NOT EXISTS {{ ?value {_INSTANCE} {_term(o)} }} }} }}", "row")
            elif p == SH.hasValue:
                add(p, o, f"{head} WHERE {{ GRAPH {_G} {{ {target} FILTER NOT EXISTS {{ {step(_term(o))} }} }} }}", "none")
            elif p == SH.minCount:
                n = int(o)
                if n == 1:
                    add(p, o, f"{head} WHERE {{ GRAPH {_G} {{ {target} FILTER NOT EXISTS {{ {step('?v')} }} }} }}", "none")
                elif n > 1:
                    add(p, o, f"SELECT {_G} ?this WHERE {{ {{ SELECT {_G} ?this (COUNT(DISTINCT ?v) AS ?n) WHERE {{ "
                           f"GRAPH {_G} {{ {target} {values('?v')} }} }} GROUP BY {_G} ?this }} FILTER (?n < {n}) }}",
                        "none")
            elif p == SH.maxCount:
                add(p, o, f"SELECT {_G} ?this WHERE {{ GRAPH {_G} {{ {target} {step('?v')} }} }} "
                       f"GROUP BY {_G} ?this HAVING (COUNT(DISTINCT ?v) > {int(o)})", "none")
            elif p == SH.uniqueLang:
                if o == rdflib.Literal(True):
                    add(p, o, f"SELECT {_G} ?this ?lang WHERE {{ GRAPH {_G} {{ {target} {step('?v')} "
                           f"FILTER (isLiteral(?v) && LANG(?v) != \"\") }} }} GROUP BY {_G} ?this (LCASE(LANG(?v)) AS ?lang) "
                           f"HAVING (COUNT(DISTINCT ?v) > 1)", "none")
            elif p == SH.equals:
                if not isinstance(o, rdflib.URIRef):  # SHACL 4.5.1: the values of sh:equals are IRIs
                    raise Unsupported(f"sh:equals {o} of {shape} is not an IRI")
                one = f"{step('?value')} FILTER NOT EXISTS {{ {self.step('?this', o, '?value', True)} }}"
                two = f"{self.step('?this', o, '?value')} FILTER NOT EXISTS {{ {step('?value', True)} }}"
                if self.nullable(path) or self.nullable(o):  # each arm binds ?this itself (a path of length zero reads it, see step)
                    where = f"{{ {target} {one} }} UNION {{ {target} {two} }}"
                else:
                    where = f"{target} {{ {one} }} UNION {{ {two} }}"
                add(p, o, f"{head} ?value WHERE {{ GRAPH {_G} {{ {where} }} }}", "row")
            elif p == SH.qualifiedValueShape:
                if _one(g, shape, SH.qualifiedValueShapesDisjoint) == rdflib.Literal(True):
                    raise Unsupported(f"sh:qualifiedValueShapesDisjoint of {shape}")
                q = self.var("q")
                ok = self.conforms(o, q)
                if self.nullable(path):  # an OPTIONAL group would not see ?this (see step): the values counted if they conform,
                    # tested inside the GRAPH group (in the projection an EXISTS of the value shape would read the default graph)
                    k = self.var("k")
                    inner = (f"{{ SELECT {_G} ?this (COUNT(DISTINCT {k}) AS ?n) WHERE {{ GRAPH {_G} {{ {target} {step(q)} "
                             f"BIND (IF({ok}, {q}, {self.var('none')}) AS {k}) }} }} GROUP BY {_G} ?this }}")
                else:
                    inner = (f"{{ SELECT {_G} ?this (COUNT(DISTINCT {q}) AS ?n) WHERE {{ GRAPH {_G} {{ {target} "
                             f"OPTIONAL {{ ?this {pt} {q} FILTER {ok} }} }} }} GROUP BY {_G} ?this }}")
                for bound, op in ((SH.qualifiedMinCount, "<"), (SH.qualifiedMaxCount, ">")):
                    n = _one(g, shape, bound)
                    if n is not None:  # the screen tests this value shape, not another of the shape's
                        add(bound, n, f"SELECT {_G} ?this WHERE {{ {inner} FILTER (?n {op} {int(n)}) }}", "none", o)
            elif p in (SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.flags):
                continue  # with sh:qualifiedValueShape / sh:pattern
            elif p in (SH["or"], SH["and"], SH["not"]):
                cond = self._node_conforms(p, o, "?value", shape)[0]
                add(p, o, f"{head} ?value WHERE {{ GRAPH {_G} {{ {target} {step('?value')} FILTER (!{cond}) }} }}", "row")
            elif p in (SH.sparql, SH.property):
                raise Unsupported(f"{p} on property shape {shape}")
        return out

    def sparql_check(self, shape, constraint, target, nodes, severity, messages, focus) -> list[Check]:
        g = self.g
        if _one(g, constraint, SH.deactivated) == rdflib.Literal(True):
            return []
        text = _one(g, constraint, SH.select)
        if text is None:
            raise Unsupported(f"SPARQL constraint of {shape} without sh:select")
        prefixes = {}
        for decl_node in g.objects(constraint, SH.prefixes):
            for decl in g.objects(decl_node, SH.declare):
                prefixes[str(_one(g, decl, SH.prefix))] = str(_one(g, decl, SH.namespace))
        head = "".join(f"PREFIX {k}: <{v}>\n" for k, v in sorted(prefixes.items()))
        query = head + str(text)
        ox.Store().query(query)  # a syntax error names the shape now, not in the middle of a build
        focus_query = f"SELECT DISTINCT {_G} ?this WHERE {{ GRAPH {_G} {{ {target} }} }}"
        extra = tuple(m for m in g.objects(constraint, SH.message) if m not in messages)
        read, focus_read = read_by(query), read_by(focus_query, _INSTANCE_IRIS)
        return [Check(shape, SH.SPARQLConstraintComponent, severity, None, query, "row-or-focus",
                      messages + extra, constraint=constraint, targets=nodes, focus_query=focus_query, prologue=head,
                      focus_screen=sparql_screen.plan(shape, query, SPARQL_SCREENS), focus_targets=focus,
                      predicates=_union(read.predicates, focus_read.predicates),
                      classes=_union(read.classes, focus_read.classes), verbs=read.verbs | focus_read.verbs)]


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


# The graph a document is validated in. Its IRI is kept as it was when stores held many documents: the order of
# a query's solutions (a core check's findings) follows the store's internal ids, the graph's among them.
GRAPH = ox.NamedNode("urn:budgetkg:batch:0")


class Document:
    """One document's triples, as the checks see them: an :class:`.shacl_screen.Index` for the
    screens, and a store, loaded on first use (a document whose every check a screen clears is
    never loaded) with the triples of :attr:`predicates` only (None: every triple), in their order; for a core
    check reading a predicate with a literal the store would rewrite (:mod:`.shacl_terms`), a store of exact
    terms, loaded on first use too."""

    def __init__(self, triples: list[ox.Triple]):
        self.triples = triples
        self.index = shacl_screen.Index(triples)
        # how "SHACL instance of" is matched (see _INSTANCE): the document's triples tell whether it has subclasses
        self.instance = f"{_TYPE}/{_SUBCLASS}*" if self.index.subclasses else _TYPE
        self._store: ox.Store | None = None
        self._exact_store: ox.Store | None = None
        self._rewritten: dict = {}  # IRI -> whether the store would rewrite an object of that predicate
        # the predicates the checks run on the store of exact terms read (None: all): that store holds only their
        # triples, every triple those queries may match (their predicates are all IRIs of their text)
        self.exact_reads: set | None = None
        self.predicates: frozenset | None = None  # what the checks run on the store read (see plan)
        self.classes: frozenset | None = None  # the classes of the rdf:type triples they read (see plan)
        self.verbs: frozenset = frozenset()  # the bindings of their variable verbs (see plan)
        self.verdicts: dict = {}  # id of a SHACL-SPARQL check -> (the check, {focus node: its screen's verdict})

    def plan(self, core: list[Check], sparql: list[Check]) -> None:
        """What the stores hold, when loaded, for the checks that run (every check run must be among them): the
        ``core`` checks reading a literal the store would rewrite run on the store of exact terms (:meth:`exact_for`),
        the others and the ``sparql`` checks on the store, which holds only the triples they read."""
        exact = {id(c) for c in core if self.exact_for(c)}
        self.exact_reads = set().union(*(c.reads for c in core if id(c) in exact))
        checks = [c for c in core if id(c) not in exact] + sparql
        self.predicates = _union(*(check.predicates for check in checks))
        self.classes = _union(*(check.classes for check in checks))
        self.verbs = frozenset().union(*(check.verbs for check in checks))

    @property
    def store(self) -> ox.Store:
        if self._store is None:
            triples = self.triples
            if self.predicates is not None:
                bound = self._verb_predicates()
                # "instance of" reads rdf:type alone where the document has no rdfs:subClassOf (see _INSTANCE); a
                # variable verb bound to rdf:type reads every class
                classes = None if self.classes is None or self.index.subclasses or _INSTANCE_OF[0] in bound else {
                    ox.NamedNode(c) for c in self.classes}
                triples = self.index.with_predicates({ox.NamedNode(p) for p in self.predicates} | bound, classes)
            self._store = _store(triples)
        return self._store

    def _verb_predicates(self) -> set:
        """The predicates the checks' variable verbs are bound to in this document (see sparql_predicates)."""
        index, out = self.index, set()
        for iri, position in self.verbs:
            out.update((index.objects_of if position == "object" else index.subjects_of)(ox.NamedNode(iri)))
        return {t for t in out if type(t) is ox.NamedNode}

    def exact_for(self, check: Check) -> bool:
        """Whether ``check`` must run on the store of exact terms: it reads a predicate with a literal that the
        store would rewrite (elsewhere the two stores hold the same terms)."""
        known, index = self._rewritten, self.index
        for iri in check.reads:  # each predicate's triples read once per document, if a check must run
            if iri not in known:
                known[iri] = shacl_terms.rewritten_any(index.objects_of(ox.NamedNode(iri)))
            if known[iri]:
                return True
        return False

    def query(self, query: str, exact: bool = False, **kwargs):
        if exact:
            if self._exact_store is None:
                exact_term, reads, index = shacl_terms.exact, self.exact_reads, self.index
                subjects, objects, rows = index.subjects, index.objects, index.rows
                if reads is None:  # every triple, in the document's order
                    triples = [ox.Triple(t.subject, t.predicate, exact_term(t.object)) for t in self.triples]
                else:  # those of the predicates read, by predicate
                    triples = [ox.Triple(subjects[i], p, exact_term(objects[i])) for p in rows
                               if p.value in reads or p in _INSTANCE_OF for i in rows[p]]
                self._exact_store = _store(triples)
            store = self._exact_store
        else:
            store = self.store
        return store.query(query.replace(_INSTANCE, self.instance), **kwargs)


def run_document(triples: list[ox.Triple], core: list[Check], sparql: list[Check]) -> list[Finding]:
    """The findings of one document: its core checks (in their order), then its SHACL-SPARQL checks.

    A core check whose screen (:mod:`.shacl_screen`) tells that it finds nothing on the
    document's triples is not run, nor a SHACL-SPARQL check for a focus node its screen
    (:mod:`.sparql_screen`) clears: a screen is cheaper than parsing and planning the query.
    """
    doc = Document(triples)
    out: list[Finding] = []
    try:
        todo = shacl_screen.to_run(doc.index, core)
        sparql = [check for check in sparql if not cleared(doc, check)]
        doc.plan(todo, sparql)
        for check in todo:
            out.extend(run_check(doc, check))
        shared: dict = {}  # answers of the sub-SELECTs the checks share (sparql_shared), per focus node
        for check in sparql:
            out.extend(run_check(doc, check, shared))
    finally:
        doc.index.release()  # freed now, not by the cycle collector (see Index.release)
    return out


def _union(*sets: frozenset | None) -> frozenset | None:
    """The union of ``sets``, None (any) when one is None."""
    return None if None in sets else frozenset().union(*sets)


def _store(triples) -> ox.Store:
    """A store holding ``triples`` in :data:`GRAPH`: written as N-Triples and parsed by oxigraph, which
    costs less than a Quad built in Python per triple; with blank nodes (the parser would rename
    them, and findings name them) quad by quad. The graph is there when ``triples`` is empty (a
    ``GRAPH ?g`` group sees it, as it sees the document's whole graph). The text is parsed ``lenient``: without
    checking its IRIs and language tags again (pyoxigraph checked each term when it was made, and the text is its
    own serialization), which was a third of the load (same quads, in the same order, on the samples)."""
    store = ox.Store()
    store.add_graph(GRAPH)
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    if b"_:" in data and _BLANK.search(data):  # the plain test first: a scan of the bytes
        store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, GRAPH) for t in triples)
    else:
        store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=GRAPH, lenient=True)
    return store


def run_check(doc: Document, check: Check, shared: dict | None = None):
    """The :class:`Finding` of every result of one check on one document.

    A SHACL-SPARQL constraint runs as SHACL defines it (and pyshacl does): its SELECT once per
    focus node, ``$this`` pre-bound, on the document's graph as the default graph; a SELECT
    :func:`.sparql_shared.at_once` accepts runs once for the document's focus nodes instead (same
    solutions: ``VALUES ?this`` binds ``$this`` wherever the pre-binding would). (Run over
    ``GRAPH ?g`` instead, oxigraph evaluates a nested SELECT over every graph at once, and its join
    order degrades on patterns that all share the graph variable.) ``shared`` keeps the answers of
    the sub-SELECTs that several checks repeat (:mod:`.sparql_shared`) for the next checks run on the
    same document. A focus node the check's ``focus_screen`` clears is not queried; when it clears
    every focus node (found in Python, as :func:`.shacl_screen.Index.focus` finds them), neither is
    the focus query.
    """
    if check.focus_query is None:
        exact = doc.exact_for(check)
        yield from _solutions(check, doc.query(_fill(check.query, check), exact), exact=exact)
        return
    if cleared(doc, check):
        return
    screen = check.focus_screen

    def may_find(node) -> bool:
        return _may_find(doc, check, node)

    this = ox.Variable("this")
    shared = {} if shared is None else shared
    # $currentShape pre-bound as SHACL-SPARQL defines it: a constraint shared by two shapes (a Warning and its
    # rounding Info) tells by it which differences to report
    shape = {ox.Variable("currentShape"): ox.NamedNode(str(check.shape))} if "currentShape" in check.query else {}
    nodes = [sol["this"] for sol in doc.query(_fill(check.focus_query, check))]
    if screen is not None:
        kept = [n for n in nodes if may_find(n)]
        if not kept:
            return
        if not (check.at_once and len(nodes) > 1):  # one query for all focus nodes: left as it was
            nodes = kept
    if check.at_once and not check.shared and len(nodes) > 1 and not any(isinstance(n, ox.BlankNode) for n in nodes):
        # one query for the document's focus nodes (a table-level check: one per table)
        yield from _solutions(check, doc.query(sparql_shared.focus_nodes(check.query, nodes), substitutions=shape,
                                               default_graph=GRAPH))
        return
    for focus in nodes:

        def run(query, focus=focus):
            # a shared sub-SELECT that does not project $currentShape cannot take it (oxigraph refuses it)
            bound = {this: focus, **(shape if "currentShape" in query else {})}
            return doc.query(query, substitutions=bound, default_graph=GRAPH)

        query = sparql_shared.fill(sparql_shared.focus_nodes(check.query, None), check.shared, run,
                                   shared.setdefault(focus, {}))
        yield from _solutions(check, run(query), focus)


def cleared(doc: Document, check: Check) -> bool:
    """True when the screen of a SHACL-SPARQL check clears every focus node of the document (found in Python, as
    :meth:`.shacl_screen.Index.focus` finds them): no query of the check runs. Each verdict is kept in ``doc``."""
    if check.focus_screen is None or check.focus_targets is None or doc.index.subclasses:
        return False
    return not any(_may_find(doc, check, n) for n in doc.index.focus(check.focus_targets))


def _may_find(doc: Document, check: Check, node) -> bool:
    """The verdict of the check's screen on a focus node, computed once per document."""
    entry = doc.verdicts.get(id(check))
    if entry is None or entry[0] is not check:  # the check held with its verdicts: its id is not reused meanwhile
        entry = doc.verdicts[id(check)] = (check, {})
    verdicts = entry[1]
    if node not in verdicts:
        verdicts[node] = check.focus_screen(doc.index, node)
    return verdicts[node]


def _fill(query: str, check: Check) -> str:
    if check.targets:
        rows = " ".join(f"({GRAPH} {t})" for t in check.targets)
        query = query.replace("VALUES__TARGETS", f"VALUES ({_G} ?this) {{ {rows} }}")
    return query


def _solutions(check: Check, answer, this=None, exact: bool = False):
    """The findings of a query's solutions (``exact``: of the store of exact terms, whose literals are given back
    as written)."""
    seen = set()
    names = [v.value for v in answer.variables]
    extra = [v for v in names if v not in (GRAPH_VAR, "this", "path", "value", "currentShape")]
    for sol in answer:
        focus = sol["this"] if "this" in names and sol["this"] is not None else this
        row_value = sol["value"] if "value" in names else None
        value = {"row": row_value, "focus": focus,
                 "row-or-focus": focus if row_value is None else row_value}.get(check.value)
        if exact:
            focus, value = shacl_terms.decode(focus), shacl_terms.decode(value)
        path, bindings = check.path, {}
        if check.constraint is not None:
            bindings = {v: sol[v] for v in extra if sol[v] is not None}
            if "path" in names and sol["path"] is not None:
                path = sol["path"]
            key = (focus, path, value, tuple(sorted(bindings.items())))
            if key in seen:  # pyshacl reports a repeated solution once
                continue
            seen.add(key)
        yield Finding(check, focus, value, path, bindings)
