"""The FastAPI application and ``budgetkg serve``.

API: :func:`create_app` ``(settings=None) -> FastAPI``; :func:`serve` ``(args) -> int``
(what ``budgetkg serve`` calls); :class:`Service` (what the routes reach through
``request.app.state.svc``: settings, data state, backend, per-build cache); :func:`pool_health`
``(pool) -> (status, http_status)`` (what ``/health`` says of the query workers).

Routes: ``/`` home; ``/sparql`` (SPARQL 1.1 Protocol, service description, query page);
``/id/...``, ``/graph/...``, ``/def/...`` linked data; ``/api/queries`` named queries;
``/dumps/``; ``/catalog`` (DCAT-AP); ``/.well-known/void``; ``/health`` (see :func:`pool_health`).

The store is watched: when ``budgetkg build`` renames a new build into place,
new query workers open it, the old ones finish their queries and end, and the
caches are dropped; a failed build changes nothing, so nothing happens.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse

from budgetkg.queries import load_queries

from . import api, catalog, charts, dumps, errors, fastlane, pages, sparql
from .backend import ClientAddress, LocalBackend, RemoteBackend
from .httpcache import ConditionalGet
from .protocol import protocol_class
from .security import SecurityHeaders
from .views import editor
from .views import query as query_views
from .settings import Settings, from_args, from_env, public_url_warning
from .state import BuildCache, DataState

log = logging.getLogger("budgetkg.service")
GZIP_MIN = 1024  # below about a kilobyte compression saves less than its headers and time cost


def pool_health(pool) -> tuple[str, int]:
    """``/health``'s status and HTTP status code for the query workers ``pool`` (None: queries run elsewhere, "ok").

    "ok" (200) while every worker is live; "degraded" (200) while some are being replaced and the others answer;
    "unavailable" (503) while none is live: queries wait for a replacement and fail if none starts in time. Probes and
    load balancers take a 2xx or 3xx answer as healthy and anything else as not (Kubernetes: 200-399; the draft
    health-check format of the IETF, draft-inadarei-api-health-check: 2xx-3xx for pass and warn, 4xx-5xx for fail),
    so a service without a live worker is taken out of rotation instead of being sent queries it cannot answer.
    """
    if pool is None:
        return "ok", 200
    live = pool.live
    if live == 0:
        return "unavailable", 503
    return ("degraded" if live < pool.size else "ok"), 200


class Service:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.data = DataState(settings)
        self.backend = RemoteBackend(settings) if settings.sparql_endpoint else LocalBackend(settings)
        self.cache = BuildCache()
        self._watcher: asyncio.Task | None = None
        self._failed: tuple | None = None

    def named_queries(self) -> dict:
        cache = self.cache
        if cache.queries is None:
            cache.queries = load_queries()
        return cache.queries

    async def start(self) -> None:
        self.data.load()
        self.cache = BuildCache(self.data.generation)
        await self.backend.start()
        if self.settings.reload_interval > 0:
            self._watcher = asyncio.get_running_loop().create_task(self._watch())

    async def close(self) -> None:
        if self._watcher:
            self._watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._watcher
        await self.backend.close()

    async def check_reload(self) -> bool:
        """Pick up a rebuilt store; True when a new build is now served."""
        ident = self.data.identity()
        if ident is None or ident == self.data.loaded_identity or ident == self._failed:
            return False
        if isinstance(self.backend, LocalBackend):
            await self.backend.reopen()
            if self.backend.error:
                log.error("rebuilt store not opened, still serving the previous one: %s", self.backend.error)
                self._failed = ident
                return False
        self.data.load()
        self.cache = BuildCache(self.data.generation)  # the old build's derived state goes whole, in one step
        log.info("serving the rebuilt data (generation %d)", self.data.generation)
        return True

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(self.settings.reload_interval)
            try:
                await self.check_reload()
            except Exception:  # keep watching whatever happened
                log.exception("reload check failed")


class App(FastAPI):
    """FastAPI with the replay of kept answers (:mod:`budgetkg.service.fastlane`) in front of everything else."""

    async def __call__(self, scope, receive, send):
        service = self.state.svc
        key = fastlane.request_key(scope)
        cache = getattr(service.backend, "cache", None)
        if key is None or cache is None or cache.max_bytes <= 0:
            return await super().__call__(scope, receive, send)
        replay = cache.peek(key)
        if replay is not None:
            return await fastlane.respond(replay, send)
        recording_send, finish = fastlane.recorder(send)
        await super().__call__(scope, receive, recording_send)
        replay = finish()
        if replay is not None and service.backend.cache is cache:  # not across a reload
            cache.put(key, replay)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or from_env()
    service = Service(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        await service.start()
        try:
            yield
        finally:
            await service.close()

    app = App(title="budgetkg", description="SPARQL endpoint, linked data and named queries over budget disclosures.",
                  lifespan=lifespan, docs_url="/api/docs", redoc_url=None, openapi_url="/api/openapi.json")
    app.state.svc = service
    errors.install(app)
    editor.mount(app)
    for module in (sparql, api, dumps, catalog, charts, query_views, pages):
        app.include_router(module.router)

    @app.get("/health", include_in_schema=False)
    async def health(request: Request):
        pool = getattr(service.backend, "pool", None)
        status, code = pool_health(pool)
        return JSONResponse({"status": status, "generation": service.data.generation, "documents": len(service.data.documents),
                             "backend": "remote" if settings.sparql_endpoint else "local",
                             "workers": pool.size if pool else None, "workers_live": pool.live if pool else None,
                             "workers_replaced": pool.killed if pool else None,
                             "queries": pool.stats() if pool else None,
                             "cache": service.backend.cache.stats() if hasattr(service.backend, "cache") else None},
                            status_code=code)

    app.add_middleware(ClientAddress)  # whose query it is, for the per-client bound of the worker pool
    app.add_middleware(errors.BodyLimit, limit=settings.body_limit)
    app.add_middleware(ConditionalGet)  # ETag, Cache-Control, 304 (the dumps bring their own)
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MIN)
    app.add_middleware(SecurityHeaders)  # nosniff, CSP, frame-ancestors 'none' on every answer  # skips answers already encoded (the dumps) and ranges
    app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins), allow_methods=["GET", "POST", "QUERY", "HEAD", "OPTIONS"],
                       allow_headers=["*"], expose_headers=["Link", "ETag", "Last-Modified", "Warning", "X-Result-Limit",
                                                            "X-Result-Rows", "X-Result-Truncated", "X-Cache"], max_age=3600)
    return app


def serve(args) -> int:
    """Run the service under uvicorn until interrupted (``budgetkg serve``)."""
    import uvicorn

    settings = from_args(args)
    if not settings.sparql_endpoint and not settings.store_path.is_dir():
        print(f"budgetkg: error: no store at {settings.store_path} (run `budgetkg build --out {settings.data}` first)", file=sys.stderr)
        return 2
    logging.basicConfig(level=settings.log_level.upper(), format="%(levelname)s: %(name)s: %(message)s")
    print(f"budgetkg: serving {settings.sparql_endpoint or settings.data} at http://{settings.host}:{settings.port}/", file=sys.stderr)
    warning = public_url_warning(settings)
    if warning:
        print(f"budgetkg: warning: {warning}", file=sys.stderr)
    # h11, not httptools: httptools drops the body of a request that offers an HTTP/2 upgrade
    # (``Upgrade: h2c``, sent by Java's HTTP client and so by Jena, and by ``curl --http2``);
    # with a time limit on reading headers, which uvicorn's h11 protocol lacks (:mod:`.protocol`).
    # X-Forwarded-For is believed only from the proxies named (uvicorn's own default trusts 127.0.0.1).
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level=settings.log_level,
                http=protocol_class(settings.header_timeout), limit_concurrency=settings.max_connections,
                timeout_keep_alive=settings.keep_alive, proxy_headers=bool(settings.trusted_proxies),
                forwarded_allow_ips=",".join(settings.trusted_proxies) or None,
                access_log=settings.log_level.lower() in ("debug", "trace", "info"), timeout_graceful_shutdown=5)
    return 0
