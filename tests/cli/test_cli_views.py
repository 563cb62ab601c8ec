"""``budgetkg query`` listing the named queries and writing workbooks, on a build of the sample."""

import subprocess
import sys
from decimal import Decimal

import openpyxl


def cli(*args):
    return subprocess.run([sys.executable, "-m", "budgetkg.cli", *map(str, args)], capture_output=True, text=True)


def test_query_without_a_name_lists_the_named_queries():
    r = cli("query")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].split()[:2] == ["name", "title"]
    by_name = {line.split()[0]: line for line in lines[1:]}
    assert "expenditure_by_function" in by_name and "digits [integer]" in by_name["expenditure_by_function"]
    assert "department [iri]" in by_name["budget_vs_execution"]


def test_query_xlsx_workbook(built, tmp_path):
    out = tmp_path / "by_function.xlsx"
    r = cli("query", "expenditure_by_function", "--param", "digits=3", "--data", built, "--format", "xlsx", "--out", out)
    assert r.returncode == 0, r.stderr
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    names = rows[0]
    by_code = {row[names.index("code")]: row for row in rows[1:]}
    # 部门预算支出总表 of the sample: 210 卫生健康支出 440.00, 215 资源勘探工业信息等支出 1036.29 (万元)
    assert Decimal(str(by_code["215"][names.index("amount")])) == Decimal("1036.29")
    assert by_code["210"][names.index("name_zh")] == "卫生健康支出" and by_code["210"][names.index("unit")] == "万元"
    assert [p.name for p in tmp_path.iterdir()] == ["by_function.xlsx"]  # no temporary file left


def test_query_xlsx_needs_a_file(built):
    r = cli("query", "expenditure_by_function", "--param", "digits=3", "--data", built, "--format", "xlsx")
    assert r.returncode == 2 and "--out" in r.stderr
