"""Table layouts of other templates, read by the PDF reader (etl/read_pdf.py, etl/pdf_tables.py).

Each case ``tests/cases/<template>/<case>/`` with an ``expected.json`` is a page excerpt of a corpus
document (``input.pdf``, pages cut out of ``../shared/samples/corpus/``) and the tables printed on it,
typed from the page images (pypdfium2 rendering), not from this code's output: the page and title of every
table of the excerpt (``titles``, where the excerpt holds tables not checked further) and per table its title,
unit, table number, the pages it covers (of the excerpt), its body rows as printed and (where given) the
notes below it. ``why`` in the
file says which layout quirk the case holds.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from budgetkg.etl.read_pdf import read_pdf

CASES = Path(__file__).parents[1] / "cases"
LAYOUTS = sorted(p.parent for p in CASES.glob("*/*/expected.json"))
_CJK_SPACE = re.compile(r"(?<=[\u4e00-\u9fff]) +(?=[\u4e00-\u9fff])")  # letter-spaced 合 计


def _norm(cell: str) -> str:
    return _CJK_SPACE.sub("", cell.strip())


@pytest.mark.parametrize("case", LAYOUTS, ids=[f"{c.parent.name}-{c.name}" for c in LAYOUTS])
def test_tables_read_as_printed(case):
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))["tables"]
    titles = json.loads((case / "expected.json").read_text(encoding="utf-8")).get("titles")
    tables = read_pdf(case / "input.pdf").tables()
    if titles is not None:  # every table of the excerpt, in order
        assert [[t.page, t.title] for t in tables] == titles
    else:
        assert [(t.page, t.title) for t in tables] == [(e["page"], e["title"]) for e in expected]
    found = {(t.page, t.title): t for t in tables}
    for exp in expected:
        table = found[(exp["page"], exp["title"])]
        where = f"page {exp['page']} {exp['title']}"
        assert table.meta.get("unit") == exp["unit"], where
        assert table.meta.get("number") == exp.get("number"), where
        assert sorted({r.page for r in table.rows}) == exp["pages"], where
        assert [[_norm(c) for c in r.cells] for r in table.rows] == [[_norm(c) for c in r] for r in exp["rows"]], where
        if "notes" in exp:
            assert table.notes == exp["notes"], where
