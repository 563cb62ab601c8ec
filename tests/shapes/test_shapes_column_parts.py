"""Which printed columns are the parts of a total column (bkgsh:ColumnSum), on real excerpts of the corpus.

Figures read from the page images of changsha_xfj_2026_budget_dept.pdf (长沙市信访局 2026 部门预算).
"""

from __future__ import annotations

from decimal import Decimal

from budgetkg.etl.codelists import concept_iri
from tests.shapes.test_shapes_arithmetic import _excerpt, _warnings
from tests.shapes.test_shapes_support import B, set_amount

_COLUMN_SUMS = ("ColumnSum", "ColumnBlankTotal")


def _column_concepts(triples, table: str, index: int) -> dict[str, str]:
    col = next(t.subject for t in triples if t.predicate == B("columnIndex") and f"/{table}/col/" in t.subject.value
               and t.object.value == str(index))
    return {t.predicate.value.rsplit("#", 1)[1]: t.object.value for t in triples
            if t.subject == col and t.predicate in (B("fundSource"), B("expenditureType"))}


def _cell_concept(triples, table: str, row: int, col: int, dim: str) -> str:
    obs = next(t.subject for t in triples if t.predicate == B("amount") and f"/{table}/obs/{row}-{col}" in t.subject.value)
    return next(t.object.value for t in triples if t.subject == obs and t.predicate == B(dim))


def test_an_of_which_column_is_a_part_of_its_whole_not_of_the_total():
    """2026年部门收入总体情况表 (p13, tests/cases/changsha/income_of_which_column): 合计 | 本级财政拨款 (金额 |
    其中:经费拨款) | 财政专户管理事业收入 ...; every row prints 合计 = 金额 = 其中:经费拨款 (合计 row 1,935.36 three
    times; 2014001 行政运行 1,517.95; 2014004 信访业务 417.41). 合计 is 金额 plus the other sources: the 其中 column
    breaks 金额 down, it is no further source (it was summed too: expected 3,870.72, twice the printed total)."""
    triples = _excerpt("changsha/income_of_which_column", "长沙市信访局")
    appropriation = concept_iri("fund-source", "appropriation")
    assert _column_concepts(triples, "income", 6) == {"fundSource": appropriation}  # 本级财政拨款 / 金额
    assert _column_concepts(triples, "income", 7) == {}  # 本级财政拨款 / 其中:经费拨款: no source of its own
    assert _cell_concept(triples, "income", 4, 7, "fundSource") == appropriation  # its cells are appropriation
    assert [w for w in _warnings(triples) if w[0] in _COLUMN_SUMS] == []
    changed = set_amount(triples, "income", 4, 6, "1518.95")  # 2014001 行政运行, 金额: 1,517.95 -> 1,518.95
    assert [w for w in _warnings(changed) if w[0] in _COLUMN_SUMS] == [
        ("ColumnSum", "2026年部门收入总体情况表", "4 2014001 行政运行", "5 合计", "1517.95", Decimal("1518.95"))]


def test_personnel_class_column_is_personnel_expenditure():
    """2026年一般公共预算基本支出情况表 (pp18-19, tests/cases/changsha/basic_expenditure_personnel_class): 总计 |
    人员类 | 公用经费. 合计 1,517.95 = 1,394.97 + 122.98; 302 商品和服务支出 171.78 = 48.80 + 122.98; 30228 工会经费
    17.10 = 10.92 + 6.18. 人员类 is the personnel part of basic expenditure (总计 was compared with 公用经费 alone)."""
    triples = _excerpt("changsha/basic_expenditure_personnel_class", "长沙市信访局")
    table = "general_budget_basic_expenditure"
    assert _column_concepts(triples, table, 4) == {"expenditureType": concept_iri("expenditure-type", "personnel")}
    assert [w for w in _warnings(triples) if w[0] in _COLUMN_SUMS] == []
    changed = set_amount(triples, table, 1, 4, "1395.97")  # 合计, 人员类: 1,394.97 -> 1,395.97
    assert ("ColumnSum", "2026年一般公共预算基本支出情况表", "1 合计", "3 总计", "1517.95", Decimal("1518.95")) in \
        _warnings(changed)

