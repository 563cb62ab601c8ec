"""Benchmark of the HTTP service against the in-process floor, Oxigraph server and rdflib-endpoint.

    python -m bench.bench_service [--documents 1000] [--mid-documents 40] [--duration 3] [--clients 1,8,32]
                                  [--work /tmp/budgetkg-bench] [--skip-sample] [--skip-corpus] [--timeout 20]
                                  [--rounds 2] [--systems budgetkg,budgetkg-nocache]

On the bundled sample, a mid-size corpus (``--mid-documents``) and a large corpus
(``--documents``, at least 1,000 by default), both from ``bench.generate``, it runs

- every named query of ``sparql/`` (parameters bound to typical values) at 1 client, and
- a small mixed workload (describe a resource, a data set's observations, labels, an ASK,
  the data sets of a department) at 1, 8 and 32 concurrent clients,

on: pyoxigraph in-process on the same store (the floor: query + JSON serialization,
threads for concurrency), this service (``budgetkg serve``; named queries through
``/api/queries``, the mix through ``/sparql``) as it runs by default (answers kept
per build, so repeated requests are hits) and with ``BUDGETKG_CACHE_MB=0``
(``budgetkg-nocache``: every request evaluated), uvicorn answering a fixed body with no
framework or query (``bare-uvicorn``, :mod:`bench.bare_asgi`: the HTTP floor), Oxigraph server (``oxigraph
serve-read-only``) and rdflib-endpoint (only where the data has at most
``--rdflib-max-triples`` triples: it parses everything into rdflib's memory store,
which takes too long and too much memory for the large corpus; named queries on it
only on the sample, as it has no time limit and one slow query blocks it).
A named query over the time limit on this service is not run on the others.
Every HTTP system gets the same SPARQL and ``Accept: application/sparql-results+json``;
the load generator is a lean keep-alive HTTP/1.1 client on asyncio, so the client
costs little of the two cores. Prints p50, p99 (ms) and requests/s and the
comparison with the goals, and writes the figures as JSON to ``WORK/results.json``.
Not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import pyoxigraph as ox

from budgetkg import names
from budgetkg.queries import narrowed

ROOT = Path(__file__).resolve().parents[1]
VOCAB_GRAPH = names.VOCAB_GRAPH
JSON_ACCEPT = "application/sparql-results+json"
PARAMS = {  # typical values for the named queries' parameters
    "kind": names.TABLE_KIND + "income", "digits": "3", "year": "2022", "threshold": "0",
    "level": names.CL + "indicator-level/cost",
}


# --- data -----------------------------------------------------------------------------------------

def build_dataset(work: Path, name: str, documents: int | None) -> Path:
    from budgetkg.etl.build import build

    data = work / name / "data"
    if (data / names.MANIFEST).exists():
        m = json.loads((data / names.MANIFEST).read_text())
        if documents is None or len(m["documents"]) >= documents:
            return data
    sources = None
    if documents:
        src = work / name / "src"
        shutil.rmtree(src, ignore_errors=True)
        years = -(-documents // 900)  # bench.generate makes at most 900 departments a year
        departments = -(-documents // years)
        subprocess.run([sys.executable, "-m", "bench.generate", "--departments", str(departments),
                        "--years", f"2022-{2021 + years}" if years > 1 else "2022", "--out", str(src)],
                       cwd=ROOT, check=True, capture_output=True)
        sources = [src]
    started = time.monotonic()
    build(sources, out=data, validate=False)
    print(f"# built {name}: {time.monotonic() - started:.0f} s", flush=True)
    return data


def oxigraph_location(data: Path, binary: str) -> Path:
    location = data.parent / "oxigraph"
    if not (location / "CURRENT").exists():
        shutil.rmtree(location, ignore_errors=True)
        subprocess.run([binary, "load", "--location", str(location), "--file", str(data / names.DUMPS_DIR / names.DUMP_QUADS)], check=True, capture_output=True)
        subprocess.run([binary, "load", "--location", str(location), "--file", str(data / names.DUMPS_DIR / names.DUMP_VOCABULARY),
                        "--graph", VOCAB_GRAPH], check=True, capture_output=True)
    return location


# --- servers --------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, name: str, args: list[str], port: int, path: str, ready_path: str, env: dict | None = None, timeout=600):
        self.name, self.port, self.path = name, port, path
        self.proc = subprocess.Popen(args, cwd=ROOT, env=dict(os.environ, **(env or {})),
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{name} exited with {self.proc.returncode}")
            try:
                status, _ = asyncio.run(_fetch_once(port, ready_path))
                if status < 500:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise TimeoutError(f"{name} did not start")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


# --- a lean HTTP/1.1 client -----------------------------------------------------------------------

class Conn:
    def __init__(self, port: int):
        self.port = port
        self.reader = self.writer = None

    async def get(self, path: str, accept: str = JSON_ACCEPT) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nAccept: {accept}\r\n\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:] if ln)}
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                chunk = await self.reader.readexactly(size + 2)
                if size == 0:
                    break
                parts.append(chunk[:-2])
            body = b"".join(parts)
        else:
            body = await self.reader.read()
            self.close()
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def _fetch_once(port: int, path: str):
    c = Conn(port)
    try:
        return await asyncio.wait_for(c.get(path), 5)
    finally:
        c.close()


async def _load(port: int, paths: list[str], clients: int, duration: float, max_requests: int, timeout: float = 120):
    latencies: list[float] = []
    errors = 0
    counter = iter(range(10 ** 9))
    deadline = time.monotonic() + duration

    async def worker():
        nonlocal errors
        conn = Conn(port)
        try:
            while time.monotonic() < deadline and len(latencies) < max_requests:
                path = paths[next(counter) % len(paths)]
                started = time.perf_counter()
                try:
                    status, _ = await asyncio.wait_for(conn.get(path), timeout)
                except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError):
                    conn.close()
                    status = 599
                latencies.append(time.perf_counter() - started)
                errors += status != 200
        finally:
            conn.close()

    started = time.monotonic()
    await asyncio.gather(*(worker() for _ in range(clients)))
    return latencies, errors, time.monotonic() - started


def http_load(port, paths, clients, duration, max_requests=100_000, timeout=120):
    return asyncio.run(_load(port, paths, clients, duration, max_requests, timeout))


def floor_load(store: ox.Store, jobs: list[tuple[str, dict]], clients: int, duration: float, max_requests=100_000):
    """pyoxigraph in-process: query and serialize as SPARQL JSON, in ``clients`` threads."""
    latencies: list[float] = []
    lock = threading.Lock()
    counter = iter(range(10 ** 9))
    deadline = time.monotonic() + duration

    def worker():
        while time.monotonic() < deadline and len(latencies) < max_requests:
            with lock:
                text, subs = jobs[next(counter) % len(jobs)]
            started = time.perf_counter()
            store.query(text, use_default_graph_as_union=True, substitutions=subs).serialize(format=ox.QueryResultsFormat.JSON)
            latencies.append(time.perf_counter() - started)

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, 0, time.monotonic() - started


def summary(latencies, errors, wall) -> dict:
    if not latencies:
        return {"n": 0}
    ordered = sorted(latencies)
    return {"n": len(ordered), "errors": errors, "p50_ms": round(statistics.median(ordered) * 1e3, 3),
            "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1e3, 3), "rps": round(len(ordered) / wall, 1)}


# --- workloads ------------------------------------------------------------------------------------

def named_jobs(store: ox.Store | None = None) -> list[tuple[str, str, dict, dict]]:
    """(name, text, substitutions, raw params) for every named query; IRI parameters drawn from the data."""
    from budgetkg.queries import bind, load_queries

    typical = dict(PARAMS)
    if store is not None:
        bkg = names.BKG
        for name, pattern in (("department", f"?x a <{bkg}Department>"), ("jurisdiction", f"?d <{bkg}jurisdiction> ?x"),
                              ("basis", f"?p <{bkg}basis> ?x")):
            for row in store.query(f"SELECT ?x WHERE {{ {pattern} }} ORDER BY ?x LIMIT 1", use_default_graph_as_union=True):
                typical[name] = row[0].value
    out = []
    for name, q in load_queries().items():
        params = {p.name: typical[p.name] for p in q.params if p.name in typical}
        out.append((name, q.text, bind(q, params), params))
    return out


def mixed_jobs(store: ox.Store, seed: int = 7) -> list[tuple[str, dict]]:
    """A small mix like the pages and portals send, with IRIs drawn from the data."""
    rng = random.Random(seed)

    def pick(cls, n=20):
        rows = [r[0] for r in store.query(f"SELECT ?x WHERE {{ ?x a <{cls}> }} LIMIT 2000", use_default_graph_as_union=True)]
        return rng.sample(rows, min(n, len(rows)))

    bkg = names.BKG
    datasets, obs, depts = pick(bkg + "BudgetDataSet"), pick(bkg + "BudgetObservation"), pick(bkg + "Department")
    jobs = []
    for i in range(20):
        o, d, dep = obs[i % len(obs)], datasets[i % len(datasets)], depts[i % len(depts)]
        jobs += [
            (f"SELECT ?p ?o WHERE {{ {o} ?p ?o }}", {}),
            (f"SELECT ?obs ?amount WHERE {{ ?obs <{names.QB}dataSet> {d} ; <{bkg}amount> ?amount }}", {}),
            (f"SELECT ?l WHERE {{ {dep} <{names.SKOS}prefLabel>|<{names.RDFS}label> ?l }}", {}),
            (f"ASK {{ ?x <{bkg}organization> {dep} }}", {}),
            (f"SELECT ?ds ?title WHERE {{ ?ds <{bkg}organization> {dep} ; <{names.DCT}title> ?title }}", {}),
        ]
    return jobs


# --- the run --------------------------------------------------------------------------------------

def run_dataset(name: str, data: Path, args, results: list) -> None:
    manifest = json.loads((data / names.MANIFEST).read_text())
    triples = manifest["triples"] + manifest["vocabulary_triples"]
    print(f"\n## {name}: {len(manifest['documents'])} documents, {triples} triples", flush=True)
    store = ox.Store.read_only(str(data / names.STORE_DIR))
    named = named_jobs(store)
    mixed = mixed_jobs(store)
    servers: dict[str, Server] = {}
    try:
        port = free_port()
        env = {"BUDGETKG_LOG_LEVEL": "warning", "BUDGETKG_RELOAD_INTERVAL": "0", "BUDGETKG_TIMEOUT": str(args.timeout),
               "PYTHONPATH": str(ROOT)}
        if args.workers:
            env["BUDGETKG_WORKERS"] = str(args.workers)
        servers["budgetkg"] = Server("budgetkg", [sys.executable, "-m", "budgetkg.cli", "serve", "--data", str(data), "--port", str(port)],
                                     port, "/sparql", "/health", env)
        if not args.skip_nocache:  # the same service keeping no answers: every request is evaluated
            port = free_port()
            servers["budgetkg-nocache"] = Server("budgetkg-nocache", [sys.executable, "-m", "budgetkg.cli", "serve", "--data", str(data),
                                                                      "--port", str(port)], port, "/sparql", "/health",
                                                 dict(env, BUDGETKG_CACHE_MB="0"))
        port = free_port()  # the HTTP floor: uvicorn answering a fixed body, no framework, no query
        servers["bare-uvicorn"] = Server("bare-uvicorn", [sys.executable, "-m", "uvicorn", "--app-dir", str(ROOT / "bench"), "bare_asgi:app",
                                                          "--port", str(port), "--log-level", "warning", "--no-access-log"],
                                         port, "/sparql", "/sparql")
        binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
        if Path(binary).exists():
            loc = oxigraph_location(data, binary)
            port = free_port()
            servers["oxigraph"] = Server("oxigraph", [binary, "serve-read-only", "--location", str(loc), "--bind", f"127.0.0.1:{port}",
                                                      "--union-default-graph", "--timeout-s", str(int(args.timeout))], port, "/query", "/query?query=ASK%7B%7D")
        rdflib_bin = Path(sys.executable).parent / "rdflib-endpoint"
        if rdflib_bin.exists() and triples <= args.rdflib_max_triples:
            port = free_port()
            servers["rdflib-endpoint"] = Server("rdflib-endpoint", [str(rdflib_bin), "serve", "--host", "127.0.0.1", "--port", str(port),
                                                                    str(data / names.DUMPS_DIR / names.DUMP_QUADS), str(data / names.DUMPS_DIR / names.DUMP_VOCABULARY)],
                                                port, "/", "/?query=ASK%7B%7D", timeout=1800)  # its CLI serves at /
        elif not rdflib_bin.exists():
            print("# rdflib-endpoint not installed (pip install rdflib-endpoint): skipped")
        else:
            print(f"# rdflib-endpoint skipped: {triples} triples > --rdflib-max-triples {args.rdflib_max_triples}")

        def report(workload, system, clients, stats, round_=0):
            row = {"dataset": name, "workload": workload, "system": system, "clients": clients, "round": round_, **stats}
            results.append(row)
            print(f"{name:7} {workload:38} {system:16} {clients:3}  n={stats.get('n', 0):6}  p50={stats.get('p50_ms', 0):9.3f} ms"
                  f"  p99={stats.get('p99_ms', 0):9.3f} ms  {stats.get('rps', 0):9.1f} req/s  errors={stats.get('errors', 0)}", flush=True)

        for qname, text, subs, params in ([] if args.skip_named else named):  # named queries, one client
            dur = args.duration / 2
            api = f"/api/queries/{quote(qname)}.json" + ("?" + urlencode(params) if params else "")
            ours = summary(*http_load(servers["budgetkg"].port, [api], 1, dur, args.max_named))
            report(f"named:{qname}", "budgetkg", 1, ours)
            if "budgetkg-nocache" in servers:
                ours = summary(*http_load(servers["budgetkg-nocache"].port, [api], 1, dur, args.max_named))
                report(f"named:{qname}", "budgetkg-nocache", 1, ours)
            if ours.get("errors") == ours.get("n"):
                print(f"# {qname}: over the {args.timeout:g} s limit on this data; not run on the other systems", flush=True)
                continue
            report(f"named:{qname}", "in-process", 1, summary(*floor_load(store, [(text, subs)], 1, dur, args.max_named)))
            sparql = narrowed(text, subs)
            for sys_name in ("oxigraph", "rdflib-endpoint"):
                if sys_name in servers and (sys_name != "rdflib-endpoint" or name == "sample" or args.rdflib_named):
                    s = servers[sys_name]
                    report(f"named:{qname}", sys_name, 1, summary(*http_load(s.port, [f"{s.path}?query={quote(sparql)}"], 1, dur,
                                                                             args.max_named, args.timeout)))
        mix_paths = [f"?query={quote(narrowed(t, s))}" for t, s in mixed]
        if args.systems:
            for sys_name in [n for n in servers if n not in args.systems]:
                servers.pop(sys_name).stop()
        for round_ in range(args.rounds):  # rounds interleave the systems, so a load from elsewhere hits them alike
            for clients in args.clients:
                if not args.systems or "in-process" in args.systems:
                    report("mixed", "in-process", clients, summary(*floor_load(store, mixed, clients, args.duration)), round_)
                # every other round in reverse order: no system always runs first (on a cold cache) or last
                for sys_name, s in (list(servers.items())[::-1] if round_ % 2 else list(servers.items())):
                    report("mixed", sys_name, clients, summary(*http_load(s.port, [s.path + p for p in mix_paths], clients, args.duration)),
                           round_)
    finally:
        for s in servers.values():
            s.stop()
        del store


def compare_variant(results: list, variant: str, base: str = "budgetkg") -> None:
    """The mixed workload on ``variant`` against ``base``, round by round (a ratio > 1.10 or < 0.90 is a 10% change)."""
    by = {(r["dataset"], r["system"], r["clients"], r["round"]): r for r in results if r["workload"] == "mixed"}
    rows = sorted(k for k in by if k[1] == variant)
    if rows:
        print(f"\n## {variant} against {base} (mixed workload, each round)")
    for dataset, _, clients, round_ in rows:
        v, b = by[(dataset, variant, clients, round_)], by.get((dataset, base, clients, round_))
        if b and b.get("rps") and b.get("p50_ms"):
            print(f"{dataset:7} {clients:3} clients round {round_}: rps {v['rps']:.0f} vs {b['rps']:.0f} ({v['rps'] / b['rps']:.2f}x)"
                  f"  p50 {v['p50_ms']:.3f} vs {b['p50_ms']:.3f} ms ({v['p50_ms'] / b['p50_ms']:.2f}x)")
    ratios: dict[tuple, list] = {}
    for dataset, _, clients, round_ in rows:
        v, b = by[(dataset, variant, clients, round_)], by.get((dataset, base, clients, round_))
        if b and b.get("rps") and b.get("p50_ms"):
            ratios.setdefault((dataset, clients), []).append((v["rps"] / b["rps"], v["p50_ms"] / b["p50_ms"]))
    for (dataset, clients), rs in sorted(ratios.items()):
        print(f"{dataset:7} {clients:3} clients, median of {len(rs)} rounds: rps {statistics.median(r for r, _ in rs):.2f}x"
              f"  p50 {statistics.median(p for _, p in rs):.2f}x")


def compare(results: list) -> None:
    compare_variant(results, "budgetkg-nocache")
    print("\n## against the goals (mixed workload, last round)")
    by = {(r["dataset"], r["system"], r["clients"]): r for r in results if r["workload"] == "mixed"}
    for (dataset, system, clients), r in sorted(by.items()):
        if not system.startswith("budgetkg"):
            continue
        floor = by.get((dataset, "in-process", clients))
        oxi = by.get((dataset, "oxigraph", clients))
        rdf = by.get((dataset, "rdflib-endpoint", clients))
        bare = by.get((dataset, "bare-uvicorn", clients))
        parts = [f"{dataset:7} {system:16} {clients:3} clients:"]
        if floor:
            parts.append(f"p50 - floor = {r['p50_ms'] - floor['p50_ms']:+.3f} ms (goal <= 2)")
        if rdf and rdf.get("rps"):
            parts.append(f"rps / rdflib-endpoint = {r['rps'] / rdf['rps']:.1f}x (goal >= 20)")
        if bare and bare.get("rps"):
            parts.append(f"rps / bare uvicorn = {r['rps'] / bare['rps']:.2f}x")
        if oxi and oxi.get("rps"):
            oxi_ok = oxi["rps"] * (1 - oxi.get("errors", 0) / max(1, oxi["n"]))  # errors are not answers
            parts.append(f"rps / oxigraph = {r['rps'] / oxi['rps']:.2f}x (goal >= 1)")
            if oxi.get("errors"):
                parts.append(f"(oxigraph: {oxi['errors']} of {oxi['n']} requests failed; answered rps ratio {r['rps'] / max(oxi_ok, 1e-9):.2f}x)")
            parts.append(f"p50 / oxigraph = {r['p50_ms'] / oxi['p50_ms']:.2f}x")
        print("  ".join(parts))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--documents", type=int, default=1000, help="corpus size (documents from bench.generate: departments x years)")
    p.add_argument("--duration", type=float, default=3.0, help="seconds per measurement")
    p.add_argument("--clients", default="1,8,32")
    p.add_argument("--work", default="/tmp/budgetkg-bench")
    p.add_argument("--skip-corpus", action="store_true")
    p.add_argument("--skip-sample", action="store_true")
    p.add_argument("--skip-named", action="store_true", help="only the mixed workload")
    p.add_argument("--rdflib-max-triples", type=int, default=500_000)
    p.add_argument("--max-named", type=int, default=300, help="most requests per named query and system")
    p.add_argument("--timeout", type=float, default=20.0, help="query time limit of the servers (and of the client for rdflib-endpoint)")
    p.add_argument("--mid-documents", type=int, default=40, help="a mid-size corpus on which rdflib-endpoint runs too (0: none)")
    p.add_argument("--rdflib-named", action="store_true", help="run the named queries on rdflib-endpoint beyond the sample too")
    p.add_argument("--skip-nocache", action="store_true", help="do not also measure the service with its answer cache off")
    p.add_argument("--workers", type=int, default=0, help="budgetkg query workers (0: the service's default)")
    p.add_argument("--rounds", type=int, default=1, help="repeat the mixed workload, the systems interleaved in each round")
    p.add_argument("--systems", default="", help="only these systems in the mixed workload (comma-separated, e.g. budgetkg,budgetkg-nocache)")
    args = p.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop the servers on the way out
    args.clients = [int(c) for c in args.clients.split(",")]
    args.systems = [s for s in args.systems.split(",") if s]
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    results: list = []
    print(f"# budgetkg service benchmark: {os.cpu_count()} cores, {args.duration:g} s per measurement, clients {args.clients}")
    if not args.skip_sample:
        run_dataset("sample", build_dataset(work, "sample", None), args, results)
    if args.mid_documents:
        run_dataset(f"mid{args.mid_documents}", build_dataset(work, f"corpus{args.mid_documents}", args.mid_documents), args, results)
    if not args.skip_corpus:
        run_dataset("corpus", build_dataset(work, f"corpus{args.documents}", args.documents), args, results)
    compare(results)
    (work / "results.json").write_text(json.dumps(results, indent=1))
    print(f"\n# figures written to {work / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
