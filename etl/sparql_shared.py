"""Sub-SELECTs that several SHACL-SPARQL constraints repeat, evaluated once per focus node.

Shapes written for pyshacl cannot share work: each SPARQL constraint is one SELECT. When
several constraints repeat the same nested ``{ SELECT ... }`` (the narrative audits join every
figure with every cell of its item, twice in each of three shapes), the batched engine runs
that sub-SELECT once per focus node and hands its solutions to every constraint that uses it
as a ``VALUES`` block. A sub-SELECT is evaluated on its own in SPARQL (only the pre-bound
``$this`` reaches into it, and it is bound the same way when run alone), so the answers are
the same. Sub-SELECTs inside ``EXISTS`` / ``NOT EXISTS`` (substituted by the outer solution),
``GRAPH`` or ``SERVICE`` are left in place, as are solutions holding blank nodes (not allowed
in ``VALUES``).

API: :func:`share` ``(queries) -> list[(template, tuple[(placeholder, subquery)])]``;
:func:`fill` ``(template, shared, run) -> str``.
"""

from __future__ import annotations

import re
from collections import Counter

import pyoxigraph as ox

PLACEHOLDER = "SHARED__SUBSELECT__{}"
# A token that makes the group it opens see the outer solution or another graph.
_CONTEXT = re.compile(r"(EXISTS|GRAPH\s+\S+|SERVICE\s+(SILENT\s+)?\S+)\s*$", re.I)
_IRI = re.compile(r"<[^<>\"{}|^`\\\s]*>")
_SELECT = re.compile(r"\s*SELECT\b", re.I)


def _code(query: str, literals: bool = True) -> str:
    """``query`` with comments, and (``literals``) strings and IRIs, blanked (same length), so
    that braces and keywords are found only where they are syntax."""
    out = list(query)
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c == "#":
            j = query.find("\n", i)
            j = n if j < 0 else j
        elif c in "\"'":
            quote = query[i:i + 3] if query[i:i + 3] in ('"""', "'''") else c
            j = i + len(quote)
            while j < n and not query.startswith(quote, j):
                j += 2 if query[j] == "\\" else 1
            j = min(n, j + len(quote))
            if not literals:
                i = j
                continue
            i += 1  # keep the opening quote: a string is a token
        elif c == "<" and (m := _IRI.match(query, i)):
            j = m.end()
            if not literals:
                i = j
                continue
        else:
            i += 1
            continue
        for k in range(i, j):
            if out[k] != "\n":
                out[k] = " "
        i = j
    return "".join(out)


def subselects(query: str) -> list[tuple[int, int]]:
    """Spans ``(start, end)`` of the ``{ SELECT ... }`` groups of ``query`` that may be
    evaluated on their own (not under EXISTS, GRAPH or SERVICE), outermost first."""
    code = _code(query)
    stack: list[tuple[int, bool]] = []  # (position of "{", inside a context)
    out = []
    for i, c in enumerate(code):
        if c == "{":
            inside = bool(stack and stack[-1][1]) or bool(_CONTEXT.search(code[max(0, i - 200):i]))
            stack.append((i, inside))
        elif c == "}" and stack:
            start, inside = stack.pop()
            if not inside and _SELECT.match(code, start + 1) and stack:
                out.append((start, i + 1))
    return sorted(out, key=lambda s: (s[0], -s[1]))


def _normal(text: str) -> str:
    """The text of a sub-SELECT but for comments and whitespace."""
    return " ".join(_code(text, literals=False).split())


def share(queries: list[tuple[str, str]]) -> list[tuple[str, tuple]]:
    """For each ``(prologue, body)`` SPARQL query: its template (each shared sub-SELECT
    replaced by a placeholder) and the shared sub-SELECTs it uses, as ``(placeholder,
    standalone query, the sub-SELECT's own text)``. A sub-SELECT is shared when it occurs twice or more (same text but for
    whitespace and comments, same prologue) among ``queries``; of nested ones, the outermost."""
    spans = [subselects(body) for _, body in queries]
    counts = Counter((head, _normal(body[s:e])) for (head, body), found in zip(queries, spans) for s, e in found)
    ids: dict = {}
    out = []
    for (head, body), found in zip(queries, spans):
        chosen, end = [], -1
        for s, e in found:  # outermost first: skip what a chosen span contains
            if s >= end and counts[(head, _normal(body[s:e]))] > 1:
                chosen.append((s, e))
                end = e
        parts, last, used = [], 0, []
        for s, e in chosen:
            key = (head, _normal(body[s:e]))
            name = ids.setdefault(key, PLACEHOLDER.format(len(ids)))
            parts += [body[last:s], "{ " + name + " }"]
            used.append((name, head + body[s + 1:e - 1], body[s + 1:e - 1]))
            last = e
        parts.append(body[last:])
        out.append(("".join(parts), tuple(used)))
    return out


def values(answer) -> str | None:
    """The solutions of a SELECT as a SPARQL ``VALUES`` block; None when one holds a blank node."""
    names = [v for v in answer.variables]
    rows = []
    for sol in answer:
        row = []
        for v in names:
            term = sol[v]
            if isinstance(term, ox.BlankNode):
                return None
            row.append("UNDEF" if term is None else str(term))
        rows.append("(" + " ".join(row) + ")")
    return "VALUES (" + " ".join(str(v) for v in names) + ") { " + " ".join(rows) + " }"


def fill(template: str, shared: tuple, run, cache: dict) -> str:
    """``template`` with each shared sub-SELECT replaced by its solutions: ``run(query)``
    evaluates a standalone sub-SELECT (same store, graph and pre-bound ``$this`` as the
    constraint); ``cache`` keeps the answers for the other constraints of the same focus node."""
    for name, query, inner in shared:
        if query not in cache:
            block = values(run(query))
            cache[query] = block if block is not None else inner
        template = template.replace(name, cache[query])
    return template
