"""A document's triples with the terms the mapper made them of (etl/terms.py), and validation over them."""

from __future__ import annotations

import gc
from operator import attrgetter

import pyoxigraph as ox
import pytest

from budgetkg.etl.terms import Triples, columns, few_collections, joined
from tests.shapes.test_shapes_support import sample_path

A, B, P = (ox.NamedNode(f"http://example.org/{x}") for x in ("a", "b", "p"))
_READ = attrgetter("subject"), attrgetter("predicate"), attrgetter("object")


def _read(triples) -> tuple[list, list, list]:
    """The terms as pyoxigraph gives them, triple by triple (what the kept terms must equal)."""
    return tuple([get(t) for t in triples] for get in _READ)


@pytest.fixture(scope="module")
def mapped():
    from budgetkg.etl.pipeline import process
    from budgetkg.etl.to_rdf import to_rdf

    return to_rdf(process(sample_path()), base="https://budgetkg.org/")[1]


def test_the_mapping_keeps_each_triples_own_terms(mapped):
    assert type(mapped) is Triples and len(mapped) > 1000
    assert columns(mapped) == _read(mapped)


def test_sorting_and_removing_repeats_keeps_terms_with_their_triples(mapped):
    from budgetkg.etl.to_rdf import sorted_unique

    twice = Triples.of_columns(mapped + mapped[::-1], *(c + c[::-1] for c in columns(mapped)))
    unique, lines = sorted_unique(twice)
    assert len(unique) == len(set(mapped)) and lines.count(b"\n") == len(unique)
    assert columns(unique) == _read(unique)
    assert [str(t) for t in unique] == sorted(map(str, set(mapped)), key=str.encode)


@pytest.mark.parametrize("change", [
    lambda x: x.append(ox.Triple(B, P, A)), lambda x: x.extend([ox.Triple(B, P, A)]),
    lambda x: x.insert(0, ox.Triple(B, P, A)), lambda x: x.__setitem__(0, ox.Triple(B, P, A)),
    lambda x: x.__delitem__(0), lambda x: x.pop(), lambda x: x.remove(x[0]), lambda x: x.sort(key=str),
    lambda x: x.reverse(), lambda x: x.clear(), lambda x: x.__iadd__([ox.Triple(B, P, A)]), lambda x: x.__imul__(2),
], ids=["append", "extend", "insert", "setitem", "delitem", "pop", "remove", "sort", "reverse", "clear", "iadd", "imul"])
def test_a_change_of_the_list_drops_the_kept_terms(change):
    # kept terms that do not belong to the triples (B for A) show whether they are still used
    made = Triples.of_columns([ox.Triple(A, P, B), ox.Triple(B, P, A)], [B, A], [P, P], [A, B])
    assert columns(made)[0] == [B, A]
    change(made)
    assert columns(made) == _read(made)


def test_terms_must_be_one_per_triple():
    with pytest.raises(ValueError, match="1 triples with 2, 1 and 1 terms"):
        Triples.of_columns([ox.Triple(A, P, B)], [A, B], [P], [B])
    with pytest.raises(ValueError, match="2 terms for 1 triples"):
        Triples([ox.Triple(A, P, B)], [(A, P, B), (B, P, A)])


def test_joined_lists_keep_their_terms_in_order():
    first = Triples([ox.Triple(A, P, B)], [(A, P, B)])
    both = joined(first, [ox.Triple(B, P, A), ox.Triple(A, P, A)])
    assert list(both) == [ox.Triple(A, P, B), ox.Triple(B, P, A), ox.Triple(A, P, A)]
    assert columns(both) == _read(both)
    assert columns((t for t in both)) == _read(both)  # any iterable is read once


def test_validation_finds_the_same_with_the_kept_terms_or_without(mapped):
    """The index, the context and the report's description read the mapper's terms; a plain list of the same
    triples is read term by term. Every 40th triple is dropped, so that many shapes find something."""
    from budgetkg.etl.validation import validate_graph

    keep = [i for i in range(len(mapped)) if i % 40]
    cut = Triples.of_columns([mapped[i] for i in keep], *([c[i] for i in keep] for c in columns(mapped)))
    with_terms = validate_graph(cut, document="sample.txt")
    plain = validate_graph(list(cut), document="sample.txt")
    key = lambda r: sorted((k, str(v)) for k, v in r.items())  # noqa: E731
    assert len(with_terms.violations) > 10
    assert sorted(map(key, with_terms.results)) == sorted(map(key, plain.results))


def test_few_collections_raises_the_threshold_for_a_while_only():
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        with few_collections():
            assert gc.get_threshold() == (100_000, 10, 10)
        assert gc.get_threshold() == (700, 10, 10)
        gc.set_threshold(0, 10, 10)  # automatic collection off: left off
        with few_collections():
            assert gc.get_threshold()[0] == 0
    finally:
        gc.set_threshold(*before)
