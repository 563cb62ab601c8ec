"""Text normalisation shared by the readers and the matchers.

API: :func:`clean_cell` (printed cell -> text as a reader sees it),
:func:`match_key` (text -> key for matching labels against code lists),
:func:`strip_ordinal` (drop ``一、`` ``（一）`` ``1、`` prefixes).

>>> clean_cell("<b>资源勘探工业信息 等支出</b>")
'资源勘探工业信息等支出'
>>> clean_cell("2022 年底")
'2022 年底'
>>> clean_cell("项目\\x00名称\\x01"), is_clean("项目\\x00名称"), is_clean("项目名称")
('项目名称', False, True)
>>> match_key("十、卫生健康 支出")
'卫生健康支出'
>>> match_key("其中：公务用车购置费")
'公务用车购置费'
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .lexicon import OF_WHICH_MARKS, ORDINAL_PREFIX_RE

# Characters that PDF extraction leaves in text and that carry no meaning: zero-width characters, the soft
# hyphen, and the control characters (C0 other than tab, line feed and carriage return; DEL; C1). A glyph of
# Unicode 0 is U+0000 to the PDF readers, as to pdfplumber, and no literal may hold it or another C0 control:
# XML 1.0 has no way to write them, so a SPARQL XML result or an RDF/XML document holding one is not XML.
_CONTROLS = "".join(chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)] if chr(c) not in "\t\n\r")
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad" + _CONTROLS), None)

_MARKUP = re.compile(r"</?(?:b|strong|i|em|u|span)[^>]*>|\*\*", re.IGNORECASE)
_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef“”‘’"
_CJK_SPACE = re.compile(rf"(?<=[{_CJK}])[ \u00a0\u3000]+(?=[{_CJK}])")
_SPACES = re.compile(r"[ \u00a0\u3000]+")
# What clean_cell changes starts with one of these (white space, markup, an invisible character): a text
# without any is returned as it is, without the passes.
_UNCLEAN = re.compile("[\\s<*" + "".join(map(chr, INVISIBLE)) + "]")
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "〈": "<", "〉": ">", "《": "<", "》": ">"})


def is_bold(cell: str) -> bool:
    return "<b>" in cell.lower() or cell.startswith("**")


def is_clean(text: str) -> bool:
    """No white space, markup or invisible character in ``text``: :func:`clean_cell` returns it as it is."""
    return _UNCLEAN.search(text) is None


def clean_cell(cell: str) -> str:
    """Markup stripped, invisible characters dropped, spaces between CJK characters rejoined."""
    if is_clean(cell):
        return cell
    text = _MARKUP.sub("", cell.translate(INVISIBLE))
    text = _CJK_SPACE.sub("", text)
    return _SPACES.sub(" ", text).strip()


def strip_ordinal(text: str) -> str:
    return ORDINAL_PREFIX_RE.sub("", text).strip()


# match_key is a function of its text alone, asked again and again for the same labels by the matchers
@lru_cache(maxsize=1 << 16)
def match_key(text: str) -> str:
    """The key under which a printed label is matched against code-list labels."""
    text = unicodedata.normalize("NFKC", clean_cell(text))
    for mark in OF_WHICH_MARKS:
        text = text.replace(mark, "")
    text = strip_ordinal(text.strip())
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return re.sub(r"\s+", "", text).replace('"', "").replace("'", "")
