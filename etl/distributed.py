"""Documents as tasks on a Dask cluster (``budgetkg build --scheduler ADDRESS``).

API: :func:`run_on_cluster` ``(address, attempt, paths, overrides, jobs, numbers) -> list``.

Each task reads, maps and validates one document on a worker (as a local worker does) and
sends back its outcome with its sorted shards; the parent writes the shards into its work folder
as they arrive, so the merge is the local build's and the dumps are byte-identical to it. The
workers read each source at the path the parent names: on more than one machine the sources
must be at the same path on every worker (a shared file system). The per-document time limit
and the per-document memory cap are not enforced on Dask workers (tasks run outside the
main thread, where SIGALRM cannot reach, in workers Dask starts; its ``--memory-limit`` applies).
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

from budgetkg.errors import InputError, SchedulerUnreachable

# Seconds to reach the scheduler before the build fails (a wrong address should not hang a build).
CONNECT_TIMEOUT = 10


def _task(attempt, path: str, overrides, job, n: int):
    """One document on a worker: (n, outcome, quads shard, triples shard); shards None on failure."""
    with tempfile.TemporaryDirectory(prefix="budgetkg-task-") as work:
        outcome = attempt(path, overrides, replace(job, workdir=work), n)
        if isinstance(outcome, BaseException):
            return n, outcome, None, None
        stem = Path(work) / str(n)
        return n, outcome, stem.with_suffix(".nq").read_bytes(), stem.with_suffix(".nt").read_bytes()


def run_on_cluster(address: str, attempt, paths: list[str], overrides: list, jobs: list, numbers: list[int]) -> list:
    """The outcomes of ``attempt`` (:func:`budgetkg.etl.build._attempt`, given by the caller: this
    module does not import the build) for each document, in the order given,
    computed on the cluster of the scheduler at ``address``; shards written to each job's workdir.

    :raises InputError: dask.distributed is not installed.
    :raises SchedulerUnreachable: no scheduler answers at ``address``.
    """
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise InputError("--scheduler needs dask.distributed: pip install 'budgetkg[dask]'") from None
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, ValueError) as exc:  # TimeoutError is an OSError
        raise SchedulerUnreachable(f"cannot reach the Dask scheduler at {address} within {CONNECT_TIMEOUT} s: {exc}") from None
    outcomes: dict[int, object] = {}
    with client:
        futures = client.map(_task, [attempt] * len(paths), paths, overrides, jobs, numbers, pure=False)
        for future, (n, outcome, quads, triples) in as_completed(futures, with_results=True, loop=client.loop):
            future.release()  # the shards are on disk now: do not keep them on the cluster
            outcomes[n] = outcome
            if quads is not None:
                stem = Path(jobs[0].workdir) / str(n)
                stem.with_suffix(".nq").write_bytes(quads)
                stem.with_suffix(".nt").write_bytes(triples)
    return [outcomes[n] for n in numbers]
