"""The shipped vocabulary: the ontology and the SKOS code lists, as files and as triples.

API: :func:`vocabulary_files` ``() -> list[Path]``; :func:`vocabulary_triples` ``() -> list[pyoxigraph.Triple]``.
The build publishes them in the vocabulary graph; validation takes from them what a document uses.
Missing files raise :class:`budgetkg.resources.ResourceMissing`.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from budgetkg.resources import CODELISTS, ONTOLOGY, files


def vocabulary_files() -> list[Path]:
    return files(ONTOLOGY, "*.ttl") + files(CODELISTS, "*.ttl")


def vocabulary_triples() -> list[ox.Triple]:
    triples: list[ox.Triple] = []
    for path in vocabulary_files():
        with path.open("rb") as fh:
            triples.extend(ox.parse(fh, format=ox.RdfFormat.TURTLE))
    return triples
