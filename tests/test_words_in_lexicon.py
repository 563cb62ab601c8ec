"""The printed vocabulary lives in one module (issue 11): no regular expression of the ETL outside
``etl/lexicon.py`` spells a word of the templates (a CJK ideograph); punctuation may stay with the
code that splits text on it.
"""

import ast
import re
from pathlib import Path

ETL = Path(__file__).resolve().parents[1] / "etl"
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
RE_FUNCTIONS = {"compile", "match", "search", "fullmatch", "sub", "subn", "split", "findall", "finditer"}


def _patterns_with_words(path: Path) -> list[tuple[int, str]]:
    """(line, pattern) of each ``re.<function>(pattern, ...)`` whose literal pieces hold an ideograph."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in RE_FUNCTIONS
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "re" and node.args):
            pieces = "".join(c.value for c in ast.walk(node.args[0]) if isinstance(c, ast.Constant) and isinstance(c.value, str))
            if CJK.search(pieces):
                out.append((node.lineno, pieces))
    return out


def test_no_template_word_in_a_pattern_outside_the_lexicon():
    found = {}
    for path in sorted(ETL.rglob("*.py")):
        name = path.relative_to(ETL).as_posix()
        if name == "lexicon.py":
            continue
        found.update({f"{name}:{line}": pattern for line, pattern in _patterns_with_words(path)})
    assert found == {}


def test_the_scan_sees_the_lexicon_patterns():
    # The scan finds words where they are meant to be (so an empty result above means something).
    assert len(_patterns_with_words(ETL / "lexicon.py")) > 20
