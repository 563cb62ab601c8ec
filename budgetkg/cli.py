"""The ``budgetkg`` command.

API: :func:`main` ``(argv=None) -> int``. Sub-commands: ``build``, ``tables``,
``query``, ``validate``, ``serve``. Exit status 0 on success, 1 on a validation
violation, 2 on bad input or usage.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path

DEFAULT_DATA = "dist"


def _build(args) -> int:
    from budgetkg.etl.build import build

    result = build(args.sources, out=args.out, base=args.base_iri, jobs=args.jobs)
    for d in result.documents:
        print(f"{d.path}: {d.department} {d.year} {d.phase}: {d.tables} tables, {d.observations} observations, {d.triples} triples")
        for s in d.skipped:
            print(f"  skipped: {s['location']}: {s['reason']}")
        for r in d.repairs:
            print(f"  repaired: {r}")
        if d.new_concepts:
            print(f"  codes not in the shipped lists, added: {', '.join(d.new_concepts)}")
        for u in d.unmatched:
            print(f"  row label not in a code list (kept as printed): {u}")
        for w in d.warnings:
            print(f"  warning: {w.get('message', w)}")
    print(f"wrote {result.out}: {len(result.documents)} documents, {result.triples} triples")
    return 0


def _tables(args) -> int:
    from .tables import regenerate

    out = args.out or str(Path(args.data) / "tables")
    for path in regenerate(args.data, out):
        print(path)
    return 0


def _open_store(data: str):
    import pyoxigraph as ox

    store_dir = Path(data) / "store"
    if not store_dir.exists():
        raise FileNotFoundError(f"no build in {data} (run `budgetkg build` first)")
    return ox.Store.read_only(str(store_dir))


def _query(args) -> int:
    import pyoxigraph as ox

    from .queries import resolve, run

    query = resolve(args.query)
    params = dict(p.split("=", 1) for p in args.param)
    results = run(_open_store(args.data), query, params)
    if isinstance(results, ox.QueryBoolean):
        print("true" if bool(results) else "false")
        return 0
    if isinstance(results, ox.QueryTriples):
        sys.stdout.write(ox.serialize(list(results), format=ox.RdfFormat.TURTLE).decode())
        return 0
    names = [v.value for v in results.variables]
    rows = [[(s[n].value if s[n] is not None else "") for n in names] for s in results]
    if args.format == "json":
        print(json.dumps([dict(zip(names, r)) for r in rows], ensure_ascii=False, indent=2))
    elif args.format == "csv":
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows([names] + rows)
        sys.stdout.write(buf.getvalue())
    else:
        widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
        print("  ".join(n.ljust(w) for n, w in zip(names, widths)))
        for r in rows:
            print("  ".join(c.ljust(w) for c, w in zip(r, widths)))
    return 0


def _validate(args) -> int:
    from budgetkg.etl.validation import main as validate_main

    return validate_main(args)


def _serve(args) -> int:
    from budgetkg.service.app import serve

    return serve(args)


def parser() -> argparse.ArgumentParser:
    from budgetkg.etl.iris import DEFAULT_BASE

    p = argparse.ArgumentParser(prog="budgetkg", description="Knowledge graph of public budget disclosures.")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the graph from disclosures (default: the bundled samples)")
    b.add_argument("sources", nargs="*", help="text or PDF disclosures, or folders of them")
    b.add_argument("--out", default=DEFAULT_DATA, help="output folder (default ./dist)")
    b.add_argument("--base-iri", default=DEFAULT_BASE, help=f"base of minted IRIs (default {DEFAULT_BASE})")
    b.add_argument("--jobs", type=int, default=None, help="worker processes (default: one per core)")
    b.set_defaults(fn=_build)
    t = sub.add_parser("tables", help="regenerate every printed table as CSV from the built graph")
    t.add_argument("--data", default=DEFAULT_DATA)
    t.add_argument("--out", default=None, help="output folder (default DATA/tables)")
    t.set_defaults(fn=_tables)
    q = sub.add_parser("query", help="run a named query or a .rq file on the built graph")
    q.add_argument("query")
    q.add_argument("--data", default=DEFAULT_DATA)
    q.add_argument("--param", action="append", default=[], help="k=v (repeatable)")
    q.add_argument("--format", choices=("table", "csv", "json"), default="table")
    q.set_defaults(fn=_query)
    v = sub.add_parser("validate", help="validate disclosures or RDF files against the shapes")
    v.add_argument("sources", nargs="*")
    v.add_argument("--format", choices=("text", "json", "ttl"), default="text")
    v.set_defaults(fn=_validate)
    s = sub.add_parser("serve", help="serve the built graph over HTTP (SPARQL, pages, dumps)")
    s.add_argument("--data", default=None, help="build folder (default ./dist, env BUDGETKG_DATA)")
    s.add_argument("--host", default=None, help="interface (default 127.0.0.1)")
    s.add_argument("--port", type=int, default=None, help="port (default 8000)")
    s.add_argument("--sparql-endpoint", default=None, help="serve an external SPARQL 1.1 endpoint instead of the store")
    s.add_argument("--timeout", type=float, default=None, help="hard query timeout in seconds (default 30)")
    from budgetkg.service.settings import add_arguments

    add_arguments(s)
    s.set_defaults(fn=_serve)
    return p


def main(argv: list[str] | None = None) -> int:
    from budgetkg.etl.model import EtlError

    args = parser().parse_args(argv)
    try:
        return args.fn(args)
    except EtlError as exc:
        print(f"budgetkg: error: {exc}", file=sys.stderr)
        return 2
    except (FileNotFoundError, KeyError, ValueError, SyntaxError) as exc:
        print(f"budgetkg: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
