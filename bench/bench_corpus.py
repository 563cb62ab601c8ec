"""Corpus build benchmark: generated disclosures -> dumps and store, on 1 and 2 cores.

Run: ``python -m bench.bench_corpus [--sizes 250,500,1000] [--jobs 1,2] [--no-validate]``.

Generates ``max(sizes)`` documents with bench/generate (half the departments, two
years), then for each size and worker count builds them in a fresh process and
prints wall time, documents per second, seconds per document, and the peak
resident memory of the parent and of the largest worker. Linear scaling shows
as a flat seconds-per-document column; memory flat in the number of documents
as a flat peak column.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from bench import child

CHILD = r"""
import json, resource, sys, time
from budgetkg.etl.build import build
paths, out, jobs, validate = json.loads(sys.argv[1])
t0 = time.perf_counter()
r = build(paths, out=out, jobs=jobs, validate=validate)
wall = time.perf_counter() - t0
print(json.dumps({"wall": wall, "triples": r.triples,
    "self_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    "children_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="250,500,1000")
    ap.add_argument("--jobs", default="1,2")
    ap.add_argument("--no-validate", action="store_true")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    jobs_list = [int(j) for j in args.jobs.split(",")]
    from bench.generate import generate_corpus

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        t0 = time.perf_counter()
        paths = sorted(generate_corpus(src, (max(sizes) + 1) // 2, [2022, 2023], seed=1))
        print(f"generated {len(paths)} documents in {time.perf_counter() - t0:.1f}s")
        print(f"{'docs':>6} {'jobs':>4} {'wall s':>8} {'docs/s':>8} {'ms/doc':>8} {'triples':>10} {'parent MB':>10} {'worker MB':>10}")
        for size in sizes:
            for jobs in jobs_list:
                r = child(CHILD, [[str(p) for p in paths[:size]], str(Path(tmp) / f"out-{size}-{jobs}"), jobs,
                                  not args.no_validate])
                print(f"{size:6d} {jobs:4d} {r['wall']:8.1f} {size / r['wall']:8.1f} {r['wall'] / size * 1000:8.1f} "
                      f"{r['triples']:10d} {r['self_kb'] / 1024:10.0f} {r['children_kb'] / 1024:10.0f}")


if __name__ == "__main__":
    main()
