"""Worker processes that do not outlive the process that started them.

API: :func:`die_with_parent` ``(parent_pid)``, an initializer for ``ProcessPoolExecutor``.

A ``kill -9`` of a build gives its workers no chance to be told; without this they run on as
orphans, reading and writing for nobody. On Linux the kernel sends them SIGKILL when their
parent dies (``prctl(PR_SET_PDEATHSIG)``); elsewhere nothing changes.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

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
