"""Shared fixtures: the bundled sample, and one build of it per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "samples" / "000_60bd7a1a2874cc3a.txt"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def sample_path() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "samples").is_dir():
        pytest.skip("../shared is not present")
    return SHARED


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The bundled sample built once into a temporary data folder."""
    from budgetkg.etl.build import build

    out = tmp_path_factory.mktemp("build") / "dist"
    build([SAMPLE], out=out, jobs=1)
    return out


@pytest.fixture(scope="session")
def sample_rec():
    """The sample through every stage, indicators and narrative included."""
    from budgetkg.etl.pipeline import process

    return process(SAMPLE)


@pytest.fixture(scope="session")
def sample_store(sample_rec):
    """An in-memory store with the sample's graph and the vocabulary: (store, graph)."""
    import pyoxigraph as ox

    from budgetkg.etl.build import vocabulary_triples
    from budgetkg.etl.to_rdf import to_rdf
    from budgetkg.etl.vocab import VOCAB_GRAPH

    graph, triples = to_rdf(sample_rec, base="https://budgetkg.org/")
    st = ox.Store()
    st.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
    st.extend(ox.Quad(t.subject, t.predicate, t.object, VOCAB_GRAPH) for t in vocabulary_triples())
    return st, graph
