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

from tests.shapes.test_shapes_support import fixed_sample

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
