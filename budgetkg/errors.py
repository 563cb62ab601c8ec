"""The errors every budgetkg command can end with, and the one table of exit statuses.

API: :class:`BudgetkgError` (base, with :attr:`~BudgetkgError.exit_status`), :class:`InputError`,
:class:`ValidationFailed`, :class:`MissingBuild`, :class:`OutputRefused`, :class:`ResourceMissing`,
:class:`PortInUse`, :class:`SchedulerUnreachable`, :class:`SourcesFailed`; :data:`EXIT_STATUS` (status -> meaning), :func:`exit_status_text`.

The command line (:mod:`budgetkg.cli`) maps each error to its status through
:attr:`BudgetkgError.exit_status`; ``budgetkg --help`` and the README print :data:`EXIT_STATUS`
(a test ties the README to it).

>>> InputError("not an amount: 'x'", "a.txt, line 3, table 支出总表").exit_status
2
>>> str(InputError("not an amount: 'x'", "a.txt, line 3"))
"a.txt, line 3: not an amount: 'x'"
>>> ValidationFailed("2 SHACL violation(s)").exit_status
1
>>> SourcesFailed([ValidationFailed("a"), InputError("b", "x.txt")], total=3).exit_status
2
>>> SourcesFailed([ValidationFailed("a"), ResourceMissing("shapes")], total=2).exit_status
4
"""

from __future__ import annotations

SUCCESS = 0
VIOLATION = 1
BAD_INPUT = 2
CANNOT_SERVE = 3
BROKEN_INSTALL = 4
INTERRUPTED = 130  # 128 + SIGINT, as the shell reports it
CLOSED_PIPE = 141  # 128 + SIGPIPE, as the shell reports a program stopped by a closed pipe

EXIT_STATUS: dict[int, str] = {
    SUCCESS: "success",
    VIOLATION: "a graph violates the SHACL shapes (`build` publishes nothing; `validate` reports it)",
    BAD_INPUT: (
        "bad input or usage: an unreadable or unknown source, a refused output folder, no build "
        "in the data folder, a bad query parameter (the message names file, line or page, and table), "
        "an unreachable `build --scheduler`"
    ),
    CANNOT_SERVE: "`serve` cannot start: the port is in use or cannot be opened",
    BROKEN_INSTALL: "the installation is incomplete: a file the package ships is missing (reinstall budgetkg)",
    INTERRUPTED: "interrupted (Ctrl-C); a build leaves the previous output as it was",
    CLOSED_PIPE: "the reader of the output closed it early (`| head`); nothing is wrong",
}


def exit_status_text() -> str:
    """The exit statuses, one per line, for ``--help``."""
    return "exit status:\n" + "\n".join(f"  {code:>3}  {text}" for code, text in EXIT_STATUS.items())


class BudgetkgError(Exception):
    """Base of the errors a command reports in one message and an exit status."""

    exit_status = BAD_INPUT


class InputError(BudgetkgError, ValueError):
    """Bad input: the message names where (file, page or line, table) when that is known.

    ``location`` is anything printable (a :class:`budgetkg.etl.model.Location` or a string).
    """

    exit_status = BAD_INPUT

    def __init__(self, message: str, location: object = None):
        super().__init__(f"{location}: {message}" if location is not None else message)
        self.location = location
        self.reason = message

    def __reduce__(self):
        # Raised in build worker processes: must survive pickling back to the parent.
        return (type(self), (self.reason, self.location))


class ValidationFailed(BudgetkgError, ValueError):
    """A graph violates a shape of severity sh:Violation; the message lists the violations."""

    exit_status = VIOLATION


class MissingBuild(BudgetkgError, FileNotFoundError):
    """The data folder holds no build (no manifest or store)."""

    exit_status = BAD_INPUT


class OutputRefused(BudgetkgError):
    """An output folder that the command may not replace: it holds files it did not write."""

    exit_status = BAD_INPUT


class ResourceMissing(BudgetkgError, FileNotFoundError):
    """A file the package ships is not there: the installation is broken."""

    exit_status = BROKEN_INSTALL


class PortInUse(BudgetkgError, OSError):
    """``serve`` cannot listen on the requested address."""

    exit_status = CANNOT_SERVE


class SchedulerUnreachable(BudgetkgError):
    """``build --scheduler ADDRESS``: no Dask scheduler answers there (a usage error: nothing is built)."""

    exit_status = BAD_INPUT


class SourcesFailed(BudgetkgError):
    """Several sources failed; each is named with its reason (one line per source).

    The status is the gravest of theirs: a broken installation (4) over bad input (2) over a
    violation (1).
    """

    def __init__(self, errors: list[BaseException], *, total: int):
        self.errors = list(errors)
        lines = "\n  ".join(str(e).replace("\n", "\n    ") for e in self.errors)
        super().__init__(f"{len(self.errors)} of {total} sources failed:\n  {lines}")
        statuses = {getattr(e, "exit_status", BAD_INPUT) for e in self.errors}
        self.exit_status = next(s for s in (BROKEN_INSTALL, BAD_INPUT, VIOLATION) if s in statuses or s == VIOLATION)
