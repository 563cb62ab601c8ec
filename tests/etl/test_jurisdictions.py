"""Jurisdiction from the department name, checked against the hand-checked metadata of every
corpus document (tests/expected/corpus/<stem>/meta.json: department and jurisdiction)."""

import json
from pathlib import Path

import pytest

from budgetkg.etl.jurisdictions import find_jurisdiction, lineage

METAS = sorted((Path(__file__).parents[1] / "expected" / "corpus").glob("*/meta.json"))


@pytest.mark.parametrize("path", METAS, ids=[p.parent.name for p in METAS])
def test_corpus_department_in_its_jurisdiction(path):
    meta = json.loads(path.read_text(encoding="utf-8"))
    j = find_jurisdiction(meta["department"])
    assert j is not None and j.name_zh == meta["jurisdiction"]


def test_a_city_has_its_province_as_parent():
    assert [j.name_zh for j in lineage(find_jurisdiction("西安市统计局").code)] == ["西安市", "陕西省"]


def test_central_department_is_national():
    j = find_jurisdiction("国家信访局")
    assert (j.code, j.name_zh, j.parent) == ("100000", "中央", None)
