"""The build's embedded store: loaded from the documents' quads shards (or from the quads dump), or,
on an incremental rebuild, the previous build's store updated by the difference of the two dumps.

API: :func:`load_store` ``(location, quads, vocab, *, previous=None) -> str`` (how it was made);
:func:`load_shards` ``(location, shards, vocab)``: a new store from the documents' quads shards.

Loading every quad again costs most of a rebuild's time at scale: minutes for the 15 M quads
of 1,000 PDFs on 2 cores (``bench/bench_national.py``), where the documents changed take seconds.
With ``previous`` (the output folder of the last build, as ``budgetkg build --cache`` passes it),
the previous store is backed up into ``location`` (RocksDB checkpoint: hard links to its
immutable files on the same file system, so nothing of the previous output is changed), and each
named graph with a line that left or entered the sorted, deduplicated quads dump is loaded again.
The result holds the same quads as a store loaded from the new dump; when the previous output
cannot be used (no store, a dump that does not match its manifest, another version's vocabulary,
more changed lines than unchanged ones) the dump is loaded whole instead.
"""

from __future__ import annotations

import itertools
import json
import shutil
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox

from budgetkg.names import DUMP_QUADS, DUMPS_DIR, MANIFEST, STORE_DIR

from .vocab import VOCAB_GRAPH

# Quads per bulk load. One bulk load of a whole dump holds its batches in memory: 1.8 GB for 4.7 M
# quads, growing with the corpus; loads of 250,000 quads each keep the parent's memory flat at any size
# in about the same time (docs/scaling.md: about 0.2 GB for one load at a time, 0.7 GB for two). N-Quads is one quad per line, so a chunk is whole lines.
STORE_LOAD_QUADS = 250_000
# Bulk loads run at once. One load is one thread of oxigraph's (it parses, then writes the index files);
# two take the parent's two cores once the merges are done (docs/scaling.md), each with its own chunk.
STORE_LOAD_THREADS = 2
# How a store loaded whole is described (:func:`load_store`, the build's ``BuildResult.store``)
LOADED = "loaded"


def load_store(location: Path, quads: Path, vocab: list, *, previous: Path | None = None) -> str:
    """Make the store at ``location`` hold ``quads`` (an N-Quads file, sorted and deduplicated
    lines) and ``vocab`` (triples, in :data:`~budgetkg.etl.vocab.VOCAB_GRAPH`).

    Returns :data:`LOADED` or, when ``previous`` (an earlier build's output folder) could be updated,
    ``"updated: G graphs, Q quads"`` (the graphs replaced and the quads loaded into them).

    :raises OSError: the store cannot be written.
    """
    if previous is not None:
        changed = _update(previous, location, quads, vocab)
        if changed is not None:
            return f"updated: {changed[0]} graphs, {changed[1]} quads"
    _load(ox.Store(str(location)), quads, vocab)
    return LOADED


def load_shards(location: Path, shards: list[Path], vocab: list) -> None:
    """A new store at ``location`` holding the quads of ``shards`` (N-Quads files) and ``vocab``.

    The same quads as a load of the dump merged from these shards (a store is a set: the order of
    the lines and a line in two shards change nothing), without waiting for that merge: the build
    loads the store from the shards while it merges the dumps. Lines are taken whole shards at a
    time, about :data:`STORE_LOAD_QUADS` per load, :data:`STORE_LOAD_THREADS` loads at once; they
    were written by oxigraph, so they are parsed leniently (IRIs not checked again).

    :raises OSError: the store cannot be written or a shard read.
    :raises SyntaxError: a shard is not N-Quads (the message names the shards of the failed load).
    """
    store = ox.Store(str(location))
    todo = iter(shards)
    lock = threading.Lock()
    failed = threading.Event()  # one load failed: the other takes no more shards

    def next_chunk() -> tuple[bytes, list[Path]]:
        with lock:  # each thread takes the next shards in turn
            parts, taken, lines = [], [], 0
            for shard in todo if not failed.is_set() else ():
                parts.append(shard.read_bytes())
                taken.append(shard)
                lines += parts[-1].count(b"\n")
                if lines >= STORE_LOAD_QUADS:
                    break
            return b"".join(parts), taken

    def loader() -> None:
        while (chunk := next_chunk())[0]:
            try:
                store.bulk_load(chunk[0], ox.RdfFormat.N_QUADS, lenient=True)
            except SyntaxError as e:
                failed.set()
                raise SyntaxError(f"{', '.join(map(str, chunk[1]))}: {e}") from e
            except BaseException:
                failed.set()
                raise

    with ThreadPoolExecutor(STORE_LOAD_THREADS) as pool:
        for running in [pool.submit(loader) for _ in range(STORE_LOAD_THREADS)]:
            running.result()
    store.bulk_extend(_vocab_quads(vocab))
    store.flush()


def _load(store: ox.Store, quads: Path, vocab: list) -> None:
    with quads.open("rb") as fh:
        _bulk(store, fh)
    store.bulk_extend(_vocab_quads(vocab))
    store.flush()


def _bulk(store: ox.Store, lines) -> None:
    while chunk := b"".join(itertools.islice(lines, STORE_LOAD_QUADS)):
        store.bulk_load(chunk, ox.RdfFormat.N_QUADS)


def _vocab_quads(vocab: list):
    return (ox.Quad(t.subject, t.predicate, t.object, VOCAB_GRAPH) for t in vocab)


def _usable_dump(previous: Path) -> Path | None:
    """The previous output's quads dump, if its size and line count are the manifest's."""
    try:
        manifest = json.loads((previous / MANIFEST).read_text(encoding="utf-8"))
        dump = previous / DUMPS_DIR / DUMP_QUADS
        if (previous / STORE_DIR).is_dir() and dump.stat().st_size == manifest["dumps"][DUMP_QUADS]["bytes"]:
            return dump
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None


def _update(previous: Path, location: Path, quads: Path, vocab: list) -> tuple[int, int] | None:
    """Back up the previous store into ``location`` and replace the graphs whose lines changed;
    None when the previous output cannot be used (``location`` is then left absent).

    Whole graphs are replaced, not single quads: a store keeps one form of equal literals (1.50
    and 1.5), so removing a changed line could remove a quad another, unchanged line still holds.
    """
    old_dump = _usable_dump(previous)
    if old_dump is None:
        return None
    graphs = _changed_graphs(old_dump, quads)
    if graphs is None:
        return None
    added = location.with_name(location.name + ".added.nq")
    try:
        count = _lines_of(quads, graphs, added)
        try:
            ox.Store.read_only(str(previous / STORE_DIR)).backup(str(location))
        except OSError:  # another file system's rules, or a store being written
            shutil.rmtree(location, ignore_errors=True)  # what the backup made of it, in our staging folder
            return None
        store = ox.Store(str(location))
        if sorted(map(str, store.quads_for_pattern(None, None, None, VOCAB_GRAPH))) != sorted(map(str, _vocab_quads(vocab))):
            graphs.add(VOCAB_GRAPH)
        for g in sorted(graphs, key=str):
            store.remove_graph(g)
        with added.open("rb") as fh:
            _bulk(store, fh)
        if VOCAB_GRAPH in graphs:
            store.bulk_extend(_vocab_quads(vocab))
        store.flush()
        return len(graphs), count
    finally:
        added.unlink(missing_ok=True)


def _changed_graphs(old: Path, new: Path) -> set[ox.NamedNode] | None:
    """The named graphs of the lines only in one of two sorted dumps; None when a changed line is
    in the default graph or the changed lines are more than those in common."""
    changed, same = _changed_lines(old, new)
    if changed is None:
        return None
    graphs = {q.graph_name for q in ox.parse(b"".join(changed), format=ox.RdfFormat.N_QUADS)}
    if any(not isinstance(g, ox.NamedNode) for g in graphs):
        return None
    return graphs


def _changed_lines(old: Path, new: Path) -> tuple[list[bytes] | None, int]:
    """The lines of two sorted files that are in only one of them, and the count of the others;
    (None, count) as soon as the changed lines outnumber the common ones by a load's worth.

    The files are compared a block at a time (in C) and walked line by line only from the line
    where they differ to the next line they share: a rebuild's dumps are mostly the same (3.8 GB
    each at 1,000 PDFs).

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "a").write_bytes(b"a\\nb\\nc\\ne\\n"); _ = (d / "b").write_bytes(b"a\\nbb\\nc\\nd\\ne\\n")
    >>> _changed_lines(d / "a", d / "b")
    ([b'b\\n', b'bb\\n', b'd\\n'], 3)
    >>> import shutil; shutil.rmtree(d)  # the example leaves nothing behind
    """
    changed: list[bytes] = []
    same = 0
    with old.open("rb") as a, new.open("rb") as b:
        while True:  # each round starts at the start of a line in both files
            at_a, at_b = a.tell(), b.tell()
            x, y = a.read(_BLOCK), b.read(_BLOCK)
            if not x and not y:
                return (None if len(changed) > same else changed), same
            # the same whole lines: skip them; else from the line where the files differ (or a line
            # longer than a block) compare line by line
            start = x.rfind(b"\n") + 1 if x == y else x.rfind(b"\n", 0, _common_prefix(x, y)) + 1
            same += x.count(b"\n", 0, start)
            a.seek(at_a + start)
            b.seek(at_b + start)
            if x == y and start:
                continue
            la, lb = a.readline(), b.readline()
            while la != lb:  # to the next line both hold (or both ends: b"" == b"")
                if la and (not lb or la < lb):
                    changed.append(la)
                    la = a.readline()
                else:
                    changed.append(lb)
                    lb = b.readline()
                if len(changed) > same + STORE_LOAD_QUADS:
                    return None, same
            same += bool(la)


# Bytes compared at once by _changed_lines: a difference costs a binary search of about 20 slices.
_BLOCK = 1 << 20


def _common_prefix(x: bytes, y: bytes) -> int:
    """The length of the longest common prefix of ``x`` and ``y``, by bisection on slices."""
    lo, hi = 0, min(len(x), len(y))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if x[:mid] == y[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _lines_of(dump: Path, graphs: set[ox.NamedNode], out: Path) -> int:
    """Write the lines of ``dump`` in ``graphs`` to ``out``; returns their count. A line's graph is
    its last term (an IRI has no space); a triple of the default graph whose object is one of
    these IRIs is written too, which adds nothing the dump does not hold."""
    ends = {f"{g} .\n".encode() for g in graphs}
    count = 0
    if not ends:
        out.touch()
        return 0
    with dump.open("rb") as fh, out.open("wb") as o:
        for line in fh:
            if line[line.rfind(b" ", 0, len(line) - 3) + 1:] in ends:
                o.write(line)
                count += 1
    return count
