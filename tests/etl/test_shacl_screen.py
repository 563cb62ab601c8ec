"""The screen of the batched engine's core constraints (budgetkg.etl.shacl_screen).

A core constraint the screen declares answerless is not run, so the screen must never be wrong
that way: on the sample and on many randomly mutated copies of it (values removed, repeated,
retyped, made ill-typed, given another language tag or node kind, numeric lexical forms the
store canonicalises), every check the screen skips is run anyway and must have no answer.
"""

from __future__ import annotations

import random

import pyoxigraph as ox
import pytest

from tests.shapes.test_shapes_support import BKG, fixed_sample, subjects_of_type

from budgetkg.etl import shacl_batch, shacl_screen
from budgetkg.etl.validation import _checks, context_triples

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def _variants(o) -> list:
    """Objects to put in place of (or next to) ``o``: other node kinds, datatypes, language tags,
    lexical forms of the same number (one term in the store), ill-typed forms."""
    out = [ox.BlankNode(), ox.NamedNode("urn:budgetkg:test:other"), ox.Literal("x"), ox.Literal("x", language="en"),
           ox.Literal("0", datatype=ox.NamedNode(XSD + "integer")), ox.Literal("-1.5", datatype=ox.NamedNode(XSD + "decimal"))]
    if isinstance(o, ox.Literal):
        v, dt = o.value, ox.NamedNode(XSD + "string") if o.language else o.datatype
        out += [ox.Literal(v), ox.Literal(v + "x", datatype=dt), ox.Literal(v, language="ZH"), ox.Literal(v, language="zh-CN"),
                ox.Literal(v + "\n", datatype=dt), ox.Literal("+" + v, datatype=dt), ox.Literal("0" + v, datatype=dt)]
        if dt.value == XSD + "decimal" or dt.value == XSD + "integer":
            out += [ox.Literal(v + ("0" if "." in v else ".0"), datatype=ox.NamedNode(XSD + "decimal")),
                    ox.Literal(v, datatype=ox.NamedNode(XSD + "double"))]
    return out


def _mutate(triples: list, rng: random.Random, n: int) -> list:
    out = list(triples)
    for _ in range(n):
        i = rng.randrange(len(out))
        t = out[i]
        how = rng.choice(("drop", "replace", "add", "add", "type"))
        if how == "drop":
            out.pop(i)
        elif how == "type":  # the value (or subject) loses or gains a type
            if t.predicate == RDF_TYPE:
                out.pop(i)
            elif isinstance(t.object, ox.NamedNode):
                out.append(ox.Triple(t.object, RDF_TYPE, rng.choice([x.object for x in out if x.predicate == RDF_TYPE])))
        else:
            new = ox.Triple(t.subject, t.predicate, rng.choice(_variants(t.object)))
            if how == "replace":
                out[i] = new
            else:
                out.append(new)
    return out


def _answers(triples: list) -> dict:
    """For every screened core check: (the screen's verdict, whether its query has an answer)."""
    triples = list(triples) + context_triples(triples)
    doc = shacl_batch.Document(triples)
    index = doc.index
    out = {}
    for n, check in enumerate(_checks(None)):
        if check.screen is not None:
            found = any(True for _ in shacl_batch.run_check(doc, check))
            out[n] = (shacl_screen.may_find(index, check.screen), found)
    return out


def test_most_core_checks_are_screened_and_skipped_on_the_sample():
    """The sample conforms: the screen covers most core checks and tells they find nothing."""
    core = [c for c in _checks(None) if c.focus_query is None]
    verdicts = _answers(list(fixed_sample()))
    assert len(verdicts) > 0.8 * len(core)
    assert not any(found for _, found in verdicts.values())
    assert sum(not may for may, _ in verdicts.values()) > 0.9 * len(verdicts)


@pytest.mark.parametrize("seed", range(12))
def test_a_skipped_check_has_no_answer_on_mutated_documents(seed):
    rng = random.Random(seed)
    verdicts = _answers(_mutate(list(fixed_sample()), rng, 40))
    wrong = [_checks(None)[n] for n, (may, found) in verdicts.items() if found and not may]
    assert not wrong, [(str(c.shape), str(c.component)) for c in wrong]
    # the mutations reach screened checks (else this test could not fail)
    assert any(found for _, found in verdicts.values())


def test_release_empties_the_maps_other_screens_share():
    """The arithmetic screens keep the index and its maps in reference cycles: release empties the
    maps in place, so that a document's lists and terms are freed when it is done."""
    triples = fixed_sample()
    index = shacl_screen.Index(triples)
    forward, inverse = index.forward(RDF_TYPE), index.inverse(RDF_TYPE)
    assert forward and inverse
    index.release()
    assert forward == {} and inverse == {} and index.forward(RDF_TYPE) == {}


def test_validation_leaves_the_collector_as_it_found_it():
    import gc

    from budgetkg.etl.validation import validate_documents

    before = gc.get_threshold()
    validate_documents([(fixed_sample(), "sample")])
    assert gc.get_threshold() == before and gc.isenabled()


# ------------------------------------------------ paths in sequence, sh:or, qualified counts, inverse alternatives

QB = "http://purl.org/linked-data/cube#"
XL = "http://www.w3.org/2008/05/skos-xl#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
BOOLEAN = ox.NamedNode(XSD + "boolean")


def _check(shape, component: str):
    """The compiled core check of a shape: by local name, or (a nested shape) by its sequence path."""
    from rdflib.collection import Collection
    from rdflib.namespace import RDF

    from budgetkg.etl.validation import shapes_graph

    g = shapes_graph()
    for check in _checks(None):
        if not str(check.component).endswith("#" + component):
            continue
        if isinstance(shape, str) and str(check.shape).endswith("#" + shape):
            return check
        if isinstance(shape, list) and (check.path, RDF.first, None) in g and [str(x) for x in Collection(g, check.path)] == shape:
            return check
    raise KeyError((shape, component))


def _verdict(check, triples, vocabulary=None) -> tuple[bool, bool]:
    """(the screen's verdict, whether the query finds something) of one check on a document with its
    vocabulary (``vocabulary``: a function changing that context)."""
    context = context_triples(list(triples))
    doc = shacl_batch.Document(list(triples) + (vocabulary(list(context)) if vocabulary else context))
    return shacl_screen.may_find(doc.index, check.screen), any(True for _ in shacl_batch.run_check(doc, check))


def _objects(triples, p: str) -> list:
    return [t for t in triples if t.predicate.value == p]


def _row_in_another_table(kind: str):
    """An observation's row (column) listed by a second table too: its path reaches two tables."""
    def mutate(triples):
        obs = subjects_of_type(triples, "BudgetObservation")[0]
        row = next(t.object for t in triples if t.subject == obs and t.predicate.value == BKG + kind[0].lower() + kind[1:])
        table = next(t.object for t in triples if t.subject == obs and t.predicate.value == QB + "dataSet")
        other = next(t.subject for t in _objects(triples, BKG + "has" + kind) if t.subject != table)
        return triples + [ox.Triple(other, ox.NamedNode(BKG + "has" + kind), row)]
    return mutate


def _uncompared_change(triples):
    """An observation of a table printed as a change (bkg:figureKind) without the year it compares with."""
    obs = subjects_of_type(triples, "BudgetObservation")[0]
    return triples + [ox.Triple(obs, ox.NamedNode(BKG + "figureKind"), ox.Literal("change"))]


def _name_in_english(cls: str, p: str):
    def mutate(triples):
        node = subjects_of_type(triples, cls)[0]
        return [ox.Triple(t.subject, t.predicate, ox.Literal(t.object.value, language="en"))
                if t.subject == node and t.predicate.value == p and t.object.language == "zh" else t for t in triples]
    return mutate


def _row_by_value(triples):
    """An observation's row given as "1"^^xsd:integer, listed by its table as "1" and by another table
    as "01" (a store that joins values, not terms, would put the row in two tables)."""
    obs = next(t for t in triples if t.predicate.value == BKG + "lineItem")
    table = next(t.object for t in triples if t.subject == obs.subject and t.predicate.value == QB + "dataSet")
    other = next(t.subject for t in _objects(triples, BKG + "hasLineItem") if t.subject != table)
    one, zero_one = (ox.Literal(x, datatype=ox.NamedNode(XSD + "integer")) for x in ("1", "01"))
    return [t for t in triples if t != obs] + [ox.Triple(obs.subject, obs.predicate, one),
                                               ox.Triple(table, ox.NamedNode(BKG + "hasLineItem"), one),
                                               ox.Triple(other, ox.NamedNode(BKG + "hasLineItem"), zero_one)]


def _typed(context) -> list:
    """The vocabulary with the classes the cube and code-list shapes target stated (a document's
    vocabulary leaves them implicit): qb:DimensionProperty, qb:ComponentSpecification, bkg:PrintedName."""
    types = [(QB + "dimension", QB + "DimensionProperty", "object"), (QB + "component", QB + "ComponentSpecification", "object"),
             (XL + "altLabel", BKG + "PrintedName", "object"), (XL + "prefLabel", BKG + "PrintedName", "object")]
    return list(context) + [ox.Triple(getattr(t, where), RDF_TYPE, ox.NamedNode(cls))
                            for p, cls, where in types for t in _objects(context, p)]


def _vocabulary(change):
    """The typed vocabulary (:func:`_typed`), then ``change``d."""
    return lambda context: change(_typed(context))


def _without(p: str):
    return lambda context: [t for t in context if t.predicate.value != p]


def _optional_dimension(form: str):
    """A dimension's component specification marked optional (qb:componentRequired ``form``, read by
    the store as false for "false" and "0")."""
    def mutate(context):
        spec = next(t.subject for t in context if t.predicate.value == QB + "dimension")
        return [t for t in context if not (t.subject == spec and t.predicate.value == QB + "componentRequired")] + [
            ox.Triple(spec, ox.NamedNode(QB + "componentRequired"), ox.Literal(form, datatype=BOOLEAN))]
    return mutate


def _concept_dimension_without_code_list(context):
    """A dimension with range skos:Concept (IC-5) without its qb:codeList."""
    dimensions = {t.object for t in _objects(context, QB + "dimension")}
    dimension = next(t.subject for t in _objects(context, QB + "codeList") if t.subject in dimensions)
    return [t for t in context if not (t.subject == dimension and t.predicate.value == QB + "codeList")] + [
        ox.Triple(dimension, ox.NamedNode(RDFS + "range"), ox.NamedNode(SKOS + "Concept"))]


def _printed_name(change):
    """A printed name (a concept's skosxl:altLabel) ``change``d."""
    return lambda context: change(context, _objects(context, XL + "altLabel")[0])


@pytest.mark.parametrize("check, document, vocabulary", [
    (("BudgetObservation-change", "OrConstraintComponent"), _uncompared_change, None),
    (("BudgetObservation-lineItem-hasLineItem", "EqualsConstraintComponent"), _row_in_another_table("LineItem"), None),
    (("BudgetObservation-column-hasColumn", "EqualsConstraintComponent"), _row_in_another_table("Column"), None),
    (("Department-prefLabel", "QualifiedMinCountConstraintComponent"),
     _name_in_english("Department", "http://www.w3.org/2004/02/skos/core#prefLabel"), None),
    (("BudgetUnit-prefLabel", "QualifiedMinCountConstraintComponent"),
     _name_in_english("BudgetUnit", "http://www.w3.org/2004/02/skos/core#prefLabel"), None),
    (("Jurisdiction-label", "QualifiedMinCountConstraintComponent"),
     _name_in_english("Jurisdiction", "http://www.w3.org/2000/01/rdf-schema#label"), None),
    (([QB + "component", QB + "measure"], "MinCountConstraintComponent"), None, _vocabulary(_without(QB + "measure"))),
    (("IC5-ConceptDimensionsHaveCodeLists", "OrConstraintComponent"), None, _vocabulary(_concept_dimension_without_code_list)),
    (("IC6-OnlyAttributesOptional", "OrConstraintComponent"), None, _vocabulary(_optional_dimension("false"))),
    (("PrintedName-concept", "MinCountConstraintComponent"), None,
     _vocabulary(_printed_name(lambda context, link: [t for t in context if t != link]))),
    (("PrintedName-concept", "MaxCountConstraintComponent"), None,
     _vocabulary(_printed_name(lambda context, link: context + [ox.Triple(ox.NamedNode(link.subject.value + "-other"), link.predicate, link.object)]))),
    (("PrintedName-concept", "ClassConstraintComponent"), None,
     _vocabulary(_printed_name(lambda context, link: [t for t in context if not (t.subject == link.subject and t.predicate == RDF_TYPE)]))),
])
def test_a_finding_of_the_later_screens_is_not_cleared(check, document, vocabulary):
    """Each check screened by a sequence path, an inverse alternative path, sh:or / sh:not of property
    shapes or a qualified count: cleared on the sample, and left to its query (which finds) after a
    mutation that breaks it, also where the store reads two terms as one."""
    check = _check(*check)
    triples = list(fixed_sample())
    # the classes a document's vocabulary leaves implicit stated: cleared, and no finding
    assert _verdict(check, triples, _typed) == (False, False)
    assert _verdict(check, document(triples) if document else triples, vocabulary) == (True, True)


def test_a_path_joins_terms_not_values():
    """SHACL's value nodes of a path are matched as SPARQL matches a pattern, term by term: the row "1" is
    listed by its own table only ("01" is another term), so the observation's row is its table's and the
    check finds nothing (the store, which reads both as one integer, found the other table too; pyshacl,
    whose rdflib reads "01" as "1", does). The screen still leaves it to the query: the path passes a literal."""
    check = _check("BudgetObservation-lineItem-hasLineItem", "EqualsConstraintComponent")
    assert _verdict(check, _row_by_value(list(fixed_sample()))) == (True, False)


def test_has_value_compares_terms_not_values():
    """sh:hasValue false (SHACL 4.8.2) asks for the term "false"^^xsd:boolean: qb:componentRequired "0" is another
    term of that value, so the dimension is not marked optional by it and IC-6 finds nothing (the store read "0"
    as false and found; pyshacl, whose rdflib reads "0" as "false", does). The screen leaves it to the query."""
    check = _check("IC6-OnlyAttributesOptional", "OrConstraintComponent")
    assert _verdict(check, list(fixed_sample()), _vocabulary(_optional_dimension("0"))) == (True, False)


@pytest.mark.parametrize("stem", ["shenzhen_czj_2026_budget_dept", "xian_tjj_2026_budget_dept", "central_gjxfj_2024_final_dept"])
def test_a_check_skipped_on_a_corpus_document_has_no_answer(stem):
    from tests.shapes.test_shapes_arithmetic_corpus import corpus_triples

    verdicts = _answers(corpus_triples(stem))
    core = [c for c in _checks(None) if c.focus_query is None]
    assert len(verdicts) == len(core)  # every core check is screened
    assert not any(found and not may for may, found in verdicts.values())


@pytest.mark.parametrize("value, datatype", [
    ("9223372036854775808", "integer"),  # 2^63: beyond the store's 64-bit integers
    ("1.0000000000000000001", "decimal"),  # 19 fractional digits: beyond the store's 18
    ("170141183460469231732", "decimal"),  # beyond its 128-bit decimals
])
def test_a_number_the_store_cannot_hold_is_left_to_the_query(value, datatype):
    # the store holds such a literal as ill-typed: the comparison is an error there and the check reports it
    check = _check("BudgetObservation-sourceLine", "MinInclusiveConstraintComponent")
    triples = list(fixed_sample())
    page = _objects(triples, BKG + "sourceLine")[0]
    big = ox.Literal(value, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#" + datatype))
    assert _verdict(check, triples) == (False, False)
    assert _verdict(check, [t for t in triples if t != page] + [ox.Triple(page.subject, page.predicate, big)]) == (True, True)


def test_a_datatype_the_store_reads_as_another_is_not_screened():
    import rdflib
    from rdflib.namespace import SH, XSD

    g, shape = rdflib.Graph(), rdflib.BNode()
    assert shacl_screen._value_test(g, shape, SH.datatype, XSD.int, {}) is None  # the store says xsd:integer
    assert shacl_screen._value_test(g, shape, SH.datatype, XSD.string, {}) is not None


def test_values_and_counts_on_a_path_agree_with_its_maps():
    """The distinct values of a path, the nodes holding values and those holding several, read without building the
    path's maps, are the maps' own: on one predicate, an inverse, an alternative of both, and a triple given twice
    (counted twice, as the maps count it: the screen then says "may find")."""
    e = "http://example.org/"
    a, b, c, p, q = (ox.NamedNode(e + x) for x in ("a", "b", "c", "p", "q"))
    one, two = ox.Literal("1"), ox.Literal("2")
    triples = [ox.Triple(a, p, one), ox.Triple(a, p, two), ox.Triple(b, p, one), ox.Triple(c, q, a),
               ox.Triple(c, q, b), ox.Triple(b, q, a), ox.Triple(b, q, a)]
    for steps, values, holders, several in [
        (((p, False),), [one, two], {a, b}, {a: 2}),
        (((q, True),), [c, b], {a, b}, {a: 3}),
        (((p, False), (q, True)), [one, two, c, b], {a, b}, {a: 5, b: 2}),
        (((q, False),), [a, b], {c, b}, {c: 2, b: 2}),
    ]:
        fresh = shacl_screen.Index(triples)
        assert list(fresh.values_on(steps)) == values
        assert set(fresh.holding(steps)) == holders
        assert fresh.several(steps) == several
        mapped = shacl_screen.Index(triples)  # the same, read from the maps once they are built
        assert list(mapped.owners(steps)) == values and set(mapped.holders(steps)) == holders
        assert list(mapped.values_on(steps)) == values and mapped.several(steps) == several


# ---------------------------------------------------------------- the grouping loops compiled (etl/_grouping.c)

_compiled = pytest.mark.skipif(shacl_screen._grouping is None, reason="budgetkg.etl._grouping is not built here")


def _same(compiled: dict, loop: dict) -> None:
    """The same dict: keys in the same order, each with the same list."""
    assert list(compiled.items()) == list(loop.items())


@_compiled
def test_the_compiled_grouping_loops_give_the_python_loops_dicts():
    """On the bundled samples, with the terms as the mapper makes them (one object per term) and as a parser gives
    them (a new object at each reading): the triples by predicate, each predicate's maps both ways, and the last
    position of each IRI among the objects."""
    from budgetkg.etl.terms import columns
    from budgetkg.etl.to_rdf import map_document
    from budgetkg.names import DEFAULT_BASE
    from budgetkg.resources import default_sources

    grouping = shacl_screen._grouping
    for path in default_sources():
        made = map_document(str(path), base=DEFAULT_BASE)[2]
        parsed = list(ox.parse(ox.serialize(made, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.N_TRIPLES))
        for subjects, predicates, objects in (columns(made), columns(parsed)):
            rows = shacl_screen._group_loop(predicates)
            _same(grouping.group(predicates), rows)
            _same(grouping.last(objects, ox.NamedNode), shacl_screen._last_loop(objects, ox.NamedNode))
            assert len(rows) > 10, path
            for positions in rows.values():
                _same(grouping.pairs(subjects, objects, positions), shacl_screen._pairs_loop(subjects, objects, positions))
                _same(grouping.pairs(objects, subjects, positions), shacl_screen._pairs_loop(objects, subjects, positions))


@_compiled
def test_the_compiled_grouping_loops_on_equal_terms_of_two_objects_and_on_bad_input():
    grouping = shacl_screen._grouping
    a, a_again, one = ox.NamedNode("http://e/a"), ox.NamedNode("http://e/a"), ox.Literal("1")
    keys = [a, one, a_again, a, one]
    assert list(grouping.group(keys).items()) == [(a, [0, 2, 3]), (one, [1, 4])]
    values = ["v", "w", "x", "y", "z"]
    for rows in ([4, 0, 2], (1, 3), [], [-1, -5]):  # a negative position counts from the end, as list indexing does
        _same(grouping.pairs(keys, values, rows), shacl_screen._pairs_loop(keys, values, rows))
    assert grouping.pairs(keys, values, [4, 0, 2]) == {one: ["z"], a: ["v", "x"]}
    assert list(grouping.last(keys, ox.NamedNode).items()) == [(a, 3)]
    assert list(grouping.last([1, "x", 2, 1, True], int).items()) == [(1, 3), (2, 2)]  # of the class exactly: not True
    # many keys, each met again as the same object and as another equal one (the cache by address and the dict agree)
    many = [ox.Literal(str(i)) for i in range(3000)]
    keys = many + many[::-1] + [ox.Literal(str(i)) for i in range(0, 3000, 7)]
    _same(grouping.group(keys), shacl_screen._group_loop(keys))
    _same(grouping.last(keys, ox.Literal), shacl_screen._last_loop(keys, ox.Literal))
    _same(grouping.pairs(keys, list(range(len(keys))), list(range(0, len(keys), 3))),
          shacl_screen._pairs_loop(keys, list(range(len(keys))), list(range(0, len(keys), 3))))
    with pytest.raises(IndexError):
        grouping.pairs(keys, values, [len(values)])
    with pytest.raises(TypeError):
        grouping.group([a, []])  # a key that cannot be hashed
    with pytest.raises(TypeError):
        grouping.group((a, one))  # not a list
    with pytest.raises(TypeError):
        grouping.last([[]], list)  # a key that cannot be hashed
