"""Regenerate the printed tables of every document from the built graph.

API: :func:`regenerate` ``(data_dir, out_dir, *, fmt="csv") -> list[Path]``;
:func:`table_rows` ``(store, graph, kind) -> list[list[str]]``;
:func:`printed` ``(store, graph, kind, *, typed=False) -> (header paths, body rows)``;
:func:`layout` ``(cells) -> list[list[str]]`` and :func:`pivot` ``(cells, *, typed=False)`` (the pivot,
shared with :mod:`budgetkg.client`); :func:`format_amount`; :data:`FORMATS`.

The rows come from SPARQL over the store (not from the parser's records), so a
round trip through the graph proves the graph holds every cell. The header is the whole printed
header: in a CSV each column's header cells joined on one line (``公务接待费/预算数``,
:func:`budgetkg.headers.joined`); in a workbook the header rows as printed, group cells merged.
"""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox

from . import names
from .errors import MissingBuild
from .headers import SEPARATOR, grid, joined
from .outdir import check_replaceable, discard, publish, staging
from .queries import load_queries, run

TABLE_KIND = names.TABLE_KIND
# The index of a tables output: what marks a folder as one that ``regenerate`` may replace.
TABLES_INDEX = names.TABLES_INDEX
FORMATS = ("csv", "xlsx")  # what `budgetkg tables --format` writes


def format_amount(value: str, decimals: int) -> str:
    """An xsd:decimal as printed with ``decimals`` places (the store may drop trailing zeros)."""
    return f"{Decimal(value):.{decimals}f}"


def _value(term) -> str:
    return term.value if term is not None else ""


def table_rows(store: ox.Store, graph: str, kind: str) -> list[list[str]]:
    """The header line (each column's whole header path, joined) and body rows of one table, as printed."""
    paths, body = printed(store, graph, kind)
    return [[joined(p) for p in paths]] + body


def printed(store: ox.Store, graph: str, kind: str, *, typed: bool = False) -> tuple[list[list[str]], list[list]]:
    """The header paths (per column, top to leaf) and the body rows of one table.

    With ``typed``, amounts are :class:`~decimal.Decimal` (their printed decimals kept); an empty cell is ``""``.
    """
    queries = load_queries()
    own = queries.get(f"tables/{kind}")
    if own is not None and kind != "cells":
        results = run(store, own, graph=graph)
        names = [v.value for v in results.variables]
        return [[n] for n in names], [[_value(sol[n]) for n in names] for sol in results]
    solutions = run(store, queries["tables/cells"], {"kind": TABLE_KIND + kind}, graph=graph)
    return pivot(((sol["row"].value, sol["col"].value, sol["value"].value,
                   sol["decimals"].value if sol["decimals"] is not None else None) for sol in solutions), typed=typed)


def layout(cells) -> list[list[str]]:
    """The printed table (header line, then body rows) from the ``tables/cells`` rows.

    ``cells`` yields ``(row, col, value, decimals)`` as strings (``decimals`` None for a text cell);
    row 0 is the header (a column's header path, its cells joined by " / "), written on one line.
    Amounts come back with their printed number of decimals.

    >>> layout([("0", "1", "项目", None), ("0", "2", "支出 / 金额", None), ("1", "1", "合计", None), ("1", "2", "12.5", "2")])
    [['项目', '支出/金额'], ['合计', '12.50']]
    """
    paths, body = pivot(cells)
    return [[joined(p) for p in paths]] + body


def pivot(cells, *, typed: bool = False) -> tuple[list[list[str]], list[list]]:
    """(header paths, body rows) from the ``tables/cells`` rows; see :func:`layout`.

    >>> pivot([("0", "1", "收入 / 项目", None), ("0", "2", "备注", None), ("1", "1", "8", "0")], typed=True)
    ([['收入', '项目'], ['备注']], [[Decimal('8'), '']])
    """
    table: dict[int, dict[int, object]] = {}
    for row, col, value, decimals in cells:
        if decimals is not None:
            value = format_amount(value, int(decimals))
            if typed:
                value = Decimal(value)
        table.setdefault(int(row), {})[int(col)] = value
    header = table.pop(0, {})
    width = max(header, default=0)
    paths = [str(header.get(c, "")).split(SEPARATOR) for c in range(1, width + 1)]
    return paths, [[table[row].get(c, "") for c in range(1, width + 1)] for row in sorted(table)]


def regenerate(data_dir: str | Path, out_dir: str | Path, *, fmt: str = "csv") -> list[Path]:
    """Write ``out_dir/<document>/<table-key>.csv`` (or ``.xlsx``, ``fmt``) for every table of every built document.

    ``out_dir`` is written whole or not at all (:mod:`budgetkg.outdir`) and listed in its
    ``tables.json``; it may only be a new or empty folder or a previous output of this command.

    :raises MissingBuild: when ``data_dir`` holds no build.
    :raises OutputRefused: when ``out_dir`` holds anything else.
    :raises ValueError: for a format not in :data:`FORMATS`.
    :returns: the written files, at their final place.
    """
    if fmt not in FORMATS:
        raise ValueError(f"tables are written as {' or '.join(FORMATS)}, not {fmt!r}")
    data_dir, out_dir = Path(data_dir), Path(out_dir).resolve()
    manifest_path = data_dir / names.MANIFEST
    if not manifest_path.exists():
        raise MissingBuild(f"no build in {data_dir} (run `budgetkg build` first)")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    check_replaceable(out_dir, marker=TABLES_INDEX, entries=_previous_entries(out_dir))
    staged = staging(out_dir)
    try:
        written = _write_tables(data_dir, manifest, staged, fmt)
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


def _write_tables(data_dir: Path, manifest: dict, out_dir: Path, fmt: str) -> list[Path]:
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
            path = folder / f"{kind}.{fmt}"
            if fmt == "xlsx":
                from .spreadsheet import workbook

                paths, body = printed(store, doc["graph"], kind, typed=True)
                path.write_bytes(workbook(grid(paths), body, title=kind))
            else:
                with path.open("w", encoding="utf-8", newline="") as fh:
                    csv.writer(fh, lineterminator="\n").writerows(table_rows(store, doc["graph"], kind))
            written.append(path)
    return written
