"""Build the graph: sources -> dumps, store and manifest under one output folder.

API: :func:`build` ``(sources, *, out, base=DEFAULT_BASE, jobs=None, validate=True) -> BuildResult``;
:func:`expand_sources`; :func:`vocabulary_triples`.

Everything is written to a temporary folder beside ``out`` and renamed into
place only when every document was read, mapped and validated: a failed build
leaves the previous output untouched. Dumps are sorted, so the same input gives
byte-identical files.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from budgetkg.paths import CODELISTS, ONTOLOGY, default_sources

from .iris import DEFAULT_BASE, check_base
from .vocab import PREFIXES, VOCAB_GRAPH

SOURCE_SUFFIXES = {".txt", ".pdf"}


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
    nquads: bytes = field(repr=False, default=b"")
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
    return sorted(ONTOLOGY.glob("*.ttl")) + sorted(CODELISTS.glob("*.ttl"))


def vocabulary_triples() -> list[ox.Triple]:
    triples: list[ox.Triple] = []
    for path in vocabulary_files():
        with path.open("rb") as fh:
            triples.extend(ox.parse(fh, format=ox.RdfFormat.TURTLE))
    return triples


def _nt_line(t) -> str:
    return f"{t} .\n"


def process_one(path: str, base: str, validate: bool = True) -> DocumentResult:
    """Read, map (and validate) one document; runs in a worker process."""
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
    if validate:
        from .validate_hook import validate_document

        result.warnings = validate_document(unique, path)
    result.nquads = "".join(f"{ox.Quad(t.subject, t.predicate, t.object, graph)} .\n" for t in unique).encode()
    return result


def build(
    sources: list[str | Path] | None = None,
    *,
    out: str | Path = "dist",
    base: str = DEFAULT_BASE,
    jobs: int | None = None,
    validate: bool = True,
) -> BuildResult:
    """Build every source into ``out``.

    :raises EtlError: bad input (file, line or page, table named); nothing is written.
    :raises ValueError: an invalid base IRI, or a document whose graph violates the shapes.
    :raises FileNotFoundError: a source that does not exist.
    """
    check_base(base)
    paths = [str(p) for p in expand_sources(list(sources or []))]
    if not paths:
        raise FileNotFoundError("no source documents (.txt or .pdf) found")
    jobs = jobs or min(len(paths), os.cpu_count() or 1)
    if jobs > 1 and len(paths) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            docs = list(pool.map(process_one, paths, [base] * len(paths), [validate] * len(paths), chunksize=max(1, len(paths) // (jobs * 4))))
    else:
        docs = [process_one(p, base, validate) for p in paths]
    graphs = [d.graph for d in docs]
    dupes = {g for g in graphs if graphs.count(g) > 1}
    if dupes:
        names = [d.path for d in docs if d.graph in dupes]
        raise ValueError(f"two sources describe the same department, year and phase: {', '.join(names)}")
    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        result = _write(docs, tmp)
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        if out.exists():
            out.rename(old)
        tmp.rename(out)
        shutil.rmtree(old, ignore_errors=True)
        result.out = out
        return result
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _write(docs: list[DocumentResult], tmp: Path) -> BuildResult:
    dumps = tmp / "dumps"
    dumps.mkdir()
    nquads = b"".join(d.nquads for d in docs)
    nq_lines = sorted(set(nquads.decode().splitlines(keepends=True)))
    (dumps / "budgetkg.nq").write_text("".join(nq_lines), encoding="utf-8")
    quads = list(ox.parse("".join(nq_lines), format=ox.RdfFormat.N_QUADS))
    triples = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)
    (dumps / "budgetkg.nt").write_text("".join(map(_nt_line, triples)), encoding="utf-8")
    ox.serialize(triples, str(dumps / "budgetkg.ttl"), ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    vocab = sorted(set(vocabulary_triples()), key=str)
    ox.serialize(vocab, str(dumps / "vocabulary.ttl"), ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    store = ox.Store(str(tmp / "store"))
    store.bulk_extend(quads)
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, VOCAB_GRAPH) for t in vocab)
    store.flush()
    del store
    info = {}
    for f in sorted(dumps.iterdir()):
        data = f.read_bytes()
        info[f.name] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    manifest = {
        "documents": [
            {k: v for k, v in d.__dict__.items() if k != "nquads"} for d in docs
        ],
        "triples": len(triples),
        "quads": len(quads),
        "vocabulary_triples": len(vocab),
        "dumps": info,
    }
    (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True), encoding="utf-8")
    return BuildResult(tmp, docs, len(triples), info)
