"""The predicates a SPARQL query can read: a document's store holds only the triples of those.

A triple pattern whose predicate is an IRI, or a property path that cannot match a zero-length path
(steps: IRIs, ``^``, ``/``, ``|``, ``*``, ``+``, ``?``), only matches triples whose predicate it names:
its solutions over a graph are its solutions over the triples of those predicates (in a sequence,
the zero-length steps join to nodes of its other steps' triples). So a query whose every pattern is
of these forms (in sub-SELECTs, ``OPTIONAL``, ``UNION``, ``MINUS``, ``(NOT) EXISTS`` and ``GRAPH``
groups too: :class:`.shacl_batch.Document` keeps its graph in the store when empty) has the same
solutions over the sub-graph of its predicates. Any other form may read any triple, and the query
gets the whole graph (``None``): a variable in predicate position, a negated property set ``!``, a
path that may have length zero as a whole pattern (``p*``, ``p?``: it matches every node of the
graph), ``SERVICE``, ``FROM``, a quoted triple, or anything this reader does not know.

The query is read with :mod:`budgetkg.sparqltext`'s tokenizer, by the grammar's group graph patterns
and triples blocks (expressions are skipped but for the groups of their ``EXISTS``). rdflib's parser
gives the same sets (tests/etl/test_sparql_predicates.py) but takes seconds on the narrative audits.

A pattern whose verb is ``rdf:type`` alone (``a``, the IRI, or the "instance of" placeholder when the
document has no ``rdfs:subClassOf``) and whose object is an IRI only matches the ``rdf:type`` triples of that
class: a query that reads ``rdf:type`` only so (a target class, ``sh:class``) needs only those, a few
of the thousands a document has (one per node). Any other reading of ``rdf:type`` (a variable or blank
node as the class, a step of a path) may need every one.

A variable as the verb of a pattern (``?x ?dim ?v``) reads the triples of the predicates it is bound to. Where a
pattern with an IRI verb binds it in every solution of its group (``?c qb:dimension ?dim``, ``?dim qb:codeList
?list``: a pattern of the group's own triples, of a group joined to it, or a variable a sub-SELECT projects from
such a pattern), the predicates are the objects (or subjects) of that IRI in the data, and so is any use of the
variable within the group: OPTIONAL, MINUS, UNION and EXISTS groups inside it are joined to (or substituted with)
its solutions, so a triple of another predicate never joins. The query then reads the triples of those predicates
too, found in the document (:class:`.shacl_batch.Document`). A ``FILTER (?dim IN (IRI, ...))`` or ``FILTER (?dim =
IRI)`` of the group binds it to those IRIs. A variable verb bound otherwise, or only in a sub-SELECT that does not
project it, still gives the whole graph.

API: :func:`predicates` ``(query, instance=()) -> frozenset[str] | None``; :func:`classes` ``(query,
instance=()) -> frozenset[str] | None`` (the classes whose ``rdf:type`` triples it reads; None: any);
:func:`read_by` ``(query, instance=()) -> Reads`` (both and the bindings of variable verbs, the query read
once). ``instance`` are the predicates of :mod:`.shacl_batch`'s "instance of" placeholder, its other
placeholders are read as empty groups.

>>> sorted(predicates("PREFIX : <http://x/> SELECT ?v { $this :a/:b* ?v FILTER NOT EXISTS { ?v ^:c ?w } }"))
['http://x/a', 'http://x/b', 'http://x/c']
>>> [predicates(q) for q in ("SELECT ?p { $this ?p ?o }", "PREFIX : <http://x/> SELECT ?o { $this :a* ?o }",
...                          "PREFIX : <http://x/> SELECT ?o { $this !:a ?o }")]
[None, None, None]
>>> sorted(classes("PREFIX : <http://x/> SELECT ?v { $this a :T ; :a ?v . ?v a :U , :V }"))
['http://x/T', 'http://x/U', 'http://x/V']
>>> read_by("PREFIX : <http://x/> SELECT ?v { ?c :dim ?p . $this ?p ?v }").verbs
frozenset({('http://x/dim', 'object')})
>>> [classes(q) for q in ("PREFIX : <http://x/> SELECT ?c { $this a ?c }", "PREFIX : <http://x/> SELECT ?v { $this a/:b ?v }",
...                       "PREFIX : <http://x/> SELECT ?v { $this :a ?v }")]
[None, None, frozenset()]
"""

from __future__ import annotations

from typing import NamedTuple

from budgetkg import names, sparqltext

_RDF = names.RDF_TYPE.rsplit("#", 1)[0] + "#"
# Words that end a triples block (a pattern, a filter, a modifier of a sub-SELECT follows).
_GROUP_WORDS = {"OPTIONAL", "MINUS", "UNION", "GRAPH", "FILTER", "BIND", "VALUES", "SERVICE", "SELECT", "GROUP", "HAVING",
                "ORDER", "LIMIT", "OFFSET"}
_TERMS = ("var", "iri", "pname", "string", "number", "bnode")
_PATH_MARKS = ("/", "|", "*", "+", "?")  # after a verb's first token: the verb is a path


class Reads(NamedTuple):
    """What a query reads: ``predicates`` (None: any triple), ``classes`` (of its ``rdf:type`` triples; None:
    any), ``verbs`` (``(IRI, "object" | "subject")``: the variable verbs read the predicates that are objects, or
    subjects, of that IRI's triples)."""

    predicates: frozenset | None
    classes: frozenset | None
    verbs: frozenset


class _Whole(Exception):
    """The query may read triples of any predicate."""


class _Reader:
    def __init__(self, query: str, instance: tuple):
        self.toks = sparqltext.tokens(query)
        self.i = 0
        self.prefixes: dict[str, str] = {}
        self.instance = instance
        self.out: set[str] = set()
        self.classes: set[str] = set()  # the classes of the rdf:type patterns with an IRI object
        self.any_class = False  # rdf:type read otherwise: every rdf:type triple may be needed
        self.verbs: set[tuple[str, str]] = set()  # the bindings of the variable verbs (see Reads)
        # per group (and SELECT) being read: variable -> its bindings by the group's patterns in every solution, the
        # variables used as verbs within it not yet bound, and those of the EXISTS of its filters
        self.frames: list[tuple[dict, set, set]] = []

    # -------------------------------------------------------- tokens

    def peek(self, k: int = 0):
        j = self.i + k
        return self.toks[j] if j < len(self.toks) else None

    def word(self, k: int = 0) -> str | None:
        t = self.peek(k)
        return t.text.upper() if t is not None and t.kind == "word" else None

    def punct(self, k: int = 0) -> str | None:
        t = self.peek(k)
        return t.text if t is not None and t.kind == "punct" else None

    def take(self):
        t = self.peek()
        if t is None:
            raise _Whole
        self.i += 1
        return t

    def expect(self, text: str) -> None:
        if self.take().text != text:
            raise _Whole

    def iri(self, t) -> str:
        if t.kind == "iri":
            return t.text[1:-1]
        prefix, _, local = t.text.partition(":")
        if prefix not in self.prefixes or "\\" in local:
            raise _Whole
        return self.prefixes[prefix] + local

    # -------------------------------------------------------- query

    def query(self) -> None:
        if any("\\" in t.text for t in self.toks if t.kind != "string"):
            # an escape outside a string (``\u0061`` in an IRI, ``:a\#b``) the tokenizer may split otherwise than
            # the query's parser does: a ``#`` or ``'`` after it would hide the rest of a pattern from this reader
            raise _Whole
        while self.word() in ("PREFIX", "BASE"):
            if self.word() == "BASE":
                raise _Whole  # relative IRIs would need resolving
            self.take()
            name = self.take()
            if name.kind != "pname" or not name.text.endswith(":"):
                raise _Whole
            self.prefixes[name.text[:-1]] = self.iri(self.take())
        if self.word() != "SELECT":
            raise _Whole
        self.select()
        if self.peek() is not None:
            raise _Whole

    def select(self) -> dict:
        """``SELECT ... [WHERE] { ... }`` and its modifiers, up to the ``}`` or end that follows; the variables it
        projects with their bindings in every solution (see :meth:`group`)."""
        self.take()
        outside = ({}, set(), set())  # an EXISTS of the projection or the modifiers: its variable verbs are not bound
        self.frames.append(outside)
        projected = set()
        while self.punct() != "{" and self.word() != "WHERE":
            if self.peek() is None or self.word() == "FROM":
                raise _Whole
            if self.peek().kind == "var":  # (an expression's variables are read with its brackets)
                projected.add(self.peek().text[1:])
            self.expression_token()
        if self.word() == "WHERE":
            self.take()
        bound, free = self.group()
        if free:
            raise _Whole  # a variable verb the sub-SELECT's patterns do not bind: it may read any triple
        while self.peek() is not None and self.punct() != "}":
            if self.word() == "VALUES":
                self.values()
            else:
                self.expression_token()
        self.frames.pop()
        if outside[2]:
            raise _Whole
        return {v: bound[v] for v in projected if v in bound}

    def resolve(self, bound: dict, variables) -> None:
        """The variable verbs ``variables`` read the predicates ``bound`` binds them to (:class:`_Whole` when it
        does not bind one)."""
        for v in variables:
            if v not in bound:
                raise _Whole
            for iri, position in bound[v]:
                if position == "constant":
                    self.out.add(iri)
                    self.any_class = self.any_class or iri == names.RDF_TYPE  # rdf:type as a variable verb: any class
                else:
                    self.verbs.add((iri, position))

    def one_of(self) -> list:
        """``[(variable, IRIs)]`` when the filter ahead is ``(?v IN (IRI, ...))`` or ``(?v = IRI)`` (nothing read)."""
        toks, i = self.toks, self.i
        if not (i + 3 < len(toks) and toks[i].text == "(" and toks[i + 1].kind == "var"):
            return []
        v, after = toks[i + 1].text[1:], toks[i + 2]
        try:
            if after.text == "=" and toks[i + 3].kind in ("iri", "pname") and toks[i + 4].text == ")":
                return [(v, [self.iri(toks[i + 3])])]
            if after.kind == "word" and after.text.upper() == "IN" and toks[i + 3].text == "(":
                iris, j = [], i + 4
                while toks[j].kind in ("iri", "pname"):
                    iris.append(self.iri(toks[j]))
                    if toks[j + 1].text == ",":
                        j += 2
                    elif toks[j + 1].text == ")" and toks[j + 2].text == ")":
                        return [(v, iris)]
                    else:
                        return []
        except IndexError:
            pass
        return []

    def expression_token(self) -> None:
        """One token of an expression (or a bracketed expression): the groups of EXISTS are read."""
        t = self.take()
        if t.kind == "iri" and self.i >= 2 and (self.toks[self.i - 2].kind in _TERMS or self.toks[self.i - 2].text == ")"):
            # after an operand ``<`` is "less than": the tokenizer took ``<STR(?a)).?s ?p ?o.FILTER(?b>`` for an IRI
            raise _Whole
        if t.kind == "punct" and t.text == "(":
            while self.punct() != ")":
                self.expression_token()
            self.take()
        elif t.kind == "punct" and t.text == "{":
            self.i -= 1  # only EXISTS / NOT EXISTS open a group in an expression
            self.frames[-1][2].update(self.group()[1])  # its variable verbs, bound by the group of the expression
        elif t.kind == "punct" and t.text in ("}", ")"):
            raise _Whole

    def values(self) -> None:
        """``VALUES vars { data }``: no pattern inside."""
        self.take()
        while self.punct() != "{":
            self.take()
        depth = 0
        while True:
            t = self.take()
            if t.kind == "punct" and t.text == "{":
                depth += 1
            elif t.kind == "punct" and t.text == "}":
                depth -= 1
                if depth == 0:
                    return

    # -------------------------------------------------------- graph patterns

    def group(self) -> tuple[dict, set]:
        """A group: the variables its patterns bind in every solution (variable -> the ``(IRI, position)`` of the
        patterns), and the variables used as verbs in it or in groups joined to it that it does not bind (the
        enclosing group may: a join's solutions are those with the variable bound the same on both sides).

        A variable verb of an OPTIONAL or MINUS group must be bound by the patterns before it (the left side of the
        LeftJoin or Minus: with the variable unbound there, a solution of the right side with another predicate
        would decide whether the left one is extended or removed); of an EXISTS, by the group its FILTER is in (a
        BIND: before it); of a sub-SELECT, within it. Otherwise the query may read any triple (:class:`_Whole`).
        """
        self.expect("{")
        bound: dict = {}
        free: set = set()
        tests: set = set()  # the variable verbs of the EXISTS of this group's filters
        self.frames.append((bound, free, tests))
        kind = "join"  # how the next group is combined with this one's solutions
        while True:
            p, w = self.punct(), self.word()
            if p == "}":
                self.take()
                self.frames.pop()
                self.resolve(bound, tests)
                self.resolve(bound, free & bound.keys())
                return bound, free - bound.keys()
            if p in (".",):
                self.take()
            elif p == "{":
                inner, inner_free = self.group()
                if kind == "left":
                    self.resolve(bound, inner_free)
                else:
                    free |= inner_free
                    if kind == "join" and self.word() != "UNION":
                        _merge(bound, inner)
                kind = "join"
            elif w == "SELECT":
                _merge(bound, self.select())
            elif w in ("OPTIONAL", "MINUS", "UNION"):
                self.take()
                kind = "left" if w != "UNION" else "union"
            elif w == "GRAPH":
                self.take()
                if self.take().kind not in ("var", "iri", "pname"):
                    raise _Whole
            elif w in ("FILTER", "BIND"):
                self.take()
                before = set(tests)
                if self.word() == "NOT":
                    self.take()
                if self.word() == "EXISTS":
                    self.take()
                    tests |= self.group()[1]
                else:
                    if w == "FILTER":  # FILTER (?v IN (:a, :b)): the group's solutions bind ?v to one of those
                        for v, iris in self.one_of():
                            bound.setdefault(v, set()).update((iri, "constant") for iri in iris)
                    if self.peek().kind in ("word", "iri", "pname"):  # a function call
                        self.take()
                    self.expression_token()
                if w == "BIND":  # evaluated on the solutions of the patterns before it
                    self.resolve(bound, tests - before)
                    tests &= before
            elif w == "VALUES":
                self.values()
            elif w in ("VALUES__TARGETS",) or w is not None and w.startswith("SHARED__SUBSELECT__"):
                self.take()  # placeholders of shacl_batch / sparql_shared: bindings, no pattern
            elif self.peek() is not None and (self.peek().kind in _TERMS or p in ("[", "(")):
                self.triples()
            else:
                raise _Whole  # SERVICE, a quoted triple, anything unknown

    def triples(self) -> None:
        """``subject verb objects (; verb objects)*`` (a ``[ ... ]`` subject may stand alone)."""
        subject = self.peek()
        alone = self.node()
        if alone and self.punct() in (".", "}") or self.word() in _GROUP_WORDS:
            return
        self.properties(subject)

    def node(self) -> bool:
        """A subject or object; True for a blank node property list (a subject that needs no verb)."""
        t = self.take()
        if t.kind == "string":
            if self.punct() == "^^":
                self.take()
                self.take()
            elif self.punct() == "@":  # a language tag: a word, then "-" and subtags
                self.take()
                self.take()
                while self.punct() == "-" and self.peek(1) is not None and self.peek(1).kind in ("word", "number"):
                    self.i += 2
            return False
        if t.kind in _TERMS:
            return False
        if t.kind == "word" and t.text in ("true", "false"):
            return False
        if t.kind == "punct" and t.text == "[":
            if self.punct() != "]":
                self.properties()
            self.expect("]")
            return True
        if t.kind == "punct" and t.text == "(":
            self.out.update((_RDF + "first", _RDF + "rest"))
            while self.punct() != ")":
                self.node()
            self.take()
            return False
        raise _Whole

    def properties(self, subject=None) -> None:
        """Verbs and objects after ``subject`` (its token; None in a ``[ ... ]``)."""
        bound, free, _ = self.frames[-1]
        while True:
            t = self.peek()
            if t is not None and t.kind == "var" and self.punct(1) not in _PATH_MARKS:
                self.take()  # a variable verb: the enclosing groups must bind it
                free.add(t.text[1:])
                iri, typed = None, False
            else:
                iri = self.iri(t) if t is not None and t.kind in ("iri", "pname") and self.punct(1) not in _PATH_MARKS else None
                typed, before = self.type_verb(), self.any_class
                if self.verb():
                    raise _Whole  # a path that may have length zero
                if typed:  # rdf:type alone: its objects tell which of its triples are read
                    self.any_class = before
            if iri is not None and subject is not None and subject.kind == "var":
                bound.setdefault(subject.text[1:], set()).add((iri, "subject"))
            self.object(typed, iri)
            while self.punct() == ",":
                self.take()
                self.object(typed, iri)
            if self.punct() != ";":
                return
            while self.punct() == ";":
                self.take()
            if self.punct() in (".", "]", "}") or self.word() in _GROUP_WORDS:
                return

    def type_verb(self) -> bool:
        """Whether the verb ahead is ``rdf:type`` alone (``a``, its IRI, the "instance of" placeholder), no step of
        a path."""
        t = self.peek()
        if t is None or not (t.kind == "word" and t.text in ("a", "INSTANCE__OF")
                             or t.kind in ("iri", "pname") and self.iri(t) == names.RDF_TYPE):
            return False
        return self.punct(1) not in _PATH_MARKS

    def object(self, typed: bool, verb: str | None = None) -> None:
        """An object; of an ``rdf:type`` verb alone (``typed``), its class when an IRI; of an IRI verb alone
        (``verb``), a variable it binds."""
        t = self.peek()
        if verb is not None and t is not None and t.kind == "var":
            self.frames[-1][0].setdefault(t.text[1:], set()).add((verb, "object"))
        if typed:
            if t is not None and t.kind in ("iri", "pname"):
                self.classes.add(self.iri(t))
            else:
                self.any_class = True
        self.node()

    # -------------------------------------------------------- paths (True: may have length zero)

    def verb(self) -> bool:
        t = self.peek()
        if t is not None and t.kind == "word" and t.text == "a":
            self.take()
            self.out.add(names.RDF_TYPE)
            self.any_class = True
            return False
        if t is not None and t.kind == "word" and t.text == "INSTANCE__OF":
            self.take()
            if not self.instance:
                raise _Whole
            self.out.update(self.instance)
            self.any_class = True
            return False
        return self.alternative()

    def alternative(self) -> bool:
        nullable = self.sequence()
        while self.punct() == "|":
            self.take()
            nullable = self.sequence() or nullable
        return nullable

    def sequence(self) -> bool:
        nullable = self.step()
        while self.punct() == "/":
            self.take()
            nullable = self.step() and nullable
        return nullable

    def step(self) -> bool:
        if self.punct() == "^":
            self.take()
        t = self.take()
        if t.kind in ("iri", "pname"):
            iri = self.iri(t)
            self.out.add(iri)
            self.any_class = self.any_class or iri == names.RDF_TYPE
            nullable = False
        elif t.kind == "word" and t.text == "a":
            self.out.add(names.RDF_TYPE)
            self.any_class = True
            nullable = False
        elif t.kind == "punct" and t.text == "(":
            nullable = self.alternative()
            self.expect(")")
        else:
            raise _Whole  # a variable, a negated property set, anything else
        mod = self.punct()
        if mod in ("*", "?", "+"):
            self.take()
            return nullable or mod != "+"
        return nullable


def _merge(bound: dict, more: dict) -> None:
    for v, sources in more.items():
        bound.setdefault(v, set()).update(sources)


def read_by(query: str, instance: tuple = ()) -> Reads:
    """What ``query`` reads (:class:`Reads`), the query read once."""
    reader = _Reader(query, tuple(instance))
    try:
        reader.query()
    except (_Whole, AttributeError):  # AttributeError: the query ended where a token was expected
        return Reads(None, None, frozenset())
    read, verbs = frozenset(reader.out), frozenset(reader.verbs)
    if names.RDF_TYPE not in read:
        return Reads(read, frozenset(), verbs)
    return Reads(read, None if reader.any_class else frozenset(reader.classes), verbs)


def predicates(query: str, instance: tuple = ()) -> frozenset | None:
    """The predicate IRIs ``query`` reads, or None when it may read any triple."""
    return read_by(query, instance).predicates


def classes(query: str, instance: tuple = ()) -> frozenset | None:
    """The classes whose ``rdf:type`` triples ``query`` reads (empty when it reads none), or None when it may read
    any ``rdf:type`` triple (``instance``: with "instance of" read as ``rdf:type`` alone, a document without
    ``rdfs:subClassOf``)."""
    return read_by(query, instance).classes
