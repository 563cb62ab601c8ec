"""Who published which budget of which year: the metadata of a disclosure read from its title.

API: :func:`title_meta` ``(text) -> dict`` (``department_name``, ``name_scope``, ``year``,
``phase``, ``level`` when printed); :func:`split_scope` ``(name) -> (name, scope)``;
:func:`department_name` ``(text) -> (name, scope)`` (a name given by a portal, normalized);
:func:`disclosed_names` ``(text) -> list[str]`` (the organisations a sentence names as the
one whose disclosure it is: ``现将某市某局2022年部门预算公开如下``).
The words come from :mod:`budgetkg.etl.lexicon`.

A cover prints the same facts in many orders: the year before or after the name, with or
without spaces, the title wrapped over lines, a labelled field (``预算主管部门：...``), a
bracketed scope after the name (``（本级）``), and names that themselves contain 预算.

>>> m = title_meta("2026 年某市档案局（本级）部门预\\n算")
>>> (m["department_name"], m["name_scope"], m["year"], m["phase"], m["level"])
('某市档案局', '本级', '2026', 'budget', 'department')
>>> title_meta("某市气象局 2026 年部门预算")["department_name"]
'某市气象局'
>>> title_meta("某市2026年市级单位预算\\n预算单位：某市档案馆")["level"]
'unit'
>>> title_meta("某市预算评审中心2026年部门预算")["department_name"]
'某市预算评审中心'
>>> title_meta("预算01表 收支总表\\n金额单位：万元")
{'phase': 'budget'}
"""

from __future__ import annotations

import re

from .jurisdictions import find_jurisdiction
from .lexicon import LEVELS, NAME_FIELD_SUFFIX, NAME_FIELDS, NAME_SCOPES, ORG_ENDINGS, PHASE_WORD_RE, PHASES, UNITS, YEAR_RE, YEAR_WORD, YEAR_WORD_RE
from .text import clean_cell

_ALT = "|".join
_FIELD = re.compile(rf"(?:{_ALT(sorted(NAME_FIELDS, key=len, reverse=True))})(?:{NAME_FIELD_SUFFIX})?\s*[:：]\s*(\S+)")
_SCOPE = re.compile(rf"^(.+?)\s*[（(]({_ALT(NAME_SCOPES)})[)）]$")
_LEVEL_PHASE = re.compile(rf"(?:{_ALT(LEVELS)})(?:{_ALT(PHASES)})")
# A run of text without punctuation, then (a year and) a level and phase word: 某市某局2022年部门预算
# (matched on text without spaces).
_DISCLOSED = re.compile(rf"([^，。；;：:、,《》“”‘’\"]+?)(?:{YEAR_WORD})?(?:{_ALT(LEVELS)})(?:{_ALT(PHASES)})")


def split_scope(name: str) -> tuple[str, str | None]:
    """The department name without a bracketed scope word, and that word.

    >>> split_scope("某市气象局（汇总）")
    ('某市气象局', '汇总')
    >>> split_scope("某市气象局")
    ('某市气象局', None)
    """
    m = _SCOPE.match(name)
    return (m.group(1), m.group(2)) if m else (name, None)


def department_name(text: str) -> tuple[str, str | None]:
    """A department name given apart from the page (a portal's list, a flag), normalized as a
    printed one is read: markup and spaces dropped, then :func:`split_scope`.

    >>> department_name(" 某市 财政局（本级）")
    ('某市财政局', '本级')
    """
    return split_scope(re.sub(r"\s+", "", clean_cell(text)))


def _field_name(lines: list[str]) -> str | None:
    for line in lines:
        for m in _FIELD.finditer(line):
            value = m.group(1)
            if value not in UNITS and not value[0].isdigit():
                return value
    return None


def _title_name(flat: str) -> str | None:
    """The organisation named before a phase word: 部门预算 / 单位决算 first, then a bare
    预算 / 决算 from the last (a name may itself contain 预算)."""
    text = re.sub(r"\s+", "", YEAR_WORD_RE.sub("", flat))
    cuts = [m.start() for m in _LEVEL_PHASE.finditer(text)]
    cuts += [m.start() for m in reversed(list(PHASE_WORD_RE.finditer(text)))]
    for cut in cuts:
        name = split_scope(text[:cut])[0]
        if name.endswith(ORG_ENDINGS):
            return text[:cut]
    return None


def title_meta(text: str) -> dict[str, str]:
    """The metadata printed in ``text`` (a cover, a title line, a page header).

    Keys are set only when printed: ``department_name`` (without a bracketed scope),
    ``name_scope`` (that scope word), ``year``, ``phase`` (``budget`` / ``final-accounts``),
    ``level`` (``department`` / ``unit``, when a level word stands before the phase word).
    """
    lines = [clean_cell(line) for line in text.split("\n") if line.strip()]
    flat = "".join(lines)
    meta: dict[str, str] = {}
    m = YEAR_RE.search(flat)
    if m:
        meta["year"] = m.group(1)
    phases = [PHASES[w] for w in PHASE_WORD_RE.findall(re.sub(r"\s+", "", flat))]
    if phases:
        meta["phase"] = PHASES["决算"] if PHASES["决算"] in phases else PHASES["预算"]
    levels = {LEVELS[m.group(0)[: -2]] for m in _LEVEL_PHASE.finditer(re.sub(r"\s+", "", flat))}
    if levels:
        meta["level"] = LEVELS["部门"] if LEVELS["部门"] in levels else LEVELS["单位"]
    name = _field_name(lines) or _title_name(flat)
    if name:
        meta["department_name"], scope = split_scope(name)
        if scope:
            meta["name_scope"] = scope
    return meta


def disclosed_names(text: str) -> list[str]:
    """The organisations ``text`` names as the one a budget disclosure is of: a name before
    (a year and) 部门预算 / 单位决算 ..., starting with an administrative division (or a national
    word) and ending as an organisation's name; a bracketed scope stays as printed.

    >>> disclosed_names("现将长沙市某某局 2022 年部门预算公开如下：")
    ['长沙市某某局']
    >>> disclosed_names("纳入长沙市某某局（本级）2024年度部门决算编制范围的单位包括：")
    ['长沙市某某局（本级）']
    >>> disclosed_names("长沙市2026年区级部门预算"), disclosed_names("下属行政事业单位决算")
    ([], [])
    """
    out = []
    for m in _DISCLOSED.finditer(re.sub(r"\s+", "", text)):
        run = m.group(1)
        start = next((i for i in range(len(run)) if find_jurisdiction(run[i:]) is not None), None)
        if start is not None and split_scope(run[start:])[0].endswith(ORG_ENDINGS):
            out.append(run[start:])
    return out
