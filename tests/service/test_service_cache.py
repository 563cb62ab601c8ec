"""The kept answers of :mod:`budgetkg.service.cache`: hits, the byte bound, errors, the time bound."""

from __future__ import annotations

import asyncio

import pytest

from budgetkg.service.cache import ResultCache
from budgetkg.service.errors import ServiceError


def _run(coro):
    return asyncio.run(coro)


def test_second_ask_is_a_hit_and_other_keys_are_not():
    calls = []

    async def scenario():
        cache = ResultCache(1 << 20)

        def runner(value):
            async def run():
                calls.append(value)
                return value
            return run

        a1 = await cache.get_or_run("a", runner(b"A"), 5)
        a2 = await cache.get_or_run("a", runner(b"other"), 5)
        b1 = await cache.get_or_run("b", runner(b"B"), 5)
        return a1, a2, b1

    assert _run(scenario()) == ((b"A", False), (b"A", True), (b"B", False))
    assert calls == [b"A", b"B"]


def test_errors_are_not_kept():
    attempts = 0

    async def failing():
        nonlocal attempts
        attempts += 1
        raise ServiceError(400, "SPARQL syntax error")

    async def scenario():
        cache = ResultCache(1 << 20)
        for _ in range(2):
            with pytest.raises(ServiceError):
                await cache.get_or_run("bad", failing, 5)
        return cache.stats()

    stats = _run(scenario())
    assert attempts == 2 and stats["entries"] == 0


def test_bound_in_bytes_drops_the_least_recently_used():
    async def scenario():
        cache = ResultCache(16_000)  # entries up to 2,000 bytes are kept

        async def body():
            return b"x" * 1000  # counted as 1,200 bytes

        for key in range(13):  # 15,600 bytes
            await cache.get_or_run(key, body, 5)
        await cache.get_or_run(0, body, 5)  # 0 is now the most recently used
        await cache.get_or_run(13, body, 5)  # 16,800 bytes: one entry must go
        return cache, {k: (await cache.get_or_run(k, body, 5))[1] for k in (0, 1, 2)}

    cache, hits = _run(scenario())
    assert hits[0] is True and hits[1] is False
    assert cache.stats()["bytes"] <= 16_000


def test_a_large_answer_is_not_kept():
    async def scenario():
        cache = ResultCache(16_000)

        async def big():
            return b"x" * 5000

        await cache.get_or_run("big", big, 5)
        return await cache.get_or_run("big", big, 5)

    assert _run(scenario()) == (b"x" * 5000, False)


def test_waiting_longer_than_the_timeout_raises():
    async def scenario():
        cache = ResultCache(1 << 20)

        async def endless():
            await asyncio.sleep(60)

        with pytest.raises(TimeoutError):
            await cache.get_or_run("q", endless, 0.05)

    _run(scenario())


def test_zero_bytes_keeps_nothing():
    async def scenario():
        cache = ResultCache(0)

        async def value():
            return b"v"

        await cache.get_or_run("q", value, 5)
        return await cache.get_or_run("q", value, 5)

    assert _run(scenario()) == (b"v", False)
