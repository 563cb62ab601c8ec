"""The SPARQL editor (YASGUI) on the query page, and the static files behind it.

API: :data:`EDITOR` (HTML put on the query page); :func:`mount` ``(app)`` (serves ``/static``);
:data:`STATIC`.

YASGUI (npm ``@zazuko/yasgui``) is vendored in ``service/static/yasgui/`` (see its VERSION file) and
ships as package data, so the page needs nothing from a CDN. The page's plain form stays for
browsers without JavaScript; ``static/sparql-editor.js`` replaces it with YASGUI and offers the
named queries (the page's hidden example text areas) as examples.
"""

from __future__ import annotations

from pathlib import Path

from starlette.staticfiles import StaticFiles

STATIC = Path(__file__).resolve().parent.parent / "static"
EDITOR = ("<link rel='stylesheet' href='/static/yasgui/yasgui.min.css'>"
          "<div id='yasgui' hidden></div><h2>Examples · 示例</h2><ul id='yasgui-examples'></ul>"
          "<script src='/static/yasgui/yasgui.min.js'></script><script src='/static/sparql-editor.js'></script>")


def mount(app) -> None:
    """Serve the static files at ``/static``.

    :raises FileNotFoundError: when the package was installed without them.
    """
    if not (STATIC / "yasgui" / "yasgui.min.js").is_file():
        raise FileNotFoundError(f"YASGUI is missing from {STATIC}: the package was installed without its static files")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
