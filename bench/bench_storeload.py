"""The embedded store's bulk load at a national corpus's size: the build's chunked load against one load.

    python -m bench.bench_storeload --dump DIST/dumps/budgetkg.nq [--copies 65] [--rounds 2] [--work DIR]

The quads: ``--dump`` (a build's sorted N-Quads dump, the corpus's say) copied ``--copies`` times, each
copy's instance and graph IRIs (``<base>id/...``, ``<base>graph/...``) renamed so that copies are
other documents while the vocabulary is shared (as the copies of ``bench_national`` share it), in
shards of about :data:`SHARD_LINES` lines (a document's shard). Then, alternated ``--rounds`` times,
each in a fresh process into a new store: the build's load (:func:`budgetkg.etl.storeload.load_shards`:
:data:`~budgetkg.etl.storeload.STORE_LOAD_QUADS` quads a load, two loads at once) and one
``Store.bulk_load(lenient=True)`` reading every shard as one stream. Prints wall time, CPU seconds,
CPU per quad and peak memory of each, and their ratios (one load / chunks) per round. A copy of the
corpus dump is 232,522 quads: 65 copies are about the 15 M quads of 1,000 PDFs (docs/scaling.md).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from bench import child, scratch

SHARD_LINES = 15_500  # about one document's quads (14,806,171 triples of 1,000 PDFs in bench_national)

CHILD = r"""
import io, json, resource, sys, time
from pathlib import Path
import pyoxigraph as ox
from budgetkg.etl.storeload import load_shards
how, location, shards = json.loads(sys.argv[1])
shards = [Path(s) for s in shards]
t0 = time.perf_counter()
if how == "chunks":
    load_shards(Path(location), shards, [])
else:
    class Shards(io.RawIOBase):  # every shard, one after the other, as one stream
        def __init__(self):
            self.files, self.left = iter(shards), memoryview(b"")
        def readable(self):
            return True
        def readinto(self, buffer):
            while not self.left:
                nxt = next(self.files, None)
                if nxt is None:
                    return 0
                self.left = memoryview(nxt.read_bytes())
            n = min(len(buffer), len(self.left))
            buffer[:n], self.left = self.left[:n], self.left[n:]
            return n
    store = ox.Store(location)
    store.bulk_load(io.BufferedReader(Shards(), 1 << 20), ox.RdfFormat.N_QUADS, lenient=True)
    store.flush()
wall = time.perf_counter() - t0
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024,
                  "quads": len(ox.Store.read_only(location))}))
"""


def make_shards(dump: Path, copies: int, folder: Path, base: str) -> list[Path]:
    """``copies`` renamed copies of ``dump`` in shards of :data:`SHARD_LINES` lines; returns the shards."""
    folder.mkdir(parents=True)
    lines = dump.read_bytes().splitlines(keepends=True)
    ids, graphs = f"<{base}id/".encode(), f"<{base}graph/".encode()
    shards = []
    for k in range(copies):
        mine = [line.replace(ids, f"<{base}id/copy{k}/".encode()).replace(graphs, f"<{base}graph/copy{k}/".encode())
                for line in lines]
        for start in range(0, len(mine), SHARD_LINES):
            shard = folder / f"{len(shards):06d}.nq"
            shard.write_bytes(b"".join(mine[start:start + SHARD_LINES]))
            shards.append(shard)
    return shards


def load(how: str, location: Path, shards: list[Path]) -> dict:
    return child(CHILD, [how, str(location), list(map(str, shards))])


def main() -> None:
    from budgetkg.names import DEFAULT_BASE, DUMP_QUADS, DUMPS_DIR

    ap = argparse.ArgumentParser()
    ap.add_argument("--dump", type=Path, required=True, help=f"a build's {DUMPS_DIR}/{DUMP_QUADS}")
    ap.add_argument("--copies", type=int, default=65)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temporary one, removed)")
    args = ap.parse_args()
    with scratch(args.work, "budgetkg-bench-storeload-") as work:
        shards = make_shards(args.dump, args.copies, work / "shards", DEFAULT_BASE)
        print(f"{len(shards)} shards of {args.copies} copies of {args.dump}; load average {os.getloadavg()[0]:.1f} "
              f"on {os.cpu_count()} cores")
        for r in range(1, args.rounds + 1):
            got = {}
            for how in ("chunks", "one load"):
                got[how] = out = load("chunks" if how == "chunks" else "one", work / f"store-{r}-{how[0]}", shards)
                print(f"round {r} {how:8}: {out['quads']:,} quads, wall {out['wall']:7.1f} s, CPU {out['cpu']:7.1f} s "
                      f"({out['cpu'] / out['quads'] * 1e6:.1f} µs a quad), peak {out['peak_mb']:,.0f} MB")
            one, chunks = got["one load"], got["chunks"]
            print(f"round {r} one load / chunks: wall {one['wall'] / chunks['wall']:.2f}, CPU "
                  f"{one['cpu'] / chunks['cpu']:.2f}, peak memory {one['peak_mb'] / chunks['peak_mb']:.2f}")
        print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
