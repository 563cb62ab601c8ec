"""PDF reader benchmark: ``read_pdf`` against pdfplumber's own text extraction.

Run: ``python -m bench.bench_pdf [FILES...] [--repeat N]`` (default: the PDFs in
``../shared/samples``).

For each PDF it times, in the same run and interleaved, (a) pdfplumber alone
extracting the text of every page (``page.extract_text()``, the floor: the reader
parses the same pages and does more with them) and (b) ``budgetkg.etl.read_pdf.read_pdf``
(text lines, ruled tables, headings, repairs -> Document). It prints pages/s and
documents/s of both and the ratio read_pdf / pdfplumber (goal: within 1.5x).
When PyMuPDF is installed, its plain text extraction and table finder are timed
too, for comparison only (the reader does not use it).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import pdfplumber

from budgetkg.etl.read_pdf import read_pdf

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIR = ROOT.parent / "shared" / "samples"


def plumber_text(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
        return len(pdf.pages)


def plumber_tables(path: Path) -> None:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for t in page.find_tables():
                t.extract()


def reader(path: Path) -> None:
    read_pdf(path)


def timed(fn, path: Path) -> float:
    t0 = time.perf_counter()
    fn(path)
    return time.perf_counter() - t0


def pymupdf_fns():
    try:
        import pymupdf
    except ImportError:
        return {}

    def text(path: Path) -> None:
        with pymupdf.open(path) as doc:
            for page in doc:
                page.get_text()

    def tables(path: Path) -> None:
        with pymupdf.open(path) as doc:
            for page in doc:
                for t in page.find_tables().tables:
                    t.extract()

    return {"pymupdf text": text, "pymupdf text+tables": tables}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-pymupdf", action="store_true", help="skip the PyMuPDF comparison")
    args = ap.parse_args(argv)
    files = args.files or sorted(DEFAULT_DIR.glob("*.pdf"))
    if not files:
        print(f"no PDF given and none in {DEFAULT_DIR}", file=sys.stderr)
        return 2
    fns = {"pdfplumber extract_text": plumber_text, "pdfplumber find_tables": plumber_tables, "read_pdf": reader}
    if not args.no_pymupdf:
        fns.update(pymupdf_fns())
    pages = {f: plumber_text(f) for f in files}  # also warms the file cache
    read_pdf(files[0])  # imports
    times: dict[str, dict[Path, list[float]]] = {name: {f: [] for f in files} for name in fns}
    for _ in range(args.repeat):
        for f in files:
            for name, fn in fns.items():
                times[name][f].append(timed(fn, f))
    total_pages = sum(pages.values())
    print(f"{len(files)} PDFs, {total_pages} pages, best of {args.repeat} (median in brackets)")
    width = max(len(n) for n in fns)
    for f in files:
        print(f"\n{f.name} ({pages[f]} pages)")
        for name in fns:
            best, med = min(times[name][f]), statistics.median(times[name][f])
            print(f"  {name:<{width}}  {best:7.3f} s [{med:7.3f}]  {pages[f] / best:7.1f} pages/s")
    print("\nall documents")
    total = {name: sum(min(times[name][f]) for f in files) for name in fns}
    for name in fns:
        print(f"  {name:<{width}}  {total[name]:7.3f} s  {total_pages / total[name]:7.1f} pages/s  "
              f"{len(files) / total[name]:6.2f} documents/s")
    ratio = total["read_pdf"] / total["pdfplumber extract_text"]
    print(f"\nread_pdf / pdfplumber extract_text = {ratio:.2f}x (goal: within 1.5x) -> "
          f"{'ok' if ratio <= 1.5 else 'SLOWER THAN GOAL'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
