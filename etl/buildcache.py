"""The per-document shards of earlier builds, for incremental rebuilds (``budgetkg build --cache DIR``).

API: :class:`ShardCache` ``(folder)`` with :meth:`~ShardCache.key`, :meth:`~ShardCache.restore`,
:meth:`~ShardCache.keep`; :func:`code_version`.

A document's entry is keyed by the SHA-256 of its bytes, its path (named in its validation
report), its overrides and the build options, and :func:`code_version`: the code, ontology,
code lists and shapes of this installation and the versions of the libraries that read,
map and validate. Any change to one of them is a new key, so an entry is never stale; the
merge of shards is the clean build's, so the dumps are byte-identical to it. Entries are
written to a temporary name and renamed. The folder holds a marker naming it budgetkg's: a
folder without it that is not empty is refused, and nothing else in it is ever deleted.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import asdict
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from budgetkg.errors import OutputRefused

# The file that marks a folder as a budgetkg shard cache.
MARKER = "budgetkg-shard-cache"
# Libraries whose version changes what a document yields.
LIBRARIES = ("pdfplumber", "pypdfium2", "pyoxigraph", "pyshacl", "rdflib")
# The shard files of a document, as build.process_one writes them.
SHARDS = (".nq", ".nt")


def _digest_files(digest, root: Path, paths) -> None:
    for p in sorted(paths):
        digest.update(str(p.relative_to(root)).encode() + b"\0" + p.read_bytes() + b"\0")


@lru_cache(maxsize=1)
def code_version() -> str:
    """SHA-256 of what turns a document into its shards, besides the document itself."""
    import budgetkg
    from budgetkg.resources import ONTOLOGY, SHAPES

    digest = hashlib.sha256()
    package = Path(budgetkg.__file__).parent
    etl = Path(__file__).parent
    for root in (package, etl):
        _digest_files(digest, root, root.rglob("*.py"))
    for root in (ONTOLOGY, SHAPES):
        # the shapes' engine is its own files, not its installed node_modules
        _digest_files(digest, root, (p for p in root.rglob("*") if p.is_file() and "node_modules" not in p.parts
                                     and "__pycache__" not in p.parts))
    for name in LIBRARIES:
        try:
            digest.update(f"{name}={version(name)}\0".encode())
        except PackageNotFoundError:
            digest.update(f"{name}=none\0".encode())
    return digest.hexdigest()


def replace_file(target: Path, make) -> None:
    """``make(tmp)`` writes a new file beside ``target``, which is then renamed over it: ``target``
    is never written in place (a shard may be a hard link to a cached one, :func:`_share`), and a
    crash leaves the old file or the new one, never half of one."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    make(tmp)
    os.replace(tmp, target)


def _share(source: Path, target: Path) -> None:
    """``target`` made a hard link to ``source``, or a copy across file systems. Shards are never
    written in place (a new file is renamed over an old one), so sharing an inode is safe; at 1,000
    PDFs the copies were 7 GB, written twice per rebuild."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


class ShardCache:
    """A folder of ``<key>.nq``, ``<key>.nt`` and ``<key>.json`` (the document's report)."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder).resolve()
        if self.folder.is_file():
            raise OutputRefused(f"--cache {self.folder} is a file")
        if self.folder.is_dir() and any(self.folder.iterdir()) and not (self.folder / MARKER).is_file():
            raise OutputRefused(f"--cache {self.folder} holds files budgetkg did not write: choose an empty or new folder")
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / MARKER).touch()

    def key(self, path: str, overrides, options: tuple) -> str:
        with open(path, "rb") as fh:
            digest = hashlib.file_digest(fh, "sha256")
        digest.update(json.dumps([path, repr(overrides), repr(options), code_version()]).encode())
        return digest.hexdigest()

    def restore(self, key: str, stem: Path):
        """The cached report of ``key`` (a dict) with its shards linked (or copied) to ``stem.nq``/``.nt``; None if absent."""
        entry = self.folder / key
        try:
            report = json.loads(entry.with_suffix(".json").read_text(encoding="utf-8"))
            for suffix in SHARDS:
                _share(entry.with_suffix(suffix), stem.with_suffix(suffix))
        except (OSError, ValueError):
            for suffix in SHARDS:  # a shard linked before the other failed is not the reprocessed document's
                stem.with_suffix(suffix).unlink(missing_ok=True)
            return None  # absent or half there (an interrupted build): reprocess
        return report

    def keep(self, key: str, stem: Path, result) -> None:
        """Store the shards at ``stem`` and the report ``result`` (a DocumentResult) under ``key``."""
        entry = self.folder / key
        for suffix in SHARDS:
            replace_file(entry.with_suffix(suffix), lambda tmp, s=suffix: _share(stem.with_suffix(s), tmp))
        # the report last: an entry counts only once it is there
        data = json.dumps(asdict(result), ensure_ascii=False).encode()
        replace_file(entry.with_suffix(".json"), lambda tmp: tmp.write_bytes(data))
