"""The real corpus through the build: what each disclosure yields, and how long its PDF takes to read.

Run: ``python -m bench.bench_corpus_builds [FOLDER ...] [--no-validate] [--no-plumber]`` (default:
``../shared/samples/corpus``; a ``sources.csv`` in a folder names what a document does not print,
as for ``budgetkg build FOLDER``).

Per document, as ``budgetkg build FILE`` builds it (read, map, validate): built or the reason it
failed, tables, observations, quarantined tables, tables of an unknown kind, validation warnings;
then the share of the corpus that builds, and that builds fully (no quarantined table and no table
of an unknown kind). Beside it, in the same run: the PDF reading time per page of ``read_pdf`` and
of pdfplumber's own extraction of the same pages (``extract_text`` and ``extract_tables`` of every
page), and their ratio. Times are one run each (the machine may be shared): read the ratios.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from budgetkg.names import DEFAULT_BASE

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "samples" / "corpus"
BASE = DEFAULT_BASE


def plumber_extract(path: Path) -> int:
    """pdfplumber's own text and table extraction of every page; returns the page count."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.extract_tables()
        return len(pdf.pages)


def timed(fn, *args):
    t0 = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - t0


def build_one(path: Path, overrides, validate: bool) -> dict:
    """The build of one document (``budgetkg build FILE``), as counts, or its error."""
    from budgetkg.errors import BudgetkgError
    from budgetkg.etl.build import process_one
    from budgetkg.etl.recognize import UNKNOWN_KIND

    try:
        r = process_one(str(path), BASE, validate, None, overrides=overrides)
    except BudgetkgError as exc:
        return {"built": False, "reason": str(exc).splitlines()[0]}
    unknown = sum(1 for s in r.skipped if s["reason"].startswith(UNKNOWN_KIND))
    return {"built": True, "tables": r.tables, "observations": r.observations, "quarantined": len(r.quarantined),
            "unknown": unknown, "warnings": len(r.warnings), "notes": r.notes}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="*", type=Path)
    ap.add_argument("--no-validate", action="store_true", help="read and map only (no SHACL)")
    ap.add_argument("--no-plumber", action="store_true", help="do not time pdfplumber's extraction")
    args = ap.parse_args(argv)
    from budgetkg.etl.build import plan_sources
    import pypdfium2 as pdfium

    from budgetkg.etl.read_pdf import read_pdf

    folders = args.folders or [DEFAULT]
    plan = plan_sources([str(f) for f in folders])
    docs = [(p, o) for p, o in plan.documents if p.suffix.lower() == ".pdf"]
    if not docs:
        print("no PDF found in", ", ".join(map(str, folders)))
        return 2
    print(f"{'document':<40} {'pages':>5} {'built':>5} {'tables':>6} {'obs':>5} {'quar':>4} {'unkn':>4} {'warn':>4} "
          f"{'read ms/p':>9} {'plumber ms/p':>12} {'ratio':>6}")
    rows = []
    read_total = plumber_total = 0.0
    pages_total = 0
    for path, overrides in docs:
        _, read_s = timed(read_pdf, path)
        pages = len(pdfium.PdfDocument(path))
        plumber_s = float("nan") if args.no_plumber else timed(plumber_extract, path)[1]
        r = build_one(path, overrides, not args.no_validate)
        rows.append((path, r))
        read_total, plumber_total, pages_total = read_total + read_s, plumber_total + plumber_s, pages_total + pages
        counts = (f"{'yes':>5} {r['tables']:>6} {r['observations']:>5} {r['quarantined']:>4} {r['unknown']:>4} "
                  f"{r['warnings']:>4}") if r["built"] else f"{'no':>5} {'':>6} {'':>5} {'':>4} {'':>4} {'':>4}"
        print(f"{path.stem[:40]:<40} {pages:>5} {counts} {read_s / pages * 1000:9.1f} {plumber_s / pages * 1000:12.1f} "
              f"{plumber_s / read_s:6.2f}", flush=True)
    print(f"{'all':<40} {pages_total:>5} {'':>36} {read_total / pages_total * 1000:9.1f} "
          f"{plumber_total / pages_total * 1000:12.1f} {plumber_total / read_total:6.2f}")
    built = [r for _, r in rows if r["built"]]
    fully = [r for r in built if not r["quarantined"] and not r["unknown"]]
    print(f"\nbuilds: {len(built)} of {len(rows)} ({len(built) / len(rows):.0%}); builds fully (no quarantined table, "
          f"no table of an unknown kind): {len(fully)} of {len(rows)} ({len(fully) / len(rows):.0%})")
    for path, r in rows:
        if not r["built"]:
            print(f"failed: {path.name}: {r['reason']}")
        for note in r.get("notes", []):
            print(f"note: {path.name}: {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
