"""Query execution with a hard timeout: a small pool of worker processes.

API: :class:`Pool` ``(store_path, size)`` with ``await start()``, ``await run(job, timeout)``,
``retire()``, ``await close()``; exceptions :class:`QueryTimeout`, :class:`PoolBusy`,
:class:`WorkerFailed`.

Each worker (:mod:`service.worker`) opens the store read-only and runs one query
at a time; the event loop only writes a job to a pipe and awaits the reply, so
it never blocks. A worker whose query runs past the limit is killed (SIGKILL)
and replaced in the background: the runaway query really stops and the other
workers keep answering. A retired pool (the store was rebuilt) finishes the
queries it has and then ends its workers.
"""

from __future__ import annotations

import asyncio
import logging
import pickle
import sys
import time

from .worker import HEADER

log = logging.getLogger("budgetkg.service")


class QueryTimeout(Exception):
    pass


class PoolBusy(Exception):
    pass


class WorkerFailed(Exception):
    pass


class Worker:
    def __init__(self, proc: asyncio.subprocess.Process):
        self.proc = proc

    @classmethod
    async def spawn(cls, store_path: str, ready_timeout: float = 60.0) -> "Worker":
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "service.worker", store_path,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, limit=1 << 20,
        )
        worker = cls(proc)
        try:
            hello = await asyncio.wait_for(worker._read(), ready_timeout)
        except (asyncio.TimeoutError, asyncio.IncompleteReadError) as exc:
            worker.kill()
            raise WorkerFailed(f"query worker did not start: {exc!r}") from None
        if hello[0] != "ready":
            worker.kill()
            raise WorkerFailed(hello[2] if len(hello) > 2 else str(hello))
        return worker

    async def _read(self):
        head = await self.proc.stdout.readexactly(HEADER.size)
        (size,) = HEADER.unpack(head)
        return pickle.loads(await self.proc.stdout.readexactly(size))

    async def call(self, job: dict):
        data = pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
        self.proc.stdin.write(HEADER.pack(len(data)) + data)
        await self.proc.stdin.drain()
        return await self._read()

    def kill(self) -> None:
        if self.proc.returncode is None:
            try:
                self.proc.kill()
            except ProcessLookupError:
                pass

    async def reap(self) -> None:
        self.kill()
        try:
            await asyncio.wait_for(self.proc.wait(), 5)
        except asyncio.TimeoutError:
            pass


class Pool:
    def __init__(self, store_path: str, size: int):
        self.store_path = str(store_path)
        self.size = size
        self._idle: asyncio.LifoQueue[Worker] = asyncio.LifoQueue()  # the last worker used has the warmest caches
        self._all: set[Worker] = set()
        self._tasks: set[asyncio.Task] = set()
        self.retired = False
        self.killed = 0
        self._waiting = 0

    async def start(self) -> None:
        """Start every worker; :raises WorkerFailed: when the store cannot be opened."""
        workers = await asyncio.gather(*(Worker.spawn(self.store_path) for _ in range(self.size)), return_exceptions=True)
        failed = [w for w in workers if isinstance(w, BaseException)]
        for w in workers:
            if not isinstance(w, BaseException):
                self._all.add(w)
                self._idle.put_nowait(w)
        if failed:
            await self.close()
            raise WorkerFailed(str(failed[0]))

    async def run(self, job: dict, timeout: float):
        """Run ``job`` on a free worker within ``timeout`` seconds (waiting for a worker too).

        :raises PoolBusy: no worker became free in time. :raises QueryTimeout: the query
            ran too long and was stopped. :raises WorkerFailed: the worker died.
        """
        started = time.monotonic()
        if self._idle.empty():
            self._waiting += 1
            try:
                async with asyncio.timeout(timeout):
                    worker = await self._idle.get()
            except TimeoutError:
                raise PoolBusy() from None
            finally:
                self._waiting -= 1
        else:
            worker = self._idle.get_nowait()
        remaining = max(0.05, timeout - (time.monotonic() - started))
        try:
            async with asyncio.timeout(remaining):  # no extra task per query, unlike wait_for
                result = await worker.call(job)
        except TimeoutError:
            self._replace(worker, "timeout")
            raise QueryTimeout() from None
        except (asyncio.IncompleteReadError, ConnectionError, BrokenPipeError) as exc:
            self._replace(worker, "died")
            raise WorkerFailed(f"the query worker died ({exc!r})") from None
        except BaseException:  # cancelled (client gone): the worker is mid-query, so replace it
            self._replace(worker, "cancelled")
            raise
        if self.retired and not self._waiting:
            self._all.discard(worker)
            self._spawn_task(worker.reap())
        else:
            self._idle.put_nowait(worker)
        return result

    def _spawn_task(self, coro) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _replace(self, worker: Worker, why: str) -> None:
        self.killed += 1
        worker.kill()
        self._all.discard(worker)
        self._spawn_task(worker.reap())
        if not self.retired:
            log.warning("query worker %s (%s); starting another", worker.proc.pid, why)
            self._spawn_task(self._add())

    async def _add(self) -> None:
        for attempt in range(3):
            try:
                worker = await Worker.spawn(self.store_path)
            except WorkerFailed as exc:
                log.error("%s", exc)
                await asyncio.sleep(0.5 * (attempt + 1))
                continue
            if self.retired:
                await worker.reap()
                return
            self._all.add(worker)
            self._idle.put_nowait(worker)
            return

    def retire(self) -> None:
        """Stop taking queries: idle workers end now, busy ones when their query is answered."""
        self.retired = True
        while not self._idle.empty() and not self._waiting:
            w = self._idle.get_nowait()
            self._all.discard(w)
            self._spawn_task(w.reap())

    async def close(self) -> None:
        self.retired = True
        workers = list(self._all)
        self._all.clear()
        await asyncio.gather(*(w.reap() for w in workers), return_exceptions=True)
        for t in list(self._tasks):
            t.cancel()
