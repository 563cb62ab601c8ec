"""A query worker process: opens the store read-only and answers jobs on stdin/stdout.

Run as ``python -m budgetkg.service.worker STORE [THREADS [MEMORY_MB]]``. Frames are a 4-byte big-endian
length followed by a pickle. The first frame sent is ``("ready", pid)`` (or
``("error", "io", message)`` when the store cannot be opened); then each frame
received is ``(job_id, job)`` (see :func:`run`) and is answered, in the order the
queries finish, by ``(job_id, reply)`` with reply ``("ok", kind, body, truncated, rows)``
or ``("error", kind, message)``. Up to THREADS queries run at once (pyoxigraph
releases the GIL while it evaluates), so a cheap query does not wait behind a
slow one. The parent kills a worker whose query runs past the time limit, which
is what really stops a runaway query (pyoxigraph has no timeout of its own); the
other queries of that worker are sent again to another one.

MEMORY_MB (0: none) caps the process's address space (``RLIMIT_AS``), so one
query cannot take the machine's memory: past the cap an allocation fails, and
pyoxigraph (Rust) then aborts the process after printing ``memory allocation of
N bytes failed`` on stderr, which the parent reads to say why (a Python-side
failure is answered as a ``memory`` error instead).

Results are written by pyoxigraph's serializers: SELECT as TSV and CONSTRUCT /
DESCRIBE as N-Triples into a sink that stops the query after the row cap, then
converted to the format asked for (see :mod:`budgetkg.service.formats`).
"""

from __future__ import annotations

import os
import pickle
import struct
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pyoxigraph as ox

from budgetkg.procs import cap_memory

from .formats import capped, finish_boolean, finish_graph, finish_results

HEADER = struct.Struct("!I")


def cap_hint(memory_mb: int) -> str:
    """What to say when a worker under a memory cap could not open the store."""
    return f"the query worker memory cap of {memory_mb} MB may be too low"


def read_frame(stream):
    head = stream.read(HEADER.size)
    if len(head) < HEADER.size:
        return None
    (size,) = HEADER.unpack(head)
    data = stream.read(size)
    if len(data) < size:
        return None
    return pickle.loads(data)


def write_frame(stream, obj) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(HEADER.pack(len(data)) + data)
    stream.flush()


def _graphs(iris):
    return [ox.DefaultGraph() if i is None else ox.NamedNode(i) for i in iris]


def run(store: ox.Store, job: dict) -> tuple:
    """Answer one job.

    ``job`` keys: ``query`` (text), ``ext`` (target format), ``limit`` (row cap),
    ``subs`` ({variable name: pyoxigraph term}), ``default_graphs`` / ``named_graphs``
    (lists of IRIs, or None), ``union`` (default graph = union of all graphs),
    ``prefixes`` (for Turtle output), ``base_iri`` (for relative IRIs of the query).
    """
    kwargs = {}
    if job.get("default_graphs") is not None:
        kwargs["default_graph"] = _graphs(job["default_graphs"])
    elif job.get("union"):
        kwargs["use_default_graph_as_union"] = True
    if job.get("named_graphs") is not None:
        kwargs["named_graphs"] = _graphs(job["named_graphs"])
    if job.get("base_iri"):
        kwargs["base_iri"] = job["base_iri"]
    subs = {ox.Variable(k): v for k, v in (job.get("subs") or {}).items()}
    if subs:
        kwargs["substitutions"] = subs
    ext, limit = job["ext"], job["limit"]
    try:
        res = store.query(job["query"], **kwargs)
        if isinstance(res, ox.QueryBoolean):
            return ("ok", "boolean", finish_boolean(bool(res), ext), False, 1)
        if isinstance(res, ox.QuerySolutions):
            raw, cut = capped(lambda w: res.serialize(w, format=ox.QueryResultsFormat.TSV), limit + 1)
            rows = max(0, raw.count(b"\n") - 1)
            return ("ok", "results", finish_results(raw, ext), cut, rows)
        raw, cut = capped(lambda w: res.serialize(w, format=ox.RdfFormat.N_TRIPLES), limit)
        return ("ok", "graph", finish_graph(raw, ext, job.get("prefixes"), job.get("graph_name")), cut, raw.count(b"\n"))
    except SyntaxError as exc:
        return ("error", "syntax", str(exc))
    except (OSError, RuntimeError, ValueError, TypeError, KeyError) as exc:
        return ("error", "query", str(exc))
    except MemoryError:
        return ("error", "memory", "the query needed more memory than the worker has")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    inp, out = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but frames on the pipe
    threads = int(argv[1]) if len(argv) > 1 else 1
    memory_mb = int(argv[2]) if len(argv) > 2 else 0
    cap_memory(memory_mb)
    try:
        store = ox.Store.read_only(argv[0])
    except (OSError, MemoryError) as exc:
        hint = f" ({cap_hint(memory_mb)})" if memory_mb else ""
        write_frame(out, ("error", "io", f"cannot open the store {argv[0]}: {exc}{hint}"))
        return 1
    write_frame(out, ("ready", os.getpid()))
    lock = threading.Lock()

    def answer(job_id, job):
        try:
            reply = run(store, job)
        except Exception as exc:  # whatever happens, the parent hears of it
            reply = ("error", "query", f"{type(exc).__name__}: {exc}")
        with lock:
            write_frame(out, (job_id, reply))

    pool = ThreadPoolExecutor(threads, thread_name_prefix="query")
    while True:
        frame = read_frame(inp)
        if frame is None:  # the parent is gone or done with us
            pool.shutdown(wait=False, cancel_futures=True)
            os._exit(0)  # do not wait for queries nobody will read
        pool.submit(answer, *frame)


if __name__ == "__main__":
    sys.exit(main())
