"""Where queries run: the embedded store (worker pool) or an external SPARQL 1.1 endpoint.

API: :class:`Result`; :class:`LocalBackend` ``(settings)`` and :class:`RemoteBackend`
``(settings)``, both with ``await start()``, ``await close()``, ``await reopen()``,
``await query(text, ext, ...) -> Result`` and ``await rows(text, subs=None) -> list[dict]``.

Both give the same answers: the default graph is the union of all graphs unless
the query (FROM) or the request (``default-graph-uri``) names a dataset;
parameters are bound as RDF terms (pyoxigraph substitutions locally, a
``VALUES`` block built from escaped terms remotely); results are capped at the
row limit and converted by pyoxigraph's serializers.
"""

from __future__ import annotations

import asyncio
import contextvars
import dataclasses
import json
from urllib.parse import urlencode
from dataclasses import dataclass

import pyoxigraph as ox

from budgetkg import names
from budgetkg.queries import narrowed

from . import analyze
from .errors import ServiceError
from .cache import ResultCache
from .executor import ClientBusy, Pool, PoolBusy, QueryMemory, QueryTimeout, WorkerFailed
from .formats import capped, finish_boolean, finish_graph, finish_results
from .settings import Settings

PREFIXES = names.SERVICE_PREFIXES


# Who asked: the client address of the request being answered (set by :class:`ClientAddress`;
# None for the service's own queries, which no per-client bound applies to).
CLIENT: contextvars.ContextVar[str | None] = contextvars.ContextVar("budgetkg_client", default=None)
RETRY_AFTER = "5"  # seconds a refused client is asked to wait: about what a typical query takes at worst


class ClientAddress:
    """ASGI middleware: note the request's client address (uvicorn has already taken it from
    X-Forwarded-For when the peer is a trusted proxy) for the per-client bound of the pool."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        client = scope.get("client")
        token = CLIENT.set(client[0] if client else None)
        try:
            await self.app(scope, receive, send)
        finally:
            CLIENT.reset(token)


@dataclass
class Result:
    kind: str  # "results", "boolean" or "graph"
    body: bytes
    ext: str
    truncated: bool
    rows: int
    cache: str | None = None  # "hit" or "miss" where answers are kept (the embedded store), else None


SPAWN_TIME = 60  # most seconds a query worker may take to start: a query run again alone waits for one


def _timeout_message(seconds: float) -> str:
    return (f"the query ran longer than the {seconds:g} s limit and was stopped; narrow it "
            f"(more specific patterns, LIMIT) or use the dumps at /dumps/ for bulk access")


def _error(reply: tuple) -> ServiceError:
    kind, message = reply[1], reply[2]
    if kind == "syntax":
        return ServiceError(400, f"SPARQL syntax error: {message}")
    if kind == "memory":
        return ServiceError(503, message)
    return ServiceError(400, f"query failed: {message}")


class Backend:
    settings: Settings

    async def query(self, text: str, ext: str, *, info: analyze.QueryInfo | None = None,
                    default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
                    subs: dict[str, object] | None = None, limit: int | None = None,
                    timeout: float | None = None, graph_name: str | None = None, base_iri: str | None = None) -> Result:
        """Run ``text``; ``base_iri`` is what relative IRIs of the query resolve against.

        :raises ServiceError: 400 for a bad query, 503/504 for a timeout or a failed worker, 502 for a bad remote answer.
        """
        raise NotImplementedError

    async def rows(self, text: str, subs: dict[str, object] | None = None, *, limit: int | None = None,
                   timeout: float | None = None) -> list[dict]:
        """SELECT bindings as SPARQL JSON dicts (``{var: {"type", "value", ...}}``)."""
        result = await self.query(text, "json", subs=subs, limit=limit, timeout=timeout)
        return json.loads(result.body)["results"]["bindings"]

    async def start(self) -> None:
        pass

    async def reopen(self) -> None:
        pass

    async def close(self) -> None:
        pass


class LocalBackend(Backend):
    """The on-disk pyoxigraph store, queried in worker processes; answers kept per build (:mod:`budgetkg.service.cache`)."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.pool: Pool | None = None
        self.error: str | None = None
        self.cache = ResultCache(settings.cache_mb << 20)

    async def start(self) -> None:
        await self.reopen()

    async def reopen(self) -> None:
        """Open the store as it is now; on failure keep serving the previous one."""
        st = self.settings
        pool = Pool(str(st.store_path), st.worker_count, st.worker_threads, memory_mb=st.worker_memory_mb,
                    queue_max=st.queue_max, client_max=st.client_queries)
        try:
            await pool.start()
        except WorkerFailed as exc:
            self.error = str(exc)
            if self.pool is None:
                raise
            return
        old, self.pool, self.error = self.pool, pool, None
        self.cache = ResultCache(self.settings.cache_mb << 20)  # answers of the old build are void
        if old is not None:
            old.retire()

    async def close(self) -> None:
        if self.pool is not None:
            await self.pool.close()

    async def query(self, text, ext, *, info=None, default_graphs=None, named_graphs=None, subs=None,
                    limit=None, timeout=None, graph_name=None, base_iri=None) -> Result:
        pool = self.pool
        if pool is None:
            raise ServiceError(503, self.error or "no store is open (run `budgetkg build` first)")
        info = info or analyze.inspect(text)
        timeout = timeout or self.settings.timeout
        job = {
            "query": narrowed(text, subs), "ext": ext, "limit": limit or self.settings.result_limit, "subs": subs or None,
            "default_graphs": default_graphs, "named_graphs": named_graphs,
            "union": default_graphs is None and not info.has_dataset, "prefixes": None if info.form in ("SELECT", "ASK") else PREFIXES,
            "graph_name": graph_name, "base_iri": base_iri,
        }
        key = (text, ext, job["limit"], tuple(sorted((k, str(v)) for k, v in (subs or {}).items())),
               tuple(default_graphs) if default_graphs is not None else None,
               tuple(named_graphs) if named_graphs is not None else None, graph_name, base_iri)
        cache = self.cache
        try:
            # the pool bounds the wait for a worker and the run each by ``timeout``
            result, hit = await cache.get_or_run(key, lambda: self._run(pool, job, timeout), 2 * timeout + 5 + SPAWN_TIME)
        except asyncio.TimeoutError:
            raise ServiceError(503, _timeout_message(timeout)) from None
        return dataclasses.replace(result, cache="hit" if hit else "miss")

    async def _run(self, pool: Pool, job: dict, timeout: float) -> Result:
        client = CLIENT.get()
        try:
            reply = await pool.run(job, timeout, client)
        except QueryTimeout:
            raise ServiceError(503, _timeout_message(timeout)) from None
        except ClientBusy:
            raise ServiceError(429, f"this client ({client}) already has {pool.client_max} queries running or waiting, "
                                    f"the most one client may; wait for their answers", {"Retry-After": RETRY_AFTER}) from None
        except PoolBusy as exc:
            if exc.full:
                raise ServiceError(503, f"{pool.queue_max} queries are already waiting for one of the {pool.size * pool.threads} "
                                        f"query slots; try again later", {"Retry-After": RETRY_AFTER}) from None
            raise ServiceError(503, f"all {pool.size * pool.threads} query slots stayed busy for {timeout:g} s; try again later",
                               {"Retry-After": RETRY_AFTER}) from None
        except QueryMemory as exc:
            raise ServiceError(503, f"the query needed more memory than the {pool.memory_mb} MB a query worker may take "
                                    f"({exc}) and was stopped; nothing else was affected. Narrow it (fewer or shorter "
                                    f"computed strings, LIMIT) or use the dumps at /dumps/ for bulk access") from None
        except WorkerFailed as exc:
            raise ServiceError(503, str(exc)) from None
        if reply[0] != "ok":
            raise _error(reply)
        return Result(reply[1], reply[2], job["ext"], reply[3], reply[4])


class RemoteBackend(Backend):
    """An external SPARQL 1.1 endpoint (e.g. ``oxigraph serve-read-only --union-default-graph``)."""

    def __init__(self, settings: Settings):
        import httpx

        self.settings = settings
        self.endpoint = settings.sparql_endpoint
        self.client = httpx.AsyncClient(timeout=httpx.Timeout(settings.timeout, connect=10.0))

    async def close(self) -> None:
        await self.client.aclose()

    async def query(self, text, ext, *, info=None, default_graphs=None, named_graphs=None, subs=None,
                    limit=None, timeout=None, graph_name=None, base_iri=None) -> Result:
        import httpx

        info = info or analyze.inspect(text)
        if base_iri:  # else the endpoint resolves relative IRIs against its own URL; a BASE of the query still wins
            text = f"BASE {ox.NamedNode(base_iri)}\n{text}"
        if subs:
            try:
                text = analyze.inject_values(text, {k: str(v) for k, v in subs.items()})
            except ValueError as exc:
                raise ServiceError(400, str(exc)) from None
        if info.form == "ASK":
            accept = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
        elif info.kind == "graph":
            accept = "application/n-triples, text/turtle;q=0.9"
        else:
            accept = ("text/tab-separated-values, application/sparql-results+json;q=0.9, "
                      "application/sparql-results+xml;q=0.8, application/n-triples;q=0.7")
        data = [("query", text)] + [("default-graph-uri", g) for g in default_graphs or []] \
            + [("named-graph-uri", g) for g in named_graphs or []]
        timeout = timeout or self.settings.timeout
        try:
            resp = await self.client.post(self.endpoint, content=urlencode(data).encode(), timeout=timeout,
                                          headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"})
        except httpx.TimeoutException:
            raise ServiceError(504, _timeout_message(timeout)) from None
        except httpx.HTTPError as exc:
            raise ServiceError(502, f"the SPARQL endpoint {self.endpoint} could not be reached: {exc}") from None
        if resp.status_code == 400:
            raise ServiceError(400, f"SPARQL syntax error: {resp.text.strip()}")
        if resp.status_code >= 400:
            status = 504 if resp.status_code in (503, 504) and "timeout" in resp.text.lower() else 502
            raise ServiceError(status, f"the SPARQL endpoint answered {resp.status_code}: {resp.text.strip()[:500]}")
        ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
        cap = limit or self.settings.result_limit
        try:
            return await asyncio.to_thread(_convert, resp.content, ctype, ext, cap, graph_name)
        except (SyntaxError, ValueError) as exc:
            raise ServiceError(502, f"the SPARQL endpoint sent results that could not be read ({ctype}): {exc}") from None


def _convert(body: bytes, ctype: str, ext: str, cap: int, graph_name: str | None = None) -> Result:
    graph_formats = {"application/n-triples": ox.RdfFormat.N_TRIPLES, "text/turtle": ox.RdfFormat.TURTLE,
                     "application/rdf+xml": ox.RdfFormat.RDF_XML, "text/plain": ox.RdfFormat.N_TRIPLES}
    if ctype in graph_formats:
        if ctype != "application/n-triples":
            body = ox.serialize(ox.parse(body, format=graph_formats[ctype]), format=ox.RdfFormat.N_TRIPLES)
        raw, cut = capped(lambda w: w.write(body), cap)
        return Result("graph", finish_graph(raw, ext, PREFIXES, graph_name), ext, cut, raw.count(b"\n"))
    fmt = {"text/tab-separated-values": ox.QueryResultsFormat.TSV, "application/sparql-results+xml": ox.QueryResultsFormat.XML,
           "application/sparql-results+json": ox.QueryResultsFormat.JSON, "application/json": ox.QueryResultsFormat.JSON}.get(ctype)
    if fmt is None:
        raise ValueError("unexpected media type")
    parsed = ox.parse_query_results(body, format=fmt)
    if isinstance(parsed, ox.QueryBoolean):
        return Result("boolean", finish_boolean(bool(parsed), ext), ext, False, 1)
    if fmt == ox.QueryResultsFormat.TSV:
        raw, cut = capped(lambda w: w.write(body), cap + 1)
    else:
        raw, cut = capped(lambda w: parsed.serialize(w, format=ox.QueryResultsFormat.TSV), cap + 1)
    return Result("results", finish_results(raw, ext), ext, cut, max(0, raw.count(b"\n") - 1))
