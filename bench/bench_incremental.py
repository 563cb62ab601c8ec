"""Incremental rebuild (``budgetkg build --cache DIR``) after a one-document change, against a clean build.

Run: ``python -m bench.bench_incremental [--departments 200] [--pdf-copies 4] [--jobs 2] [--work DIR]``.

The corpus: ``--departments`` generated text disclosures (:mod:`bench.generate`, one year) and
``--pdf-copies`` copies of each bundled PDF, each copy named a department of its own in a
``sources.csv`` (two copies of one disclosure would otherwise be one graph). In one run: a clean
build (no cache), a build that fills the cache, then one generated document changed (the same
department with one project performance table fewer) and the rebuild with the cache. Prints each
time, the documents the rebuild processed (from its own report), and the ratios to the clean build.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench import scratch

from budgetkg.etl.build import build
from budgetkg.resources import default_sources

ROOT = Path(__file__).resolve().parents[1]


def _generate(out: Path, departments: int, indicators: int) -> list[Path]:
    subprocess.run([sys.executable, "-m", "bench.generate", "--departments", str(departments), "--years", "2022",
                    "--indicators", str(indicators), "--out", str(out)], cwd=ROOT, check=True, capture_output=True)
    return sorted(out.glob("*.txt"))


def corpus(folder: Path, departments: int, pdf_copies: int) -> list[Path]:
    """Write the corpus into ``folder``; returns the generated documents."""
    generated = _generate(folder / "generated", departments, 3)
    pdfs = folder / "pdf"
    pdfs.mkdir()
    with (pdfs / "sources.csv").open("w", encoding="utf-8", newline="") as fh:
        rows = csv.writer(fh)
        rows.writerow(["file", "department", "jurisdiction", "year", "phase"])
        for src in (p for p in default_sources() if p.suffix == ".pdf"):
            for i in range(pdf_copies):
                copy = pdfs / f"{src.stem}_copy{i}.pdf"
                shutil.copy(src, copy)
                rows.writerow([copy.name, f"副本{i}{src.stem}", "", "", ""])
    return generated


def timed(**kwargs):
    t0 = time.perf_counter()
    result = build(**kwargs)
    return result, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--departments", type=int, default=200, help="generated text disclosures (1-900)")
    ap.add_argument("--pdf-copies", type=int, default=4, help="copies of each bundled PDF")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temporary one, removed)")
    args = ap.parse_args()
    with scratch(args.work, "budgetkg-bench-incr-") as work:
        src = work / "src"
        generated = corpus(src, args.departments, args.pdf_copies)
        common = dict(sources=[src], jobs=args.jobs)
        clean, t_clean = timed(out=work / "clean", **common)
        n = len(clean.documents)
        print(f"documents: {n} ({len(generated)} generated, {n - len(generated)} PDF copies), jobs {args.jobs}")
        print(f"clean build:                 {t_clean:8.1f} s")
        _, t_fill = timed(out=work / "out", cache=work / "cache", **common)
        print(f"clean build filling cache:   {t_fill:8.1f} s  ({t_fill / t_clean:.2f}x clean)")
        changed = generated[len(generated) // 2]
        other = _generate(work / "other", args.departments, 2)
        shutil.copy(next(p for p in other if p.name == changed.name), changed)
        rebuilt, t_one = timed(out=work / "out", cache=work / "cache", **common)
        print(f"rebuild, one document changed: {t_one:6.1f} s  ({t_one / t_clean:.3f}x clean, {t_clean / t_one:.1f}x faster)")
        print(f"  processed again: {len(rebuilt.reprocessed)} of {n} ({', '.join(Path(p).name for p in rebuilt.reprocessed)})")


if __name__ == "__main__":
    main()
