"""A folder's source manifest: what a portal or crawler knows about each document it fetched.

API: :func:`is_manifest` ``(path) -> bool``; :func:`read_manifest` ``(path) -> dict[Path, Overrides]``
(by the resolved path of the file each row names); :data:`MANIFEST_NAMES`.

A manifest is a file named ``sources.csv`` or ``sources.tsv`` (any case: ``SOURCES.tsv``), comma-
or tab-separated by its extension, with a header row. Columns are found by their header
(:data:`budgetkg.etl.lexicon.MANIFEST_COLUMNS`: ``file``/``文件``, ``department``/``issuer``/``部门``,
``jurisdiction``/``地区代码``, ``year``/``年度``, ``phase``/``kind``/``阶段``, ``level``); other
columns are ignored. The phase and the level are read from the words of their cell (``budget dept
(附件2 报表 only)`` is a budget of a department, ``final`` or ``决算`` final accounts, ``unit`` or
``单位`` a unit), so a crawler's description of what it fetched serves as is. An empty cell gives
nothing: what the document prints stands there. The department is normalized like a printed
one (a bracketed ``（本级）`` set apart), and its jurisdiction found from its name when no
column gives one (:mod:`budgetkg.etl.pipeline`).

>>> sorted(is_manifest(Path(n)) for n in ("SOURCES.tsv", "sources.csv", "sources.txt"))
[False, True, True]
>>> _words("budget dept (附件2 报表 only)", _PHASE_RE, MANIFEST_PHASE_WORDS, "phase", "x")
'budget'
>>> _words("final dept (中央部门)", _LEVEL_RE, MANIFEST_LEVEL_WORDS, "level", "x")
'department'
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from budgetkg.errors import InputError

from .inputs import decode_text
from .lexicon import MANIFEST_COLUMNS, MANIFEST_LEVEL_WORDS, MANIFEST_PHASE_WORDS, YEAR_RE
from .pipeline import Overrides

#: File names of a source manifest (compared case-insensitively), and the delimiter of each.
MANIFEST_NAMES = {"sources.csv": ",", "sources.tsv": "\t"}


def _words_re(words) -> re.Pattern:
    # longest first, an English word only whole (``final`` is not in ``finally``)
    return re.compile("|".join(rf"(?<![a-z]){re.escape(w)}(?![a-z-])" for w in sorted(words, key=len, reverse=True)),
                      re.IGNORECASE)


_PHASE_RE = _words_re(MANIFEST_PHASE_WORDS)
_LEVEL_RE = _words_re(MANIFEST_LEVEL_WORDS)


def is_manifest(path: Path) -> bool:
    return path.name.lower() in MANIFEST_NAMES


def _words(text: str, pattern: re.Pattern, words: dict[str, str], what: str, where: str, *,
           required: bool = False) -> str | None:
    """The one value the words of ``text`` stand for (None: no such word).

    :raises InputError: words standing for two values; none when ``required``.
    """
    found = {words[m.group(0).lower() if m.group(0).isascii() else m.group(0)] for m in pattern.finditer(text)}
    if len(found) > 1:
        raise InputError(f"{what} {text!r} names both {' and '.join(sorted(found))}", where)
    if required and not found:
        raise InputError(f"{what} {text!r} holds none of the words {', '.join(words)}", where)
    return found.pop() if found else None


def _columns(header: list[str], path: Path) -> dict[str, int]:
    """The position of each known field in ``header``.

    :raises InputError: no file column, or two columns for one field.
    """
    aliases = {alias.casefold(): name for name, words in MANIFEST_COLUMNS.items() for alias in words}
    where = f"{path}, line 1"
    found: dict[str, int] = {}
    for i, cell in enumerate(header):
        name = aliases.get(cell.strip().casefold())
        if name is None:
            continue
        if name in found:
            raise InputError(f"two columns give the {name}: {header[found[name]]!r} and {cell!r}", where)
        found[name] = i
    if "file" not in found:
        names = ", ".join("/".join(words) for words in MANIFEST_COLUMNS.values())
        raise InputError(f"no column names the file (header: {', '.join(map(repr, header))}; columns read: {names})", where)
    return found


def read_manifest(path: Path) -> dict[Path, Overrides]:
    """The overrides of each row of the manifest ``path``, by the resolved path of its file
    (relative to the manifest's folder).

    :raises InputError: naming the manifest and line: not text, no header or no file column, a row
        of another width than the header, a file that is not there or listed twice, a bad value.
    """
    text, _ = decode_text(path, path.read_bytes())
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=MANIFEST_NAMES[path.name.lower()], strict=True)
    try:
        header = next(rows, None)
        if not header:
            raise InputError("empty: a manifest starts with a header row", f"{path}, line 1")
        columns = _columns(header, path)
        out: dict[Path, Overrides] = {}
        lines: dict[Path, int] = {}
        for row in rows:
            where = f"{path}, line {rows.line_num}"
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise InputError(f"{len(row)} cells where the header has {len(header)}", where)
            cell = {name: row[i].strip() or None for name, i in columns.items()}
            target = path.parent / (cell["file"] or "")
            if not cell["file"] or not target.is_file():
                raise InputError(f"no such file: {cell['file']!r}", where)
            key = target.resolve()
            if key in lines:
                raise InputError(f"{cell['file']!r} is listed twice (first on line {lines[key]})", where)
            kind, level = cell.get("phase"), cell.get("level")
            year = YEAR_RE.fullmatch(cell.get("year") or "")  # 2026 or 2026年
            out[key] = Overrides(
                department=cell.get("department"), jurisdiction=cell.get("jurisdiction"),
                year=year.group(1) if year else cell.get("year"),
                phase=_words(kind, _PHASE_RE, MANIFEST_PHASE_WORDS, "phase", where, required=True) if kind else None,
                # the level from its own column, else from the kind text when it says one
                level=_words(level, _LEVEL_RE, MANIFEST_LEVEL_WORDS, "level", where, required=True) if level
                else _words(kind or "", _LEVEL_RE, MANIFEST_LEVEL_WORDS, "level", where),
            ).check(where)
            lines[key] = rows.line_num
    except csv.Error as exc:
        raise InputError(f"not a {'tab' if path.suffix.lower() == '.tsv' else 'comma'}-separated table: {exc}",
                         f"{path}, line {rows.line_num}") from None
    return out
