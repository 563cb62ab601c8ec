"""What the reader makes of each corpus document, and what reading costs.

Run: ``python -m bench.bench_reader [FILES...] [--no-build]`` (default: ``../shared/samples/corpus/*.pdf``).

Per document it prints the build result (tables mapped, observations, tables quarantined,
tables of an unknown kind, warnings = skipped items of the record) and whether it builds fully
(every table of the hand-made inventory ``tests/expected/corpus/<stem>/meta.json`` mapped as
its kind), then the share of the corpus that builds fully; and the reading time per page next
to pdfplumber's own text extraction of the same pages (the floor). Department, year and phase
are given from ``meta.json`` as overrides (as a portal's ``--department/--year/--phase``), so
that the tables are measured even where the cover is not read.

The counts come from the pipeline without validation; column ``build`` is the exit status of the
real command with validation, ``budgetkg build FILE --department ... --year ... --phase ...``
(the same names given as flags; 0: published, 1: SHACL violations, 2: bad input), and the share
of the corpus it publishes is printed beside the share that builds fully (``--no-build`` skips it).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pdfplumber

from budgetkg.etl.model import EtlError
from budgetkg.etl.pipeline import Overrides, process_document
from budgetkg.etl.read_pdf import read_pdf

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "samples" / "corpus"
EXPECTED = ROOT / "tests" / "expected" / "corpus"


def overrides(stem: str) -> Overrides:
    """Department, year and phase of a corpus document from its hand-made ``meta.json``."""
    path = EXPECTED / stem / "meta.json"
    if not path.exists():
        return Overrides()
    meta = json.loads(path.read_text(encoding="utf-8"))
    return Overrides(department=meta["department"], year=meta["year"], phase=meta["phase"])


def build_status(path: Path, names: Overrides, out: Path) -> tuple[int, str]:
    """Exit status and last line of ``budgetkg build FILE`` (validation on, the default) with ``names`` as flags."""
    flags = [arg for flag, value in (("--department", names.department), ("--year", names.year), ("--phase", names.phase))
             if value for arg in (flag, value)]
    done = subprocess.run([sys.executable, "-m", "budgetkg.cli", "build", str(path), "--out", str(out), *flags],
                          capture_output=True, text=True)
    lines = (done.stderr or done.stdout).strip().splitlines()
    return done.returncode, (lines[0] if done.returncode and lines else "")


def plumber_seconds(path: Path) -> tuple[float, int]:
    t0 = time.perf_counter()
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
        pages = len(pdf.pages)
    return time.perf_counter() - t0, pages


def measure(path: Path) -> dict:
    floor, pages = plumber_seconds(path)
    t0 = time.perf_counter()
    row = {"doc": path.stem, "pages": pages, "floor_s": floor}
    try:
        doc = read_pdf(path)
    except EtlError as exc:
        row.update(read_s=time.perf_counter() - t0, error=str(exc))
        return row
    row["read_s"] = time.perf_counter() - t0
    try:
        rec = process_document(doc, overrides=overrides(path.stem))
    except EtlError as exc:
        row["error"] = str(exc)
        return row
    expected = expected_kinds(path.stem)
    mapped = sorted(t.key for t in rec.tables)
    row.update(
        tables=len(rec.tables), observations=sum(len(t.observations) for t in rec.tables),
        quarantined=len(rec.quarantined),
        unknown=sum(1 for _, kind in rec.kinds if kind is None), warnings=len(rec.skipped) - len(rec.quarantined),
        missing=sorted(set(expected) - set(mapped)),
    )
    row["full"] = not row["missing"] and not row["quarantined"]
    return row


def expected_kinds(stem: str) -> list[str]:
    """The table kinds the inventory of ``meta.json`` lists (performance targets and narrative excluded)."""
    path = EXPECTED / stem / "meta.json"
    if not path.exists():
        return []
    meta = json.loads(path.read_text(encoding="utf-8"))
    return sorted({t["kind"] for t in meta.get("tables", []) if t.get("kind") and t["kind"] not in ("performance_targets", "other")
                   and not t.get("empty")})


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--no-build", action="store_true", help="skip the build with validation (column build)")
    args = ap.parse_args(argv)
    files = args.files or sorted(CORPUS.glob("*.pdf"))
    if not files:
        print(f"no PDFs (looked in {CORPUS})", file=sys.stderr)
        return 2
    print("load average at start: " + " ".join(f"{x:.1f}" for x in os.getloadavg()))
    head = f"{'document':36} {'pages':>5} {'tables':>6} {'obs':>6} {'quar':>4} {'unkn':>4} {'warn':>4} {'full':>4} {'build':>5}  " \
           f"{'ms/page':>7} {'plumber':>7} {'ratio':>5}  missing / error"
    print(head)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench_reader_") as tmp:
        for path in files:
            r = measure(path)
            if not args.no_build:
                r["build"], r["build_error"] = build_status(path, overrides(path.stem), Path(tmp) / path.stem)
            rows.append(r)
            per_page = 1000 * r["read_s"] / r["pages"]
            floor = 1000 * r["floor_s"] / r["pages"]
            tail = r.get("error") or ", ".join(r.get("missing", []))
            print(f"{r['doc'][:36]:36} {r['pages']:>5} {r.get('tables', '-'):>6} {r.get('observations', '-'):>6} "
                  f"{r.get('quarantined', '-'):>4} {r.get('unknown', '-'):>4} {r.get('warnings', '-'):>4} "
                  f"{'yes' if r.get('full') else 'no':>4} {r.get('build', '-'):>5}  {per_page:7.1f} {floor:7.1f} "
                  f"{per_page / floor:5.2f}  {tail[:90]}", flush=True)
    full = sum(bool(r.get("full")) for r in rows)
    pages = sum(r["pages"] for r in rows)
    read = sum(r["read_s"] for r in rows)
    floor = sum(r["floor_s"] for r in rows)
    print(f"\nbuilds fully: {full} of {len(rows)} ({100 * full / len(rows):.0f}%)")
    if not args.no_build:
        built = sum(r["build"] == 0 for r in rows)
        print(f"builds with validation (budgetkg build exit 0): {built} of {len(rows)} ({100 * built / len(rows):.0f}%)")
        for r in rows:
            if r["build"]:
                print(f"  build exit {r['build']}: {r['doc']}: {r['build_error'][:200]}")
    print(f"reading: {1000 * read / pages:.1f} ms/page vs pdfplumber text extraction {1000 * floor / pages:.1f} ms/page "
          f"(ratio {read / floor:.2f}) over {pages} pages")
    print("load average at end: " + " ".join(f"{x:.1f}" for x in os.getloadavg()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
