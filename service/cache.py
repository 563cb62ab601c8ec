"""Answers kept per build: a byte-bounded LRU of query results that also merges identical queries in flight.

API: :class:`ResultCache` ``(max_bytes)`` with ``await get_or_run(key, run, timeout)``,
``peek(key)``, ``put(key, value)``, ``clear()`` and ``stats()``.

The data only changes when ``budgetkg build`` renames a new build into place,
and then the backend opens a new pool and a new cache; so a result is valid for
as long as it is kept and no entry needs a lifetime. What is kept is bounded by
the bytes of the bodies (an entry above an eighth of the bound is not kept, so
one bulk export cannot push out everything else). Errors are never kept.

Identical queries that arrive while one is running wait for that one instead of
taking another worker: 32 clients asking the same heavy query at once cost one
evaluation. The evaluation belongs to no single request; it is cancelled when
every request waiting for it has gone.

>>> import asyncio
>>> cache = ResultCache(1 << 20)
>>> async def run():
...     return b"answer"
>>> asyncio.run(cache.get_or_run("q", run, 5))
(b'answer', False)
>>> asyncio.run(cache.get_or_run("q", run, 5))
(b'answer', True)
>>> cache.stats()["entries"], cache.stats()["hits"], cache.stats()["misses"]
(1, 1, 1)
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from typing import Any, Awaitable, Callable, Hashable


def _size(value: Any) -> int:
    body = getattr(value, "body", value)
    return len(body) + 200 if isinstance(body, (bytes, bytearray, str)) else 200


class _Flight:
    __slots__ = ("task", "waiters")

    def __init__(self, task: asyncio.Task):
        self.task = task
        self.waiters = 0


class ResultCache:
    def __init__(self, max_bytes: int):
        self.max_bytes = max(0, int(max_bytes))
        self._entries: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._bytes = 0
        self._flights: dict[Hashable, _Flight] = {}
        self.hits = self.misses = self.merged = 0

    def clear(self) -> None:
        self._entries.clear()
        self._bytes = 0

    def stats(self) -> dict:
        return {"entries": len(self._entries), "bytes": self._bytes, "max_bytes": self.max_bytes,
                "hits": self.hits, "misses": self.misses, "merged": self.merged}

    def peek(self, key: Hashable) -> Any | None:
        """The kept value for ``key`` (counted as a hit), else None."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return entry[0]

    def put(self, key: Hashable, value: Any) -> None:
        """Keep ``value`` (a body, or an object with a ``body``) under the byte bound."""
        size = _size(value)
        if self.max_bytes <= 0 or size > self.max_bytes // 8:
            return
        old = self._entries.pop(key, None)
        if old is not None:
            self._bytes -= old[1]
        self._entries[key] = (value, size)
        self._bytes += size
        while self._bytes > self.max_bytes and self._entries:
            _, (_, dropped) = self._entries.popitem(last=False)
            self._bytes -= dropped

    async def get_or_run(self, key: Hashable, run: Callable[[], Awaitable[Any]], timeout: float) -> tuple[Any, bool]:
        """The kept answer for ``key`` (``(value, True)``), else ``run()``'s (``(value, False)``).

        ``timeout`` bounds the wait for an evaluation another request started; ``run``
        enforces its own limit. :raises: whatever ``run`` raises (not kept);
        ``asyncio.TimeoutError`` when a shared evaluation outlives ``timeout``.
        """
        kept = self.peek(key)
        if kept is not None:
            return kept, True
        flight = self._flights.get(key)
        if flight is None:
            self.misses += 1
            flight = self._flights[key] = _Flight(asyncio.get_running_loop().create_task(self._evaluate(key, run)))
        else:
            self.merged += 1
        flight.waiters += 1
        try:
            async with asyncio.timeout(timeout):
                return await asyncio.shield(flight.task), False
        finally:
            flight.waiters -= 1
            if flight.waiters == 0 and not flight.task.done():
                flight.task.cancel()  # nobody wants it any more: free the worker
                if self._flights.get(key) is flight:
                    del self._flights[key]

    async def _evaluate(self, key: Hashable, run: Callable[[], Awaitable[Any]]) -> Any:
        try:
            value = await run()
        finally:
            flight = self._flights.get(key)
            if flight is not None and flight.task is asyncio.current_task():
                del self._flights[key]
        self.put(key, value)
        return value
