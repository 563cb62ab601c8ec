"""The ``budgetkg`` command.

API: :func:`main` ``(argv=None) -> int``; :func:`format_table` ``(names, rows) -> str``.
Sub-commands: ``build``, ``tables``, ``query``, ``validate``, ``audit``, ``serve``. Every command
ends with one message and a status of :data:`budgetkg.errors.EXIT_STATUS` (printed by
``budgetkg --help``).

>>> print(format_table(["code", "name"], [["210", "卫生健康支出"], ["2150501", "x"]]))
code     name
210      卫生健康支出
2150501  x
"""

from __future__ import annotations

import argparse
import csv
import errno
import io
import json
import os
import socket
import sys
import unicodedata
from pathlib import Path

from .errors import BAD_INPUT, CLOSED_PIPE, INTERRUPTED, BudgetkgError, MissingBuild, PortInUse, exit_status_text
from .names import DUMP_QUADS, DUMPS_DIR, MANIFEST, STORE_DIR, TABLES_DIR

DEFAULT_DATA = "dist"


def _shown(path: str | Path) -> str:
    """``path`` relative to the working folder when it lies inside it (shorter to read), else as is."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _build(args) -> int:
    from budgetkg.etl.build import build

    from budgetkg.etl.pipeline import Overrides

    if args.prune_cache and not args.cache:
        raise ValueError("--prune-cache needs --cache DIR: the folder to prune")
    limit = None if args.max_input_mb is None else int(args.max_input_mb * 2**20)
    overrides = Overrides(args.department, args.jurisdiction, args.year, args.phase, args.level)
    result = build(args.sources, out=args.out, base=args.base_iri, jobs=args.jobs, max_input_bytes=limit, timeout=args.doc_timeout,
                   overrides=overrides, keep_going=args.keep_going, strict=args.strict, store=not args.no_store,
                   memory_mb=args.doc_memory_mb, scheduler=args.scheduler, cache=args.cache,
                   prune_cache=args.prune_cache)
    for d in result.documents:
        print(f"{_shown(d.path)}: {d.department} {d.year} {d.phase}: {d.tables} tables, {d.observations} observations, {d.triples} triples")
        scope = f", printed with （{d.name_scope}）" if d.name_scope else ""
        print(f"  {d.level} of jurisdiction {d.jurisdiction or 'unknown'}{scope}")
        for note in d.notes:
            print(f"  note: {note}")
        for q in d.quarantined:
            print(f"  quarantined: {q['location']}: {q['reason']}")
        for s in d.skipped:
            print(f"  skipped: {s['location']}: {s['reason']}")
        for r in d.repairs:
            print(f"  repaired: {r}")
        if d.new_concepts:
            print(f"  codes not in the shipped lists, added: {', '.join(d.new_concepts)}")
        for u in d.unmatched:
            print(f"  row label not in a code list (kept as printed): {u}")
        for w in d.warnings:
            message = w.get("message", w)
            # the page of the cell, where the message names only the table
            where = f"[page {w['page']}] " if w.get("page") and "page " not in str(message) else ""
            print(f"  {'info' if w.get('severity') == 'Info' else 'warning'}: {where}{message}")
    print(f"wrote {_shown(result.out)}: {len(result.documents)} documents, {result.triples} triples")
    if args.cache:
        print(f"cache {_shown(args.cache)}: {len(result.reprocessed)} documents processed, {len(result.reused)} reused"
              + (f"; store {result.store}" if result.store else ""))
        if result.pruned is not None:
            entries, size = result.pruned
            print(f"cache {_shown(args.cache)}: pruned {entries} entries this build did not use ({size / 2**20:.1f} MB)")
        for p in result.reprocessed:
            print(f"processed: {_shown(p)}")
    for f in result.failed:
        print(f"failed: {_shown(f['path'])}: {f['reason']}")
    for f in result.manifests:
        print(f"manifest: {_shown(f)} (what it names goes over what the documents print)")
    for f in result.ignored:
        print(f"ignored: {_shown(f['path'])}: {f['reason']}")
    if args.keep_going and (result.failed or result.ignored):
        print(f"{len(result.failed)} failed, {len(result.ignored)} ignored")
        return BAD_INPUT
    return 0


def _tables(args) -> int:
    from .tables import regenerate

    out = args.out or str(Path(args.data) / TABLES_DIR)
    for path in regenerate(args.data, out, fmt=args.format):
        print(path)
    return 0


def _open_store(data: str):
    import pyoxigraph as ox

    store_dir = Path(data) / STORE_DIR
    if not store_dir.exists():
        if (Path(data) / MANIFEST).is_file():
            raise MissingBuild(f"{data} was built with --no-store: query the external store it was loaded into "
                               f"(`budgetkg serve --data {data} --sparql-endpoint URL`), or build again without --no-store")
        raise MissingBuild(f"no build in {data} (run `budgetkg build` first)")
    return ox.Store.read_only(str(store_dir))


def _query(args) -> int:
    import pyoxigraph as ox

    from .queries import parse_params, resolve, run

    if args.query is None:
        return _list_queries()
    if args.format == "xlsx" and not args.out:
        raise ValueError("--format xlsx writes a workbook: name it with --out FILE.xlsx")
    params = parse_params(args.param)
    query = resolve(args.query)
    results = run(_open_store(args.data), query, params)
    if isinstance(results, ox.QueryBoolean):
        print("true" if bool(results) else "false")
        return 0
    if isinstance(results, ox.QueryTriples):
        sys.stdout.write(ox.serialize(list(results), format=ox.RdfFormat.TURTLE).decode())
        return 0
    names = [v.value for v in results.variables]
    results_rows = list(results)
    rows = [[(s[n].value if s[n] is not None else "") for n in names] for s in results_rows]
    if args.format == "xlsx":
        from .spreadsheet import cell_value, write

        typed = [[cell_value(s[n].value, getattr(getattr(s[n], "datatype", None), "value", None)) if s[n] is not None else None
                  for n in names] for s in results_rows]
        print(write(args.out, names, typed, title=query.name.replace("/", "_")))
    elif args.format == "json":
        print(json.dumps([dict(zip(names, r)) for r in rows], ensure_ascii=False, indent=2))
    elif args.format == "csv":
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows([names] + rows)
        sys.stdout.write(buf.getvalue())
    else:
        print(format_table(names, rows))
    return 0


def _list_queries() -> int:
    """``budgetkg query`` without a name: every named query with its title and parameters."""
    from .queries import load_queries

    def shown(p) -> str:
        return f"{p.name} [{p.type}]" + (" (required)" if p.required else f" (default {p.default})" if p.default is not None else "")

    rows = [[q.name, q.title, ", ".join(shown(p) for p in q.params)] for q in load_queries().values()]
    print(format_table(["name", "title", "parameters"], sorted(rows)))
    return 0


def _width(text: str) -> int:
    """Columns ``text`` takes on a terminal: wide and full-width characters (CJK) take two."""
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text
    )


def format_table(names: list[str], rows: list[list[str]]) -> str:
    """Rows under their names, columns aligned by display width, two spaces apart."""
    lines = [names, *rows]
    widths = [max(_width(line[i]) for line in lines) for i in range(len(names))]
    return "\n".join(
        "  ".join(c + " " * (w - _width(c)) for c, w in zip(line, widths)).rstrip() for line in lines
    )


def _validate(args) -> int:
    from budgetkg.etl.validation_report import main as validate_main

    return validate_main(args)


def _audit(args) -> int:
    from budgetkg.etl.audit import main as audit_main

    return audit_main(args)


def _check_port(host: str, port: int) -> None:
    """:raises PortInUse: when nothing can listen on ``host:port`` (checked before starting)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as exc:
        raise PortInUse(f"cannot listen on {host}:{port}: unknown host ({exc.strerror}); give --host an address of this machine") from None
    with socket.socket(family, kind, proto) as sock:
        # As uvicorn binds: a port left in TIME_WAIT by a stopped server is free.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PortInUse(
                    f"port {port} on {host} is in use (another `budgetkg serve` or another server?): "
                    f"stop it, or choose another port with --port N or BUDGETKG_PORT"
                ) from None
            raise PortInUse(f"cannot listen on {host}:{port}: {exc.strerror}; choose another --host or --port") from None


def _serve(args) -> int:
    from budgetkg.outdir import recover
    from budgetkg.service.app import serve
    from budgetkg.service.settings import from_args

    settings = from_args(args)
    if not settings.sparql_endpoint:
        restored = recover(Path(settings.data).resolve())
        if restored is not None:
            print(f"budgetkg: {settings.data} was missing after an interrupted build: restored the previous build from {restored.name}", file=sys.stderr)
    _check_port(settings.host, settings.port)
    return serve(args)


def parser() -> argparse.ArgumentParser:
    from budgetkg.etl.iris import DEFAULT_BASE

    p = argparse.ArgumentParser(
        prog="budgetkg", description="Knowledge graph of public budget disclosures.",
        epilog=exit_status_text(), formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the graph from disclosures (default: the bundled samples)")
    b.add_argument("sources", nargs="*", help="text or PDF disclosures, or folders of them")
    b.add_argument("--out", default=DEFAULT_DATA, help="output folder (default ./dist)")
    b.add_argument("--base-iri", default=DEFAULT_BASE, help=f"base of minted IRIs (default {DEFAULT_BASE})")
    b.add_argument("--jobs", type=int, default=None, help="worker processes (default: one per core)")
    b.add_argument("--max-input-mb", type=float, default=None, help=(
        "refuse sources larger than this many MB (default 8 for text, 256 for PDF; env BUDGETKG_MAX_INPUT_MB)"))
    b.add_argument("--department", help="the department, over what the documents print (and a folder's sources.csv/.tsv)")
    b.add_argument("--jurisdiction", help="GB/T 2260 code of its jurisdiction (ontology/jurisdictions.csv)")
    b.add_argument("--year", help="the fiscal year")
    b.add_argument("--phase", help="budget or final-accounts (预算 / 决算)")
    b.add_argument("--level", help="department or unit (部门 / 单位)")
    b.add_argument("--keep-going", action="store_true",
                   help="build every readable document; list the failed and ignored files and exit 2")
    b.add_argument("--strict", action="store_true", help="a table that cannot be read fails its document")
    b.add_argument("--scheduler", metavar="ADDRESS", default=None, help=(
        "run each document as a task on the Dask cluster of this scheduler (tcp://host:8786; "
        "pip install 'budgetkg[dask]'; sources at the same path on every worker); default: local processes"))
    b.add_argument("--cache", metavar="DIR", default=None, help=(
        "keep each document's shards in DIR and, on a rebuild, process again only the documents whose "
        "bytes, options or code changed (dumps byte-identical to a clean build)"))
    b.add_argument("--prune-cache", action="store_true", help=(
        "with --cache: once the build is written, remove the cache's entries it did not use (older code versions, "
        "changed or removed documents); other files in DIR are kept"))
    b.add_argument("--no-store", action="store_true", help=(
        "write dumps, catalog and manifest but no embedded store (serve from an external one: "
        "`budgetkg serve --sparql-endpoint URL`)"))
    b.add_argument("--doc-timeout", type=float, default=None, help=(
        "seconds one document may take before it is reported as failed (default 600; 0: none; env BUDGETKG_DOC_TIMEOUT)"))
    b.add_argument("--doc-memory-mb", type=int, default=None, help=(
        "memory (MB) the process reading one document may take before it is reported as failed (default 4096; 0: none; "
        "env BUDGETKG_DOC_MEMORY_MB)"))
    b.set_defaults(fn=_build)
    t = sub.add_parser("tables", help="regenerate every printed table as CSV (or XLSX) from the built graph")
    t.add_argument("--data", default=DEFAULT_DATA)
    t.add_argument("--out", default=None, help="output folder (default DATA/tables)")
    t.add_argument("--format", choices=("csv", "xlsx"), default="csv", help=(
        "csv: one header line, each column's printed header cells joined (公务接待费/预算数); "
        "xlsx: the header rows as printed, group cells merged, amounts as numbers"))
    t.set_defaults(fn=_tables)
    q = sub.add_parser("query", help="run a named query or a .rq file on the built graph")
    q.add_argument("query", nargs="?", help="a named query or a .rq file (none: list the named queries)")
    q.add_argument("--data", default=DEFAULT_DATA)
    q.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="bind a parameter (repeatable)")
    q.add_argument("--format", choices=("table", "csv", "json", "xlsx"), default="table")
    q.add_argument("--out", default=None, help="the workbook to write (with --format xlsx)")
    q.set_defaults(fn=_query)
    v = sub.add_parser("validate", help="validate disclosures or RDF files against the shapes")
    v.add_argument("sources", nargs="*")
    v.add_argument("--format", choices=("text", "json", "ttl"), default="text")
    v.add_argument("--engine", choices=("batch", "pyshacl"), default="batch",
                   help="batch: the shapes compiled to SPARQL, documents validated in batches (default); "
                        "pyshacl: the reference engine, one document at a time")
    v.set_defaults(fn=_validate)
    a = sub.add_parser("audit", help="audit report per document: findings grouped by check, with data quality")
    a.add_argument("sources", nargs="*", help="disclosures or RDF files (default: the bundled samples)")
    a.add_argument("--data", default=None, help=f"audit a build folder instead (its {DUMPS_DIR}/{DUMP_QUADS})")
    a.add_argument("--format", choices=("text", "json", "html", "md"), default="text")
    a.set_defaults(fn=_audit)
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


def _error(exc: BaseException) -> None:
    print(f"budgetkg: error: {exc}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Run one command; every failure ends in one message on stderr and its exit status."""
    args = parser().parse_args(argv)
    try:
        status = args.fn(args)
        sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
        return status
    except BrokenPipeError:
        # The reader went away (`| head`): the standard way, from the Python docs on SIGPIPE:
        # point stdout at devnull so the flush at exit does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return CLOSED_PIPE
    except KeyboardInterrupt:
        return INTERRUPTED
    except BudgetkgError as exc:
        _error(exc)
        return exc.exit_status
    except (OSError, KeyError, ValueError, SyntaxError) as exc:
        _error(exc)
        return BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
