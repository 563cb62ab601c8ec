"""Regenerate the printed tables of every document from the built graph.

API: :func:`regenerate` ``(data_dir, out_dir) -> list[Path]``;
:func:`table_rows` ``(store, graph, kind) -> list[list[str]]``;
:func:`format_amount`.

The rows come from SPARQL over the store (not from the parser's records), so a
round trip through the graph proves the graph holds every cell.
"""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox

from .queries import load_queries, run

TABLE_KIND = "https://budgetkg.org/def/cl/table-kind/"


def format_amount(value: str, decimals: int) -> str:
    """An xsd:decimal as printed with ``decimals`` places (the store may drop trailing zeros)."""
    return f"{Decimal(value):.{decimals}f}"


def _value(term) -> str:
    return term.value if term is not None else ""


def table_rows(store: ox.Store, graph: str, kind: str) -> list[list[str]]:
    """The header line and body rows of one table, as printed."""
    queries = load_queries()
    own = queries.get(f"tables/{kind}")
    if own is not None and kind != "cells":
        results = run(store, own, graph=graph)
        names = [v.value for v in results.variables]
        rows = [names]
        for sol in results:
            rows.append([_value(sol[n]) for n in names])
        return rows
    cells: dict[int, dict[int, str]] = {}
    for sol in run(store, queries["tables/cells"], {"kind": TABLE_KIND + kind}, graph=graph):
        row, col = int(sol["row"].value), int(sol["col"].value)
        value = sol["value"].value
        if sol["decimals"] is not None:
            value = format_amount(value, int(sol["decimals"].value))
        cells.setdefault(row, {})[col] = value
    header = cells.pop(0, {})
    width = max(header, default=0)
    out = [[header.get(c, "") for c in range(1, width + 1)]]
    for row in sorted(cells):
        out.append([cells[row].get(c, "") for c in range(1, width + 1)])
    return out


def regenerate(data_dir: str | Path, out_dir: str | Path) -> list[Path]:
    """Write ``out_dir/<document>/<table-key>.csv`` for every table of every built document.

    :raises FileNotFoundError: when ``data_dir`` holds no build.
    """
    data_dir, out_dir = Path(data_dir), Path(out_dir)
    manifest_path = data_dir / "manifest.json"
    if not manifest_path.exists():
        raise FileNotFoundError(f"no build in {data_dir} (run `budgetkg build` first)")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    store = ox.Store.read_only(str(data_dir / "store"))
    written = []
    for doc in manifest["documents"]:
        kinds = [
            sol["kind"].value.removeprefix(TABLE_KIND)
            for sol in store.query(
                "SELECT DISTINCT ?kind WHERE { ?ds <https://budgetkg.org/def/budget#tableKind> ?kind }",
                default_graph=ox.NamedNode(doc["graph"]),
            )
        ]
        folder = out_dir / Path(doc["path"]).stem
        folder.mkdir(parents=True, exist_ok=True)
        for kind in sorted(kinds):
            path = folder / f"{kind}.csv"
            with path.open("w", encoding="utf-8", newline="") as fh:
                csv.writer(fh, lineterminator="\n").writerows(table_rows(store, doc["graph"], kind))
            written.append(path)
    return written
