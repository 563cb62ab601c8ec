"""Regenerate the printed tables of every document from the built graph.

API: :func:`regenerate` ``(data_dir, out_dir) -> list[Path]``;
:func:`table_rows` ``(store, graph, kind) -> list[list[str]]``;
:func:`layout` ``(cells) -> list[list[str]]`` (the pivot, shared with :mod:`budgetkg.client`);
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
    solutions = run(store, queries["tables/cells"], {"kind": TABLE_KIND + kind}, graph=graph)
    return layout((sol["row"].value, sol["col"].value, sol["value"].value,
                   sol["decimals"].value if sol["decimals"] is not None else None) for sol in solutions)


def layout(cells) -> list[list[str]]:
    """The printed table (header line, then body rows) from the ``tables/cells`` rows.

    ``cells`` yields ``(row, col, value, decimals)`` as strings (``decimals`` None for a text cell);
    row 0 is the header. Amounts come back with their printed number of decimals.

    >>> layout([("0", "1", "项目", None), ("0", "2", "金额", None), ("1", "1", "合计", None), ("1", "2", "12.5", "2")])
    [['项目', '金额'], ['合计', '12.50']]
    """
    table: dict[int, dict[int, str]] = {}
    for row, col, value, decimals in cells:
        if decimals is not None:
            value = format_amount(value, int(decimals))
        table.setdefault(int(row), {})[int(col)] = value
    header = table.pop(0, {})
    width = max(header, default=0)
    out = [[header.get(c, "") for c in range(1, width + 1)]]
    for row in sorted(table):
        out.append([table[row].get(c, "") for c in range(1, width + 1)])
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
