"""Build the graph: sources -> dumps, store and manifest under one output folder.

API: :func:`build` ``(sources, *, out, base=DEFAULT_BASE, jobs=None, validate=True, overrides=None,
keep_going=False, strict=False, store=True, scheduler=None, cache=None) -> BuildResult``; :func:`expand_sources`; :func:`plan_sources`;
:func:`vocabulary_triples`.

A folder may hold a source manifest (``sources.csv`` / ``SOURCES.tsv``, :mod:`~budgetkg.etl.source_manifest`;
an empty cell overrides nothing) naming what its documents do not print, or print wrongly; a
file given alone takes its row of the manifest beside it;
``overrides`` (``budgetkg build --department ...``) go over both. A table that cannot be read
is quarantined and listed (``strict`` makes it fail the document); with ``keep_going`` a
document that fails is listed in ``BuildResult.failed`` and the others are published.

Everything is written to a staging folder beside ``out`` and swapped into place
(:mod:`budgetkg.outdir`) only when every document was read, mapped and validated: a
failed build leaves the previous output untouched, and ``out`` is only replaced when
it is empty or holds a previous build (its ``manifest.json``). Workers die with the
build (:mod:`budgetkg.procs`). Dumps are sorted, so the same input gives
byte-identical files.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import os
import shutil
import subprocess
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from budgetkg.errors import BudgetkgError, InputError, SourcesFailed, ValidationFailed
from budgetkg.outdir import check_replaceable, discard, publish, staging
from budgetkg.procs import TimeLimitExpired, time_limit, worker_init
from budgetkg.names import DUMP_QUADS, DUMP_TRIPLES, DUMP_TURTLE, DUMP_VOCABULARY, DUMPS_DIR, MANIFEST, STORE_DIR, TABLES_DIR
from budgetkg.resources import SOURCE_SUFFIXES, default_sources

from .inputs import check_size, doc_memory_mb, doc_timeout, too_big, too_slow
from .iris import DEFAULT_BASE, check_base
from .joined import join_shards, joinable
from .pipeline import Overrides
from .source_manifest import is_manifest, read_manifest
from .storeload import LOADED, STORE_LOAD_QUADS, load_shards, load_store  # noqa: F401  (STORE_LOAD_QUADS: re-exported)
from .vocab import PREFIXES, VOCAB_GRAPH
from .vocabulary import vocabulary_files, vocabulary_triples  # noqa: F401  (vocabulary_files: re-exported)

# What a build writes at the top of its folder (``tables/`` is ``budgetkg tables``' default
# output): a folder holding anything else is not replaced.
BUILD_ENTRIES = frozenset({MANIFEST, DUMPS_DIR, STORE_DIR, TABLES_DIR})


@dataclass
class DocumentResult:
    path: str
    graph: str
    title: str | None
    department: str
    year: str
    phase: str
    tables: int
    observations: int
    triples: int
    skipped: list[dict[str, str]]
    repairs: list[str]
    new_concepts: list[str]
    unmatched: list[str]
    warnings: list[dict] = field(default_factory=list)
    level: str = "department"
    name_scope: str | None = None
    jurisdiction: str | None = None
    quarantined: list[dict[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    tables_elsewhere: str | None = None  # a narrative saying its tables are published apart: where it says so


@dataclass
class BuildResult:
    out: Path
    documents: list[DocumentResult]
    triples: int
    dumps: dict[str, dict[str, object]]
    failed: list[dict[str, str]] = field(default_factory=list)  # documents not built (keep_going)
    ignored: list[dict[str, str]] = field(default_factory=list)  # files of a source folder not read
    manifests: list[str] = field(default_factory=list)  # the source manifests of the folders, read
    # with a cache: the documents read, mapped and validated by this build, and those taken from the cache
    reprocessed: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    # with prune_cache: (entries, bytes) removed from the cache, those this build did not use
    pruned: tuple[int, int] | None = None
    # how the embedded store was made (:func:`budgetkg.etl.storeload.load_store`); None with --no-store
    store: str | None = None
    # wall seconds of the build's two parts: "documents" (read, map, validate in the workers) and
    # "publish" (joins, merges, dumps and store, in this process); for benchmarks, never in the manifest
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class SourcePlan:
    """The documents to build with their overrides, and the files of the folders left aside."""

    documents: list[tuple[Path, Overrides]]
    ignored: list[tuple[Path, str]]
    manifests: list[Path] = field(default_factory=list)  # the source manifests read


def expand_sources(sources: list[str | Path]) -> list[Path]:
    """Files as given; folders expanded to their ``.txt``/``.pdf`` files, in name order.

    :raises FileNotFoundError: for a source that does not exist.
    """
    if not sources:
        return default_sources()
    out: list[Path] = []
    for s in map(Path, sources):
        if s.is_dir():
            out.extend(sorted(p for p in s.rglob("*") if p.is_file() and p.suffix.lower() in SOURCE_SUFFIXES))
        elif s.is_file():
            out.append(s)
        else:
            raise FileNotFoundError(f"no such source: {s}")
    seen: set[Path] = set()  # a file given twice (alone and in its folder) is built once
    return [p for p in out if not (p.resolve() in seen or seen.add(p.resolve()))]


def plan_sources(sources: list[str | Path], overrides: Overrides | None = None) -> SourcePlan:
    """The documents of ``sources`` (as :func:`expand_sources`) with their overrides
    (``overrides`` over the source manifest of their folder, :mod:`~budgetkg.etl.source_manifest`),
    the manifests read and the other files of the folders.

    :raises FileNotFoundError: for a source that does not exist.
    :raises InputError: a bad manifest (file and line named) or override.
    """
    given = (overrides or Overrides()).check("command line")
    rows: dict[Path, Overrides] = {}
    manifests: list[Path] = []
    ignored: list[tuple[Path, str]] = []
    read: dict[Path, dict[Path, Overrides]] = {}  # each manifest read once, by its resolved path

    def take(f: Path, only: Path | None = None) -> None:
        key = f.resolve()
        if key not in read:
            read[key] = read_manifest(f)
        named = read[key] if only is None else {k: v for k, v in read[key].items() if k == only}
        twice = sorted(k for k in set(named) & set(rows) if rows[k] is not named[k])
        if twice:
            raise InputError(f"{twice[0].name} is also listed in another manifest", str(f))
        rows.update(named)
        if (only is None or named) and key not in map(Path.resolve, manifests):
            manifests.append(f)

    for s in map(Path, sources):
        if s.is_dir():
            for f in sorted(p for p in s.rglob("*") if p.is_file()):
                if is_manifest(f):
                    take(f)
                elif f.suffix.lower() not in SOURCE_SUFFIXES:
                    ignored.append((f, f"not a source document ({', '.join(sorted(SOURCE_SUFFIXES))})"))
        elif s.is_file():
            # A file given alone takes its row of the manifest beside it (a crawler writes one per
            # folder), so it builds as it does from its folder; a manifest not listing it is not used.
            for f in sorted(p for p in s.parent.iterdir() if p.is_file() and is_manifest(p)):
                take(f, only=s.resolve())
    docs = [(p, given.over(rows.get(p.resolve(), Overrides()))) for p in expand_sources(sources)]
    return SourcePlan(docs, ignored, manifests)


@dataclass(frozen=True)
class _Job:
    base: str
    validate: bool
    workdir: str | None
    strict: bool = False
    timeout: float | None = None
    memory_mb: int = 0


def _attempt(path: str, overrides: Overrides, job: _Job, n: int) -> DocumentResult | BudgetkgError:
    """:func:`process_one`, with a bad source's error returned so that the others still run."""
    try:
        with time_limit(job.timeout):
            return process_one(path, job.base, job.validate, job.workdir, n, overrides=overrides, strict=job.strict)
    except TimeLimitExpired:
        return too_slow(path, job.timeout)
    except MemoryError:
        return too_big(path, job.memory_mb)
    except BudgetkgError as exc:
        return exc


def _run_all(args: tuple[list, list, list, list], jobs: int, memory_mb: int) -> list:
    """:func:`_attempt` over ``args`` (zipped) in worker processes, each capped at ``memory_mb``.

    A worker that dies (a native allocation past the cap ends the process) breaks the pool
    and fails every document in it without saying which one was the cause: each of those is
    read again alone in a fresh worker, and only one that ends that worker too is reported.
    """
    from .model import EtlError, Location

    items = list(zip(*args))
    results: list = [None] * len(items)
    broken: list[int] = []
    with ProcessPoolExecutor(max_workers=jobs, initializer=worker_init, initargs=(os.getpid(), memory_mb)) as pool:
        futures = [pool.submit(_attempt, *item) for item in items]
        for i, future in enumerate(futures):
            try:
                results[i] = future.result()
            except BrokenProcessPool:
                broken.append(i)
    for i in broken:
        with ProcessPoolExecutor(max_workers=1, initializer=worker_init, initargs=(os.getpid(), memory_mb)) as alone:
            try:
                results[i] = alone.submit(_attempt, *items[i]).result()
            except BrokenProcessPool:
                results[i] = too_big(items[i][0], memory_mb, ": the process reading it ended") if memory_mb else \
                    EtlError("the process reading it ended (killed, or a crash of a PDF library)", Location(Path(items[i][0]).name))
    return results


def process_one(path: str, base: str, validate: bool = True, workdir: str | None = None, n: int = 0, *,
                overrides: Overrides | None = None, strict: bool = False) -> DocumentResult:
    """Read, map and validate one document; runs in a worker process.

    The document's sorted quads and triples go to ``workdir/<n>.nq`` and ``<n>.nt``
    so the parent merges files instead of holding every document in memory.

    :raises EtlError: bad input; with ``strict``, a quarantined table.
    :raises ValidationFailed: the graph violates the shapes.
    """
    from .model import EtlError
    from .to_rdf import map_document_nt, shard_quads

    rec, graph, unique, lines = map_document_nt(path, base=base, overrides=overrides, require_budget=True)
    if strict and rec.quarantined:
        raise EtlError("tables not read (--strict): " + "; ".join(f"{q.location}: {q.reason}" for q in rec.quarantined),
                       rec.doc.location(1))
    result = DocumentResult(
        path=str(path), graph=graph.value, title=rec.doc.title, department=rec.department_name,
        year=rec.year, phase=rec.phase, tables=len(rec.tables),
        observations=sum(len(t.observations) for t in rec.tables), triples=len(unique),
        skipped=[{"location": str(loc), "reason": reason} for loc, reason in rec.skipped],
        repairs=list(rec.doc.repairs), new_concepts=sorted({f"{n.scheme}/{n.notation}" for t in rec.tables for n in t.new_concepts}),
        unmatched=[u for t in rec.tables for u in t.unmatched],
        level=rec.level, name_scope=rec.name_scope, jurisdiction=rec.jurisdiction.code if rec.jurisdiction else None,
        quarantined=[{"location": str(q.location), "page": q.location.page, "table": q.location.table, "reason": q.reason}
                     for q in rec.quarantined],
        notes=list(rec.notes), tables_elsewhere=rec.tables_elsewhere,
    )
    quads: list[ox.Quad] = []  # the validation report's (the document's own quads are ``lines`` in ``graph``)
    if validate:
        from .validate_hook import validate_document
        from .validation_report import quarantine_warnings

        result.warnings = validate_document(unique, path) + quarantine_warnings(rec, graph.value)
        from .quality import quality_triples
        from .validation import report_graph_iri, report_triples

        report = report_graph_iri(graph)
        published = report_triples(result.warnings, graph) if result.warnings else []
        # DQV measurements of the document, published beside its validation report (issue 14)
        published += quality_triples(result.warnings, unique, graph)
        quads += [ox.Quad(t.subject, t.predicate, t.object, report) for t in published]
    if workdir is None:
        return result
    stem = Path(workdir) / str(n)
    stem.with_suffix(".nq").write_bytes(shard_quads(lines, graph, quads))
    stem.with_suffix(".nt").write_bytes(lines)
    return result


def _fan_in() -> int:
    """How many shards one merge opens at once: half the soft open-file limit (the pool, the store
    and the sources keep the other half), at least 2."""
    try:
        import resource  # POSIX only
        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    except (ImportError, OSError, ValueError):
        soft = 512
    return max(2, min(soft if soft > 0 else 4096, 1 << 16) // 2)


def _merge_lines(files: list[Path], out: Path, *, fan_in: int | None = None) -> int:
    """Merge sorted line files into ``out``, dropping repeated lines; returns the line count.

    More files than ``fan_in`` (default :func:`_fan_in`) are merged in rounds: each group of
    ``fan_in`` into a sorted file beside ``out`` (removed when merged), until one merge remains, so
    10^6 shards need no raised open-file limit; the output is the same byte for byte.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> parts = [d / f"{n}.nt" for n in range(5)]
    >>> for n, p in enumerate(parts):
    ...     _ = p.write_text("".join(f"{c}\\n" for c in sorted({"a", "b", "c"[:n % 2]} - {""})))
    >>> _merge_lines(parts, d / "one.nt"), _merge_lines(parts, d / "rounds.nt", fan_in=2)
    (3, 3)
    >>> (d / "one.nt").read_bytes() == (d / "rounds.nt").read_bytes()
    True
    >>> import shutil; shutil.rmtree(d)  # the example leaves nothing behind
    """
    fan_in = fan_in or _fan_in()
    made = 0  # intermediate files written so far (each a fresh name in the staging folder)
    ours = False  # whether ``files`` are intermediate files of an earlier round (removed once merged)
    while len(files) > fan_in:
        level = []
        for start in range(0, len(files), fan_in):
            part = out.with_name(f".{out.name}.{made}.part")
            made += 1
            _merge_group(files[start:start + fan_in], part)
            level.append(part)
        if ours:
            for f in files:
                f.unlink()
        files, ours = level, True
    count = _merge_group(files, out)
    if ours:
        for f in files:
            f.unlink()
    return count


def _merge_group(files: list[Path], out: Path) -> int:
    sort = _gnu_sort()
    if sort and files:
        return _merge_with_sort(sort, files, out)
    # Bytes, not text: UTF-8's byte order is the code points' order, so the lines come out as sorted
    # strings would, without decoding and encoding every line (a third of a large build's merge time).
    handles = [f.open("rb") for f in files]
    count, last = 0, None
    try:
        with out.open("wb") as fh:
            for line in heapq.merge(*handles):
                if line != last:
                    fh.write(line)
                    count += 1
                    last = line
    finally:
        for h in handles:
            h.close()
    return count


@lru_cache(maxsize=1)
def _gnu_sort() -> str | None:
    """GNU sort, which merges sorted files in C several times faster than heapq (the parent's
    longest step at 1,000 PDFs); None where there is none (then the merge is Python's)."""
    found = shutil.which("sort") if os.name == "posix" else None
    try:
        if found and "GNU coreutils" in subprocess.run([found, "--version"], capture_output=True, text=True,
                                                        timeout=10).stdout:
            return found
    except (OSError, subprocess.SubprocessError):
        pass
    return None


# Files GNU sort merges at once; more are merged in rounds through temporary files (as --batch-size
# says). Its memory is about 256 kB per file merged at once (its smallest merge buffer), so at most
# about 256 MB per merge whatever the number of shards. 1,024: one pass up to 1,024 documents; 128
# (about 35 MB) read and wrote a 1,000-document dump twice: 1.6x the CPU, 1.6x the wall time.
SORT_BATCH = 1024


def _merge_with_sort(sort: str, files: list[Path], out: Path) -> int:
    """``sort -m -u`` in the C locale: byte order, as the shards are sorted, and a line repeated
    in several shards written once. File names are passed in a file (10^6 shards exceed a
    command line), temporary files go beside ``out``."""
    names = out.with_name(f".{out.name}.files")
    names.write_bytes(b"".join(os.fsencode(f) + b"\0" for f in files))
    try:
        subprocess.run([sort, "-m", "-u", f"--batch-size={SORT_BATCH}", "-T", str(out.parent), "-o", str(out),
                        f"--files0-from={names}"], check=True, env={**os.environ, "LC_ALL": "C"},
                       stdin=subprocess.DEVNULL, capture_output=True)
    except subprocess.CalledProcessError as exc:
        raise OSError(f"merging {len(files)} shards into {out} failed: {exc.stderr.decode(errors='replace').strip()}") from exc
    finally:
        names.unlink(missing_ok=True)
    count = 0
    with out.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            count += chunk.count(b"\n")
    return count


def build(
    sources: list[str | Path] | None = None,
    *,
    out: str | Path = "dist",
    base: str = DEFAULT_BASE,
    jobs: int | None = None,
    validate: bool = True,
    max_input_bytes: int | None = None,
    timeout: float | None = None,
    overrides: Overrides | None = None,
    keep_going: bool = False,
    strict: bool = False,
    store: bool = True,
    memory_mb: int | None = None,
    scheduler: str | None = None,
    cache: str | Path | None = None,
    prune_cache: bool = False,
) -> BuildResult:
    """Build every source into ``out``.

    Every source is read even after one failed, so that the error names every bad file.
    ``max_input_bytes``: refuse larger sources (default: :data:`budgetkg.etl.inputs.MAX_INPUT_BYTES`);
    ``timeout``: seconds per document before it is reported as failed (default
    :data:`budgetkg.etl.inputs.DOC_TIMEOUT`; 0: none); ``memory_mb``: memory of the process reading
    one document (default :data:`budgetkg.etl.inputs.DOC_MEMORY_MB`; 0: none, and then one
    document with ``jobs=1`` is read in this process).
    ``overrides`` go over what every document prints and over its folder's source manifest;
    ``strict`` fails a document with a quarantined table; ``keep_going`` publishes the
    documents that build and lists the others in ``BuildResult.failed``.
    ``store=False`` (``--no-store``) writes dumps and manifest (the DCAT catalog is made from
    them) but no embedded store, for a build served from an external one (README, "Serving
    from an external store"). ``scheduler``: the address of a Dask scheduler; each document
    runs as a task on its cluster (:mod:`budgetkg.etl.distributed`) instead of the local pool.
    ``cache``: a folder of the shards of earlier builds (:mod:`budgetkg.etl.buildcache`); only
    documents whose bytes, options or code changed since are processed again
    (``BuildResult.reprocessed``), with dumps byte-identical to a clean build. ``prune_cache``: once
    the build is published, the cache's entries it did not use are removed (``BuildResult.pruned``).

    :raises InputError: bad input (file, line or page, table named; EtlError is one); with
        ``keep_going`` only when no document builds; nothing is written.
    :raises SourcesFailed: when more than one source failed (each named, with why); not with ``keep_going``.
    :raises OutputRefused: ``out`` is a file or a folder holding more than a previous build.
    :raises ValidationFailed: a document whose graph violates the shapes.
    :raises SchedulerUnreachable: no Dask scheduler answers at ``scheduler``.
    :raises ValueError: an invalid base IRI; ``prune_cache`` without ``cache``.
    :raises FileNotFoundError: a source that does not exist.
    """
    check_base(base)
    if prune_cache and cache is None:
        raise ValueError("prune_cache needs a cache: which folder to prune")
    plan = plan_sources(list(sources or []), overrides)
    paths = [str(p) for p, _ in plan.documents]
    if not paths:
        raise FileNotFoundError("no source documents (.txt or .pdf) found")
    jobs = jobs or min(len(paths), os.cpu_count() or 1)
    out = Path(out).resolve()
    check_replaceable(out, marker=MANIFEST, entries=BUILD_ENTRIES)
    too_large: dict[str, BudgetkgError] = {}
    for p in paths:
        try:
            check_size(p, limit=max_input_bytes)
        except InputError as exc:
            too_large[p] = exc
    tmp = staging(out)
    try:
        work = tmp / "work"
        work.mkdir()
        memory_mb = doc_memory_mb(memory_mb)
        job = _Job(base, validate, str(work), strict, doc_timeout(timeout), memory_mb)
        # A source too large to read is named with every other failure; without keep_going
        # nothing else is read then.
        todo = [n for n, p in enumerate(paths) if p not in too_large and (keep_going or not too_large)]
        keys: dict[int, str] = {}
        cached: dict[int, DocumentResult] = {}
        if cache is not None:
            from .buildcache import ShardCache

            shards = ShardCache(cache)
            for n in todo:
                keys[n] = shards.key(paths[n], plan.documents[n][1], (base, validate, strict))
                report = shards.restore(keys[n], work / str(n))
                if report is not None:
                    cached[n] = DocumentResult(**report)
        run = [n for n in todo if n not in cached]
        started = time.perf_counter()
        args = ([paths[n] for n in run], [plan.documents[n][1] for n in run], [job] * len(run), run)
        if scheduler:
            from .distributed import run_on_cluster

            attempts = run_on_cluster(scheduler, _attempt, *args)
        elif (jobs > 1 and len(run) > 1) or memory_mb:  # a capped document never runs in this process
            attempts = _run_all(args, min(jobs, max(1, len(run))), memory_mb)
        else:
            attempts = list(map(_attempt, *args))
        outcome: dict[int, DocumentResult | BudgetkgError] = {**cached, **dict(zip(run, attempts))}
        processed = time.perf_counter()
        for n in run if cache is not None else ():
            if not isinstance(outcome[n], BaseException):  # kept even when another document fails the build
                shards.keep(keys[n], work / str(n), outcome[n])
        errors = [too_large.get(p) or outcome[n] for n, p in enumerate(paths)
                  if p in too_large or isinstance(outcome.get(n), BaseException)]
        if errors and not keep_going:
            raise errors[0] if len(errors) == 1 else SourcesFailed(errors, total=len(paths))
        failed = [{"path": p, "reason": str(too_large.get(p) or outcome[n])} for n, p in enumerate(paths)
                  if p in too_large or isinstance(outcome.get(n), BaseException)]
        docs: list[tuple[int, DocumentResult]] = []
        graphs: dict[str, int] = {}
        # Of two sources of one disclosure the one with the most observations is built, the other
        # named as failed (they are not merged) unless it is the narrative of the first one's tables.
        ranked = sorted(((n, d) for n, d in outcome.items() if not isinstance(d, BaseException)),
                        key=lambda nd: (-nd[1].observations, nd[0]))
        # A narrative saying its tables are published apart joins the graph of those tables (:mod:`.joined`).
        joined: set[str] = set()
        for n, d in ranked:
            if d.graph in graphs:
                first = outcome[graphs[d.graph]]
                reason = f"two sources describe the same department, year and phase: {first.path}, {d.path}"
                if d.graph not in joined and joinable(first, d):
                    try:
                        first.warnings = join_shards(work, graphs[d.graph], n, first, d, validate)
                    except ValidationFailed as exc:
                        reason += f"; as one graph they violate the shapes: {exc}"
                    else:
                        joined.add(d.graph)
                        first.notes.append(f"published in one graph with its narrative {d.path} (validated together)")
                        d.notes.append(f"published in one graph with its tables {first.path} (validated together, "
                                       "the warnings are listed there)")
                        d.warnings = []
                        docs.append((n, d))
                        continue
                if not keep_going:
                    raise InputError(reason)
                failed.append({"path": d.path, "reason": f"{reason} (the one with more observations, {first.path}, "
                                                         "is built; the two are not merged)"})
            else:
                graphs[d.graph] = n
                docs.append((n, d))
        docs.sort(key=lambda nd: nd[0])
        if not docs:
            raise InputError("no document built: " + "; ".join(f["reason"] for f in failed))
        ignored = [{"path": str(p), "reason": why} for p, why in plan.ignored]
        # With a cache, the previous output's store is updated rather than loaded again (:mod:`.storeload`).
        previous = out if cache is not None and (out / MANIFEST).is_file() else None
        result = _write(docs, tmp, work, failed, ignored, [str(p) for p in plan.manifests], store=store,
                        previous=previous)
        if cache is not None:
            result.reprocessed, result.reused = [paths[n] for n in run], [paths[n] for n in todo if n in cached]
        shutil.rmtree(work)
        result.seconds = {"documents": processed - started, "publish": time.perf_counter() - processed}
        publish(tmp, out)
        result.out = out
    except BaseException:
        discard(tmp)
        raise
    if prune_cache:  # only once published: a build that fails leaves the cache as it was
        # (the keys of every document this build used: from the cache or kept by it; a failed one has no entry)
        result.pruned = shards.prune(keys.values())
    return result


def _digest(f: Path) -> dict[str, object]:
    with f.open("rb") as fh:
        return {"bytes": f.stat().st_size, "sha256": hashlib.file_digest(fh, "sha256").hexdigest()}


def _write(numbered: list[tuple[int, DocumentResult]], tmp: Path, work: Path, failed: list[dict[str, str]],
           ignored: list[dict[str, str]], manifests: list[str] = (), *, store: bool = True,
           previous: Path | None = None) -> BuildResult:
    dumps = tmp / DUMPS_DIR
    dumps.mkdir()
    docs = [d for _, d in numbered]
    vocab = sorted(set(vocabulary_triples()), key=str)
    ox.serialize(vocab, str(dumps / DUMP_VOCABULARY), ox.RdfFormat.TURTLE, prefixes=PREFIXES)

    shards = [work / f"{i}.nq" for i, _ in numbered]

    def quads_and_store() -> tuple[int, str | None]:
        count = _merge_lines(shards, dumps / DUMP_QUADS)
        if store and previous is not None:  # the previous store updated by the difference of the dumps
            return count, load_store(tmp / STORE_DIR, dumps / DUMP_QUADS, vocab, previous=previous)
        return count, None

    def triples_and_turtle() -> int:
        count = _merge_lines([work / f"{i}.nt" for i, _ in numbered], dumps / DUMP_TRIPLES)
        with (dumps / DUMP_TRIPLES).open("rb") as fh:
            ox.serialize(ox.parse(fh, format=ox.RdfFormat.N_TRIPLES), str(dumps / DUMP_TURTLE), ox.RdfFormat.TURTLE,
                         prefixes=PREFIXES)
        return count

    # The store loaded from the shards, the two merges (and the Turtle dump) side by side, and the digests
    # of the dumps as each is written: the merges are sort processes, and oxigraph's bulk loader and
    # hashlib run without the GIL, so the parent's part takes about as long as its longest step (the
    # store load at 1,000 PDFs: bench_national), which no longer waits for the quads merge.
    with ThreadPoolExecutor(4) as pool:
        loaded = pool.submit(load_shards, tmp / STORE_DIR, shards, vocab) if store and previous is None else None
        first, second = pool.submit(quads_and_store), pool.submit(triples_and_turtle)
        digests = {DUMP_VOCABULARY: pool.submit(_digest, dumps / DUMP_VOCABULARY)}
        triples = second.result()
        digests |= {name: pool.submit(_digest, dumps / name) for name in (DUMP_TRIPLES, DUMP_TURTLE)}
        quads, made = first.result()
        digests[DUMP_QUADS] = pool.submit(_digest, dumps / DUMP_QUADS)
        if loaded is not None:
            loaded.result()
            made = LOADED
        info = {name: digests[name].result() for name in sorted(digests)}
    manifest = {
        "documents": [d.__dict__ for d in docs],
        "triples": triples,
        "quads": quads,
        "vocabulary_triples": len(vocab),
        "dumps": info,
        "failed": failed,
        "ignored": ignored,
        "source_manifests": list(manifests),
    }
    (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True), encoding="utf-8")
    return BuildResult(tmp, docs, triples, info, failed, ignored, manifests=list(manifests), store=made)
