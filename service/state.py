"""What the service serves: the build folder, its manifest, and whether it was rebuilt.

API: :class:`DataState` ``(settings)`` with ``identity()``, ``load()``, ``manifest``,
``generation``, ``base_iri``, ``modified``, ``dumps_dir``; :class:`BuildCache` (what the
service derives from one build); :func:`base_from_manifest`.

``budgetkg build`` writes a new folder beside the old one and renames it into
place, so a rebuild shows as a new inode of ``DATA/store`` (and a new
``manifest.json``); a failed build changes neither.

>>> base_from_manifest({"documents": [{"graph": "https://ex.org/kg/graph/130500/2022/501/budget"}]})
'https://ex.org/kg/'
"""

from __future__ import annotations

import asyncio
import json
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from budgetkg.names import DEFAULT_BASE, DUMPS_DIR, MANIFEST

from .settings import Settings


@dataclass(eq=False)
class BuildCache:
    """What the service derives from one build, each part computed on first use.

    The service replaces the whole object when it serves a new build (one assignment), so
    nothing of the old build survives it, and a computation that started before the swap
    writes into the old object, never into the new one: hold the object across an ``await``
    (``c = s.cache; c.home = await ...``), not ``s.cache``.
    """

    generation: int = 0  # DataState.generation of the build it belongs to
    queries: dict | None = None  # named queries (budgetkg.queries.load_queries)
    home: list[dict] | None = None  # the home page's rows
    catalog_docs: list[dict] | None = None  # the catalog's documents
    catalog_quality: list[dict] | None = None  # the DQV measurements the build published
    void: dict | None = None  # VoID counts, partitions and examples
    void_lock: asyncio.Lock = field(default_factory=asyncio.Lock)  # one VoID computation at a time
    sha256: dict[tuple, str] = field(default_factory=dict)  # (path, mtime_ns, size) -> digest of a dump
    chart_specs: dict[tuple, dict] = field(default_factory=dict)  # (chart, params) -> Vega-Lite spec
    chart_svgs: dict[tuple, str] = field(default_factory=dict)  # (chart, params) -> SVG


def base_from_manifest(manifest: dict) -> str | None:
    for doc in manifest.get("documents", []):
        parts = str(doc.get("graph", "")).rsplit("/", 5)
        if len(parts) == 6 and parts[1] == "graph":
            return parts[0] + "/"
    return None


class DataState:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.data = Path(settings.data)
        self.manifest: dict = {}
        self.generation = 0
        self.loaded_identity: tuple | None = None
        self.modified = datetime.now(timezone.utc)

    @property
    def dumps_dir(self) -> Path:
        return self.data / DUMPS_DIR

    @property
    def store_path(self) -> Path:
        return self.settings.store_path

    def identity(self) -> tuple | None:
        """Identity of the current build (store inode, manifest inode and mtime); None while absent."""
        try:
            st = os.stat(self.store_path)
            mf = os.stat(self.data / MANIFEST)
        except OSError:
            return None
        return (st.st_dev, st.st_ino, mf.st_ino, mf.st_mtime_ns)

    def load(self) -> None:
        """Read the manifest (an empty one when there is none) and start a new generation."""
        ident = self.identity()
        path = self.data / MANIFEST
        try:
            self.manifest = json.loads(path.read_text(encoding="utf-8"))
            self.modified = datetime.fromtimestamp(path.stat().st_mtime, timezone.utc)
        except (OSError, ValueError):
            self.manifest = {}
        self.loaded_identity = ident
        self.generation += 1

    @property
    def base_iri(self) -> str:
        return self.settings.base_iri or base_from_manifest(self.manifest) or DEFAULT_BASE

    @property
    def documents(self) -> list[dict]:
        return list(self.manifest.get("documents", []))
