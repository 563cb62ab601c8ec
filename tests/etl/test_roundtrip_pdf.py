"""Every table of both sample PDFs, regenerated from the graph by SPARQL, equals the CSV
transcribed by hand from the PDF page images (tests/expected/<document>/).

Amounts are compared without thousands separators: the graph keeps the value and the
printed number of decimals, not the typography of digit grouping.
"""

import csv
import re
from pathlib import Path

import pytest

from budgetkg.tables import regenerate
from budgetkg.etl.build import build

EXPECTED = Path(__file__).parents[1] / "expected"
DOCS = ("shpt_sfj_2026_budget", "shpt_czj_2024_final_accounts")
CASES = [(d, p.stem) for d in DOCS for p in sorted((EXPECTED / d).glob("*.csv"))]
_NUMBER = re.compile(r"-?[\d,]+(\.\d+)?")


@pytest.fixture(scope="module")
def regenerated(shared_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf-build") / "dist"
    build([shared_dir / "samples" / f"{d}.pdf" for d in DOCS], out=out, jobs=2)
    tables = tmp_path_factory.mktemp("pdf-tables")
    regenerate(out, tables)
    return tables


def read(path):
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def norm(cell: str) -> str:
    return cell.replace(",", "") if _NUMBER.fullmatch(cell) else cell


@pytest.mark.parametrize("doc,key", CASES, ids=[f"{d[:8]}-{k}" for d, k in CASES])
def test_pdf_table_round_trip(regenerated, doc, key):
    expected, actual = read(EXPECTED / doc / f"{key}.csv"), read(regenerated / doc / f"{key}.csv")
    assert actual[0] == expected[0], "column headers"
    assert len(actual) == len(expected), "row count"
    for r, (exp_row, act_row) in enumerate(zip(expected, actual)):
        for c, cell in enumerate(exp_row):
            if cell:
                assert norm(act_row[c]) == norm(cell), f"row {r} column {c} ({expected[0][c]})"
