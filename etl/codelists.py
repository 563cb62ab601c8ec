"""The shipped SKOS code lists, loaded once, and matching printed text to concepts.

API: :func:`codelists` ``() -> CodeLists`` (cached); :class:`CodeLists` with
``concept(scheme, notation)``, ``match(scheme, text)``, ``label(iri)``, ``lineage(iri)``,
``part_of(group, concept)``; :func:`concept_iri`; :data:`CL`.

Matching compares :func:`budgetkg.etl.text.match_key` of the printed text with the
keys of every ``skos:prefLabel``/``skos:altLabel`` (zh) and ``skos:notation``;
when no key is equal, the longest label the text ends with wins
(``一般公共预算基本支出`` ends with ``基本支出``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from budgetkg.names import CL, SKOS, SKOSXL
from budgetkg.resources import CODELISTS, files

from .text import match_key

TOTAL, NOT_APPLICABLE = "_T", "_Z"


def concept_iri(scheme: str, notation: str) -> str:
    return f"{CL}{scheme}/{notation}"


def scheme_iri(scheme: str) -> str:
    return f"{CL}{scheme}"


@dataclass
class CodeLists:
    # scheme slug -> match key -> concept IRI
    keys: dict[str, dict[str, str]] = field(default_factory=dict)
    # concept IRI -> (zh label, en label)
    labels: dict[str, tuple[str, str]] = field(default_factory=dict)
    # concept IRI -> notation
    notations: dict[str, str] = field(default_factory=dict)
    broader: dict[str, str] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    # scheme slug -> match key -> every concept whose preferred label it is, where there are several
    # (行政运行 under many 款): sorted, so that a label read without context names the same concept every run
    shared: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    # concept IRI -> the concepts it is skos:related to (上年结转结余 of 一般公共预算 to 一般公共预算)
    related: dict[str, set[str]] = field(default_factory=dict)

    def known(self, iri: str) -> bool:
        return iri in self.labels

    def concept(self, scheme: str, notation: str) -> str | None:
        iri = concept_iri(scheme, notation)
        return iri if iri in self.labels else None

    def label(self, iri: str, lang: str = "zh") -> str | None:
        pair = self.labels.get(iri)
        return None if pair is None else pair[0 if lang == "zh" else 1]

    def match(self, scheme: str, text: str, *, suffix: bool = True, near: str | None = None) -> str | None:
        """The concept of ``scheme`` whose label is the printed ``text``, or None.

        A label several concepts share (行政运行) names the one under the nearest ancestor of ``near``
        (the concept of the line printed above: 行政运行 below 财政事务 is 2010601), else the one the most
        disclosures printed it for (its dated names, bkg:PrintedName), then the first by IRI.
        """
        key = match_key(text)
        table = self.keys.get(scheme, {})
        if not key:
            return None
        shared = self.shared.get(scheme, {}).get(key)
        if shared and near:
            for ancestor in self.lineage(near):
                under = [iri for iri in shared if self.broader.get(iri) == ancestor]
                if under:
                    return under[0]
        if key in table:
            return table[key]
        if suffix:
            best = max((k for k in table if len(k) >= 2 and key.endswith(k)), key=len, default=None)
            if best is not None:
                return table[best]
        return None

    def named_in(self, scheme: str, text: str) -> str | None:
        """The concept of ``scheme`` whose longest label ``text`` contains (a title naming its fund: 财政拨款政府
        购买服务明细表), never the total or not-applicable concept, or None.

        >>> codelists().named_in("fund-source", "预算11表 财政拨款政府购买服务明细表").rsplit("/", 1)[1]
        'appropriation'
        """
        key = match_key(text)
        found = [k for k, iri in self.keys.get(scheme, {}).items()
                 if len(k) >= 2 and k in key and not iri.endswith((f"/{TOTAL}", f"/{NOT_APPLICABLE}"))]
        return self.keys[scheme][max(found, key=len)] if found else None

    def part_of(self, group: str, concept: str) -> str:
        """``concept`` within ``group``: ``concept`` itself when it is ``group`` or below it, else the
        concept below ``group`` related to it (一般公共预算 printed under 上年结转结余 is the
        carry-over of general-budget funds), else ``concept``.

        >>> lists = codelists()
        >>> fs = lambda n: concept_iri("fund-source", n)
        >>> lists.part_of(fs("carry-over"), fs("general-budget")) == fs("carry-over-general-budget")
        True
        >>> lists.part_of(fs("current-year"), fs("general-budget")) == fs("general-budget")
        True
        """
        if group in self.lineage(concept):
            return concept
        parts = sorted(c for c, rel in self.related.items() if concept in rel and group in self.lineage(c))
        return parts[0] if parts else concept

    def lineage(self, iri: str) -> list[str]:
        """``iri`` and its broader concepts, nearest first."""
        out = [iri]
        while (up := self.broader.get(out[-1])) and up not in out:
            out.append(up)
        return out


def _local(iri: str) -> tuple[str, str] | None:
    if not iri.startswith(CL):
        return None
    rest = iri[len(CL):]
    if "/" not in rest:
        return None
    scheme, notation = rest.split("/", 1)
    return scheme, notation


# Schemes whose concepts are the levels of a code (类 3 digits, 款 5, 项 7; IRI = scheme/code).
LEVELLED = ("functional", "economic")


@lru_cache(maxsize=1)
def codelists(folder: Path = CODELISTS) -> CodeLists:
    """Load every ``*.ttl`` of the code-list folder (once per process)."""
    lists = CodeLists()
    pref, alt, notation, broader, related = (SKOS + n for n in ("prefLabel", "altLabel", "notation", "broader", "related"))
    printed = (SKOSXL + "prefLabel", SKOSXL + "altLabel")
    names_printed: dict[str, int] = {}  # concept IRI -> its dated names (one per disclosure and name)
    for path in files(folder, "*.ttl"):
        lists.files.append(path)
        zh: dict[str, str] = {}
        en: dict[str, str] = {}
        with path.open("rb") as fh:
            for t in ox.parse(fh, format=ox.RdfFormat.TURTLE):
                s, p, o = t.subject, t.predicate.value, t.object
                if not isinstance(s, ox.NamedNode):
                    continue
                loc = _local(s.value)
                if loc is None:
                    continue
                scheme = loc[0]
                if p in (pref, alt) and isinstance(o, ox.Literal):
                    if o.language == "zh" or (o.language or "").startswith("zh"):
                        lists.keys.setdefault(scheme, {}).setdefault(match_key(o.value), s.value)
                        if p == pref:
                            zh[s.value] = o.value
                    elif o.language == "en" and p == pref:
                        en[s.value] = o.value
                elif p == notation and isinstance(o, ox.Literal):
                    lists.notations[s.value] = o.value
                    lists.keys.setdefault(scheme, {}).setdefault(match_key(o.value), s.value)
                elif p == broader and isinstance(o, ox.NamedNode):
                    lists.broader[s.value] = o.value
                elif p == related and isinstance(o, ox.NamedNode):
                    lists.related.setdefault(s.value, set()).add(o.value)
                elif p in printed:
                    names_printed[s.value] = names_printed.get(s.value, 0) + 1
        for iri in sorted(set(zh) | set(en)):
            lists.labels[iri] = (zh.get(iri, ""), en.get(iri, ""))
    # A preferred label must win over another concept's alternative label; of several concepts sharing
    # one, the highest level of a code (其他支出: 类 229 before 款 22999 and 项 2299999), then the one
    # the most disclosures printed it for (a name of 款 310 资本性支出 before the same name
    # of 309 资本性支出（基本建设）), then the first by IRI (set order would change from run to run).
    by_label: dict[tuple[str, str], list[str]] = {}
    for iri, (zh_label, _) in sorted(lists.labels.items()):
        loc = _local(iri)
        if loc and zh_label:
            by_label.setdefault((loc[0], match_key(zh_label)), []).append(iri)
    for (scheme, key), iris in by_label.items():
        iris.sort(key=lambda iri: (len(iri) if scheme in LEVELLED else 0, -names_printed.get(iri, 0)))  # stable
        lists.keys.setdefault(scheme, {})[key] = iris[0]
        if len(iris) > 1:
            lists.shared.setdefault(scheme, {})[key] = tuple(iris)
    return lists
