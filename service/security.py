"""Headers that keep the service's pages from being turned against their readers.

API: :class:`SecurityHeaders` (ASGI middleware), :data:`CSP`.

The pages show whatever the graph holds, and anyone can put an IRI such as
``javascript:...`` into a query's results (``BIND(IRI(...))``). Such IRIs are never
made links (:func:`budgetkg.service.html.term` links only http(s) IRIs and this
service's own pages); as a second line every answer says ``nosniff`` (a result
body is never run as a script or page of another type) and carries a Content
Security Policy: scripts, styles and data from this origin only (the query page's
editor is vendored under ``/static``; no inline script or event-handler attribute runs, so an
injected ``<script>`` would not either), no plugins, and no framing by other sites
(``frame-ancestors 'none'``, against clickjacking).
"""

from __future__ import annotations

CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
HEADERS = ((b"x-content-type-options", b"nosniff"), (b"content-security-policy", CSP.encode("ascii")),
           (b"referrer-policy", b"no-referrer-when-downgrade"))


class SecurityHeaders:
    """Add :data:`HEADERS` to every HTTP answer (unless the route set one of them itself)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message):
            if message["type"] == "http.response.start":
                have = {k.lower() for k, _ in message.get("headers", ())}
                message = {**message, "headers": [*message.get("headers", ()), *(h for h in HEADERS if h[0] not in have)]}
            await send(message)

        await self.app(scope, receive, with_headers)
