"""Load and attack test of ``budgetkg serve``, as issue 13's probe ran it.

    python -m bench.bench_load [--data DIR] [--clients 32,64,128] [--duration 10] [--work /tmp/budgetkg-load]
                               [--one-address]

On a build (default: the bundled samples, built into ``WORK``) it starts ``budgetkg serve``
twice, as it runs by default (answers kept per build, so repeated requests are replayed)
and with ``BUDGETKG_CACHE_MB=0`` (every request evaluated), and on each runs a mix of
lookups (linked-data pages of resources as Turtle, and SPARQL that describes a resource, lists a
data set's observations, a department's labels and data sets) and every named query of
``sparql/`` (``/api/queries/<name>``, parameters drawn from the data) at 32, 64 and 128
concurrent keep-alive clients. Each client connects from its own loopback address
(127.0.0.x) as distinct users would, so the per-client bound (``--client-queries``) applies
per client; ``--one-address`` sends everything from 127.0.0.1 (one client, as a single
load generator looks to the service). Errors (any answer but 200, or no answer) are counted;
the resident memory (VmRSS of ``/proc``) of the server process and of its query workers is
sampled every 0.2 s and its peak printed next to the idle figure of the same run.

Then, on a fresh default server, the time to refuse each attack query: 10,000 nested
``{}``, a query above the size limit, a kilobyte that doubles a string 30 times (64 GB),
SERVICE and LOAD, each with a lookup answered beside it; and whether the server still
answers afterwards. Prints tables; not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import pyoxigraph as ox

from budgetkg.names import DEFAULT_BASE, MANIFEST, STORE_DIR
from bench.bench_service import JSON_ACCEPT, Conn, Server, free_port, mixed_jobs, named_jobs, summary

ROOT = Path(__file__).resolve().parents[1]
TURTLE = "text/turtle"


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid: int) -> list[int]:
    out = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            out += [int(p) for p in (task / "children").read_text().split()]
    except OSError:
        pass
    return out


class Sampler:
    """Peak RSS of a server process and of its worker processes (sum and largest one), sampled in a thread."""

    def __init__(self, pid: int, every: float = 0.2):
        self.pid, self.every = pid, every
        self.server = self.workers = self.worker = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> tuple[int, int, int]:
        kids = [rss_kb(p) for p in children(self.pid)]
        return rss_kb(self.pid), sum(kids), max(kids, default=0)

    def _run(self):
        while not self._stop.is_set():
            s, w, one = self.sample()
            self.server, self.workers, self.worker = max(self.server, s), max(self.workers, w), max(self.worker, one)
            self._stop.wait(self.every)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


class AddressedConn(Conn):
    """:class:`bench.bench_service.Conn` connecting from a given loopback address."""

    def __init__(self, port: int, address: str):
        super().__init__(port)
        self.address = address

    async def get(self, path: str, accept: str = JSON_ACCEPT):
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port, local_addr=(self.address, 0))
        return await super().get(path, accept)


async def _load(port: int, requests: list[tuple[str, str]], clients: int, duration: float, one_address: bool):
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    counter = iter(range(10 ** 9))
    deadline = time.monotonic() + duration

    async def client(i: int):
        conn = AddressedConn(port, "127.0.0.1" if one_address else f"127.0.{1 + i // 250}.{1 + i % 250}")
        try:
            while time.monotonic() < deadline:
                path, accept = requests[next(counter) % len(requests)]
                started = time.perf_counter()
                try:
                    status, _ = await asyncio.wait_for(conn.get(path, accept), 120)
                except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError):
                    conn.close()
                    status = 599
                latencies.append(time.perf_counter() - started)
                statuses[status] = statuses.get(status, 0) + 1
        finally:
            conn.close()

    started = time.monotonic()
    await asyncio.gather(*(client(i) for i in range(clients)))
    return latencies, statuses, time.monotonic() - started


def workload(store: ox.Store) -> list[tuple[str, str]]:
    """(path, Accept) pairs: lookups and named queries, interleaved."""
    lookups = [(f"/sparql?query={quote(text)}", JSON_ACCEPT) for text, _ in mixed_jobs(store)]
    base = DEFAULT_BASE
    for row in store.query(f"SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), '{base}id/')) }} "
                           "ORDER BY ?s LIMIT 40", use_default_graph_as_union=True):
        lookups.append(("/" + row[0].value[len(base):], TURTLE))
    named = [(f"/api/queries/{name}" + (f"?{urlencode(params)}" if params else ""), JSON_ACCEPT)
             for name, _, _, params in named_jobs(store)]
    mix = []
    for i in range(max(len(lookups), len(named))):
        mix.append(lookups[i % len(lookups)])
        if i % 3 == 0:  # a named query for every three lookups
            mix.append(named[(i // 3) % len(named)])
    return mix


def start(data: Path, env: dict, name: str) -> Server:
    port = free_port()
    args = [sys.executable, "-m", "budgetkg.cli", "serve", "--data", str(data), "--port", str(port)]
    return Server(name, args, port, "/sparql", "/health", env={"BUDGETKG_LOG_LEVEL": "warning", **env})


def load_table(data: Path, args, store: ox.Store) -> None:
    requests = workload(store)
    print(f"\n## Load: {len(requests)} requests in the mix, {args.duration:g} s per row, "
          f"{'one address' if args.one_address else 'one address per client'}\n")
    print("| answers kept | clients | requests | errors | statuses | p50 ms | p99 ms | req/s | server RSS MB idle / peak | workers RSS MB idle / peak (largest) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for kept, env in (("yes", {}), ("no", {"BUDGETKG_CACHE_MB": "0"})):
        server = start(data, env, f"budgetkg ({'kept' if kept == 'yes' else 'no kept answers'})")
        try:
            idle = Sampler(server.proc.pid).sample()
            for clients in args.clients:
                with Sampler(server.proc.pid) as peak:
                    latencies, statuses, wall = asyncio.run(_load(server.port, requests, clients, args.duration, args.one_address))
                s = summary(latencies, sum(v for k, v in statuses.items() if k != 200), wall)
                shown = ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items()))
                print(f"| {kept} | {clients} | {s['n']} | {s['errors']} | {shown} | {s['p50_ms']:.1f} | {s['p99_ms']:.1f} | "
                      f"{s['rps']:.0f} | {idle[0] / 1024:.0f} / {peak.server / 1024:.0f} | "
                      f"{idle[1] / 1024:.0f} / {peak.workers / 1024:.0f} ({peak.worker / 1024:.0f}) |", flush=True)
        finally:
            server.stop()


def attacks(query_max_bytes: int) -> dict[str, tuple[str, str]]:
    """name -> (method, SPARQL text)."""
    binds = ['BIND("' + "x" * 64 + '" AS ?v0)'] + [f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(30)]
    return {
        "10,000 nested {}": "SELECT * " + "{" * 10000 + "}" * 10000,
        "5,000 nested ()": "SELECT * { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }",
        "3,000 nested OPTIONAL": "SELECT * { " + "OPTIONAL { " * 3000 + "}" * 3000 + " }",
        f"a query above {query_max_bytes >> 10} KB": "SELECT * { VALUES ?x { " + " ".join(
            f"<http://x/{i}>" for i in range(query_max_bytes // 12)) + " } }",
        "string doubled 30 times (1 KB, 64 GB)": f"SELECT (STRLEN(?v30) AS ?n) WHERE {{ {' '.join(binds)} }}",
        "SERVICE": "SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "LOAD": "LOAD <http://127.0.0.1:9/data.ttl>",
    }


async def _post(port: int, text: str, address: str = "127.0.0.1") -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(address, 0))
    body = text.encode()
    writer.write(f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: {JSON_ACCEPT}\r\n"
                 f"Content-Type: application/sparql-query\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode() + body)
    await writer.drain()
    raw = await reader.read()
    writer.close()
    head, _, rest = raw.partition(b"\r\n\r\n")
    return int(head.split()[1]), rest


def attack_table(data: Path, store: ox.Store) -> None:
    from budgetkg.service.settings import Settings

    lookup = f"/sparql?query={quote(mixed_jobs(store)[0][0])}"
    server = start(data, {"BUDGETKG_CACHE_MB": "0"}, "budgetkg (attacks)")
    print("\n## Attack queries (default settings, no kept answers)\n")
    print("| attack | status | seconds to answer | why | a lookup beside it | workers replaced | server answers after |")
    print("|---|---|---|---|---|---|---|")
    try:
        for name, text in attacks(Settings.query_max_bytes).items():
            before = _health(server.port)

            async def both():
                started = time.perf_counter()
                attack = asyncio.ensure_future(_post(server.port, text))
                await asyncio.sleep(0.05)
                beside = await Conn(server.port).get(lookup)
                status, body = await attack
                return status, time.perf_counter() - started, beside[0], body

            status, took, beside, body = asyncio.run(both())
            try:
                why = json.loads(body)["detail"][:70].replace("|", "/")
            except ValueError:
                why = body[:70].decode("utf-8", "replace")
            after = asyncio.run(Conn(server.port).get(lookup))[0]
            replaced = _health(server.port)["workers_replaced"] - before["workers_replaced"]
            print(f"| {name} | {status} | {took:.2f} | {why} | {beside} | {replaced} | {after == 200} |", flush=True)
    finally:
        server.stop()


def _health(port: int) -> dict:
    return json.loads(asyncio.run(Conn(port).get("/health", "application/json"))[1])


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", type=Path, default=None, help="a build to serve (default: the bundled samples, built into WORK)")
    p.add_argument("--work", type=Path, default=Path("/tmp/budgetkg-load"))
    p.add_argument("--clients", default="32,64,128")
    p.add_argument("--duration", type=float, default=10.0)
    p.add_argument("--one-address", action="store_true", help="every client from 127.0.0.1 (one client to the service)")
    p.add_argument("--skip-load", action="store_true")
    p.add_argument("--skip-attacks", action="store_true")
    args = p.parse_args(argv)
    args.clients = [int(c) for c in args.clients.split(",")]
    data = args.data
    if data is None:
        from budgetkg.etl.build import build
        from budgetkg.resources import default_sources

        data = args.work / "data"
        if not (data / MANIFEST).exists():
            build(list(default_sources()), out=data, jobs=1, validate=False)
    print(f"# bench_load on {data} ({os.cpu_count()} cores; the machine may be shared: figures vary between runs)")
    store = ox.Store.read_only(str(data / STORE_DIR))
    if not args.skip_load:
        load_table(data, args, store)
    if not args.skip_attacks:
        attack_table(data, store)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
