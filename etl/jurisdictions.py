"""Jurisdictions (GB/T 2260 administrative divisions) and finding one in a name.

API: :func:`jurisdictions` ``() -> dict[code, Jurisdiction]`` (cached) and
:func:`find_jurisdiction` ``(name) -> Jurisdiction | None``: the division whose
full name (with its parents') the department name starts with, longest first; a
department of the central government (国家某某局) is in :data:`NATIONAL`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

from budgetkg.resources import ONTOLOGY, require

from .lexicon import NATIONAL_PREFIXES

#: The central government's level (中央): not a GB/T 2260 division, it has the code that
#: GB/T 2260 based lists give the whole country.
NATIONAL = "100000"


@dataclass(frozen=True)
class Jurisdiction:
    code: str
    name_zh: str
    name_en: str
    parent: str | None


@lru_cache(maxsize=1)
def jurisdictions() -> dict[str, Jurisdiction]:
    path = require(ONTOLOGY / "jurisdictions.csv")
    with path.open(encoding="utf-8") as fh:
        return {
            row["code"]: Jurisdiction(row["code"], row["name_zh"], row.get("name_en", ""), row.get("parent") or None)
            for row in csv.DictReader(fh)
        }


@lru_cache(maxsize=1)
def _names() -> list[tuple[str, Jurisdiction]]:
    table = jurisdictions()
    names: dict[str, Jurisdiction] = {}
    for j in table.values():
        chain, p = [j.name_zh], j.parent
        while p and p in table:
            chain.insert(0, table[p].name_zh)
            p = table[p].parent
        for i in range(len(chain)):
            names.setdefault("".join(chain[i:]), j)
    return sorted(names.items(), key=lambda kv: -len(kv[0]))


def find_jurisdiction(name: str) -> Jurisdiction | None:
    """The most specific division named at the start of ``name``.

    A bare county-level name (``朝阳区``) is only accepted with its parent
    (``北京市朝阳区``), since such names repeat across the country. A name opening with a
    national word and no division (``国家``, ``中国``, ...) is a central department.

    >>> find_jurisdiction("长沙市某某局").code, find_jurisdiction("国家某局").code
    ('430100', '100000')
    >>> find_jurisdiction("某局") is None
    True
    """
    for full, j in _names():
        if name.startswith(full):
            if j.parent and j.parent in jurisdictions() and not j.code.endswith("00") and full == j.name_zh:
                continue
            return j
    if name.startswith(NATIONAL_PREFIXES):
        return jurisdictions().get(NATIONAL)
    return None


def lineage(code: str) -> list[Jurisdiction]:
    """The division and its parents, most specific first."""
    table = jurisdictions()
    out = []
    while code in table:
        out.append(table[code])
        code = table[code].parent or ""
    return out
