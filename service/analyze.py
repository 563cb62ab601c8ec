"""Look at a SPARQL text before it runs: its form, refusals, dataset clause, VALUES binding.

API: :func:`tokens` ``(text)``; :func:`inspect` ``(text) -> QueryInfo`` (form, refusal, dataset
clause, bracket depth and operator chains);
:func:`inject_values` ``(text, {var: term}) -> str``.

The tokenizer (:mod:`budgetkg.sparqltext`) knows strings, IRIs, comments, variables and prefixed
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

from dataclasses import dataclass
from functools import lru_cache

from budgetkg.sparqltext import Token, inject_values, query_form, tokens  # noqa: F401  (part of this module's API)

FORMS = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}
UPDATES = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}


OPEN, CLOSE = {"(": ")", "{": "}", "[": "]"}, {")", "}", "]"}
# Operators the parser recurses on once per use when they are chained (a / b / c ..., !!x, a && b && ...).
CHAINED = {"/", "|", "^", "!", "&&", "||", "UNION"}


@dataclass(frozen=True)
class QueryInfo:
    form: str | None  # SELECT, CONSTRUCT, DESCRIBE, ASK, or None when unknown (left to the parser)
    refused: str | None  # why the text is refused before it runs, or None
    has_dataset: bool  # FROM / FROM NAMED present
    depth: int = 0  # deepest nesting of (), {} and []
    chain: int = 0  # most chained operators (CHAINED) inside one pair of brackets

    @property
    def kind(self) -> str:
        """``results`` for SELECT/ASK, ``graph`` for CONSTRUCT/DESCRIBE (unknown: results)."""
        return "graph" if self.form in ("CONSTRUCT", "DESCRIBE") else "results"


@lru_cache(maxsize=4096)
def inspect(text: str) -> QueryInfo:
    toks = tokens(text)
    form, _ = query_form(toks)
    words = {t.text.upper() for t in toks if t.kind == "word"}
    refused = None
    if form in UPDATES:
        refused = f"{form} is an update; this endpoint is read-only"
    elif "SERVICE" in words:
        refused = "SERVICE (federated query) is not allowed on this endpoint"
    elif words & UPDATES:
        refused = f"{sorted(words & UPDATES)[0]} is an update keyword; this endpoint is read-only"
    depth, chain = _nesting(toks)
    return QueryInfo(form if form in FORMS else None, refused, "FROM" in words, depth, chain)


def _nesting(toks: list[Token]) -> tuple[int, int]:
    """(deepest bracket nesting, most chained operators within one bracket pair).

    The SPARQL engine's parser recurses once per nesting level and once per chained operator; a
    query of a few kilobytes nested thousands deep overflows its stack and kills the process
    (issue 13), so the service measures both before anything runs.

    >>> _nesting(tokens("SELECT * { { FILTER((1)) } ?s <a>/<b>/<c> ?o }"))
    (4, 2)
    """
    depth = deepest = longest = 0
    counts = [0]
    for t in toks:
        if t.kind == "punct" and t.text in OPEN:
            depth += 1
            deepest = max(deepest, depth)
            counts.append(0)
        elif t.kind == "punct" and t.text in CLOSE:
            depth = max(0, depth - 1)
            if len(counts) > 1:
                counts.pop()
        elif t.text.upper() in CHAINED and t.kind in ("punct", "word"):
            counts[-1] += 1
            longest = max(longest, counts[-1])
    return deepest, longest
