"""Look at a SPARQL text before it runs: its form, refusals, dataset clause, VALUES binding.

API: :func:`tokens` ``(text)``; :func:`inspect` ``(text) -> QueryInfo``;
:func:`inject_values` ``(text, {var: term}) -> str``.

A small tokenizer that knows strings, IRIs, comments, variables and prefixed
names, so ``"SERVICE"`` in a literal, ``<http://x/SERVICE>``, ``# SERVICE`` and
``ex:service`` are not taken for the keyword. The query itself is parsed by
pyoxigraph (or the external endpoint); this only decides what is refused and
how results are negotiated before it runs.

>>> inspect('PREFIX s: <http://x/> SELECT * { ?s s:SERVICE "SERVICE" } # SERVICE').form
'SELECT'
>>> inspect('SELECT * { SERVICE <http://x/> { ?s ?p ?o } }').refused
'SERVICE (federated query) is not allowed on this endpoint'
>>> inspect('LOAD <http://x/>').refused
'LOAD is an update; this endpoint is read-only'
>>> inspect('ask from <http://g> { ?s ?p ?o }').has_dataset
True
>>> inject_values('SELECT ?p { $this ?p ?o }', {"this": "<http://x/a>"})
'SELECT ?p { VALUES ?this { <http://x/a> } $this ?p ?o }'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

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

FORMS = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}
UPDATES = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int


@dataclass(frozen=True)
class QueryInfo:
    form: str | None  # SELECT, CONSTRUCT, DESCRIBE, ASK, or None when unknown (left to the parser)
    refused: str | None  # why the text is refused before it runs, or None
    has_dataset: bool  # FROM / FROM NAMED present

    @property
    def kind(self) -> str:
        """``results`` for SELECT/ASK, ``graph`` for CONSTRUCT/DESCRIBE (unknown: results)."""
        return "graph" if self.form in ("CONSTRUCT", "DESCRIBE") else "results"


def tokens(text: str) -> list[Token]:
    """Significant tokens (no whitespace or comments)."""
    out = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind not in ("ws", "comment"):
            out.append(Token(kind, m.group(), m.start()))
    return out


def _form(toks: list[Token]) -> tuple[str | None, int]:
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


@lru_cache(maxsize=4096)
def inspect(text: str) -> QueryInfo:
    toks = tokens(text)
    form, _ = _form(toks)
    words = {t.text.upper() for t in toks if t.kind == "word"}
    refused = None
    if form in UPDATES:
        refused = f"{form} is an update; this endpoint is read-only"
    elif "SERVICE" in words:
        refused = "SERVICE (federated query) is not allowed on this endpoint"
    elif words & UPDATES:
        refused = f"{sorted(words & UPDATES)[0]} is an update keyword; this endpoint is read-only"
    return QueryInfo(form if form in FORMS else None, refused, "FROM" in words)


def inject_values(text: str, bindings: dict[str, str]) -> str:
    """Bind variables by a ``VALUES`` block at the start of the query's outer group pattern.

    ``bindings`` maps a variable name to an RDF term in SPARQL syntax (from a
    pyoxigraph term's ``str()``, so escaped); nothing else is pasted.

    :raises ValueError: when the query has no group pattern.
    """
    if not bindings:
        return text
    toks = tokens(text)
    form, start = _form(toks)
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
