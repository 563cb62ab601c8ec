"""Named SPARQL queries: the ``.rq`` files of ``sparql/`` with their header.

API: :func:`load_queries` ``() -> dict[str, NamedQuery]``; :func:`resolve`
``(name_or_file) -> NamedQuery``; :func:`parse_params` ``(["k=v", ...]) -> dict``;
:func:`missing` ``(query, params) -> list[Param]``; :func:`bind` ``(query, params) -> dict``
(substitutions for pyoxigraph); :func:`narrowed` ``(text, subs) -> str``;
:func:`run` ``(store, query, params, *, graph=None)``.

A query file opens with comment lines ``# title: ...``, ``# description: ...``
and one ``# param: name [type] (required) - description`` per parameter (type: iri,
string, integer, decimal, gYear; default string; ``(required)`` for a parameter
without which the query means nothing: :func:`bind` refuses to run it, naming the
parameter, so the CLI, the API and the query page all say so). Parameters are bound as RDF
terms through pyoxigraph's ``substitutions``, and the same terms (escaped by
pyoxigraph) as a ``VALUES`` block, which lets them narrow what is read; no
parameter text is ever pasted into a query.

>>> q = NamedQuery.parse("x", "# title: T\\n# param: year [gYear] - the year\\nSELECT * {}")
>>> (q.title, q.params[0].name, q.params[0].type, q.params[0].required)
('T', 'year', 'gYear', False)
>>> q = NamedQuery.parse("x", "# param: digits [integer] (required) - code length\\nSELECT * {}")
>>> bind(q, {})
Traceback (most recent call last):
...
budgetkg.queries.MissingParameter: query 'x' needs the parameter 'digits' (integer: code length); give it as digits=VALUE
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .names import XSD
from .resources import SPARQL, files
from .sparqltext import inject_values

# ``# param: name [type] (required) - text`` or ``# param: name [type] (default: VALUE) - text``
_PARAM = re.compile(r"^#\s*param:\s*(\w+)\s*(?:\[(\w+)\])?\s*(\(required\)|\(default:\s*([^)]*)\))?\s*(?:[-—:]\s*(.*))?$")
_FIELD = re.compile(r"^#\s*(title|description):\s*(.*)$")
TYPES = {"iri", "string", "integer", "decimal", "gYear", "date"}


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    description: str
    required: bool = False
    default: str | None = None  # the value used when none is given


class MissingParameter(ValueError):
    """A required parameter of a named query was not given."""


@dataclass
class NamedQuery:
    name: str
    text: str
    title: str = ""
    description: str = ""
    params: list[Param] = field(default_factory=list)
    path: Path | None = None

    @classmethod
    def parse(cls, name: str, text: str, path: Path | None = None) -> "NamedQuery":
        q = cls(name=name, text=text, path=path)
        for line in text.splitlines():
            if not line.startswith("#"):
                if line.strip():
                    break
                continue
            m = _FIELD.match(line)
            if m:
                setattr(q, m.group(1), (getattr(q, m.group(1)) + " " + m.group(2)).strip())
                continue
            m = _PARAM.match(line)
            if m:
                ptype = m.group(2) or "string"
                if ptype not in TYPES:
                    raise ValueError(f"{name}: unknown parameter type {ptype!r}")
                default = m.group(4).strip() if m.group(4) is not None else None
                q.params.append(Param(m.group(1), ptype, (m.group(5) or "").strip(), m.group(3) == "(required)", default))
        return q


def load_queries(folder: Path = SPARQL) -> dict[str, NamedQuery]:
    """Every ``.rq`` below ``folder``, named by its path without suffix (``tables/income``)."""
    out = {}
    for path in files(folder, "**/*.rq"):
        name = path.relative_to(folder).with_suffix("").as_posix()
        out[name] = NamedQuery.parse(name, path.read_text(encoding="utf-8"), path)
    return out


def resolve(name_or_file: str) -> NamedQuery:
    """:raises KeyError: when no named query or file has that name."""
    path = Path(name_or_file)
    if path.suffix == ".rq" and path.is_file():
        return NamedQuery.parse(path.stem, path.read_text(encoding="utf-8"), path)
    queries = load_queries()
    if name_or_file in queries:
        return queries[name_or_file]
    raise KeyError(f"no named query {name_or_file!r}; known: {', '.join(sorted(queries))}")


def term(value: str, ptype: str):
    """:raises ValueError: for a value that is not of the parameter's type."""
    if ptype == "iri":
        if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]*$", value):
            raise ValueError(f"not an IRI: {value!r}")
        return ox.NamedNode(value)
    if ptype == "integer" and not re.match(r"^[+-]?\d+$", value):
        raise ValueError(f"not an integer: {value!r}")
    if ptype == "decimal" and not re.match(r"^[+-]?\d+(\.\d+)?$", value):
        raise ValueError(f"not a decimal: {value!r}")
    if ptype == "gYear" and not re.match(r"^\d{4}$", value):
        raise ValueError(f"not a year: {value!r}")
    if ptype == "date" and not re.match(r"^\d{4}-\d{2}-\d{2}$", value):
        raise ValueError(f"not a date: {value!r}")
    if ptype == "string":
        return ox.Literal(value)
    return ox.Literal(value, datatype=ox.NamedNode(XSD + ptype))


def parse_params(items: list[str]) -> dict[str, str]:
    """``["name=value", ...]`` (the CLI's ``--param``) as a dict.

    :raises ValueError: for an item without ``=`` or a name given twice.
    """
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"--param expects NAME=VALUE (e.g. --param digits=3), got {item!r}")
        if name.strip() in out:
            raise ValueError(f"--param {name.strip()} given twice")
        out[name.strip()] = value
    return out


def missing(query: NamedQuery, params) -> list[Param]:
    """The required parameters of ``query`` that ``params`` (names) lacks."""
    return [p for p in query.params if p.required and p.name not in params]


def bind(query: NamedQuery, params: dict[str, str]) -> dict[ox.Variable, object]:
    """Substitutions for the given parameters.

    :raises MissingParameter: when a required parameter is not given (the message names it).
    :raises ValueError: for an unknown parameter or a value of the wrong type.
    """
    lacking = missing(query, params)
    if lacking:
        p = lacking[0]
        about = f"{p.type}: {p.description}" if p.description else p.type
        raise MissingParameter(f"query {query.name!r} needs the parameter {p.name!r} ({about}); give it as {p.name}=VALUE")
    known = {p.name: p for p in query.params}
    params = {**{p.name: p.default for p in query.params if p.default is not None}, **params}
    subs = {}
    for key, value in params.items():
        if key not in known:
            raise ValueError(f"query {query.name!r} has no parameter {key!r}")
        subs[ox.Variable(key)] = term(value, known[key].type)
    return subs


def narrowed(text: str, subs: dict | None) -> str:
    """The text with the substituted parameters also given as a VALUES block.

    pyoxigraph applies ``substitutions`` without letting them steer the plan, so a bound
    parameter does not narrow what is read; the same terms as ``VALUES`` at the start of
    the query do (measured on 1,000 documents: ``budget_vs_execution`` 1.3 s -> 0.06 s,
    the other named queries equal or faster, the same rows in the same order).
    ``subs`` maps variables (or their names) to pyoxigraph terms.
    """
    if not subs:
        return text
    try:
        return inject_values(text, {getattr(k, "value", k): str(v) for k, v in subs.items()})
    except ValueError:  # no group pattern: the substitutions alone bind them
        return text


def run(store: ox.Store, query: NamedQuery, params: dict[str, str] | None = None, *, graph: str | None = None):
    """Run a named query; with ``graph``, that named graph (plus the vocabulary) is the default graph."""
    from budgetkg.etl.vocab import VOCAB_GRAPH

    kwargs = {}
    if graph:
        kwargs["default_graph"] = [ox.NamedNode(graph), VOCAB_GRAPH]
    else:
        kwargs["use_default_graph_as_union"] = True
    subs = bind(query, params or {})
    return store.query(narrowed(query.text, subs), substitutions=subs, **kwargs)
