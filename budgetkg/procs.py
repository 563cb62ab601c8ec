"""Worker processes that do not outlive the process that started them.

API: :func:`die_with_parent` ``(parent_pid)``, an initializer for ``ProcessPoolExecutor``;
:func:`worker_init` ``(parent_pid, memory_mb)``, the same with a memory cap;
:func:`cap_memory` ``(megabytes)``; :func:`time_limit` ``(seconds)``, a context manager raising
:class:`TimeLimitExpired`.

A memory cap (``RLIMIT_AS``, the process's address space) makes an allocation past it fail:
in Python code as a ``MemoryError``, in native code (pyoxigraph, pdfium) usually as the end of
the process, which its parent then reports. Either way one document or query cannot take the
machine's memory from the others.

A ``kill -9`` of a build gives its workers no chance to be told; without this they run on as
orphans, reading and writing for nobody. On Linux the kernel sends them SIGKILL when their
parent dies (``prctl(PR_SET_PDEATHSIG)``); elsewhere nothing changes.
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int) -> None:
    """Ask the kernel to kill this process when its parent dies (Linux; a no-op elsewhere)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    # The parent may have died before prctl ran: then nobody will send the signal.
    if os.getppid() != parent_pid:
        os._exit(1)


# glibc's malloc gives each new thread an arena of its own on its first allocation, up to eight per core, and
# reserves 64 MB of address space for each (128 MB for a moment while aligning it). RLIMIT_AS counts those
# reservations as if they were memory. Opening the store starts hundreds of short-lived threads (RocksDB opens
# its table files from up to 16 threads per column family): a query worker that had just opened it stood at
# 460-660 MB of address space, by how those threads happened to run, and under a 1024 MB cap a fresh one
# sometimes aborted before it could answer (a thread's stack could not be mapped: std::system_error, seen in CI).
# Two arenas keep the address space near the memory in use (266 MB on 2 cores, the same every time), so the cap
# limits memory, which is what it is for. The price, two arenas shared by a worker's query threads, was not
# measurable against the noise on 2 cores.
_M_ARENA_MAX = -8  # mallopt's parameter number in glibc's malloc.h
CAPPED_ARENAS = 2


def _limit_arenas(arenas: int) -> None:
    """Ask glibc's malloc for at most ``arenas`` arenas (a no-op without glibc)."""
    try:
        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return
    mallopt(_M_ARENA_MAX, arenas)


def cap_memory(megabytes: int) -> None:
    """Limit this process's address space to ``megabytes`` (0: leave it), never above the hard limit it has.

    With a cap, glibc's malloc is also held to :data:`CAPPED_ARENAS` arenas, whose reserved but
    unused address space would otherwise count against the cap. Call it before the process starts
    threads: glibc stops reading the setting once it has more than eight arenas.
    """
    if megabytes <= 0:
        return
    _limit_arenas(CAPPED_ARENAS)
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = megabytes << 20
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def worker_init(parent_pid: int, memory_mb: int = 0) -> None:
    """:func:`die_with_parent`, then :func:`cap_memory` (an initializer for ``ProcessPoolExecutor``)."""
    die_with_parent(parent_pid)
    cap_memory(memory_mb)


class TimeLimitExpired(BaseException):
    """Raised by :func:`time_limit`. A BaseException, so that the ``except Exception`` of a reader
    that notes a damaged page and reads on does not swallow it."""


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`TimeLimitExpired` in the block when it runs longer than ``seconds`` (SIGALRM).

    Python code is interrupted between bytecodes; a long call into C finishes first. Outside the
    main thread, without ``seconds`` or without SIGALRM (Windows) the block runs unlimited.
    """
    usable = seconds and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expired(signum, frame):
        raise TimeLimitExpired(seconds)

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
