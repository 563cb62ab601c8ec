"""A document's triples with the terms they were made of, so that validation reads each term once.

pyoxigraph makes a new Python object at every reading of a triple's subject, predicate or object (about 0.4 µs on
the 2-core machine of docs/benchmarks.md, more than a dict lookup of the term), and the screens of a document's
validation read each triple's terms several times: the vocabulary it uses, the index by predicate, the maps by
subject and by object, the report's description. The mapper has the terms in hand when it makes each triple: a
:class:`Triples` list keeps them beside the triples, as three columns, and :func:`columns` gives them (or reads them
once, for any other list of triples).

pyoxigraph's terms and triples are tracked by the cycle collector: a document's (tens of thousands, kept until its
validation is done) are made and read with its youngest generation collected seldom (:func:`few_collections`).

API: :class:`Triples` ``(triples, terms=None)`` and ``Triples.of_columns(triples, subjects, predicates, objects)``; :func:`columns` ``(triples) -> (subjects, predicates, objects)``
(lists the caller does not change); :func:`joined` ``(first, second) -> Triples``; :func:`few_collections`.

>>> a, b, p = ox.NamedNode("http://e/a"), ox.NamedNode("http://e/b"), ox.NamedNode("http://e/p")
>>> made = Triples([ox.Triple(a, p, b)], [(a, p, b)])
>>> columns(made)[2][0] is b, columns([ox.Triple(a, p, b)]) == ([a], [p], [b])
(True, True)
>>> made.append(ox.Triple(b, p, a))  # a change of the list drops the kept terms: they are read again
>>> columns(made)[0]
[<NamedNode value=http://e/a>, <NamedNode value=http://e/b>]
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from operator import attrgetter

import pyoxigraph as ox

_SUBJECT, _PREDICATE, _OBJECT = attrgetter("subject"), attrgetter("predicate"), attrgetter("object")


class Triples(list):
    """A list of pyoxigraph triples with the terms each was made of (``terms``: a ``(subject, predicate, object)``
    per triple, in the same order). Any change of the list drops the terms (:func:`columns` then reads the
    triples), so that they never describe other triples than the list's.

    :raises ValueError: when ``terms`` and ``triples`` differ in length.
    """

    __slots__ = ("_columns",)

    def __init__(self, triples=(), terms=None):
        super().__init__(triples)
        self._columns = None
        if terms is not None:
            terms = list(terms)
            if len(terms) != len(self):
                raise ValueError(f"{len(terms)} terms for {len(self)} triples")
            self._columns = [t[0] for t in terms], [t[1] for t in terms], [t[2] for t in terms]

    @classmethod
    def of_columns(cls, triples, subjects: list, predicates: list, objects: list) -> Triples:
        """The triples with their terms as three lists (kept, not copied; other sequences are copied to lists).

        :raises ValueError: when the lists differ in length.
        """
        if not len(triples) == len(subjects) == len(predicates) == len(objects):
            raise ValueError(f"{len(triples)} triples with {len(subjects)}, {len(predicates)} and {len(objects)} terms")
        out = cls(triples)
        out._columns = tuple(x if type(x) is list else list(x) for x in (subjects, predicates, objects))
        return out


def _dropping(name: str):
    change = getattr(list, name)

    def method(self, *args, **kwargs):
        self._columns = None
        return change(self, *args, **kwargs)

    method.__name__ = name
    method.__doc__ = change.__doc__
    return method


for _name in ("__setitem__", "__delitem__", "__iadd__", "__imul__", "append", "extend", "insert", "pop", "remove",
              "clear", "sort", "reverse"):
    setattr(Triples, _name, _dropping(_name))


def joined(first, second) -> Triples:
    """The triples of ``first`` then ``second`` (lists), with their terms (each read once if not kept).

    >>> a, p = ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p")
    >>> both = joined(Triples([ox.Triple(a, p, a)], [(a, p, a)]), [ox.Triple(p, p, a)])
    >>> len(both), columns(both)[0] == [a, p]
    (2, True)
    """
    return Triples.of_columns(first + second, *(x + y for x, y in zip(columns(first), columns(second))))


def columns(triples) -> tuple[list, list, list]:
    """The subjects, predicates and objects of ``triples`` (an iterable), as three lists in its order: the terms a
    :class:`Triples` keeps, else each term read once from the triple."""
    kept = getattr(triples, "_columns", None) if type(triples) is Triples else None
    if kept is not None:
        return kept
    if not isinstance(triples, (list, tuple)):
        triples = list(triples)
    return list(map(_SUBJECT, triples)), list(map(_PREDICATE, triples)), list(map(_OBJECT, triples))


# Objects allocated (net of those freed) before a collection of the youngest generation, while a document's triples
# are made or validated: more than one document's terms and maps hold at once (about 60,000), so that they are freed
# when the document is done instead of being scanned by collections first. At Python's default of 700, the
# collections took about 70 of 480 ms a document of validation, and the mapping's terms kept for it (Triples) cost it
# about a third more (measured on the corpus).
_YOUNG_THRESHOLD = 100_000


@contextmanager
def few_collections():
    """The cycle collector's youngest generation collected only every :data:`_YOUNG_THRESHOLD`
    allocations (its threshold restored after; a threshold of 0, automatic collection off, is left off)."""
    threshold = gc.get_threshold()
    if threshold[0]:
        gc.set_threshold(max(threshold[0], _YOUNG_THRESHOLD), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
