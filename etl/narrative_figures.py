"""Budget figures stated in the explanation text (情况说明) of a disclosure.

API: :func:`read_figures` ``(sentences, *, year, names) -> list[FigureRec]``
(one call per document, sentences in source order); :func:`split_sentences`; :func:`topic_of`;
:func:`map_figures` ``(figures, m, emit, *, rec, dataset, sentence_node, page_of)``;
:class:`FigureRec`.

A sentence such as ``2023年预算收入120.50万元，其中：一般公共预算收入100.50万元``
states amounts with labels; ``较2022年预算增加20.25万元`` states a change of the
amount before it (or of the label before ``增加``), from which the previous
year's amount follows (a *derived* figure); ``与上年度持平`` states a change of
nothing and ``未安排因公出国经费`` an amount of nothing in words (both derived).
``其中`` and ``包括`` make the following amounts parts of the amount before them;
a clause ``主要是因为 ...`` after a change is its reason. Amounts stay
:class:`~decimal.Decimal` as printed.

>>> figs = read_figures([(3, 1, "2022年预算收入10.5万元，其中：一般公共预算收入10.5万元。", "收入说明")], year="2022")
>>> [(f.label, f.amount.printed(), f.parent) for f in figs]
[('预算收入', '10.5', None), ('一般公共预算收入', '10.5', '3-1')]
>>> figs = read_figures([(5, 1, "2022年经费安排8万元，比2021年预算增加0.5万元。", "")], year="2022")
>>> [(f.kind, f.year, f.amount.printed(), f.derived) for f in figs]
[('level', '2022', '8', False), ('change', '2022', '0.5', False), ('level', '2021', '7.5', True)]
>>> figs = read_figures([(7, 1, "支出90万元，比上年减少10万元，下降10.0%。", "")], year="2022")
>>> [(f.kind, f.amount.printed(), f.rate) for f in figs]
[('level', '90', None), ('change', '-10', '-10.0'), ('level', '100', None)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

import pyoxigraph as ox

from .amounts import Amount, parse_amount, unit_multiplier
from .codelists import NOT_APPLICABLE, codelists, concept_iri
from .lexicon import (AMOUNT_IN_TEXT_RE, BOTH_SIDES_WORD, CHANGE_RE, COMPARE_ANYWHERE_RE, COMPARE_RE, DOWN_WORDS,
                      EXPENDITURE_WORDS, FLAT_RE, FUND_TOTAL_SUFFIX_RE, INCLUDES_RE, LEAD_RE, LEAD_YEAR_RE, NONE_AMOUNT_UNIT, NONE_STATED_RE,
                      OF_WHICH, RATE_RE, REASON_RE, REVENUE_WORD, TIME_WORDS, TOPIC_SUFFIX_RE, TRAIL_RE, YEAR_CLAUSE_RE)
from .text import match_key, strip_ordinal
from .vocab import BKG, CNY, PROV, QB, RDFS, A, decimal, emit_location, integer, lit, typed

_SENTENCE = re.compile(r"(?<=[。！？!?])")
# A comma before three digits is a thousands separator (12,345.67), not the end of a clause.
_CLAUSE = re.compile(r"([，；;：:]|,(?!\d{3}(?!\d)))")
# PDF text puts spaces between CJK characters and figures (2026 年收入预算 12,345.67 万元).
_SPACE_NEAR = re.compile(r"\s+(?=[\d\u3000-\u303f\u4e00-\u9fff\uff00-\uffef%])|(?<=[\d\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])\s+")
_PAREN = re.compile(r"[（(][^（）()]*[)）]")
_SCHEMES = {
    "revenue": ("fund-source", "summary-item"),
    "expenditure": ("three-public", "expenditure-type", "summary-item"),
    None: ("summary-item", "asset"),
}
_SCHEME_DIM = {
    "fund-source": "fundSource", "expenditure-type": "expenditureType", "three-public": "threePublicCategory",
    "summary-item": "summaryItem", "asset": "assetCategory",
}


@dataclass
class FigureRec:
    key: str  # "<paragraph line>-<k>", a derived previous-year figure "<change key>-prev"
    label: str  # what the amount is of, as printed (cleaned of years, self-references and verbs)
    amount: Amount
    unit: str  # 万元
    year: str  # fiscal year of the amount
    kind: str  # "level" (an amount) or "change" (a difference to ``compared_year``)
    line: int  # the paragraph's first line
    sentence: int  # 1-based sentence of the paragraph
    derived: bool = False  # computed, or read from words, not printed as a number
    words: str | None = None  # the words a figure without a printed number was read from
    compared_year: str | None = None
    change_of: str | None = None  # key of the figure a change is the change of
    parent: str | None = None  # key of the figure this one is a part of (其中 / 包括)
    derived_from: list[str] = field(default_factory=list)
    reason: str | None = None
    rate: str | None = None  # a change in percent of the compared year's amount, as printed (signed)
    note: str | None = None
    as_of: str | None = None
    operation: str | None = None
    dims: dict[str, str] = field(default_factory=dict)


def split_sentences(text: str) -> list[str]:
    """Sentences ending with 。！？ (the last one may lack it)."""
    return [s for s in (p.strip() for p in _SENTENCE.split(text)) if s]


def _operation(label: str) -> str | None:
    if BOTH_SIDES_WORD in label:
        return None
    if REVENUE_WORD in label:
        return "revenue"
    if any(w in label for w in EXPENDITURE_WORDS):
        return "expenditure"
    return None


def _clean(segment: str, year: str, names: tuple[str, ...]) -> tuple[str, str, str | None]:
    """Label, fiscal year and as-of date of a labelled amount."""
    s = _PAREN.sub("", segment).strip(" ，,；;：:")
    for name in names:
        if name:
            s = s.replace(name, "")
    fy, as_of = year, None
    while True:
        before = s
        m = LEAD_YEAR_RE.match(s)
        if m:
            fy, s = m.group(1), s[m.end():]
        for pattern, shift, end in TIME_WORDS:
            m = pattern.match(s)
            if m:
                fy = str(int(year) + shift)
                as_of = f"{fy}-12-31" if end else as_of
                s = s[m.end():]
                break
        s = LEAD_RE.sub("", s).strip(" ，,、")
        s = TRAIL_RE.sub("", s).strip()
        if s == before:
            return s, fy, as_of


def _compared(ref: str | None, year: str) -> str:
    if ref and ref[:4].isdigit():
        return ref[:4]
    return str(int(year) - 1)


def _dims(label: str, operation: str | None) -> dict[str, str]:
    """The code-list items a figure's label names.

    >>> _dims("其他资金收入预算总计", "revenue") == {"fundSource": concept_iri("fund-source", "other-funds")}
    True
    >>> _dims("收入预算总计", "revenue") == {"summaryItem": concept_iri("summary-item", "income-grand-total")}
    True
    """
    lists = codelists()
    dims = {}
    for scheme in _SCHEMES[operation]:
        iri = lists.match(scheme, label)
        if iri:
            dims[_SCHEME_DIM[scheme]] = iri
    total = FUND_TOTAL_SUFFIX_RE.search(label)
    if "fund-source" in _SCHEMES[operation] and "fundSource" not in dims and total:
        # a fund source's total (其他资金收入预算总计) is that fund source, not the grand total its 总计 would name
        fund = lists.match("fund-source", label[: total.start()], suffix=False)
        if fund:
            dims = {"fundSource": fund}
    return dims


class _Reader:
    def __init__(self, year: str, names: tuple[str, ...]):
        self.year, self.names = year, names
        self.figures: list[FigureRec] = []

    def level(self, key, label, amount, unit, fy, line, n, *, parent=None, as_of=None, words=None) -> FigureRec:
        # A part (其中 / 包括) whose label names no side is on the side of its whole (上年结转结余 of 收入).
        op = _operation(label) or (parent.operation if parent is not None else None)
        f = FigureRec(key, label, amount, unit, fy, "level", line, n, derived=words is not None, words=words,
                      parent=parent.key if parent is not None else None, as_of=as_of, operation=op,
                      dims=_dims(label, op))
        self.figures.append(f)
        return f

    def change(self, key, base: FigureRec | None, label, amount, unit, compared, line, n, *, words=None) -> FigureRec:
        label = label or (base.label if base else "")
        op = _operation(label)
        f = FigureRec(key, label, amount, unit, base.year if base else self.year, "change", line, n,
                      derived=words is not None, words=words, compared_year=compared,
                      change_of=base.key if base else None, operation=op, dims=_dims(label, op))
        self.figures.append(f)
        if base is not None and base.unit == unit:
            value = base.amount.value - amount.value
            decimals = max(base.amount.decimals, amount.decimals)
            prev = FigureRec(f"{key}-prev", base.label, Amount(value, decimals), unit, compared, "level", line, n,
                             derived=True, operation=base.operation, dims=dict(base.dims), derived_from=[base.key, key])
            self.figures.append(prev)
        return f

    def rate(self, clause: str, in_sentence: list[FigureRec], year: str) -> None:
        """A percentage change belongs to the figure of its sentence before it (the change, or the amount)."""
        for m in RATE_RE.finditer(clause):
            target = in_sentence[-1] if in_sentence else None
            if target is None or target.rate is not None:
                continue
            sign = "-" if m.group(1) in DOWN_WORDS else ""
            target.rate = sign + m.group(2)
            if target.compared_year is None:
                cmp = COMPARE_ANYWHERE_RE.search(_PAREN.sub("", clause[: m.start()]))
                target.compared_year = _compared(cmp.group("ref") if cmp else None, target.year)

    def find(self, label: str, year: str) -> FigureRec | None:
        key = match_key(label)
        for f in reversed(self.figures):
            if f.kind == "level" and not f.derived and f.year == year and match_key(f.label) == key:
                return f
        return None

    def paragraph(self, line: int, n: int, sentence: str, topic: str, state: dict) -> None:
        """Read one sentence; ``state`` carries 其中 and the last amount across a paragraph's sentences.

        ``topic`` labels an amount printed without a label (the section's subject).
        """
        year = self.year
        compared: str | None = None
        in_sentence: list[FigureRec] = []
        includes: FigureRec | None = None
        k = state.setdefault("k", 0)
        parts = _CLAUSE.split(sentence.rstrip("。！？!?"))
        for i in range(0, len(parts), 2):
            clause = parts[i].strip()
            sep = parts[i + 1] if i + 1 < len(parts) else ""
            text = _PAREN.sub("", clause).strip()
            if YEAR_CLAUSE_RE.match(text):
                year = YEAR_CLAUSE_RE.match(text).group(1)
            elif text.startswith(OF_WHICH):
                state["whole"] = state.get("last")
                text = text[len(OF_WHICH):].strip()
            last_level = next((f for f in reversed(in_sentence) if f.kind == "level"), None) or state.get("last")
            amounts = list(AMOUNT_IN_TEXT_RE.finditer(text))
            if not amounts and text and not YEAR_CLAUSE_RE.match(text):
                flat = FLAT_RE.search(text)
                none = NONE_STATED_RE.match(text)
                if flat and last_level is not None:
                    k += 1
                    compared = _compared(flat.group("ref"), last_level.year)
                    zero = Amount(Decimal(0), 0)
                    in_sentence.append(self.change(f"{line}-{k}", last_level, "", zero, last_level.unit, compared,
                                                   line, n, words=flat.group(0)))
                elif none:
                    k += 1
                    label, fy, _ = _clean(none.group("label"), none.group("y") or year, self.names)
                    f = self.level(f"{line}-{k}", label, Amount(Decimal(0), 0), NONE_AMOUNT_UNIT, fy, line, n,
                                   parent=state.get("whole"), words=text)
                    in_sentence.append(f)
                    state["last"] = f
                elif REASON_RE.match(text) and in_sentence:
                    target = in_sentence[-1]
                    if target.kind == "change":
                        target.reason = text if target.reason is None else f"{target.reason}，{text}"
                    else:
                        target.note = text if target.note is None else f"{target.note}，{text}"
            start = 0
            for m in amounts:
                segment = text[start:m.start()]
                start = m.end()
                try:
                    amount = parse_amount(m.group(1))
                except ValueError:
                    continue
                unit = m.group(2)
                k += 1
                key = f"{line}-{k}"
                if INCLUDES_RE.match(segment.strip()):
                    includes = state.get("last")
                change = CHANGE_RE.search(segment)
                if change:
                    before = segment[: change.start()]
                    cmp = COMPARE_RE.search(before)
                    if cmp:
                        compared = _compared(cmp.group("ref"), year)
                        before = before[: cmp.start()]
                    label, fy, _ = _clean(before, year, self.names)
                    base = last_level if not label else (self.find(label, fy) or None)
                    if change.group(1) in DOWN_WORDS:
                        amount = Amount(-amount.value, amount.decimals)
                    in_sentence.append(self.change(key, base, label, amount, unit, compared or _compared(None, fy),
                                                   line, n))
                    continue
                label, fy, as_of = _clean(segment, year, self.names)
                f = self.level(key, label or topic, amount, unit, fy, line, n, parent=includes or state.get("whole"),
                               as_of=as_of)
                in_sentence.append(f)
                state["last"] = f
            self.rate(parts[i], in_sentence, year)
            if sep in "；;":
                includes = None
        state["k"] = k


def topic_of(heading: str) -> str:
    """The subject of a section heading (``六、政府采购预算情况`` -> ``政府采购预算``).

    >>> topic_of("六、政府采购预算情况")
    '政府采购预算'
    """
    return TOPIC_SUFFIX_RE.sub("", strip_ordinal(heading)).strip()


def read_figures(sentences: list[tuple[int, int, str, str]], *, year: str, names: tuple[str, ...] = ()) -> list[FigureRec]:
    """Figures of ``(paragraph line, sentence number, sentence, section heading)``, in source order.

    ``names`` are names of the department that stand in for 我局 in the text.
    """
    reader = _Reader(year, tuple(sorted(names, key=len, reverse=True)))
    state: dict = {}
    current = None
    for line, n, sentence, heading in sentences:
        if line != current:
            state, current = {}, line
        reader.paragraph(line, n, _SPACE_NEAR.sub("", sentence), topic_of(heading), state)
    return reader.figures


def map_figures(figures: list[FigureRec], m, emit, *, rec, dataset, sentence_node, page_of=lambda line, n: None) -> None:
    """Each figure an observation of the narrative data set, derived from its sentence, located
    by the line and page of that sentence (``page_of(line, n)``: None where pages are not known).

    A figure has a line item of its own (the phrase it is stated with): the
    dimensions of two figures of a sentence may otherwise coincide.
    """
    org = m.department()
    phase = ox.NamedNode(concept_iri("phase", rec.phase))
    nodes = {f.key: m.node(f"narrative/obs/{f.key}") for f in figures}
    for index, f in enumerate(figures, start=1):
        o = nodes[f.key]
        emit(o, A, QB.Observation)
        emit(o, A, BKG.NarrativeFigure)
        emit(o, QB.dataSet, dataset)
        emit(o, BKG.organization, org)
        emit(o, BKG.fiscalYear, typed(f.year, "gYear"))
        emit(o, BKG.budgetPhase, phase)
        # Every dimension of bkg:dsd-narrative has a value (IC-11): _Z where the label names none.
        emit(o, BKG.operationCharacter, ox.NamedNode(concept_iri("operation", f.operation or NOT_APPLICABLE)))
        for scheme, dim in _SCHEME_DIM.items():
            emit(o, BKG[dim], ox.NamedNode(f.dims.get(dim) or concept_iri(scheme, NOT_APPLICABLE)))
        item = m.node(f"narrative/row/{index}")
        emit(dataset, BKG.hasLineItem, item)
        emit(item, A, BKG.LineItem)
        emit(item, BKG.rowIndex, integer(index))
        emit(item, BKG.sourceLine, integer(f.line))
        if f.label:
            emit(item, BKG.printedLabel, lit(f.label, "zh"))
            emit(item, RDFS.label, lit(f.label, "zh"))
        emit(o, BKG.lineItem, item)
        emit(o, BKG.amount, decimal(f.amount.printed()))
        emit(o, BKG.decimals, integer(f.amount.decimals))
        emit(o, BKG.currency, CNY)
        emit(o, BKG.unitLabel, lit(f.unit))
        emit(o, BKG.unitMultiplier, integer(unit_multiplier(f.unit)))
        if f.label:
            emit(o, BKG.printedLabel, lit(f.label, "zh"))
            emit(o, RDFS.label, lit(f.label, "zh"))
        emit(o, BKG.figureKind, lit(f.kind))
        emit(o, BKG.derived, typed("true" if f.derived else "false", "boolean"))
        if f.words:
            emit(o, BKG.note, lit(f"read from the words {f.words!r}", "en"))
        if f.compared_year:
            emit(o, BKG.comparedToYear, typed(f.compared_year, "gYear"))
        if f.change_of:
            emit(o, BKG.changeOf, nodes[f.change_of])
        if f.parent:
            emit(o, BKG.componentOf, nodes[f.parent])
        if f.reason:
            emit(o, BKG.changeReason, lit(f.reason, "zh"))
        if f.rate is not None:
            emit(o, BKG.changeRate, decimal(f.rate))
        if f.note:
            emit(o, BKG.note, lit(f.note, "zh"))
        if f.as_of:
            emit(o, BKG.asOfDate, typed(f.as_of, "date"))
        for other in f.derived_from:
            emit(o, PROV.wasDerivedFrom, nodes[other])
        emit(o, PROV.wasDerivedFrom, sentence_node(f.line, f.sentence))
        emit_location(emit, o, f.line, page_of(f.line, f.sentence))
