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

A SELECT that several focus nodes of a document run (the cube checks: one per table) runs once
for all of them when its form allows it (:func:`at_once`: ``$this`` used only where a join with
``VALUES ?this`` binds it as the pre-binding would).

API: :func:`share` ``(queries) -> list[(template, tuple[(placeholder, subquery, text)])]``;
:func:`fill` ``(template, shared, run, cache) -> str``; :func:`at_once` ``(select) -> marked | None``;
:func:`focus_nodes` ``(marked, nodes | None) -> str``.
"""

from __future__ import annotations

import re
from collections import Counter

import pyoxigraph as ox

# Closed at both ends: with "…__{}" alone the 1st placeholder is a prefix of the 10th, and fill's text
# replace would write the 1st sub-SELECT's answer into the 10th's.
PLACEHOLDER = "SHARED__SUBSELECT__{}__"
# A token that makes the group it opens see the outer solution or another graph.
_CONTEXT = re.compile(r"(EXISTS|GRAPH\s+\S+|SERVICE\s+(SILENT\s+)?\S+)\s*$", re.I)
_IRI = re.compile(r"<[^<>\"{}|^`\\\s]*>")
_SELECT = re.compile(r"\s*SELECT\b", re.I)
_SHAPE = re.compile(r"[?$]currentShape\b")


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
    whitespace and comments, same prologue) among ``queries``; of nested ones, the outermost; one that uses
    ``$currentShape`` (a constraint shared by several shapes tells them apart by it) never is. Within a shared
    sub-SELECT, the sub-SELECTs it repeats, or that are shared already, are shared in turn: its standalone query holds
    their placeholders, and they come before it in the tuple."""
    return _share(queries, {})


def _share(queries: list[tuple[str, str]], ids: dict) -> list[tuple[str, tuple]]:
    # a sub-SELECT using $currentShape answers for one shape only: never shared (its answer is cached per focus node)
    spans = [[(s, e) for s, e in subselects(body) if not _SHAPE.search(_code(body[s:e]))] for _, body in queries]
    counts = Counter((head, _normal(body[s:e])) for (head, body), found in zip(queries, spans) for s, e in found)
    out = []
    for (head, body), found in zip(queries, spans):
        chosen, end = [], -1
        for s, e in found:  # outermost first: skip what a chosen span contains
            key = (head, _normal(body[s:e]))
            if s >= end and (counts[key] > 1 or key in ids):
                chosen.append((s, e))
                end = e
        parts, last, used = [], 0, []
        for s, e in chosen:
            key = (head, _normal(body[s:e]))
            if key not in ids:  # one standalone query per shared text (the first written), whatever its layout elsewhere
                inner = body[s + 1:e - 1]
                name = PLACEHOLDER.format(len(ids))
                ids[key] = ()
                [(template, nested)] = _share([(head, inner)], ids)
                ids[key] = (*nested, (name, head + template, inner))
            parts += [body[last:s], "{ " + ids[key][-1][0] + " }"]
            used += [entry for entry in ids[key] if entry not in used]
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
    constraint; the sub-SELECTs it repeats already filled in); ``cache`` keeps the answers for the
    other constraints of the same focus node."""
    blocks: dict = {}
    for name, query, inner in shared:
        if query not in cache:
            block = values(run(_put(query, blocks)))
            cache[query] = block if block is not None else inner
        blocks[name] = cache[query]
    return _put(template, blocks)


def _put(text: str, blocks: dict) -> str:
    for name, block in blocks.items():
        text = text.replace(name, block)
    return text



_THIS = re.compile(r"[?$]this\b")
_HEAD = re.compile(r"\s*SELECT\s+(?:DISTINCT\s+|REDUCED\s+)?([^{]*?)\s*(?:WHERE\s*)?\{", re.I | re.S)
_GROUP_BY = re.compile(r"\s*GROUP\s+BY\s+([^{}]*?)\s*(?:HAVING\b[^{}]*)?$", re.I | re.S)


def _groups(code: str, start: int) -> tuple[int, list]:
    """The group opened at ``code[start]`` (a "{"): its end, and its direct sub-groups as
    ``(open, close, kind)``, kind "select", "exists" or "group"."""
    subs, depth = [], 0
    for i in range(start + 1, len(code)):
        c = code[i]
        if c == "{":
            if depth == 0:
                kind = ("select" if _SELECT.match(code, i + 1) else
                        "exists" if re.search(r"EXISTS\s*$", code[max(0, i - 20):i], re.I) else "group")
                subs.append([i, None, kind])
            depth += 1
        elif c == "}":
            if depth == 0:
                return i, [tuple(x) for x in subs]
            depth -= 1
            if depth == 0:
                subs[-1][1] = i
    raise ValueError("unbalanced braces")


def _select_ok(code: str, start: int, tail_ok, spots: list) -> tuple[bool, int]:
    """Whether the SELECT at ``code[start:]`` gives for all its ``$this`` at once what it gives for
    each alone: ``$this`` projected as a variable; used only directly in its WHERE group, directly in
    an EXISTS of that group, or in a sub-SELECT that is itself so and groups by ``$this`` if it
    groups; ``tail_ok(modifiers, aggregates)`` judges what follows the WHERE group. Appends to
    ``spots`` where each such SELECT's WHERE group opens. Returns (ok, position of the closing
    brace of its WHERE group)."""
    head = _HEAD.match(code, start)
    if head is None:
        return False, start
    where = head.end() - 1
    spots.append(where + 1)
    end, subs = _groups(code, where)
    if not ({"$this", "?this"} & set(head.group(1).split())):
        return False, end
    for s, e, kind in subs:
        if not _THIS.search(code[s:e]):
            continue
        if kind == "exists":
            if any(_THIS.search(code[a:b]) for a, b, _ in _groups(code, s)[1]):
                return False, end
        elif kind == "select":
            ok, _ = _select_ok(code, s + 1, _grouped_by_this, spots)
            if not ok:
                return False, end
        else:
            return False, end
    return tail_ok(code[end + 1:_close(code, start, end)], "(" in head.group(1)), end


def _close(code: str, start: int, end: int) -> int:
    """Where the modifiers after a WHERE group end: the brace closing a sub-SELECT, or the text's end."""
    if start == 0:
        return len(code)
    depth = 0
    for i in range(end + 1, len(code)):
        depth += {"{": 1, "}": -1}.get(code[i], 0)
        if depth < 0:
            return i
    return len(code)


def _grouped_by_this(tail: str, aggregates: bool) -> bool:
    if not tail.strip():
        return not aggregates
    m = _GROUP_BY.match(tail)
    return bool(m and {"$this", "?this"} & set(m.group(1).split()))


FOCUS_NODES = "FOCUS__NODES"


def at_once(body: str) -> str | None:
    """A SHACL-SPARQL SELECT that may run once for all the focus nodes of a document: ``body``
    with :data:`FOCUS_NODES` opening the WHERE group of the query and of each sub-SELECT that
    projects ``$this`` (:func:`focus_nodes` fills it with ``VALUES ?this``, a join that binds
    ``$this`` wherever substitution would); None for any other form. Then the solutions, each
    naming its focus node, are those of one run per focus node with ``$this`` pre-bound.
    Conservative: the forms :func:`_select_ok` accepts, no aggregate or modifier on the query
    itself, no other pre-bound variable."""
    code = _code(body)
    if re.search(r"\$(PATH|currentShape|shapesGraph)\b", code):
        return None
    spots: list[int] = []
    ok, _ = _select_ok(code, 0, lambda tail, aggregates: not tail.strip() and not aggregates, spots)
    if not ok:
        return None
    for at in sorted(spots, reverse=True):
        body = body[:at] + " " + FOCUS_NODES + " " + body[at:]
    return body


def focus_nodes(query: str, nodes) -> str:
    """``query`` (marked by :func:`at_once`) for ``nodes`` (None: one run with ``$this`` pre-bound)."""
    block = "" if nodes is None else "VALUES ?this { " + " ".join(str(n) for n in nodes) + " }"
    return query.replace(FOCUS_NODES, block)
