"""Replay of kept responses: an identical GET in the same build is answered without the framework.

API: :func:`request_key` ``(scope) -> tuple | None``; :class:`Replay` (a kept response:
status, headers, body); :func:`respond` ``(replay, send)``; :func:`recorder`
``(send) -> (send, finish)``.

The endpoint's answers are fixed for the life of a build, and a response of
``/sparql`` or ``/api/queries`` or of a linked-data page depends on nothing but the path, the query
string and the headers named in :data:`VARY` (negotiation, CORS, links built
from the host). So the first full answer to such a request is recorded, whole,
and an identical request later is answered with the same bytes straight from
the ASGI entry point, skipping routing, middleware and negotiation, which cost
most of the time of a small query. Linked-data pages (``/id/``, ``/graph/``,
``/def/``) are replayed the same way. Only answers the query layer marks as
replayable (they carry ``X-Cache``) with status 200 are recorded; requests with
conditional, range, cookie or authorization headers are never replayed. The
record lives in the backend's :class:`budgetkg.service.cache.ResultCache`, so it is
bounded with the results and dropped with the build.

It earns its place (issue 11's rule: more than 10% on ``bench/bench_service.py``'s mixed
workload): on the sample, five interleaved rounds, 1/8/32 clients, the service answered a
median 670/231/319 req/s with it and 228/104/89 req/s without (answers still kept, but
through routing and the ETag layer). The validators of :mod:`budgetkg.service.httpcache`
are recorded with the response, and a conditional request is never replayed.

>>> scope = {"type": "http", "method": "GET", "path": "/sparql", "query_string": b"query=ASK%7B%7D", "scheme": "http",
...          "headers": [(b"host", b"x"), (b"accept", b"text/csv")]}
>>> request_key(scope)
('replay', 'http', '/sparql', b'query=ASK%7B%7D', b'text/csv', b'x', None, None)
>>> request_key(dict(scope, headers=[(b"range", b"bytes=0-1")])) is None
True
"""

from __future__ import annotations

from dataclasses import dataclass

PATHS = ("/sparql", "/api/queries/", "/id/", "/graph/", "/def/")
VARY = (b"accept", b"host", b"origin", b"accept-encoding")
NEVER = frozenset({b"range", b"if-none-match", b"if-modified-since", b"if-match", b"if-range", b"if-unmodified-since",
                   b"authorization", b"cookie"})


def request_key(scope) -> tuple | None:
    """The key of a replayable request, or None when it must go through the application."""
    if scope.get("type") != "http" or scope.get("method") != "GET":
        return None
    path = scope.get("path", "")
    if not (path == PATHS[0] or path.startswith(PATHS[1:])):
        return None
    values = dict.fromkeys(VARY)
    for name, value in scope.get("headers", ()):
        if name in NEVER:
            return None
        if name in values:
            if values[name] is not None:  # a header given twice: leave it to the application
                return None
            values[name] = value
    return ("replay", scope.get("scheme"), path, scope.get("query_string", b""), *values.values())


@dataclass(frozen=True)
class Replay:
    status: int
    headers: tuple
    body: bytes


async def respond(replay: Replay, send) -> None:
    await send({"type": "http.response.start", "status": replay.status, "headers": list(replay.headers)})
    await send({"type": "http.response.body", "body": replay.body})


def recorder(send):
    """Wrap ``send``; ``finish()`` then gives the whole response as a :class:`Replay` when it may be replayed, else None."""
    state = {"status": None, "headers": None, "chunks": [], "complete": False}

    async def recording_send(message):
        kind = message["type"]
        if kind == "http.response.start":
            state["status"] = message["status"]
            state["headers"] = list(message.get("headers", ()))
        elif kind == "http.response.body":
            state["chunks"].append(message.get("body", b""))
            state["complete"] = not message.get("more_body", False)
        await send(message)

    def finish() -> Replay | None:
        if state["status"] != 200 or not state["complete"]:
            return None
        headers, replayable = [], False
        for name, value in state["headers"]:
            lname = name.lower()
            if lname == b"x-cache":
                replayable = True
                value = b"hit"
            elif lname == b"set-cookie":
                return None
            headers.append((name, value))
        return Replay(200, tuple(headers), b"".join(state["chunks"])) if replayable else None

    return recording_send, finish
