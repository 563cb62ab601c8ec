"""What the page kinds share: running a SELECT, amounts as printed, phases and units in words.

API: :func:`select` ``(s, text, *, graphs=None, this=None, **params) -> list[dict]`` (plain values);
:func:`amount` ``(value, decimals) -> str``; :func:`phase_words` ``(iri) -> str``;
:func:`yuan` ``(value, multiplier) -> Decimal``; :class:`View`; :data:`BKG`, :data:`VOCAB_GRAPH`.

>>> amount("2345.67", 2), amount("8", 0), amount("12345.6", 2)
('2,345.67', '8', '12,345.60')
>>> yuan("12.34", 4)
Decimal('123400.00')
>>> phase_words("https://budgetkg.org/def/cl/phase/final-accounts")
'决算 final accounts'
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal

import pyoxigraph as ox

from budgetkg import names

BKG = names.BKG
VOCAB_GRAPH = names.VOCAB_GRAPH
PHASE = names.PHASE
PREFIXES = names.sparql_prefixes("bkg", "qb", "skos", "rdfs", "dct", "rdf", "sh", "org")
PHASES = {"budget": "预算 budget", "final-accounts": "决算 final accounts"}


@dataclass(frozen=True)
class View:
    title: str  # plain text
    body: str  # HTML


async def select(s, text: str, *, graphs: list[str] | None = None, this: str | None = None, **params) -> list[dict]:
    """SELECT rows as ``{variable: value}`` (unbound variables left out); ``$this`` and ``params`` bound as IRIs.

    :raises ServiceError: as :meth:`Backend.query` does.
    """
    subs = {k: ox.NamedNode(v) for k, v in params.items()}
    if this is not None:
        subs["this"] = ox.NamedNode(this)
    result = await s.backend.query(PREFIXES + text, "json", default_graphs=graphs, subs=subs or None,
                                   limit=max(s.settings.result_limit, 100_000))
    return [{k: b["value"] for k, b in r.items()} for r in json.loads(result.body)["results"]["bindings"]]


def amount(value: str, decimals: int | str | None) -> str:
    """An amount as printed: its printed decimals, thousands separated."""
    d = Decimal(value)
    places = int(decimals) if decimals is not None else max(0, -d.as_tuple().exponent)
    return f"{d:,.{places}f}"


def yuan(value: str, multiplier: int | str) -> Decimal:
    """The amount in 元 (``bkg:unitMultiplier`` is the power of ten of the printed unit)."""
    return Decimal(value) * 10 ** int(multiplier)


def phase_words(iri: str) -> str:
    key = iri.rsplit("/", 1)[-1]
    return PHASES.get(key, key)
