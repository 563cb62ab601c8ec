"""Audit benchmark: audit time per document next to the validation time of the same documents.

    python -m bench.bench_audit [SOURCES...] [--repeat 3] [--json OUT]

For each document (default: the bundled samples), read and mapped once, best of ``--repeat``
runs after a warm-up, in the same process and run:

- ``validation``: every shape except ``shapes/audit-*.ttl``, by the engine the build uses (the
  batched one, :func:`budgetkg.etl.validation.validate_graph`'s default): validation as it was
  before the audit checks, the baseline;
- ``audit shapes``: only the audit shapes;
- ``build validation``: every shape, as the build validates a document now;
- ``audit report``: ``budgetkg audit`` on the document (every shape, the DQV measurements and the
  report rendered as text), excluding reading the source;

and the ratios of the audit shapes and of the build's validation to the validation baseline.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from rdflib.namespace import RDF, SH


def _shape_sets() -> tuple[list[str], list[str]]:
    from budgetkg.etl.validation import shape_files, shapes_graph

    import rdflib

    audit_files = {p for p in shape_files() if p.name.startswith("audit")}
    audit: set[str] = set()
    for path in audit_files:
        g = rdflib.Graph().parse(path, format="turtle")
        audit |= {str(s) for s in g.subjects(RDF.type, SH.NodeShape) if isinstance(s, rdflib.URIRef)}
    g = shapes_graph()
    named = {str(s) for t in (SH.NodeShape, SH.PropertyShape) for s in g.subjects(RDF.type, t) if isinstance(s, rdflib.URIRef)}
    return sorted(named - audit), sorted(audit)


def _best(fn, repeat: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    from bench.bench_validate import document_triples
    from budgetkg.etl.audit import _document, render_text
    from budgetkg.etl.validation import validate_graph
    from budgetkg.resources import default_sources

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sources", nargs="*")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", default=None)
    args = ap.parse_args(argv)
    sources = args.sources or [str(p) for p in default_sources()]
    before, audit = _shape_sets()
    rows = []
    print(f"{'document':40} {'triples':>8} {'validation':>11} {'audit shapes':>13} {'build validation':>17} {'audit report':>13}"
          f" {'audit/val.':>10} {'build/val.':>10}")
    for src in sources:
        triples = document_triples(src)
        name = Path(src).name
        row = {
            "document": name, "triples": len(triples),
            "validation_s": _best(lambda: validate_graph(triples, document=name, use_shapes=before), args.repeat),
            "audit_shapes_s": _best(lambda: validate_graph(triples, document=name, use_shapes=audit), args.repeat),
            "build_validation_s": _best(lambda: validate_graph(triples, document=name), args.repeat),
            "audit_report_s": _best(lambda: render_text([_document(name, validate_graph(triples, document=name))]), args.repeat),
        }
        rows.append(row)
        base = row["validation_s"]
        print(f"{name:40} {row['triples']:>8} {base:>10.2f}s {row['audit_shapes_s']:>12.2f}s "
              f"{row['build_validation_s']:>16.2f}s {row['audit_report_s']:>12.2f}s"
              f" {row['audit_shapes_s'] / base:>9.2f}x {row['build_validation_s'] / base:>9.2f}x")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
