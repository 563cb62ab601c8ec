"""``/health`` of the real application (in process, through its middleware) says whether queries can be answered."""

from __future__ import annotations

import asyncio

import httpx
import pyoxigraph as ox

from budgetkg.service.app import create_app
from budgetkg.service.settings import from_env
from tests.service.test_service_executor import _until

EX = "http://example.org/"


def _store(data) -> None:
    store = ox.Store(str(data / "store"))
    store.extend(ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(EX + "p"), ox.Literal(str(i)), ox.DefaultGraph()) for i in range(10))
    store.flush()
    del store


def test_health_says_degraded_with_a_worker_short_and_unavailable_with_none(tmp_path, monkeypatch):
    from budgetkg.service import executor
    from budgetkg.service.executor import WorkerFailed

    monkeypatch.setattr(executor, "START_PAUSE", 0.05)  # the replacements below fail, then start again soon
    monkeypatch.setattr(executor, "ADD_PAUSE_MAX", 0.2)
    _store(tmp_path)
    app = create_app(from_env({}, data=str(tmp_path), workers=2, worker_threads=1, cache_mb=0, reload_interval=0))
    service = app.state.svc

    async def go():
        await service.start()
        try:
            pool = service.backend.pool
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as c:
                async def health():
                    r = await c.get("/health")
                    return r.status_code, r.json()["status"], r.json()["workers_live"]

                seen = [await health()]
                spawn, failed = pool._spawn, []

                def failing(threads, on_free=None, ready_timeout=None):  # every replacement fails to start
                    failed.append(threads)

                    async def dead():
                        raise WorkerFailed("query worker did not start: a shortage that lasts")
                    return dead()

                pool._spawn = failing
                for left in (1, 0):  # the workers die on their own, as under the kernel's OOM killer
                    pool._workers[0].proc.kill()
                    await _until(lambda: pool.live == left)
                    seen.append(await health())
                await _until(lambda: len(failed) >= 2)  # their replacements are failing
                seen.append(await health())
                pool._spawn = spawn  # the shortage ends
                await _until(lambda: pool.live == 2)
                seen.append(await health())
                return seen
        finally:
            await service.close()

    assert asyncio.run(go()) == [(200, "ok", 2), (200, "degraded", 1), (503, "unavailable", 0), (503, "unavailable", 0),
                                 (200, "ok", 2)]
