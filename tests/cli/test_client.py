"""budgetkg.client against a real running service over the text sample.

Expected values are read from the sample (data/samples/000_60bd7a1a2874cc3a.txt, 部门预算支出总表 and
部门预算财政拨款“三公”经费支出表), not from the code's output.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

pytest.importorskip("pandas")

from budgetkg.client import Client, ServiceError  # noqa: E402

from tests.conftest_service import svc_data, server  # noqa: F401

SAMPLE_STEM = "000_60bd7a1a2874cc3a"


def test_named_query_keeps_decimals(server):
    df = Client(server).query("expenditure_by_function", digits=3)
    by_code = {row["code"]: row for _, row in df.iterrows()}
    assert set(by_code) == {"210", "215"}
    assert by_code["210"]["amount"] == Decimal("440.00") and by_code["210"]["name_zh"] == "卫生健康支出"
    assert by_code["215"]["amount"] == Decimal("1036.29")
    assert type(by_code["215"]["amount"]) is Decimal  # never float
    assert by_code["215"]["unit"] == "万元"


def test_sparql_unbound_is_none_not_zero(server):
    df = Client(server).sparql("""SELECT ?x ?y WHERE { VALUES (?x ?y) { (1.50 UNDEF) } }""")
    assert df.loc[0, "x"] == Decimal("1.50") and df.loc[0, "y"] is None


def test_errors_name_the_problem(server):
    bk = Client(server)
    with pytest.raises(ServiceError, match="400.*digits|digits.*400|not an integer"):
        bk.query("expenditure_by_function", digits="three")
    with pytest.raises(ServiceError, match="404"):
        bk.query("no_such_query")
    with pytest.raises(KeyError, match="no document"):
        bk.table("no_such_document", "expenditure")


def test_printed_table(server):
    df = Client(server).table(SAMPLE_STEM, "expenditure")
    columns = list(df.columns)
    assert "合计" in columns and "基本支出" in columns and "项目支出" in columns
    rows = {tuple(r): r for r in df.itertuples(index=False)}
    labels = [r[columns.index("功能分类科目/科目名称")] for r in rows]  # the printed header path (source lines 114-115)
    assert "资源勘探工业信息等支出" in labels and "行政运行" in labels
    run = next(r for r in df.itertuples(index=False) if "行政运行" in r)
    assert Decimal("916.29") in run and Decimal("891.29") in run and Decimal("25.00") in run
    assert str(run[columns.index("项目支出")]) == "25.00"  # printed precision kept
    assert run[columns.index("经营支出")] == ""  # empty cell: no value, not zero


def test_printed_table_three_public(server):
    bk = Client(server)
    df = bk.table(bk.documents().loc[0, "graph"], "three_public_expenses")
    car = next(r for r in df.itertuples(index=False) if "公务用车运行维护费" in r)
    assert Decimal("6.00") in car
    total = next(r for r in df.itertuples(index=False) if "合计" in r)
    assert str(total[2]) == "8"  # printed without decimals
    with pytest.raises(KeyError, match="prints no table"):
        bk.table(SAMPLE_STEM, "no_such_table")
