"""PDF reader benchmark: ``read_pdf`` against the raw-extraction floor and the pdfplumber-based reader.

Run: ``python -m bench.bench_pdf [FILES...] [--repeat N] [--no-plumber]`` (default: the bundled PDFs of
``data/samples`` and the corpus PDFs of ``../shared/samples/corpus``).

For each PDF it times (CPU time of the process), in the same run and interleaved, best of N:

* **floor** - pypdfium2 alone extracting every character box (``FPDFText_GetCharBox``) and every
  path point (``FPDFPathSegment_GetPoint``, form XObjects opened) of every page: the raw layer the
  reader needs, with nothing done with it;
* **read_pdf** - the reader (``budgetkg.etl.read_pdf``: pypdfium2 raw layer, lines, ruled tables,
  headings, repairs -> Document);
* **pdfplumber reader** - the same layout code fed from pdfplumber's pages (pdfminer), the reader
  as it was before (``tests.etl.test_pdf_raw.read_with_pdfplumber``).

It prints, per PDF and in total, the pages, the three times in milliseconds per page, the ratios
read_pdf / floor (goal: within 2x) and pdfplumber reader / floor, and how many pages were read by
pdfminer because pdfium could not place their text (fonts that are not embedded); and the load
average, since the machine may be shared (compare the ratios, measured in the same run).
"""

from __future__ import annotations

import argparse
import ctypes
import os
import sys
import time
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from budgetkg.etl import pdf_raw
from budgetkg.etl.read_pdf import read_pdf

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = [ROOT / "data" / "samples", ROOT.parent / "shared" / "samples" / "corpus"]


def _paths(objs, box_x, box_y) -> int:
    n = 0
    for obj in objs:
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            n += _paths([pdfium_c.FPDFFormObj_GetObject(obj, i) for i in range(pdfium_c.FPDFFormObj_CountObjects(obj))],
                        box_x, box_y)
        elif kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            for i in range(pdfium_c.FPDFPath_CountSegments(obj)):
                pdfium_c.FPDFPathSegment_GetPoint(pdfium_c.FPDFPath_GetPathSegment(obj, i), box_x, box_y)
                n += 1
    return n


def floor(path: Path) -> int:
    """Every character box and path point of every page, with pypdfium2 alone; returns the page count."""
    pdf = pdfium.PdfDocument(path.read_bytes())
    l, r, b, t = (ctypes.c_double() for _ in range(4))
    x, y = ctypes.c_float(), ctypes.c_float()
    try:
        for page in pdf:
            tp = page.get_textpage()
            for i in range(pdfium_c.FPDFText_CountChars(tp.raw)):
                pdfium_c.FPDFText_GetUnicode(tp.raw, i)
                pdfium_c.FPDFText_GetCharBox(tp.raw, i, l, r, b, t)
            _paths([pdfium_c.FPDFPage_GetObject(page.raw, i) for i in range(pdfium_c.FPDFPage_CountObjects(page.raw))],
                   x, y)
            tp.close()
            page.close()
        return len(pdf)
    finally:
        pdf.close()


def plumber_reader(path: Path) -> None:
    sys.path.insert(0, str(ROOT))
    from tests.etl.test_pdf_raw import read_with_pdfplumber

    read_with_pdfplumber(path)


def timed(fn, path: Path) -> float:
    """CPU seconds of this process (pdfium runs in it): other work on shared cores inflates wall-clock
    times by the load, CPU times much less."""
    t0 = time.process_time()
    fn(path)
    return time.process_time() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-plumber", action="store_true", help="leave out the pdfplumber reader (the slowest)")
    args = ap.parse_args(argv)
    files = args.files or [p for d in DEFAULT for p in sorted(d.glob("*.pdf"))]
    if not files:
        print("no PDF given and none found", file=sys.stderr)
        return 2
    fns = {"floor": floor, "read_pdf": read_pdf, "pdfplumber reader": plumber_reader}
    if args.no_plumber:
        fns["pdfplumber reader"] = lambda path: None
    pages = {f: floor(f) for f in files}  # also warms the file cache and the imports
    if not args.no_plumber:
        plumber_reader(files[0])
    times = {name: {f: [] for f in files} for name in fns}
    for _ in range(args.repeat):
        for f in files:
            for name, fn in fns.items():
                times[name][f].append(timed(fn, f))
    best = {name: {f: min(v) for f, v in per.items()} for name, per in times.items()}
    print(f"{len(files)} PDFs, {sum(pages.values())} pages, best of {args.repeat}, CPU ms per page; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (ratios are from the same run)")
    print(f"{'file':<42} {'pages':>5} {'floor':>7} {'read_pdf':>8} {'plumber':>8} {'read/floor':>10} "
          f"{'plumber/floor':>13}  pdfminer pages")

    def row(name: str, n: int, fl: float, rd: float, pl: float, tail: str = "") -> None:
        print(f"{name[:42]:<42} {n:>5} {1000 * fl / n:7.1f} {1000 * rd / n:8.1f} {1000 * pl / n:8.1f} "
              f"{rd / fl:10.2f} {pl / fl:13.2f}  {tail}")

    for f in files:
        with pdf_raw.PdfPages(f.read_bytes(), f.name) as doc:
            for i in range(len(doc)):
                doc.page(i)
            fallbacks = doc.fallbacks
        row(f.name, pages[f], best["floor"][f], best["read_pdf"][f], best["pdfplumber reader"][f], str(len(fallbacks)))
    total = {name: sum(per.values()) for name, per in best.items()}
    row("all", sum(pages.values()), total["floor"], total["read_pdf"], total["pdfplumber reader"])
    ratio = total["read_pdf"] / total["floor"]
    print(f"\nread_pdf / floor = {ratio:.2f}x (goal: within 2x) -> {'ok' if ratio <= 2 else 'SLOWER THAN GOAL'}; "
          f"pdfplumber reader / read_pdf = {total['pdfplumber reader'] / total['read_pdf']:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
