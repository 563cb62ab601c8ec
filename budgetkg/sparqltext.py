"""SPARQL as text: a tokenizer, the query form, and parameters bound by a VALUES block.

API: :func:`tokens` ``(text) -> list[Token]``; :func:`query_form` ``(toks) -> (form, index)``;
:func:`inject_values` ``(text, {var: term}) -> str``.

The tokenizer knows strings, IRIs, comments, variables and prefixed names, so
``"SERVICE"`` in a literal or ``# WHERE`` in a comment is never taken for a
keyword. Used by the service to decide what to refuse before a query runs
(:mod:`budgetkg.service.analyze`) and by :mod:`budgetkg.queries` to bind parameters.

>>> inject_values('SELECT ?p { $this ?p ?o }', {"this": "<http://x/a>"})
'SELECT ?p { VALUES ?this { <http://x/a> } $this ?p ?o }'
>>> inject_values('CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }', {"s": "<http://x/a>"})
'CONSTRUCT { ?s ?p ?o } WHERE { VALUES ?s { <http://x/a> } ?s ?p ?o }'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''|"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
  | (?P<var>[?$][^\W][\w\u00B7\u0300-\u036F\u203F-\u2040]*)
  | (?P<bnode>_:[\w.\-]+)
  | (?P<pname>(?:[^\W\d_][\w.\-]*)?:(?:[\w:%\\\-]|\.(?=[\w:%\\\-]))*)
  | (?P<word>[^\W\d][\w]*)
  | (?P<number>[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?))
  | (?P<punct>\^\^|\|\||&&|!=|<=|>=|.)
""", re.VERBOSE | re.DOTALL)


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int


def tokens(text: str) -> list[Token]:
    """Significant tokens (no whitespace or comments)."""
    out = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind not in ("ws", "comment"):
            out.append(Token(kind, m.group(), m.start()))
    return out


def query_form(toks: list[Token]) -> tuple[str | None, int]:
    """The first keyword after the prologue (BASE / PREFIX), upper-cased, and its index."""
    i = 0
    while i < len(toks):
        word = toks[i].text.upper() if toks[i].kind == "word" else None
        if word == "BASE":
            i += 2
        elif word == "PREFIX":
            i += 3
        else:
            return (word, i) if word else (None, i)
    return None, i


def inject_values(text: str, bindings: dict[str, str]) -> str:
    """Bind variables by a ``VALUES`` block at the start of the query's outer group pattern.

    ``bindings`` maps a variable name to an RDF term in SPARQL syntax (from a
    pyoxigraph term's ``str()``, so escaped); nothing else is pasted.

    :raises ValueError: when the query has no group pattern.
    """
    if not bindings:
        return text
    toks = tokens(text)
    form, start = query_form(toks)
    depth_paren = depth_brace = 0
    target = None
    after_where = False
    for t in toks[start:]:
        if t.kind == "word" and t.text.upper() == "WHERE" and depth_brace == 0 and depth_paren == 0:
            after_where = True
        elif t.kind == "punct":
            if t.text == "(":
                depth_paren += 1
            elif t.text == ")":
                depth_paren -= 1
            elif t.text == "{":
                if depth_brace == 0 and depth_paren == 0 and (after_where or form != "CONSTRUCT"):
                    target = t.start
                    break
                depth_brace += 1
            elif t.text == "}":
                depth_brace -= 1
    if target is None:
        raise ValueError("the query has no group pattern to bind parameters in")
    names = " ".join("?" + n for n in bindings)
    values = " ".join(bindings.values())
    block = f" VALUES ?{next(iter(bindings))} {{ {values} }}" if len(bindings) == 1 else f" VALUES ({names}) {{ ({values}) }}"
    return text[: target + 1] + block + text[target + 1:]
