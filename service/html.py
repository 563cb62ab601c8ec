"""Minimal HTML: one layout, terms as links, tables. No template engine.

API: :func:`page` ``(title, body, *, alternates=(), lang="zh") -> str``; :func:`esc`;
:func:`href` ``(iri, base) -> str``; :func:`term` ``(binding, base, labels=None) -> str``;
:func:`table` ``(head, rows) -> str``; :func:`short` ``(iri)``.

Every IRI the build mints (``<base>id/``, ``<base>graph/``) and every vocabulary
IRI (``https://budgetkg.org/def/``) links to its page on this service, so the
graph can be browsed on any host.

>>> href("https://budgetkg.org/def/budget#amount", "https://ex.org/")
'/def/budget/amount'
>>> href("https://ex.org/id/org/130500/501", "https://ex.org/")
'/id/org/130500/501'
>>> short("https://budgetkg.org/def/cl/functional/2150501")
'cl:functional/2150501'
"""

from __future__ import annotations

import html

from budgetkg import names

VOCAB = names.DEF
ONTOLOGY_NS = names.BKG
SHORT = [(prefix + ":", iri) for prefix, iri in names.SHORT_PREFIXES.items()]
LINKABLE = ("/", "http://", "https://")  # this service's pages and web IRIs; other schemes are never links
LABELS = (names.SKOS + "prefLabel", names.RDFS + "label", names.DCT + "title")

CSS = """
body{font:15px/1.45 system-ui,"Noto Sans CJK SC","PingFang SC",sans-serif;margin:0;color:#1d2733}
header{background:#16324f;color:#fff;padding:.6em 1.2em}header a{color:#fff;margin-right:1.2em;text-decoration:none}
main{padding:1em 1.4em;max-width:1200px}h1{font-size:1.4em;margin:.3em 0}h2{font-size:1.1em;margin-top:1.4em}
table{border-collapse:collapse;margin:.5em 0;font-size:14px}th,td{border:1px solid #ccd;padding:.2em .5em;vertical-align:top;text-align:left}
th{background:#eef2f6}td.num{text-align:right;font-variant-numeric:tabular-nums}.iri{color:#567;font-size:.85em;word-break:break-all}
.lang{color:#888;font-size:.8em}.note{background:#fff6d8;padding:.4em .7em;border-left:4px solid #e0b000}
textarea{width:100%;font:13px/1.4 ui-monospace,monospace}.dt{color:#888;font-size:.8em}nav.alt a{margin-right:.8em}
"""


def esc(text) -> str:
    return html.escape(str(text), quote=True)


def short(iri: str) -> str:
    for prefix, ns in SHORT:
        if iri.startswith(ns) and len(iri) > len(ns):
            return prefix + iri[len(ns):]
    return iri


def href(iri: str, base: str) -> str:
    """The local page of an IRI this service serves, else the IRI itself."""
    if iri.startswith(base + "id/") or iri.startswith(base + "graph/"):
        return "/" + iri[len(base):]
    if iri.startswith(ONTOLOGY_NS):
        return "/def/budget/" + iri[len(ONTOLOGY_NS):]
    if iri.startswith(VOCAB):
        return "/def/" + iri[len(VOCAB):]
    return iri


def label_text(values: list[tuple[str, str]]) -> str:
    """``[(lang, text)]`` as 'zh text · en text' (zh first)."""
    seen, parts = set(), []
    for lang, text in sorted(values, key=lambda v: {"zh": 0, "en": 1}.get(v[0].split("-")[0], 2)):
        if text not in seen:
            seen.add(text)
            parts.append(esc(text) + (f" <span class='lang'>@{esc(lang)}</span>" if lang else ""))
    return " · ".join(parts)


def term(b: dict | None, base: str, labels: dict[str, list[tuple[str, str]]] | None = None) -> str:
    """A SPARQL JSON binding as HTML: IRIs as links (with their labels), literals with language or datatype."""
    if b is None:
        return ""
    if b["type"] == "uri":
        iri = b["value"]
        text = label_text(labels.get(iri, [])) if labels else ""
        target = href(iri, base)
        if not target.startswith(LINKABLE):  # javascript:, data:, file: ... from a query's results: shown, never a link
            return f"<span class='iri'>{text or esc(short(iri))}</span>"
        return f"<a href='{esc(target)}'>{text or esc(short(iri))}</a>"
    if b["type"] == "bnode":
        return f"_:{esc(b['value'])}"
    value = esc(b["value"])
    if "xml:lang" in b:
        return f"{value} <span class='lang'>@{esc(b['xml:lang'])}</span>"
    dt = b.get("datatype")
    if dt and not dt.endswith("#string"):
        return f"{value} <span class='dt'>{esc(short(dt))}</span>"
    return value


def table(head: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> str:
    """A table of already-escaped cells."""
    h = "".join(f"<th>{c}</th>" for c in head)
    body = "".join("<tr>" + "".join(f"<td class='num'>{c}</td>" if i in numeric else f"<td>{c}</td>" for i, c in enumerate(r)) + "</tr>" for r in rows)
    return f"<table><thead><tr>{h}</tr></thead><tbody>{body}</tbody></table>"


def page(title: str, body: str, *, alternates: list[tuple[str, str, str]] = (), lang: str = "zh") -> str:
    """A whole page; ``alternates`` are ``(url, media type, label)`` links to other formats."""
    alt_links = "".join(f"<link rel='alternate' type='{esc(t)}' href='{esc(u)}'>" for u, t, _ in alternates)
    alt_nav = ("<nav class='alt'>Also as: " + "".join(f"<a href='{esc(u)}'>{esc(label)}</a>" for u, _, label in alternates) + "</nav>") if alternates else ""
    return (f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'><title>{esc(title)} · budgetkg</title>"
            f"{alt_links}<style>{CSS}</style></head><body><header><a href='/'><b>budgetkg</b></a>"
            f"<a href='/sparql'>SPARQL</a><a href='/api/queries'>Named queries</a><a href='/def/budget'>Ontology</a>"
            f"<a href='/dumps/'>Dumps</a><a href='/catalog'>Catalog</a><a href='/.well-known/void'>VoID</a></header>"
            f"<main><h1>{esc(title)}</h1>{alt_nav}{body}</main></body></html>")
