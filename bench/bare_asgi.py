"""A bare ASGI app that answers every request with a fixed SPARQL JSON body: the HTTP floor of bench_service.

API: :func:`app` (ASGI). Run by ``bench.bench_service`` as ``uvicorn bare_asgi:app``: what
uvicorn and the load generator cost with no query, framework or store at all.
"""

BODY = b'{"head":{"vars":[]},"results":{"bindings":[]}}'
HEADERS = [(b"content-type", b"application/sparql-results+json"), (b"content-length", str(len(BODY)).encode())]


async def app(scope, receive, send):
    if scope["type"] != "http":  # lifespan: nothing to set up
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
            await receive()
            await send({"type": "lifespan.shutdown.complete"})
        return
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": BODY})
