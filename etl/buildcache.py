"""The per-document shards of earlier builds, for incremental rebuilds (``budgetkg build --cache DIR``).

API: :class:`ShardCache` ``(folder)`` with :meth:`~ShardCache.key`, :meth:`~ShardCache.restore`,
:meth:`~ShardCache.keep`, :meth:`~ShardCache.prune`; :func:`code_version`.

A document's entry is keyed by the SHA-256 of its bytes, its path (named in its validation
report), its overrides and the build options, and :func:`code_version`: the code, ontology,
code lists and shapes of this installation and the versions of the libraries that read,
map and validate. Any change to one of them is a new key, so an entry is never stale; the
merge of shards is the clean build's, so the dumps are byte-identical to it. Entries are
written to a temporary name and renamed. The folder holds a marker naming it budgetkg's: a
folder without it that is not empty is refused, and nothing else in it is ever deleted.

Entries are never stale but they are never reused once their document or the code changed: a cache
kept across releases grows by a whole corpus at each (about 3.5 MB a document, docs/scaling.md).
:meth:`~ShardCache.prune` (``budgetkg build --cache DIR --prune-cache``) removes, after a build,
the entries it did not use.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
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
# The report of an entry: written last, so an entry counts only once it is there (and, pruned, is gone first).
REPORT = ".json"
# The names this module writes: an entry's files (a key is a SHA-256 in hex) and their temporary names
# (replace_file: "." + the name + "." + the writer's pid + ".tmp"); nothing else in the folder is pruned.
_ENTRY = re.compile(r"([0-9a-f]{64})(\.nq|\.nt|\.json)")
_TEMPORARY = re.compile(r"\.([0-9a-f]{64})(?:\.nq|\.nt|\.json)\.([0-9]+)\.tmp")


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
            report = json.loads(entry.with_suffix(REPORT).read_text(encoding="utf-8"))
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
        replace_file(entry.with_suffix(REPORT), lambda tmp: tmp.write_bytes(data))

    def prune(self, keep) -> tuple[int, int]:
        """Remove the entries whose key is not in ``keep`` (the keys a build used), and the temporary
        files of writers no longer running; return (entries removed, bytes of their files).

        Only names this class writes are removed: any other file in the folder stays. An entry's
        report goes first, so a build reading the cache meanwhile finds the entry whole or absent
        (and then processes its document again).

        :raises OSError: a file that cannot be removed (those before it are gone, the entries after it kept).
        """
        keep = set(keep)
        entries: dict[str, list[Path]] = {}
        temporary: list[Path] = []
        for path in self.folder.iterdir():
            named = _ENTRY.fullmatch(path.name)
            if named and named[1] not in keep:
                entries.setdefault(named[1], []).append(path)
            stale = _TEMPORARY.fullmatch(path.name)
            if stale and not _running(int(stale[2])):
                temporary.append(path)
        removed = 0
        for key in sorted(entries):
            for path in sorted(entries[key], key=lambda p: p.suffix != REPORT):  # the report first
                removed += _remove(path)
        for path in sorted(temporary):
            removed += _remove(path)
        return len(entries), removed


def _remove(path: Path) -> int:
    """Remove ``path``; its size (0 if another process removed it first)."""
    try:
        size = path.stat().st_size
        path.unlink()
    except FileNotFoundError:
        return 0
    return size


def _running(pid: int) -> bool:
    """Whether a process ``pid`` runs on this machine (a temporary file of a running build is being written)."""
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):  # (a number past the largest pid: no process)
        return False
    except PermissionError:  # another user's process
        return True
    return True
