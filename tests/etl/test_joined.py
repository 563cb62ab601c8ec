"""Joining a narrative's shards to its tables' (etl/joined.py)."""

from __future__ import annotations

from types import SimpleNamespace

import pyoxigraph as ox

from budgetkg.etl.joined import join_shards
from budgetkg.etl.to_rdf import sorted_unique

LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


def test_the_union_keeps_literals_with_line_separators_whole(tmp_path):
    # oxigraph writes U+2028, U+2029 and U+0085 unescaped in a literal: a line of a shard ends at "\n" only
    narrative = [ox.Triple(ox.NamedNode("http://e/d"), LABEL, ox.Literal(f"一\u2028二\u2029三\u0085四", language="zh"))]
    tables = [ox.Triple(ox.NamedNode("http://e/t"), LABEL, ox.Literal("表")), narrative[0]]  # one triple in both
    for n, triples in ((0, tables), (1, narrative)):
        (tmp_path / f"{n}.nt").write_bytes(sorted_unique(triples)[1])
        (tmp_path / f"{n}.nq").write_bytes(b"")
    graph = "http://e/graph"
    holder, other = SimpleNamespace(graph=graph, path="t.pdf", warnings=[]), SimpleNamespace(warnings=[])
    assert join_shards(tmp_path, 0, 1, holder, other, validate=False) == []
    union = {ox.Quad(*t, ox.NamedNode(graph)) for t in tables}
    assert set(ox.parse((tmp_path / "0.nq").read_bytes(), format=ox.RdfFormat.N_QUADS)) == union
    assert len((tmp_path / "0.nq").read_bytes().split(b"\n")) == len(union) + 1  # one line a quad, once each
    assert {q.triple for q in ox.parse((tmp_path / "0.nt").read_bytes(), format=ox.RdfFormat.N_TRIPLES)} == set(tables)
    assert (tmp_path / "1.nt").read_bytes() == (tmp_path / "1.nq").read_bytes() == b""
