"""Answers kept per build: a byte-bounded LRU of query results.

API: :class:`ResultCache` ``(max_bytes)`` with ``await get_or_run(key, run, timeout)``,
``peek(key)``, ``put(key, value)``, ``clear()`` and ``stats()``.

The data only changes when ``budgetkg build`` renames a new build into place,
and then the backend opens a new pool and a new cache; so a result is valid for
as long as it is kept and no entry needs a lifetime. What is kept is bounded by
the bytes of the bodies (an entry above an eighth of the bound is not kept, so
one bulk export cannot push out everything else). Errors are never kept.

Identical queries arriving together are not merged into one evaluation: on
``bench/bench_service.py``'s mixed workload (sample, 1/8/32 clients, five
interleaved rounds) removing the merging cost nothing (median 653/308/384 req/s
without, 670/231/319 with), so it went (issue 11: kept only where it pays).

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


class ResultCache:
    def __init__(self, max_bytes: int):
        self.max_bytes = max(0, int(max_bytes))
        self._entries: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._bytes = 0
        self.hits = self.misses = 0

    def clear(self) -> None:
        self._entries.clear()
        self._bytes = 0

    def stats(self) -> dict:
        return {"entries": len(self._entries), "bytes": self._bytes, "max_bytes": self.max_bytes,
                "hits": self.hits, "misses": self.misses}

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
        """The kept answer for ``key`` (``(value, True)``), else ``run()``'s, then kept (``(value, False)``).

        :raises: whatever ``run`` raises (nothing is kept then); ``TimeoutError`` when
            ``run`` outlives ``timeout`` (``run`` enforces its own, shorter limit).
        """
        kept = self.peek(key)
        if kept is not None:
            return kept, True
        self.misses += 1
        async with asyncio.timeout(timeout):
            value = await run()
        self.put(key, value)
        return value, False
