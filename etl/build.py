"""Build the graph: sources -> dumps, store and manifest under one output folder.

API: :func:`build` ``(sources, *, out, base=DEFAULT_BASE, jobs=None, validate=True) -> BuildResult``;
:func:`expand_sources`; :func:`vocabulary_triples`.

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
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from budgetkg.errors import BudgetkgError, InputError, SourcesFailed
from budgetkg.outdir import check_replaceable, discard, publish, staging
from budgetkg.procs import die_with_parent
from budgetkg.resources import CODELISTS, ONTOLOGY, SOURCE_SUFFIXES, default_sources, files

from .inputs import check_size
from .iris import DEFAULT_BASE, check_base
from .vocab import PREFIXES, VOCAB_GRAPH

MANIFEST = "manifest.json"
# What a build writes at the top of its folder (``tables/`` is ``budgetkg tables``' default
# output): a folder holding anything else is not replaced.
BUILD_ENTRIES = frozenset({MANIFEST, "dumps", "store", "tables"})


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


@dataclass
class BuildResult:
    out: Path
    documents: list[DocumentResult]
    triples: int
    dumps: dict[str, dict[str, object]]


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
    return out


def vocabulary_files() -> list[Path]:
    return files(ONTOLOGY, "*.ttl") + files(CODELISTS, "*.ttl")


def vocabulary_triples() -> list[ox.Triple]:
    triples: list[ox.Triple] = []
    for path in vocabulary_files():
        with path.open("rb") as fh:
            triples.extend(ox.parse(fh, format=ox.RdfFormat.TURTLE))
    return triples


def _nt_line(t) -> str:
    return f"{t} .\n"


def process_one(path: str, base: str, validate: bool = True, workdir: str | None = None, n: int = 0) -> DocumentResult:
    """Read, map and validate one document; runs in a worker process.

    The document's sorted quads and triples go to ``workdir/<n>.nq`` and ``<n>.nt``
    so the parent merges files instead of holding every document in memory.
    """
    from . import extensions  # noqa: F401  (registers indicators and narrative)
    from .pipeline import process
    from .to_rdf import to_rdf

    rec = process(path)
    graph, triples = to_rdf(rec, base=base)
    unique = sorted(set(triples), key=str)
    result = DocumentResult(
        path=str(path), graph=graph.value, title=rec.doc.title, department=rec.department_name,
        year=rec.year, phase=rec.phase, tables=len(rec.tables),
        observations=sum(len(t.observations) for t in rec.tables), triples=len(unique),
        skipped=[{"location": str(loc), "reason": reason} for loc, reason in rec.skipped],
        repairs=list(rec.doc.repairs), new_concepts=sorted({f"{n.scheme}/{n.notation}" for t in rec.tables for n in t.new_concepts}),
        unmatched=[u for t in rec.tables for u in t.unmatched],
    )
    quads = [ox.Quad(t.subject, t.predicate, t.object, graph) for t in unique]
    if validate:
        from .validate_hook import validate_document

        result.warnings = validate_document(unique, path)
        if result.warnings:
            from .validation import report_graph_iri, report_triples

            report = report_graph_iri(graph)
            quads += [ox.Quad(t.subject, t.predicate, t.object, report) for t in report_triples(result.warnings, graph)]
    if workdir is None:
        return result
    stem = Path(workdir) / str(n)
    stem.with_suffix(".nq").write_text("".join(sorted(f"{q} .\n" for q in quads)), encoding="utf-8")
    stem.with_suffix(".nt").write_text("".join(map(_nt_line, unique)), encoding="utf-8")
    return result


def _try_process_one(*args) -> DocumentResult | BudgetkgError:
    """:func:`process_one`, with a bad source's error returned so that the others still run."""
    try:
        return process_one(*args)
    except BudgetkgError as exc:
        return exc


def _merge_lines(files: list[Path], out: Path) -> int:
    """Merge sorted line files into ``out``, dropping repeated lines; returns the line count."""
    handles = [f.open(encoding="utf-8") for f in files]
    count, last = 0, None
    try:
        with out.open("w", encoding="utf-8") as fh:
            for line in heapq.merge(*handles):
                if line != last:
                    fh.write(line)
                    count += 1
                    last = line
    finally:
        for h in handles:
            h.close()
    return count


def build(
    sources: list[str | Path] | None = None,
    *,
    out: str | Path = "dist",
    base: str = DEFAULT_BASE,
    jobs: int | None = None,
    validate: bool = True,
    max_input_bytes: int | None = None,
) -> BuildResult:
    """Build every source into ``out``.

    Every source is read even after one failed, so that the error names every bad file.
    ``max_input_bytes``: refuse larger sources (default: :data:`budgetkg.etl.inputs.MAX_INPUT_BYTES`).

    :raises InputError: bad input (file, line or page, table named; EtlError is one); nothing is written.
    :raises SourcesFailed: when more than one source failed (each named, with why).
    :raises OutputRefused: ``out`` is a file or a folder holding more than a previous build.
    :raises ValidationFailed: a document whose graph violates the shapes.
    :raises ValueError: an invalid base IRI.
    :raises FileNotFoundError: a source that does not exist.
    """
    check_base(base)
    paths = [str(p) for p in expand_sources(list(sources or []))]
    if not paths:
        raise FileNotFoundError("no source documents (.txt or .pdf) found")
    jobs = jobs or min(len(paths), os.cpu_count() or 1)
    out = Path(out).resolve()
    check_replaceable(out, marker=MANIFEST, entries=BUILD_ENTRIES)
    errors: list[BudgetkgError] = []
    for p in paths:
        try:
            check_size(p, limit=max_input_bytes)
        except InputError as exc:
            errors.append(exc)
    tmp = staging(out)
    try:
        work = tmp / "work"
        work.mkdir()
        args = (paths, [base] * len(paths), [validate] * len(paths), [str(work)] * len(paths), range(len(paths)))
        if errors:  # too large to read: named with every other failure, nothing else is read
            done = []
        elif jobs > 1 and len(paths) > 1:
            with ProcessPoolExecutor(max_workers=jobs, initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
                done = list(pool.map(_try_process_one, *args, chunksize=max(1, min(16, len(paths) // (jobs * 4)))))
        else:
            done = list(map(_try_process_one, *args))
        errors += [d for d in done if isinstance(d, BaseException)]
        if errors:
            raise errors[0] if len(errors) == 1 else SourcesFailed(errors, total=len(paths))
        docs = done
        graphs: dict[str, str] = {}
        for d in docs:
            if d.graph in graphs:
                raise InputError(f"two sources describe the same department, year and phase: {graphs[d.graph]}, {d.path}")
            graphs[d.graph] = d.path
        result = _write(docs, tmp, work)
        shutil.rmtree(work)
        publish(tmp, out)
        result.out = out
        return result
    except BaseException:
        discard(tmp)
        raise


def _write(docs: list[DocumentResult], tmp: Path, work: Path) -> BuildResult:
    dumps = tmp / "dumps"
    dumps.mkdir()
    n = len(docs)
    quads = _merge_lines([work / f"{i}.nq" for i in range(n)], dumps / "budgetkg.nq")
    triples = _merge_lines([work / f"{i}.nt" for i in range(n)], dumps / "budgetkg.nt")
    with (dumps / "budgetkg.nt").open("rb") as fh:
        ox.serialize(ox.parse(fh, format=ox.RdfFormat.N_TRIPLES), str(dumps / "budgetkg.ttl"), ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    vocab = sorted(set(vocabulary_triples()), key=str)
    ox.serialize(vocab, str(dumps / "vocabulary.ttl"), ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    store = ox.Store(str(tmp / "store"))
    store.bulk_load(path=str(dumps / "budgetkg.nq"), format=ox.RdfFormat.N_QUADS)
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, VOCAB_GRAPH) for t in vocab)
    store.flush()
    del store
    info = {}
    for f in sorted(dumps.iterdir()):
        digest = hashlib.sha256()
        with f.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        info[f.name] = {"bytes": f.stat().st_size, "sha256": digest.hexdigest()}
    manifest = {
        "documents": [d.__dict__ for d in docs],
        "triples": triples,
        "quads": quads,
        "vocabulary_triples": len(vocab),
        "dumps": info,
    }
    (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True), encoding="utf-8")
    return BuildResult(tmp, docs, triples, info)
