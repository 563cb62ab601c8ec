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

from . import names
from .errors import MissingBuild
from .outdir import check_replaceable, discard, publish, staging
from .queries import load_queries, run

TABLE_KIND = names.TABLE_KIND
# The index of a tables output: what marks a folder as one that ``regenerate`` may replace.
TABLES_INDEX = names.TABLES_INDEX


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

    ``out_dir`` is written whole or not at all (:mod:`budgetkg.outdir`) and listed in its
    ``tables.json``; it may only be a new or empty folder or a previous output of this command.

    :raises MissingBuild: when ``data_dir`` holds no build.
    :raises OutputRefused: when ``out_dir`` holds anything else.
    :returns: the written files, at their final place.
    """
    data_dir, out_dir = Path(data_dir), Path(out_dir).resolve()
    manifest_path = data_dir / names.MANIFEST
    if not manifest_path.exists():
        raise MissingBuild(f"no build in {data_dir} (run `budgetkg build` first)")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    check_replaceable(out_dir, marker=TABLES_INDEX, entries=_previous_entries(out_dir))
    staged = staging(out_dir)
    try:
        written = _write_tables(data_dir, manifest, staged)
        index = sorted(str(p.relative_to(staged)) for p in written)
        folders = sorted(p.name for p in staged.iterdir())
        (staged / TABLES_INDEX).write_text(json.dumps({"documents": folders, "files": index}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        publish(staged, out_dir)
    except BaseException:
        discard(staged)
        raise
    return [out_dir / name for name in index]


def _previous_entries(out_dir: Path) -> list[str]:
    """The document folders a previous ``regenerate`` listed in its index (none: no index)."""
    try:
        index = json.loads((out_dir / TABLES_INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return list(index.get("documents", [])) if isinstance(index, dict) else []


def _write_tables(data_dir: Path, manifest: dict, out_dir: Path) -> list[Path]:
    store = ox.Store.read_only(str(data_dir / names.STORE_DIR))
    written = []
    for doc in manifest["documents"]:
        kinds = [
            sol["kind"].value.removeprefix(TABLE_KIND)
            for sol in store.query(
                f"SELECT DISTINCT ?kind WHERE {{ ?ds <{names.BKG}tableKind> ?kind }}",
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
