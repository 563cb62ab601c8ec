"""HTTP caching of whole answers: ``ETag``, ``Cache-Control`` and ``304 Not Modified``.

API: :class:`ConditionalGet` (ASGI middleware) and :func:`etag` ``(body) -> str``.

Every answer of this service is fixed for the life of a build, so a client (or a
proxy) that kept one needs to ask only whether it is still current. A ``GET`` or
``HEAD`` answered 200 with a whole body and no validator of its own gets a weak
``ETag`` made of the SHA-256 of its body (weak, because the same body may be sent
gzip-compressed or not) and ``Cache-Control: no-cache`` (keep it, but revalidate:
a rebuild can change it at any time). A request whose ``If-None-Match`` names that
tag is answered ``304`` without a body. Answers that carry their own validator (the
dumps) or are not 200 pass through untouched.

>>> etag(b"abc")
'W/"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"'
"""

from __future__ import annotations

import hashlib

CACHE_CONTROL = b"no-cache"  # revalidate every time: the data changes only with a rebuild, which nobody announces
KEEP_ON_304 = frozenset({b"etag", b"cache-control", b"vary", b"content-location", b"date", b"expires", b"link",
                         b"access-control-allow-origin", b"access-control-expose-headers"})  # RFC 9110, 15.4.5


def etag(body: bytes) -> str:
    """The weak entity tag of a body: its SHA-256."""
    return f'W/"{hashlib.sha256(body).hexdigest()}"'


def _matches(if_none_match: str, tag: str) -> bool:
    """Weak comparison (RFC 9110, 13.1.2), as ``If-None-Match`` asks."""
    wanted = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
    return "*" in wanted or tag.removeprefix("W/") in wanted


class ConditionalGet:
    """Add ``ETag`` and ``Cache-Control`` to whole 200 answers of GET and HEAD, and answer 304 when the client has it."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            return await self.app(scope, receive, send)
        if_none_match = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"if-none-match"), None)
        start: dict | None = None
        chunks: list[bytes] = []

        async def capture(message):
            nonlocal start
            if start is None and message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", ())}
                if message["status"] != 200 or b"etag" in names or b"content-encoding" in names:
                    start = {}  # not ours: pass everything through
                    return await send(message)
                start = message
                return None
            if not start or message["type"] != "http.response.body":
                return await send(message)
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return None
            body = b"".join(chunks)
            tag = etag(body)
            headers = [(k, v) for k, v in start.get("headers", ()) if k.lower() not in (b"etag", b"cache-control")]
            headers += [(b"etag", tag.encode("latin-1")), (b"cache-control", CACHE_CONTROL)]
            if if_none_match is not None and _matches(if_none_match, tag):
                await send({"type": "http.response.start", "status": 304,
                            "headers": [(k, v) for k, v in headers if k.lower() in KEEP_ON_304]})
                return await send({"type": "http.response.body", "body": b""})
            await send({**start, "headers": headers})
            return await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, capture)
