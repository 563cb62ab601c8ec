"""Helpers shared by the routes: the service object, negotiation, result responses.

API: :func:`svc` ``(request)``; :func:`choose` ``(request, candidates, ext=None) -> ext``
(406 when nothing fits); :func:`result_response` ``(result, headers=None)``;
:func:`public_url` ``(request) -> str`` (ends with ``/``); :func:`alternates`.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from .errors import ServiceError
from .formats import FORMATS, negotiate


def svc(request: Request):
    return request.app.state.svc


def choose(request: Request, candidates: list[str], ext: str | None = None) -> str:
    """The format for this request: the suffix when given, else by ``Accept``.

    :raises ServiceError: 406 when no candidate is acceptable.
    """
    if ext:
        return ext
    accept = request.headers.get("accept")
    chosen = negotiate(accept, candidates)
    if chosen is None:
        offered = ", ".join(FORMATS[c].media_type for c in candidates)
        raise ServiceError(406, f"none of the media types accepted ({accept}) is available here; available: {offered}",
                           {"Vary": "Accept"})
    return chosen


def limit_headers(result, limit: int) -> dict[str, str]:
    headers = {"X-Result-Limit": str(limit), "X-Result-Rows": str(result.rows)}
    if getattr(result, "cache", None):
        headers["X-Cache"] = result.cache
    if result.truncated:
        headers["X-Result-Truncated"] = "true"
        headers["Warning"] = f'199 budgetkg "results cut at the limit of {limit} rows"'
    return headers


def result_response(result, limit: int, headers: dict[str, str] | None = None) -> Response:
    h = limit_headers(result, limit)
    h.update(headers or {})
    return Response(result.body, 200, h, media_type=FORMATS[result.ext].content_type)


def public_url(request: Request) -> str:
    configured = svc(request).settings.public_url
    if configured:
        return configured if configured.endswith("/") else configured + "/"
    return str(request.base_url)


def alternates(path: str, exts: list[str]) -> list[tuple[str, str, str]]:
    """``(url, media type, label)`` for ``path.<ext>`` in each format."""
    return [(f"{path}.{e}", FORMATS[e].media_type, FORMATS[e].label) for e in exts]


def link_header(alts: list[tuple[str, str, str]]) -> str:
    return ", ".join(f'<{u}>; rel="alternate"; type="{t}"' for u, t, _ in alts)
