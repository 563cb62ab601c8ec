"""Every IRI the build mints, deterministic under a configurable base.

API: :class:`Minter` ``(base, jurisdiction, year, department, phase)`` and
:func:`slug_for`. See docs/DESIGN.md, "Instance IRIs".

>>> m = Minter("https://example.org/", "130500", "2022", "501", "budget")
>>> m.dataset("income").value
'https://example.org/id/130500/2022/501/budget/income'
>>> m.graph.value
'https://example.org/graph/130500/2022/501/budget'
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import quote

import pyoxigraph as ox

from budgetkg.names import DEFAULT_BASE  # noqa: F401  (re-exported: the build and the CLI import it from here)

_SAFE = re.compile(r"^[A-Za-z0-9_.-]+$")
SOURCE_DIGITS = 12  # hex digits of a source's SHA-256 that tell its skipped items apart from another source's


def slug_for(text: str) -> str:
    """A path segment for a printed code or name (hash when it is not IRI-safe)."""
    if _SAFE.match(text):
        return text
    return "x" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def check_base(base: str) -> str:
    """:raises ValueError: when ``base`` is not an absolute http(s) IRI ending with ``/``."""
    if not re.match(r"^https?://[^\s<>\"{}|\\^`]+/$", base):
        raise ValueError(f"base IRI must be an absolute http(s) IRI ending with '/': {base!r}")
    return base


class Minter:
    def __init__(self, base: str, jurisdiction: str, year: str, department: str, phase: str):
        self.base = check_base(base)
        self.jurisdiction = slug_for(jurisdiction)
        self.department_code = slug_for(department)
        scope = f"{self.jurisdiction}/{year}/{self.department_code}/{phase}"
        self.scope = f"{base}id/{scope}"
        self.graph = ox.NamedNode(f"{base}graph/{scope}")

    def node(self, path: str) -> ox.NamedNode:
        return ox.NamedNode(f"{self.scope}/{path}")

    def dataset(self, key: str) -> ox.NamedNode:
        return self.node(key)

    def column(self, key: str, index: int) -> ox.NamedNode:
        return self.node(f"{key}/col/{index}")

    def line_item(self, key: str, index: int, side: str | None) -> ox.NamedNode:
        return self.node(f"{key}/row/{index}" + (f"-{side}" if side else ""))

    def observation(self, key: str, row: int, col: int) -> ox.NamedNode:
        return self.node(f"{key}/obs/{row}-{col}")

    def cell(self, key: str, row: int, col: int) -> ox.NamedNode:
        return self.node(f"{key}/cell/{row}-{col}")

    def project(self, index: int) -> ox.NamedNode:
        """A project of the performance target tables (its position among them); a project list's line names it."""
        return self.node(f"project/{index}")

    def skipped(self, sha256: str, n: int) -> ox.NamedNode:
        """The ``n``-th thing the source with digest ``sha256`` could not map. The source is in the IRI: a
        disclosure published as two files (a narrative and its tables) is one graph, and each numbers
        what it skipped from 1.

        >>> Minter("https://example.org/", "130500", "2022", "501", "budget").skipped("ab" * 32, 3).value
        'https://example.org/id/130500/2022/501/budget/skipped/abababababab-3'
        """
        return self.node(f"skipped/{sha256[:SOURCE_DIGITS]}-{n}")

    def jurisdiction_node(self, code: str | None = None) -> ox.NamedNode:
        return ox.NamedNode(f"{self.base}id/jurisdiction/{slug_for(code) if code else self.jurisdiction}")

    def department(self) -> ox.NamedNode:
        return ox.NamedNode(f"{self.base}id/org/{self.jurisdiction}/{self.department_code}")

    def unit(self, code: str) -> ox.NamedNode:
        return ox.NamedNode(f"{self.base}id/org/{self.jurisdiction}/{self.department_code}/{slug_for(code)}")

    def source(self, sha256: str) -> ox.NamedNode:
        return ox.NamedNode(f"{self.base}id/source/{sha256}")

    def resource(self, path: str) -> ox.NamedNode:
        """A resource shared across documents (e.g. a cited document), under ``<base>id/``."""
        return ox.NamedNode(f"{self.base}id/{quote(path, safe='/')}")
