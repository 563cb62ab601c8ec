"""Every cell of every budget table of the sample, regenerated from the graph by SPARQL,
equals the CSV transcribed by hand from the source (tests/expected/sample)."""

import csv
from pathlib import Path

import pytest

from budgetkg.tables import regenerate

EXPECTED = Path(__file__).parents[1] / "expected" / "sample"
KEYS = sorted(p.stem for p in EXPECTED.glob("*.csv"))


@pytest.fixture(scope="module")
def regenerated(built, tmp_path_factory):
    out = tmp_path_factory.mktemp("tables")
    regenerate(built, out)
    return out / "000_60bd7a1a2874cc3a"


def read(path):
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def test_every_budget_table_regenerated(regenerated):
    assert {"income_expenditure_summary", "income", "expenditure", "appropriation_summary",
            "general_budget_expenditure", "general_budget_basic_expenditure",
            "government_fund_expenditure", "state_capital_expenditure", "three_public_expenses",
            "government_procurement", "fixed_assets"} <= {p.stem for p in regenerated.glob("*.csv")}


@pytest.mark.parametrize("key", KEYS)
def test_table_round_trip(regenerated, key):
    expected, actual = read(EXPECTED / f"{key}.csv"), read(regenerated / f"{key}.csv")
    assert actual[0] == expected[0], "column headers"
    assert len(actual) == len(expected), "row count"
    for r, (exp_row, act_row) in enumerate(zip(expected, actual)):
        for c, cell in enumerate(exp_row):
            if cell:
                assert act_row[c] == cell, f"row {r} column {c} ({expected[0][c]})"
