"""ETL benchmark: disclosure text -> sorted N-Triples, against pyoxigraph's floor.

Run: ``python -m bench.bench_etl [FILES...] [--repeat N]`` (default: the bundled sample).

For each document it times the whole ETL (read, recognize, extract, map, sort,
serialize N-Triples) and, in the same run, the time pyoxigraph takes to parse
the resulting N-Triples and serialize them again (the floor: no ETL can write
these triples faster than a parser-serializer moves them). It prints both, the
triples per second, and the ratio (goal: within 5x of the floor). rdflib's
``Graph.add`` of the same triples is printed too, for scale.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import pyoxigraph as ox

from budgetkg.names import DEFAULT_BASE
from budgetkg.resources import default_sources


def etl_to_ntriples(path: Path) -> bytes:
    from budgetkg.etl.pipeline import process
    from budgetkg.etl.to_rdf import to_rdf

    _, triples = to_rdf(process(path), base=DEFAULT_BASE)
    return "".join(sorted({f"{t} .\n" for t in triples})).encode()


def floor(nt: bytes) -> bytes:
    triples = list(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES))
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)


def rdflib_add(nt: bytes) -> None:
    import rdflib

    triples = list(rdflib.Graph().parse(data=nt, format="nt"))
    g = rdflib.Graph()
    t0 = time.perf_counter()
    for t in triples:
        g.add(t)
    return time.perf_counter() - t0


def best(fn, arg, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(arg)
        times.append(time.perf_counter() - t0)
    return min(times), statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    files = args.files or [p for p in default_sources() if p.suffix == ".txt"]
    etl_to_ntriples(files[0])  # warm up: imports, code lists
    print(f"{'document':40} {'triples':>8} {'etl ms':>8} {'floor ms':>9} {'ratio':>6} {'triples/s':>10} {'rdflib add ms':>13}")
    for path in files:
        nt = etl_to_ntriples(path)
        n = nt.count(b"\n")
        etl_best, _ = best(etl_to_ntriples, path, args.repeat)
        floor_best, _ = best(floor, nt, args.repeat)
        add = rdflib_add(nt)
        print(f"{path.name[:40]:40} {n:8d} {etl_best * 1000:8.1f} {floor_best * 1000:9.1f} "
              f"{etl_best / floor_best:6.2f} {n / etl_best:10.0f} {add * 1000:13.1f}")


if __name__ == "__main__":
    main()
