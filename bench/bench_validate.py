"""Validation benchmark: the batched engine against pyshacl, and pyshacl next to pyshacl-turbo and shacl-engine.

    python -m bench.bench_validate [--docs 20] [--json OUT]          # batched engine / pyshacl
    python -m bench.bench_validate --others [--docs 100] [--engine-docs 3] [--repeat 5] [--json OUT]

Default: milliseconds per document of pyshacl (the reference, one document at a time) and of
the batched engine (:mod:`budgetkg.etl.shacl_batch`, the shapes compiled once), in the
same run, over the bundled samples and the corpus PDFs of ``../shared`` that build, then over
``--docs`` generated documents; the ratio; whether every report is the same; and where the
batched engine's time goes (store loading and vocabulary, core constraints, SHACL-SPARQL).

``--others``:

1. The sample disclosure's graph (with the vocabulary it uses): wall time of each engine on the
   same data and shapes, best of ``--repeat`` runs after a warm-up, and whether it gives the same
   report as pyshacl (same conformance, same (shape, focus node, severity) results).
2. ``--docs`` synthetic documents from :mod:`bench.generate`: per-document time of each engine,
   and pyshacl over all documents in parallel (one worker per core, as the build does).

Engines: pyshacl (``budgetkg.etl.validation``: rdflib for the core constraints, SHACL-SPARQL in
oxigraph); ``pyshacl-turbo`` (PyPI, Rust) if installed, on every shape; ``shacl-engine`` (npm,
``shapes/engine``, Node) if installed, on the shapes it accepts (not those whose SPARQL groups
by the pre-bound ``$this``), compared with pyshacl on the same subset. shacl-engine takes about
a minute per document, so only ``--engine-docs`` of the synthetic documents are given to it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
ENGINE = ROOT / "shapes" / "engine"


def document_triples(path: str) -> list[ox.Triple]:
    from budgetkg.etl.to_rdf import map_document
    from budgetkg.names import DEFAULT_BASE

    return map_document(path, base=DEFAULT_BASE)[2]


def _key(rule: str, focus: str, severity: str, value=None) -> tuple:
    value = None if value in (None, "None") or str(value).startswith(("_:", "n")) and not str(value).startswith("http") else str(value)
    return (rule.rsplit("#", 1)[-1], focus, severity.rsplit("#", 1)[-1], value)


def run_pyshacl(triples, repeat: int, shapes=None) -> dict:
    from budgetkg.etl.validation import validate_graph

    validate_graph(triples, use_shapes=shapes, engine="pyshacl")  # warm-up: shapes and vocabulary parsed once per process
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        out = validate_graph(triples, use_shapes=shapes, engine="pyshacl")
        times.append(time.perf_counter() - t)
    keys = sorted({_key(r["rule"], r["focus"], r["severity"], r["value"]) for r in out.results}, key=str)
    return {"seconds": min(times), "median": statistics.median(times), "conforms": out.conforms, "results": keys}


def run_turbo(triples, repeat: int) -> dict | None:
    try:
        import pyshacl_turbo
    except ImportError:
        return None
    import rdflib
    from rdflib.namespace import SH

    from budgetkg.etl.validation import context_triples, shapes_graph

    data = rdflib.Graph().parse(data=ox.serialize(list(triples) + context_triples(triples), format=ox.RdfFormat.N_TRIPLES).decode(), format="nt")
    times = []
    for i in range(repeat + 1):
        t = time.perf_counter()
        try:
            conforms, report, _ = pyshacl_turbo.validate(data, shacl_graph=shapes_graph(), allow_warnings=True, inference="none")
        except Exception as exc:  # an engine that refuses the shapes
            return {"error": f"{type(exc).__name__}: {exc}"[:300]}
        if i:
            times.append(time.perf_counter() - t)
    keys = sorted({_key(str(report.value(r, SH.sourceShape)), str(report.value(r, SH.focusNode)), str(report.value(r, SH.resultSeverity)),
                        report.value(r, SH.value)) for r in report.objects(None, SH.result)}, key=str)
    return {"seconds": min(times), "median": statistics.median(times), "conforms": bool(conforms), "results": keys}


def run_shacl_engine(triples, repeat: int, shapes: list[str]) -> dict | None:
    if shutil.which("node") is None or not (ENGINE / "node_modules" / "shacl-engine").is_dir():
        return None
    from budgetkg.etl.validation import context_triples, shape_files

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data.nt"
        data.write_bytes(ox.serialize(list(triples) + context_triples(list(triples)), format=ox.RdfFormat.N_TRIPLES))
        cmd = ["node", str(ENGINE / "crosscheck.mjs"), "--shapes", ",".join(map(str, shape_files())), "--data", str(data),
               "--shape", ",".join(shapes), "--repeat", str(repeat)]
        out = json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)
    keys = sorted({_key(r["shape"], r["focus"], r["severity"], r["value"]) for r in out["results"]}, key=str)
    ms = out["ms"][1:] or out["ms"]
    return {"seconds": min(ms) / 1000, "first_run": out["ms"][0] / 1000, "conforms": out["conforms"], "results": keys}


def compare(name: str, ours: dict, theirs: dict | None) -> dict:
    if theirs is None:
        return {"engine": name, "available": False}
    if "error" in theirs:
        return {"engine": name, "available": True, **theirs}
    same = theirs["conforms"] == ours["conforms"] and theirs["results"] == ours["results"]
    return {"engine": name, "available": True, "seconds": round(theirs["seconds"], 4), "same_report": same,
            "results": len(theirs["results"]), **({"first_run": round(theirs["first_run"], 2)} if "first_run" in theirs else {})}


def _validate_file(path: str) -> float:
    from budgetkg.etl.validation import validate_graph

    triples = document_triples(path)
    t = time.perf_counter()
    validate_graph(triples, engine="pyshacl")
    return time.perf_counter() - t


def _key_of(outcome) -> list:
    return sorted(sorted((k, str(v)) for k, v in r.items()) for r in outcome.results)


def _ms(seconds: float, n: int) -> float:
    return round(1000 * seconds / max(n, 1), 1)


def batch_vs_pyshacl(docs: list[tuple[list, str]]) -> dict:
    """Both engines on the same documents in the same run; the batched engine's time split."""
    from budgetkg.etl import shacl_batch, shacl_screen
    from budgetkg.etl.findings import describe_results
    from budgetkg.etl.terms import few_collections, joined
    from budgetkg.etl.validation import TriplesGraph, _checks, batch_report, context_triples, shapes_graph
    from budgetkg.etl.validation import validate_documents, validate_graph

    checks = _checks(None)  # compiled once per process, as pyshacl parses the shapes once
    validate_graph(docs[0][0], engine="pyshacl")  # warm-up of both
    validate_documents(docs[:1])
    t = time.perf_counter()
    ours = validate_documents(docs)
    batched = time.perf_counter() - t
    t = time.perf_counter()
    reference = [validate_graph(triples, document=name, engine="pyshacl") for triples, name in docs]
    pyshacl = time.perf_counter() - t
    same = sum(_key_of(a) == _key_of(b) for a, b in zip(ours, reference))
    # Where the batched engine's time goes (one more run, phase by phase and shape by shape, as
    # validate_documents and run_document do it).
    phases = dict.fromkeys(("vocabulary context", "index and core screens", "SHACL-SPARQL screens", "store load",
                            "core constraints", "SHACL-SPARQL", "report and description"), 0.0)
    by_shape: dict[str, float] = {}
    core = [c for c in checks if c.focus_query is None]
    sparql = [c for c in checks if c.focus_query is not None]
    screened = 0  # core checks the screen skipped (shacl_screen), summed over documents

    def timed(doc, c, shared, found: list) -> float:
        t = time.perf_counter()
        found.extend(shacl_batch.run_check(doc, c, shared))
        spent = time.perf_counter() - t
        name = str(c.shape).rsplit("#", 1)[-1] if "#" in str(c.shape) else "(property shapes)"
        by_shape[name] = by_shape.get(name, 0.0) + spent
        return spent

    shapes = shapes_graph()

    def phase(name: str, make):
        t = time.perf_counter()
        out = make()
        phases[name] += time.perf_counter() - t
        return out

    with few_collections():
        for triples, name in docs:
            triples = phase("vocabulary context", lambda: joined(triples, context_triples(triples)))
            doc = phase("index and core screens", lambda: shacl_batch.Document(triples))
            run = phase("index and core screens", lambda: shacl_screen.to_run(doc.index, core))
            screened += len(core) - len(run)
            queried = phase("SHACL-SPARQL screens", lambda: [c for c in sparql if not shacl_batch.cleared(doc, c)])
            doc.plan(run, queried)
            if run or queried:
                phase("store load", lambda: doc.store)  # loaded here, not in the first check that queries it
            found: list = []
            shared: dict = {}  # the sub-SELECTs several checks repeat, run by the first (as run_document does)
            phases["core constraints"] += sum(timed(doc, c, None, found) for c in run)
            phases["SHACL-SPARQL"] += sum(timed(doc, c, shared, found) for c in queried)
            doc.index.release()
            phase("report and description", lambda: describe_results(
                batch_report(found, shapes), TriplesGraph(triples), shapes, document=name))
    n = len(docs)
    return {
        "documents": n, "triples_per_document": round(statistics.mean(len(t) for t, _ in docs)),
        "ms_per_document": {"pyshacl": _ms(pyshacl, n), "batch": _ms(batched, n)},
        "ratio_pyshacl_over_batch": round(pyshacl / batched, 2),
        "same_report": f"{same}/{n}",
        "batch_ms_per_document_by_phase": {k: _ms(v, n) for k, v in phases.items()},
        "batch_ms_per_document_slowest_shapes": {k: _ms(v, n) for k, v in sorted(by_shape.items(), key=lambda kv: -kv[1])[:12]},
        "checks": {"core (one query per document unless screened)": len(core),
                   "core queries skipped by the screen, per document": round(screened / max(n, 1), 1),
                   "SHACL-SPARQL (one query per focus node)": len(sparql)},
        "goal_50_ms_per_document": _ms(batched, n) <= 50,
    }


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--others", action="store_true", help="pyshacl next to pyshacl-turbo and shacl-engine")
    p.add_argument("--docs", type=int, default=None, help="generated documents (default 20; --others: 100)")
    p.add_argument("--engine-docs", type=int, default=3, help="--others: synthetic documents given to shacl-engine (about 1 min each)")
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--json", default=None)
    args = p.parse_args(argv)
    if args.others:
        args.docs = args.docs or 100
        return others(args)
    from budgetkg.errors import BudgetkgError
    from budgetkg.resources import default_sources

    shared = ROOT.parent / "shared" / "samples"
    sources = [str(x) for x in default_sources()] + sorted(str(x) for x in (shared / "corpus").glob("*.pdf"))
    corpus = []
    for path in sources:
        try:
            corpus.append((document_triples(path), Path(path).name))
        except BudgetkgError as exc:
            print(f"skipped {Path(path).name}: {exc}", file=sys.stderr)
    report = {"samples_and_corpus": batch_vs_pyshacl(corpus)}
    print(json.dumps(report, ensure_ascii=False, indent=2), flush=True)
    from bench.generate import generate_corpus

    with tempfile.TemporaryDirectory() as tmp:
        paths = [str(x) for x in generate_corpus(tmp, args.docs or 20, [2022], seed=0)]
        generated = [(document_triples(x), Path(x).name) for x in paths]
    report["generated"] = batch_vs_pyshacl(generated)
    print(json.dumps({"generated": report["generated"]}, ensure_ascii=False, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


def others(args) -> int:
    from tests.shapes.test_shapes_crosscheck import supported_shapes

    subset = supported_shapes()
    report: dict = {}

    from budgetkg.resources import default_sources

    sample = document_triples(str(default_sources()[0]))
    ours = run_pyshacl(sample, args.repeat)
    ours_subset = run_pyshacl(sample, args.repeat, subset)
    report["sample"] = {
        "triples": len(sample),
        "pyshacl": {"seconds": round(ours["seconds"], 4), "median": round(ours["median"], 4), "results": len(ours["results"]),
                    "conforms": ours["conforms"]},
        "pyshacl_on_shacl_engine_shapes": {"seconds": round(ours_subset["seconds"], 4)},
        "others": [compare("pyshacl-turbo", ours, run_turbo(sample, args.repeat)),
                   compare("shacl-engine", ours_subset, run_shacl_engine(sample, min(args.repeat, 3), subset))],
    }
    print(json.dumps({"sample": report["sample"]}, ensure_ascii=False, indent=2), flush=True)

    from bench.generate import generate_corpus

    with tempfile.TemporaryDirectory() as tmp:
        paths = [str(x) for x in generate_corpus(tmp, args.docs, [2022], seed=0)]
        per_doc = {"pyshacl": [], "pyshacl-turbo": [], "shacl-engine": [], "pyshacl (shacl-engine shapes)": []}
        same = {"pyshacl-turbo": 0, "shacl-engine": 0}
        triples_per_doc = []
        for n, path in enumerate(paths):
            triples = document_triples(path)
            triples_per_doc.append(len(triples))
            ours = run_pyshacl(triples, 1)
            per_doc["pyshacl"].append(ours["seconds"])
            turbo = run_turbo(triples, 1)
            if turbo and "error" not in turbo:
                per_doc["pyshacl-turbo"].append(turbo["seconds"])
                same["pyshacl-turbo"] += turbo["conforms"] == ours["conforms"] and turbo["results"] == ours["results"]
            if n < args.engine_docs:
                ours_subset = run_pyshacl(triples, 1, subset)
                per_doc["pyshacl (shacl-engine shapes)"].append(ours_subset["seconds"])
                engine = run_shacl_engine(triples, 1, subset)
                if engine:
                    per_doc["shacl-engine"].append(engine["seconds"])
                    same["shacl-engine"] += engine["conforms"] == ours_subset["conforms"] and engine["results"] == ours_subset["results"]
        jobs = os.cpu_count() or 1
        t = time.perf_counter()
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            list(pool.map(_validate_file, paths))
        parallel = time.perf_counter() - t
    report["corpus"] = {
        "documents": len(paths), "triples_per_document": round(statistics.mean(triples_per_doc)),
        "per_document_seconds": {k: {"mean": round(statistics.mean(v), 4), "median": round(statistics.median(v), 4), "n": len(v)}
                                 for k, v in per_doc.items() if v},
        "same_report_as_pyshacl": {k: f"{v}/{len(per_doc[k])}" for k, v in same.items() if per_doc[k]},
        "pyshacl_parallel": {"workers": jobs, "seconds_total": round(parallel, 2),
                             "note": "includes reading and mapping each document"},
    }
    print(json.dumps({"corpus": report["corpus"]}, ensure_ascii=False, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
