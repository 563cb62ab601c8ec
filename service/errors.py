"""One error shape and one exception handler.

API: :class:`ServiceError` ``(status, detail, headers=None)``; :func:`install` ``(app)``;
:class:`BodyLimit` (ASGI middleware: 413 above the body limit).

Every error is answered as an RFC 9457 problem (``application/problem+json``:
``type``, ``title``, ``status``, ``detail``), as a small HTML page when the
client prefers HTML (a browser), or as plain text when it asks for text/plain
(some SPARQL clients print the body as is).
"""

from __future__ import annotations

import html
import json
from http import HTTPStatus

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from .formats import negotiate


class ServiceError(Exception):
    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers or {}


def error_response(request: Request | None, status: int, detail: str, headers: dict[str, str] | None = None) -> Response:
    title = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    accept = request.headers.get("accept") if request is not None else None
    kind = negotiate(accept, ["problem", "html", "txt"]) or "problem"
    headers = dict(headers or {})
    if kind == "html":
        body = (f"<!doctype html><html><head><meta charset='utf-8'><title>{status} {html.escape(title)}</title></head>"
                f"<body><h1>{status} {html.escape(title)}</h1><pre>{html.escape(detail)}</pre>"
                f"<p><a href='/'>budgetkg home</a> · <a href='/sparql'>query page</a></p></body></html>")
        return Response(body, status, headers, media_type="text/html; charset=utf-8")
    if kind == "txt":
        return Response(f"{status} {title}: {detail}\n", status, headers, media_type="text/plain; charset=utf-8")
    body = json.dumps({"type": "about:blank", "title": title, "status": status, "detail": detail}, ensure_ascii=False)
    return Response(body, status, headers, media_type="application/problem+json")


async def _handle(request: Request, exc: Exception) -> Response:
    if isinstance(exc, ServiceError):
        return error_response(request, exc.status, exc.detail, exc.headers)
    if isinstance(exc, HTTPException):
        return error_response(request, exc.status_code, str(exc.detail), getattr(exc, "headers", None))
    errors = getattr(exc, "errors", None)
    if callable(errors):  # FastAPI's RequestValidationError
        return error_response(request, 400, "; ".join(str(e.get("msg", e)) for e in errors()))
    return error_response(request, 500, f"internal error: {type(exc).__name__}")


def install(app) -> None:
    from fastapi.exceptions import RequestValidationError

    for exc in (ServiceError, HTTPException, RequestValidationError, Exception):
        app.add_exception_handler(exc, _handle)


class BodyLimit:
    """Refuse request bodies larger than ``limit`` bytes with 413, by Content-Length or as they stream."""

    def __init__(self, app, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    too_big = int(value) > self.limit
                except ValueError:
                    too_big = False
                if too_big:
                    return await self._refuse(scope, send)
        seen = 0
        started = False

        async def limited_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge(413, f"request body larger than the limit of {self.limit} bytes", {"Connection": "close"})
            return message

        async def tracking_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await self._refuse(scope, send)

    async def _refuse(self, scope, send):
        request = Request(scope)
        response = error_response(request, 413, f"request body larger than the limit of {self.limit} bytes",
                                  {"Connection": "close"})
        await response(scope, _empty_receive, send)


class _TooLarge(ServiceError):
    pass


async def _empty_receive():
    return {"type": "http.disconnect"}
