"""Query execution with a hard timeout: a few worker processes, several queries each.

API: :class:`Pool` ``(store_path, size, threads=1, memory_mb=0, queue_max=0, client_max=0)`` with
``await start()``, ``await run(job, timeout, client=None)``, ``retire()``, ``await close()``, ``size``,
``live``, ``killed``, ``alone`` (jobs run again alone), ``stats()``; exceptions :class:`QueryTimeout`, :class:`PoolBusy`,
:class:`ClientBusy`, :class:`QueryMemory`, :class:`WorkerFailed`.

Each worker (:mod:`budgetkg.service.worker`) opens the store read-only and runs up to
``threads`` queries at once, so cheap queries pass slow ones as they would in a
threaded server. The event loop only writes a job to a pipe and awaits the reply,
so it never blocks. Every job has a deadline watched by the event loop, whether
or not its client still waits: a worker holding a query past its deadline is
killed (SIGKILL), which really stops the query, and replaced in the background.
The other queries that worker was running did nothing wrong; they are sent to
another worker with the time they have left. A retired pool (the store was
rebuilt) takes no more jobs and ends each worker once its queries are answered.

A worker that dies on its own (a crash, the kernel's OOM killer, its memory cap:
``memory_mb``) says nothing about which of its queries was the cause. Each of them
is run again alone, in a fresh one-query worker, with the time it has left: an
innocent one is answered, and only a query that kills its own worker too is
refused (:class:`QueryMemory` when the worker ran out of memory, else
:class:`WorkerFailed`). The same goes for a query answered ``memory`` by a worker
running others: another query may have taken the memory.

A worker that ends (or fails to start) is replaced in the background, and started
again until it starts; the pause before each start grows with the failures in a
row, up to ``ADD_PAUSE_MAX``. A worker that ends on its own within ``EARLY_END``
seconds of being ready counts as such a failure, so a store or a machine that
ends every worker soon after it starts does not restart workers in a tight loop;
but one in which a query hit the memory cap (a failed allocation said on its
stderr) is replaced at once: that query is found by running it alone, and a
pause would hold back the others'.

Waiting for a free slot is bounded: at most ``queue_max`` jobs wait (more:
:class:`PoolBusy` at once), and each client (the ``client`` given to :meth:`Pool.run`)
has at most ``client_max`` jobs running or waiting (more: :class:`ClientBusy`),
so one client cannot hold every slot.
"""

from __future__ import annotations

import asyncio
import collections
import itertools
import logging
import pickle
import signal
import sys

from .worker import HEADER, cap_hint

log = logging.getLogger("budgetkg.service")


class QueryTimeout(Exception):
    pass


class PoolBusy(Exception):
    """No slot came free in time, or ``queue_max`` jobs already wait (``full``)."""

    def __init__(self, full: bool = False):
        super().__init__("queue full" if full else "no slot came free")
        self.full = full


class ClientBusy(Exception):
    """This client already has ``client_max`` jobs running or waiting."""


class WorkerFailed(Exception):
    pass


class QueryMemory(WorkerFailed):
    """The query, run alone, needed more memory than a worker may take."""


STREAM_LIMIT = 1 << 20  # the longest stderr line of a worker read whole (asyncio stream limit)
READY_TIMEOUT = 60.0  # seconds a new worker may take to open the store
START_ATTEMPTS = 3  # workers started for one query before it is refused: a start can fail for reasons of the moment
START_PAUSE = 0.5  # seconds before the second start, twice that before the third
ADD_PAUSE_MAX = 10.0  # the longest pause between starts of a worker replacing one that ended
# A worker that ends on its own within this many seconds of being ready counts as a failed start for the pause
# before its replacement: a store whose background work crashes the engine, or a machine that kills every new process
# (memory, limits), would otherwise restart it in a tight loop (a worker opens the store in well under a second, so such
# a loop is a few restarts a second). Short enough that a worker that served a while and then ended is replaced at once,
# which ends the failures in a row. A worker in which a query hit the memory cap (a failed allocation, OOM_MARK) never
# counts (Pool._replace_early); one the kernel kills with a query in it (nothing said) does.
EARLY_END = 5.0
OOM_MARK = "memory allocation of"  # what Rust prints on stderr before it aborts on a failed allocation
ENDED = (asyncio.IncompleteReadError, ConnectionError)  # what reading a worker's pipe raises once it has ended


class WorkerGone(Exception):
    """The worker ended while a job was in it; ``culprit`` is the job it was killed for, if any."""

    def __init__(self, message: str, culprit: int | None = None):
        super().__init__(message)
        self.culprit = culprit


class Worker:
    def __init__(self, proc: asyncio.subprocess.Process, on_free, threads: int = 1):
        self.proc = proc
        self.threads = threads
        self.inflight: dict[int, tuple[asyncio.Future, asyncio.TimerHandle]] = {}
        self.gone: WorkerGone | None = None
        self.stopped = False  # ended by us, not on its own
        self.ready_at = 0.0  # the event loop's time when it said it was ready (set by spawn)
        self.ended_at: float | None = None  # the event loop's time when it was found ended (set by _fail)
        self.ended_busy = False  # it had queries in it when it ended (set by _fail; see Pool._replace_early)
        self.failures = 0  # starts that failed in a row before it, in the place it took in the pool (see Pool._add)
        self._on_free = on_free
        self._reader: asyncio.Task | None = None
        self._oom: str | None = None  # the line saying which allocation failed, if one did
        self._stderr_reader = asyncio.get_running_loop().create_task(self._read_stderr())

    @classmethod
    async def spawn(cls, store_path: str, threads: int, on_free, ready_timeout: float = READY_TIMEOUT, memory_mb: int = 0) -> "Worker":
        """Start a worker and wait until it says it is ready.

        :raises WorkerFailed: it could not be started, ended or said something else first, or was not
            ready within ``ready_timeout`` seconds; its process is ended and waited for.
        """
        try:
            proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "budgetkg.service.worker", store_path, str(threads), str(memory_mb),
                stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, limit=STREAM_LIMIT,
            )
        except OSError as exc:  # no process, file descriptor or memory left at this moment
            raise WorkerFailed(f"query worker did not start: {exc!r}") from None
        worker = cls(proc, on_free, threads)
        died = False
        try:
            try:
                hello = await asyncio.wait_for(worker._read(), ready_timeout)
            except asyncio.TimeoutError:
                hello = ("error", "start", f"query worker was not ready within {ready_timeout:g} s")
            except ENDED as exc:
                hello, died = ("error", "start", f"query worker did not start: {exc!r}"), True
            except Exception as exc:  # it wrote what is no frame: whatever the error, it did not start
                hello = ("error", "start", f"query worker did not start: {exc!r}")
        except BaseException:  # cancelled while it started (the pool is closing): end it, not leave it running
            worker.kill()
            worker._stderr_reader.cancel()
            raise
        if not (isinstance(hello, tuple) and hello and hello[0] == "ready"):
            worker.kill()
            try:
                why = await worker.death()
            except BaseException:  # cancelled meanwhile: its stderr is read no more (death() leaves that running)
                worker._stderr_reader.cancel()
                raise
            message = str(hello[2]) if isinstance(hello, tuple) and len(hello) > 2 else f"query worker did not start: {hello!r}"
            # A worker under a cap that ends before it is ready most likely failed an allocation while opening the
            # store (Rust and C++ abort, Python exits): say what to change.
            if memory_mb and (died or worker.out_of_memory) and cap_hint(memory_mb) not in message:
                why += f" ({cap_hint(memory_mb)})"
            raise WorkerFailed(f"{message}; {why}")
        worker.ready_at = asyncio.get_running_loop().time()
        worker._reader = asyncio.get_running_loop().create_task(worker._read_replies())
        return worker

    async def _read_stderr(self) -> None:
        """Pass the worker's stderr on to the log, noting a failed allocation to say why it died."""
        skipping = False  # within a line longer than the limit, which is dropped whole
        while True:
            try:
                line = await self.proc.stderr.readuntil(b"\n")
            except asyncio.LimitOverrunError as exc:  # read past it, so the pipe never fills
                await self.proc.stderr.readexactly(exc.consumed)
                if not skipping:
                    log.warning("query worker %s: a line of more than %d bytes on stderr, not shown", self.proc.pid, STREAM_LIMIT)
                skipping = True
                continue
            except asyncio.IncompleteReadError as exc:  # the end: a last line without a newline, or nothing
                line = exc.partial
            except Exception:  # the pipe failed: nothing more to read
                return
            if not line:
                break
            if skipping:  # the end of the long line
                skipping = False
                continue
            text = line.decode("utf-8", "replace").rstrip()
            if OOM_MARK in text and self._oom is None:
                self._oom = text.strip()
            log.warning("query worker %s: %s", self.proc.pid, text)

    async def death(self) -> str:
        """Why the process ended, once it has: its signal and the allocation it failed, if that was it."""
        # asyncio.wait neither raises nor cancels: reap() may cancel the reader meanwhile (a process that inherited the
        # stderr holds it open), and wait_for on it would then raise CancelledError in the caller (Pool._replace_early,
        # whose replacement would never start)
        await asyncio.wait({self._stderr_reader}, timeout=5)
        if self.proc.returncode is None:
            try:  # (wait() returns only once every pipe is closed too; returncode is set as soon as it ends)
                await asyncio.wait_for(self.proc.wait(), 5)
            except asyncio.TimeoutError:
                if self.proc.returncode is None:
                    return "it did not end"
        if not self._stderr_reader.done():
            self._stderr_reader.cancel()  # it ended, but something else holds its stderr open
        code = self.proc.returncode
        try:
            how = f"killed by {signal.Signals(-code).name}" if code < 0 else f"exit status {code}"
        except ValueError:
            how = f"killed by signal {-code}"
        return f"{how}: {self._oom}" if self._oom else how

    @property
    def out_of_memory(self) -> bool:
        return self._oom is not None

    async def _read(self):
        head = await self.proc.stdout.readexactly(HEADER.size)
        (size,) = HEADER.unpack(head)
        return pickle.loads(await self.proc.stdout.readexactly(size))

    async def _read_replies(self) -> None:
        while True:
            try:
                job_id, reply = await self._read()
                if not (isinstance(job_id, int) and isinstance(reply, tuple) and reply):
                    raise ValueError(f"a frame of the wrong shape: {type(job_id).__name__}, {type(reply).__name__}")
            except ENDED as exc:
                self._fail(WorkerGone(f"the query worker died ({exc!r})"))
                return
            except Exception as exc:  # it wrote what is no reply: it can be trusted with nothing more
                log.error("query worker %s wrote what is no reply (%r); it is ended", self.proc.pid, exc)
                if self.proc.returncode is None:
                    self.proc.kill()  # not self.kill(): it failed on its own, and the pool replaces it
                self._fail(WorkerGone(f"the query worker wrote what is no reply ({exc!r})"))
                return
            entry = self.inflight.pop(job_id, None)
            if entry is not None:
                entry[1].cancel()
                if not entry[0].done():
                    entry[0].set_result(reply)
                self._on_free(self)

    def submit(self, job_id: int, job: dict, deadline: float, on_overdue) -> asyncio.Future:
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        data = pickle.dumps((job_id, job), protocol=pickle.HIGHEST_PROTOCOL)
        self.proc.stdin.write(HEADER.pack(len(data)) + data)
        self.inflight[job_id] = (future, loop.call_at(deadline, on_overdue, self, job_id))
        return future

    def _fail(self, exc: WorkerGone) -> None:
        if self.gone is None:
            self.gone = exc
            self.ended_at = asyncio.get_running_loop().time()
            self.ended_busy = bool(self.inflight)
        for future, timer in self.inflight.values():
            timer.cancel()
            if not future.done():
                future.set_exception(self.gone)
                future.exception()  # the waiter may have left: no "never retrieved" noise
        self.inflight.clear()
        self._on_free(self)

    def kill(self, culprit: int | None = None) -> None:
        self.stopped = True
        if self.proc.returncode is None:
            try:
                self.proc.kill()
            except ProcessLookupError:
                pass
        self._fail(WorkerGone("the query worker was stopped", culprit))

    async def reap(self) -> None:
        self.kill()
        if self._reader is not None:
            self._reader.cancel()
        try:
            await asyncio.wait_for(self.proc.wait(), 5)
            # (as in death(): the reader may have been cancelled already, which wait_for would raise here)
            await asyncio.wait({self._stderr_reader}, timeout=5)
        except asyncio.TimeoutError:
            pass
        finally:  # also when reap() itself is cancelled (Pool.close)
            self._stderr_reader.cancel()  # (nothing once it is done)


def _add_pause(failures: int) -> float:
    """Seconds to wait before starting a worker in a place where ``failures`` starts failed in a row."""
    return min(START_PAUSE * failures, ADD_PAUSE_MAX)


class Pool:
    def __init__(self, store_path: str, size: int, threads: int = 1, memory_mb: int = 0, queue_max: int = 0,
                 client_max: int = 0):
        self.store_path = str(store_path)
        self.size = size
        self.threads = max(1, threads)
        self.memory_mb = memory_mb
        self.queue_max = queue_max  # 0: no bound
        self.client_max = client_max  # 0: no bound
        self._workers: list[Worker] = []
        self._free = asyncio.Condition()
        self._ids = itertools.count()
        self._tasks: set[asyncio.Task] = set()
        self._alone_slots = asyncio.Semaphore(self.threads)  # one-query workers at once: what one dead worker held
        self._alone_workers: set[Worker] = set()
        self._clients: collections.Counter = collections.Counter()
        self.retired = False
        self.closed = False
        self._stopping = asyncio.Event()  # set with retired
        self.killed = 0
        self.alone = 0
        self._waiting = 0

    def stats(self) -> dict:
        """Queries running now (alone too), waiting for a slot, and run again alone so far."""
        return {"running": sum(len(w.inflight) for w in self._workers) + len(self._alone_workers),
                "waiting": self._waiting, "run_alone": self.alone}

    async def start(self) -> None:
        """Start every worker; :raises WorkerFailed: when the store cannot be opened."""
        workers = await asyncio.gather(*(self._spawn(self.threads) for _ in range(self.size)), return_exceptions=True)
        self._workers = [w for w in workers if not isinstance(w, BaseException)]
        for w in [w for w in self._workers if w.gone is not None and not w.stopped]:
            self._replace(w, "died while the others started")  # its death came before it was in the pool
        failed = [w for w in workers if isinstance(w, BaseException)]
        if failed:
            await self.close()
            raise WorkerFailed(str(failed[0]))

    def _spawn(self, threads: int, on_free=None, ready_timeout: float | None = None):
        return Worker.spawn(self.store_path, threads, on_free or self._freed, memory_mb=self.memory_mb,
                            ready_timeout=READY_TIMEOUT if ready_timeout is None else ready_timeout)

    def _pick(self) -> Worker | None:
        """The live worker with the fewest queries, if one has room."""
        best = None
        for w in self._workers:
            if w.gone is None and len(w.inflight) < self.threads and (best is None or len(w.inflight) < len(best.inflight)):
                best = w
        return best

    async def run(self, job: dict, timeout: float, client: str | None = None):
        """Run ``job`` for at most ``timeout`` seconds from when a worker takes it.

        Waiting for room in a worker is bounded by ``timeout`` too, but does not count
        against the query's own time: a cheap query queued behind slow ones is not
        reported as having run too long (issue 13).

        :raises ClientBusy: ``client`` already has ``client_max`` jobs here. :raises PoolBusy:
            ``queue_max`` jobs already wait, or no worker had room in time. :raises QueryTimeout:
            the query ran too long and was stopped. :raises QueryMemory: the query alone
            took more memory than a worker may. :raises WorkerFailed: the query killed its worker.
        """
        if client is not None and self.client_max and self._clients[client] >= self.client_max:
            raise ClientBusy()
        self._clients[client] += 1
        try:
            return await self._run(job, timeout)
        finally:
            self._clients[client] -= 1
            if self._clients[client] <= 0:
                del self._clients[client]

    async def _run(self, job: dict, timeout: float):
        loop = asyncio.get_running_loop()
        queue_deadline = loop.time() + timeout
        deadline: float | None = None  # set when a worker first takes the job; kept if it is sent elsewhere
        while True:
            worker = self._pick()
            if worker is None:
                if self.queue_max and self._waiting >= self.queue_max:
                    raise PoolBusy(full=True)
                self._waiting += 1
                try:
                    async with asyncio.timeout_at(queue_deadline if deadline is None else deadline), self._free:
                        await self._free.wait_for(lambda: self._pick() is not None or self.retired)
                except TimeoutError:
                    raise PoolBusy() from None
                finally:
                    self._waiting -= 1
                worker = self._pick()
                if worker is None:
                    raise WorkerFailed("the store was reopened; try again")
            job_id = next(self._ids)
            if deadline is None:
                deadline = loop.time() + timeout
            try:
                future = worker.submit(job_id, job, deadline, self._overdue)
            except (ConnectionError, RuntimeError) as exc:
                self._replace(worker, f"could not take a job ({exc!r})")
                continue
            try:
                reply = await future
            except WorkerGone as exc:
                if exc.culprit == job_id:
                    raise QueryTimeout() from None
                if exc.culprit is None:  # it died on its own, perhaps of this query, perhaps of another
                    self._replace(worker, "died")
                    return await self._run_alone(job, deadline)
                if loop.time() >= deadline:
                    raise QueryTimeout() from None
                continue  # killed for another query's deadline: run this one elsewhere
            if reply[0] == "error" and reply[1] == "memory" and self.threads > 1:
                return await self._run_alone(job, deadline)  # another query of that worker may have taken the memory
            return reply

    async def _run_alone(self, job: dict, deadline: float):
        """Run ``job`` by itself in a fresh one-query worker until ``deadline``; its failure is its own."""
        self.alone += 1
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout_at(deadline):
                await self._alone_slots.acquire()
        except TimeoutError:
            raise QueryTimeout() from None
        try:
            worker = await self._spawn_alone(deadline)
            self._alone_workers.add(worker)
            job_id = next(self._ids)
            try:
                return await worker.submit(job_id, job, max(deadline, loop.time()), lambda w, j: w.kill(j))
            except WorkerGone as exc:
                if exc.culprit == job_id:
                    raise QueryTimeout() from None
                why = await worker.death()
                log.warning("query worker %s died running one query alone (%s; %s): that query is refused", worker.proc.pid, exc, why)
                if worker.out_of_memory:
                    raise QueryMemory(why) from None
                raise WorkerFailed(f"the query crashed its worker ({exc}; {why})") from None
            finally:
                self._alone_workers.discard(worker)
                self._spawn_task(worker.reap())
        finally:
            self._alone_slots.release()

    async def _spawn_alone(self, deadline: float) -> Worker:
        """A fresh one-query worker. One that fails to start has run nothing, so the query is not to blame:
        it is started up to :data:`START_ATTEMPTS` times in all while the query has time left.

        :raises WorkerFailed: none started (the query was not run).
        """
        loop = asyncio.get_running_loop()
        starts, last, late = 0, None, False
        while starts < START_ATTEMPTS and not self.closed:
            left = deadline - loop.time()
            if left <= 0:
                break
            starts += 1
            try:
                worker = await self._spawn(1, lambda w: None, ready_timeout=min(READY_TIMEOUT, left))
            except WorkerFailed as exc:
                log.warning("a one-query worker did not start (attempt %d of %d): %s", starts, START_ATTEMPTS, exc)
                last = exc
            else:
                if not self.closed and loop.time() < deadline:
                    return worker
                late = not self.closed
                await worker.reap()  # ready too late to run anything, or the pool closed meanwhile
                break
            pause = START_PAUSE * starts
            if starts == START_ATTEMPTS or loop.time() + pause >= deadline:
                break
            await asyncio.sleep(pause)
        if self.closed:
            why = "the service is stopping"
        elif late:
            why = f"a worker was ready only after the query's time limit, at start {starts}"
        elif last is not None:
            why = f"{starts} {'start' if starts == 1 else 'starts'} failed; the last: {last}"
        else:
            why = "its time ran out before a worker could start"
        raise WorkerFailed(f"no query worker could be started to run the query alone, so it was not run ({why}); try again")

    def _overdue(self, worker: Worker, job_id: int) -> None:
        if job_id in worker.inflight:
            self._replace(worker, "timeout", job_id)

    def _freed(self, worker: Worker) -> None:
        if worker.gone is not None and not worker.stopped:  # it died on its own, perhaps while idle
            self._replace(worker, "died")
        if self.retired and not worker.inflight and worker.gone is None:
            self._spawn_task(worker.reap())
        if self._waiting:
            self._spawn_task(self._notify())

    async def _notify(self) -> None:
        async with self._free:
            self._free.notify_all()

    def _spawn_task(self, coro) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _replace(self, worker: Worker, why: str, culprit: int | None = None) -> None:
        if worker not in self._workers:
            return
        self.killed += 1
        self._workers.remove(worker)
        lived = (worker.ended_at or asyncio.get_running_loop().time()) - worker.ready_at
        worker.kill(culprit)
        self._spawn_task(worker.reap())
        if self.retired:
            return
        if culprit is None and lived < EARLY_END:  # it ended on its own soon after it was ready
            self._spawn_task(self._replace_early(worker, why, lived))
        else:  # killed for a query's deadline, or it had lived long enough: the failures in a row end
            log.warning("query worker %s (%s); starting another", worker.proc.pid, why)
            self._spawn_task(self._add())

    async def _replace_early(self, worker: Worker, why: str, lived: float) -> None:
        """Replace a worker that ended on its own within :data:`EARLY_END` of being ready: as after a failed start
        (the growing pause), unless a query in it hit the memory cap (a failed allocation, :data:`OOM_MARK`). That
        query is found and refused by running it alone, and a pause would only hold back everyone else's queries
        while one client sends such queries again and again. Any other death counts, busy or not: with queries
        waiting, every new worker is busy at once."""
        if worker.ended_busy:
            await worker.death()  # its stderr read to the end: did an allocation fail?
        if self.retired:
            return
        if worker.ended_busy and worker.out_of_memory:
            log.warning("query worker %s (%s: a query in it hit the memory cap); starting another", worker.proc.pid, why)
            await self._add()
            return
        failures = worker.failures + 1
        log.error("query worker %s (%s) %.2f s after it was ready; starting another in %g s (attempt %d)",
                  worker.proc.pid, why, lived, _add_pause(failures), failures)
        await self._add(failures)

    async def _add(self, failures: int = 0) -> None:
        """Start a worker in place of one that ended, and go on trying while the pool is in use: a start can
        fail for reasons of the moment (memory, processes), and a pool left short answers fewer queries, or none.

        ``failures``: the starts in this place that failed in a row before (a worker that ended soon after it was
        ready is one, :data:`EARLY_END`); the pause before each start grows with them, up to :data:`ADD_PAUSE_MAX`.
        """
        while not self.retired:
            if failures:
                try:  # a pause that retiring or closing the pool ends at once
                    await asyncio.wait_for(self._stopping.wait(), _add_pause(failures))
                except TimeoutError:
                    pass
                if self.retired:
                    return
            try:
                worker = await self._spawn(self.threads)
            except WorkerFailed as exc:
                failures += 1
                log.error("%s; starting another in %g s (attempt %d)", exc, _add_pause(failures), failures)
                continue
            if self.retired:
                await worker.reap()
                return
            worker.failures = failures
            self._workers.append(worker)
            await self._notify()
            return

    @property
    def live(self) -> int:
        """Workers running and taking queries (fewer than ``size`` while one is being replaced)."""
        return sum(w.gone is None for w in self._workers)

    def retire(self) -> None:
        """Take no more jobs: idle workers end now, busy ones when their queries are answered."""
        self.retired = True
        self._stopping.set()
        for w in list(self._workers):
            if not w.inflight:
                self._spawn_task(w.reap())
        self._spawn_task(self._notify())

    async def close(self) -> None:
        self.retired = self.closed = True
        self._stopping.set()
        workers, self._workers = list(self._workers) + list(self._alone_workers), []
        await asyncio.gather(*(w.reap() for w in workers), return_exceptions=True)
        tasks = list(self._tasks)
        if tasks:  # workers being reaped or started (which reap themselves now): let them end, not leak
            await asyncio.wait(tasks, timeout=10)
        for t in tasks:
            t.cancel()  # a start still waiting ends its process when cancelled (Worker.spawn)
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
