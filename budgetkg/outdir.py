"""Output folders that a command may replace, staged beside them and swapped in whole.

API: :func:`check_replaceable` ``(out, *, marker, entries)``; :func:`staging` ``(out) -> Path``;
:func:`publish` ``(staged, out)``; :func:`recover` ``(out) -> Path | None``; :func:`discard`.

A command writes into a fresh folder beside ``out`` (``.<name>.tmp-<pid>-<token>``) and swaps it
in only when everything was written, so a failed command leaves the previous output as it was.
It only ever replaces or removes what budgetkg wrote: ``out`` must be missing, empty, or hold a
previous output of the same command (recognised by its ``marker`` file, with nothing but the
entries that command writes); anything else is refused before anything is touched.

On Linux the swap is one ``renameat2(RENAME_EXCHANGE)``, so there is never a moment without an
output; elsewhere the old folder is first renamed aside to ``.<name>.old-<pid>``, and
:func:`recover` (run by the next command) renames it back if a crash came between the two
renames. Staged and set-aside folders whose process is gone (``kill -9``) are removed by the
next :func:`staging` of the same ``out``; those of a live process are left alone.
"""

from __future__ import annotations

import ctypes
import os
import re
import secrets
import shutil
from collections.abc import Iterable
from pathlib import Path

from .errors import OutputRefused

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
# Created with mode 0o777 so that the umask decides, as for any folder the user makes
# (tempfile.mkdtemp would give 0o700 and hide the output from a web server's user).
_FOLDER_MODE = 0o777


def _own(out: Path) -> re.Pattern[str]:
    """Names of the staged (tmp) and set-aside (old) folders of ``out``, with their pid."""
    return re.compile(rf"^\.{re.escape(out.name)}\.(tmp|old)-(\d+)(?:-[0-9a-f]+)?$")


def check_replaceable(out: Path, *, marker: str, entries: Iterable[str]) -> None:
    """Refuse an ``out`` that holds anything the command did not write.

    :raises OutputRefused: ``out`` is a file, or a folder that is neither empty nor a previous
        output (``marker`` present and every entry one of ``entries``).
    """
    if not out.exists() and not out.is_symlink():
        return
    if not out.is_dir():
        raise OutputRefused(f"{out} exists and is not a folder; give --out a new or empty folder")
    names = {p.name for p in out.iterdir()}
    if not names:
        return
    if marker not in names:
        raise OutputRefused(
            f"{out} is not empty and holds no previous output ({marker} missing); nothing was written. "
            "Give --out a new or empty folder."
        )
    entries = set(entries) | {marker}
    # Staging folders of an entry (``budgetkg tables`` stages beside ``DATA/tables``) are ours too.
    foreign = sorted(n for n in names - entries if not any(_own(out / e).match(n) for e in entries))
    if foreign:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        raise OutputRefused(
            f"{out} holds a previous output but also files budgetkg did not write ({shown}); nothing was "
            "replaced. Move them away or give --out another folder."
        )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _stale(out: Path) -> list[tuple[str, Path]]:
    """(kind, path) of the staged and set-aside folders of ``out`` whose process is gone."""
    own = _own(out)
    found = []
    if out.parent.is_dir():
        for p in sorted(out.parent.iterdir()):
            m = own.match(p.name)
            if m and p.is_dir() and not p.is_symlink() and not _alive(int(m.group(2))):
                found.append((m.group(1), p))
    return found


def recover(out: Path) -> Path | None:
    """Put back a previous output that a crash left set aside while ``out`` is missing.

    :returns: the folder that was renamed back to ``out``, or None.
    """
    if out.exists() or out.is_symlink():
        return None
    for kind, path in reversed(_stale(out)):
        if kind == "old":
            path.rename(out)
            return path
    return None


def staging(out: Path) -> Path:
    """A new, empty folder beside ``out`` to write the next output into.

    Stale folders of earlier runs that died (their process is gone) are removed first, after
    :func:`recover` had its chance to put a set-aside output back.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    recover(out)
    for _, path in _stale(out):
        shutil.rmtree(path, ignore_errors=True)
    path = out.with_name(f".{out.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}")
    os.mkdir(path, _FOLDER_MODE)
    return path


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2``); False where that is not available."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: the file system cannot exchange
        return False
    raise OSError(err, os.strerror(err), str(b))


def publish(staged: Path, out: Path) -> None:
    """Make ``staged`` the output ``out``; the previous output (checked by the caller) is removed."""
    if not (out.exists() or out.is_symlink()):
        staged.rename(out)
        return
    if _exchange(staged, out):
        shutil.rmtree(staged, ignore_errors=True)  # now the previous output
        return
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    out.rename(old)
    staged.rename(out)
    shutil.rmtree(old, ignore_errors=True)


def discard(staged: Path) -> None:
    """Remove a staged folder after a failure (it was created by :func:`staging`)."""
    shutil.rmtree(staged, ignore_errors=True)
