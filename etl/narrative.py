"""The explanation text of a disclosure (情况说明) to facts.

API: :func:`extract_narrative` ``(doc, rec)`` (a pipeline extractor: fills
``rec.narrative`` with a :class:`NarrativeRec`); :data:`UNITS_KIND`.
The records become triples in :mod:`budgetkg.etl.narrative_rdf`.

Every paragraph is kept: each sentence becomes a resource with its text and line,
part of the section whose heading stands above it. On top of that the text is
read for facts: the department's numbered duties (部门职责), its internal bodies
(机构设置: ``共设置 N 个内部机构 ... 如下：甲、乙``), the unit table (部门机构设置情况),
the department-level performance goals (总体绩效目标, 分项绩效目标 with their
绩效目标/绩效指标 text), the glossary (名词解释) and the budget figures of the
explanation (see :mod:`budgetkg.etl.narrative_figures`). A section whose only text says
there is nothing to say (``无其他需要说明的事项``) is recorded as empty.

>>> _empty_statement("我部门无其他需要说明的事项。"), _empty_statement("无"), _empty_statement("无政府采购预算，空表列示。")
(True, True, False)
>>> _glossary_entry("7、“三公”经费：是指因公出国（境）费。")
('“三公”经费', '是指因公出国（境）费。')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import pyoxigraph as ox

from budgetkg.resources import ONTOLOGY, files

from .codelists import codelists
from .docmeta import disclosed_names, split_scope
from .lexicon import (BODIES_RE, BODY_COUNT_RE, BODY_INLINE_LIST_RE, BODY_SECTION_NAMING, BODY_SECTION_RE, BODY_SUFFIXES,
                      DUTY_TITLE_WORDS, EMPTY_STATEMENT_RE, GLOSSARY_TITLE, GOAL_INDICATOR_WORD, GOAL_LABEL_RE, GOAL_WORD,
                      LIST_ETC, NUMBERED_RE, OVERALL_GOAL_TITLES, PERFORMANCE_WORD, TOP_ORDINAL_RE, UNIT_COLUMNS,
                      UNIT_NAME_HEADER)
from .model import Document, Heading, Paragraph, Table
from .narrative_figures import FigureRec, read_figures, split_sentences
from .text import match_key, strip_ordinal
from .vocab import BKG, RDFS, SKOS

UNITS_KIND = "units"
_BODY_NAME = 20  # characters: a name, not a sentence
_DUTY_LINE = 18  # characters of a numbered title that is a printed line cut at the page width
_GLOSSARY = re.compile(r"^(?P<term>[^：:。，,]{1,40}?)\s*[：:]\s*(?P<definition>.+)$")
_GLOSSARY_SCHEMES = ("fund-source", "expenditure-type", "three-public", "summary-item", "economic", "asset", "functional")


@dataclass
class SectionRec:
    line: int
    title: str
    page: int | None = None
    performance: bool = False  # within the part on performance (预算绩效)
    paragraphs: list[Paragraph] = field(default_factory=list)
    empty: bool = False
    statement: str | None = None  # the sentence saying the section has nothing to say
    organizations: list[str] = field(default_factory=list)  # named in the heading as whose disclosure this is


@dataclass
class SentenceRec:
    line: int
    n: int
    text: str
    page: int | None
    section: int | None  # line of the section heading
    organizations: list[str] = field(default_factory=list)  # named as whose disclosure this is


@dataclass
class DutyRec:
    n: int
    number: str  # as printed
    text: str
    line: int


@dataclass
class BodyRec:
    n: int
    name: str
    line: int


@dataclass
class UnitRec:
    name: str
    code: str | None
    values: dict[str, str]  # property -> printed value
    others: list[tuple[str, str]]  # unmapped header -> value, kept as notes
    line: int
    page: int | None


@dataclass
class TermRec:
    n: int
    number: str | None
    term: str
    definition: str
    line: int
    matches: list[str] = field(default_factory=list)  # code-list concepts / ontology terms it explains


@dataclass
class GoalRec:
    n: int  # 0 for the overall goal
    title: str
    goal: str
    indicators: str | None
    line: int  # of its section's heading


@dataclass
class NarrativeRec:
    sections: list[SectionRec] = field(default_factory=list)
    sentences: list[SentenceRec] = field(default_factory=list)
    duties: list[DutyRec] = field(default_factory=list)
    bodies: list[BodyRec] = field(default_factory=list)
    body_count: int | None = None
    units: list[UnitRec] = field(default_factory=list)
    glossary: list[TermRec] = field(default_factory=list)
    glossary_section: int | None = None
    goals: list[GoalRec] = field(default_factory=list)
    figures: list[FigureRec] = field(default_factory=list)


# ---------------------------------------------------------------- reading


def _empty_statement(text: str) -> bool:
    return bool(EMPTY_STATEMENT_RE.match(re.sub(r"\s+", "", text)))


def _glossary_entry(text: str) -> tuple[str, str] | None:
    m = _GLOSSARY.match(strip_ordinal(text))
    return (m["term"].strip(), m["definition"].strip()) if m else None


def _sections(doc: Document) -> tuple[list[SectionRec], list[tuple[Paragraph, SectionRec | None]]]:
    sections: list[SectionRec] = []
    paragraphs: list[tuple[Paragraph, SectionRec | None]] = []
    current: SectionRec | None = None
    performance = False
    blocks = doc.blocks
    for i, block in enumerate(blocks):
        if isinstance(block, Heading):
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            if isinstance(nxt, Table):
                continue  # the title of a table
            key = match_key(block.text)
            if PERFORMANCE_WORD in key:
                performance = True
            elif TOP_ORDINAL_RE.match(block.text):
                performance = False
            current = SectionRec(block.line, block.text, block.page, performance)
            sections.append(current)
        elif isinstance(block, Paragraph):
            paragraphs.append((block, current))
            if current is not None:
                current.paragraphs.append(block)
    for i, s in enumerate(sections):
        texts = [p.text for p in s.paragraphs]
        if texts and all(_empty_statement(t) for t in texts):
            s.empty, s.statement = True, " ".join(texts)
        elif not texts and i == len(sections) - 1 and isinstance(blocks[-1], Heading):
            s.empty = True
    return sections, paragraphs


def extract_narrative(doc: Document, rec) -> None:
    """Read the explanation text (and the unit tables) into ``rec.narrative``."""
    out = NarrativeRec()
    out.sections, paragraphs = _sections(doc)
    for p, section in paragraphs:
        for n, text in enumerate(split_sentences(p.text), start=1):
            out.sentences.append(SentenceRec(p.line, n, text, p.page, section.line if section else None))
    for i, section in enumerate(out.sections):
        key = match_key(section.title)
        if GLOSSARY_TITLE in key:
            _glossary(doc, rec, out, section)
        elif any(w in key for w in DUTY_TITLE_WORDS) and not section.performance:
            _duties(out, section)
            _duty_headings(out, out.sections[i + 1:])
    for p, section in paragraphs:
        if BODIES_RE.search(p.text) and not (section and section.performance):
            _bodies(doc, rec, out, p)
    if not out.bodies:
        for section in out.sections:
            if BODY_SECTION_RE.search(match_key(section.title)) and not section.performance:
                _listed_bodies(out, section)
                if not out.bodies:
                    _inline_bodies(out, section)
    _goals(out)
    for table, kind in rec.kinds:
        if kind == UNITS_KIND:
            _units(doc, rec, out, table)
    _organizations(doc, out)
    names = (rec.department_name,) + tuple(u.name for u in out.units)
    # Budget figures are read outside the performance part (goals cite other amounts) and the glossary.
    titles = {s.line: s.title for s in out.sections}
    skip = {s.line for s in out.sections if s.performance or s.line == out.glossary_section}
    explanation = [(s.line, s.n, s.text, titles.get(s.section, "")) for s in out.sentences if s.section not in skip]
    out.figures = read_figures(explanation, year=rec.year, names=names)
    rec.narrative = out


def _organizations(doc: Document, out: NarrativeRec) -> None:
    """The organisation each sentence and heading names as the one whose disclosure this is
    (audit: one organisation); the cover's title is the cover's, a listed budget unit is another one's."""
    units = {u.name for u in out.units}

    def names(text: str) -> list[str]:
        return [n for n in disclosed_names(text) if split_scope(n)[0] not in units]

    for s in out.sentences:
        s.organizations = names(s.text)
    for section in out.sections:
        if section.title != doc.title:
            section.organizations = names(section.title)


def _duties(out: NarrativeRec, section: SectionRec) -> None:
    for p in section.paragraphs:
        m = NUMBERED_RE.match(p.text)
        if m:
            number = next(g for g in m.groups() if g)
            out.duties.append(DutyRec(len(out.duties) + 1, number, p.text[m.end():].strip(), p.line))
        elif out.duties and not BODIES_RE.search(p.text):
            out.duties[-1].text += p.text  # a duty continued in a paragraph of its own


def _duty_headings(out: NarrativeRec, following: list[SectionRec]) -> None:
    """Numbered duties the PDF reader took for headings: a line cut at the page width, its rest below.

    The numbered sections right after the duties are duties while their title is as long as a
    printed line (a real sub-heading such as ``（二）机构设置`` is short) and no top-level
    heading (``二、``) stands between.
    """
    for section in following:
        m = NUMBERED_RE.match(section.title)
        if not m or TOP_ORDINAL_RE.match(section.title) or len(section.title[m.end():].strip()) < _DUTY_LINE:
            return
        number = next(g for g in m.groups() if g)
        out.duties.append(DutyRec(len(out.duties) + 1, number, section.title[m.end():].strip(), section.line))
        for p in section.paragraphs:
            m = NUMBERED_RE.match(p.text)
            if m:
                number = next(g for g in m.groups() if g)
                out.duties.append(DutyRec(len(out.duties) + 1, number, p.text[m.end():].strip(), p.line))
            else:
                out.duties[-1].text += p.text  # the rest of the cut line


def _listed_bodies(out: NarrativeRec, section: SectionRec) -> None:
    """Internal bodies printed as a numbered list of names (``1.办公室``), each maybe followed by its tasks.

    Under a title that says 机构设置 only, a list of budget units (``1.某局机关``) is no list of
    bodies: there every name must end as a body's does (室, 处, 科 ...).
    """
    named = any(w in match_key(section.title) for w in BODY_SECTION_NAMING)
    names = []
    for p in section.paragraphs:
        m = NUMBERED_RE.match(p.text)
        name = p.text[m.end():].strip().rstrip("。.；;") if m else ""
        name = re.split(r"[（(]", name)[0].strip()  # （挂“某中心”牌子）: a note; the paragraph keeps it
        if name and len(name) <= _BODY_NAME and not re.search(r"[，,：:；;。]", name):
            names.append((name, p.line))
    if names and (named or all(n.endswith(BODY_SUFFIXES) for n, _ in names)):
        for name, line in names:
            out.bodies.append(BodyRec(len(out.bodies) + 1, name, line))


def _inline_bodies(out: NarrativeRec, section: SectionRec) -> None:
    """Internal bodies named in one sentence after 设 (``局机关设办公室、综合调研处、...，共计10个处室``):
    short names, most of them ending as a body's does (室, 处, 科 ...); a party branch (机关党总支) among them."""
    for p in section.paragraphs:
        for sentence in split_sentences(p.text):
            m = BODY_INLINE_LIST_RE.search(sentence)
            names = [n.strip() for n in m.group(1).split("、") if n.strip()] if m else []
            if len(names) < 2 or any(len(n) > _BODY_NAME for n in names):
                continue
            if sum(n.endswith(BODY_SUFFIXES) for n in names) * 2 <= len(names):
                continue
            for name in names:
                out.bodies.append(BodyRec(len(out.bodies) + 1, name, p.line))
            return


def _bodies(doc, rec, out: NarrativeRec, p: Paragraph) -> None:
    for sentence in split_sentences(p.text):
        if not BODIES_RE.search(sentence) or "：" not in sentence and ":" not in sentence:
            continue
        m = BODY_COUNT_RE.search(sentence)
        listed = re.split(r"[：:]", sentence)[-1].rstrip("。.；;")
        names = [n.strip().removesuffix(LIST_ETC) for n in re.split(r"[、，,]", listed) if n.strip()]
        if len(names) < 2 or any(len(n) > 30 for n in names):
            continue
        for name in names:
            out.bodies.append(BodyRec(len(out.bodies) + 1, name, p.line))
        if m:
            out.body_count = int(m.group(1))
            if out.body_count != len(names):
                rec.skip(doc.location(p.line, p.page),
                         f"the text counts {out.body_count} internal bodies but names {len(names)}; all named kept")


def _goals(out: NarrativeRec) -> None:
    for section in out.sections:
        if not section.performance or not section.paragraphs:
            continue
        labelled: dict[str, str] = {}
        plain = []
        for p in section.paragraphs:
            m = GOAL_LABEL_RE.match(p.text)
            if m:
                labelled[m.group(1)] = (labelled.get(m.group(1), "") + p.text[m.end():]).strip()
            else:
                plain.append(p.text)
        title, key = strip_ordinal(section.title), match_key(section.title)
        if labelled:
            n = sum(1 for g in out.goals if g.n) + 1
            out.goals.append(GoalRec(n, title, labelled.get(GOAL_WORD, ""), labelled.get(GOAL_INDICATOR_WORD), section.line))
        elif plain and any(w in key for w in OVERALL_GOAL_TITLES):
            out.goals.insert(0, GoalRec(0, title, "".join(plain), None, section.line))


def _glossary(doc, rec, out: NarrativeRec, section: SectionRec) -> None:
    out.glossary_section = section.line
    lists = codelists()
    ontology = _ontology_terms()
    for p in section.paragraphs:
        entry = _glossary_entry(p.text)
        if entry is None:
            if out.glossary:
                out.glossary[-1].definition += p.text
            else:
                rec.skip(doc.location(p.line, p.page), "glossary paragraph without 'term：definition'; kept as text only")
            continue
        m = NUMBERED_RE.match(p.text)
        number = next((g for g in m.groups() if g), None) if m else None
        term = TermRec(len(out.glossary) + 1, number, entry[0], entry[1], p.line)
        for scheme in _GLOSSARY_SCHEMES:
            iri = lists.match(scheme, term.term, suffix=False)
            if iri:
                term.matches.append(iri)
        if match_key(term.term) in ontology:
            term.matches.append(ontology[match_key(term.term)])
        out.glossary.append(term)


@lru_cache(maxsize=1)
def _ontology_terms() -> dict[str, str]:
    """Match keys of the zh labels of the ontology's own terms (bkg:)."""
    out: dict[str, str] = {}
    label = (RDFS.label.value, SKOS.prefLabel.value, SKOS.altLabel.value)
    for path in files(ONTOLOGY, "*.ttl"):
        with path.open("rb") as fh:
            for t in ox.parse(fh, format=ox.RdfFormat.TURTLE):
                if (t.predicate.value in label and isinstance(t.subject, ox.NamedNode)
                        and t.subject.value.startswith(BKG.base) and isinstance(t.object, ox.Literal)
                        and (t.object.language or "").startswith("zh")):
                    out.setdefault(match_key(t.object.value), t.subject.value)
    return out


def _units(doc, rec, out: NarrativeRec, table: Table) -> None:
    loc = doc.location(table.line, table.page, table.title)
    header = table.leaf_headers()
    roles = {i: UNIT_COLUMNS.get(match_key(h), "other") for i, h in enumerate(header)}
    if "name" not in roles.values():
        rec.skip(loc, f"unit table without a {UNIT_NAME_HEADER} column, not mapped")
        return
    for row in table.rows:
        values: dict[str, str] = {}
        others = []
        for i, cell in enumerate(row.cells):
            role = roles.get(i, "other")
            if not cell or role is None:
                continue
            if role == "other":
                others.append((header[i] if i < len(header) else f"column {i + 1}", cell))
            else:
                values[role] = cell
        name = values.pop("name", "")
        if not name:
            if values or others:
                rec.skip(doc.location(row.line, row.page, table.title), f"unit row without a {UNIT_NAME_HEADER}, not mapped")
            continue
        out.units.append(UnitRec(name, values.pop("code", None), values, others, row.line, row.page))
