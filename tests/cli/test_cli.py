"""The query and tables sub-commands on a build of the sample."""

import csv
import io
import json
import subprocess
import sys
from decimal import Decimal


def cli(*args):
    return subprocess.run([sys.executable, "-m", "budgetkg.cli", *map(str, args)], capture_output=True, text=True)


def test_query_named_csv(built):
    r = cli("query", "departments", "--data", built, "--format", "csv")
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [(x["name"], x["year"], x["jurisdiction"]) for x in rows] == [("邢台市工业和信息化局", "2022", "邢台市")]
    assert rows[0]["total"] == "1476.29" and rows[0]["totalYuan"].startswith("14762900")


def test_query_with_parameter_json(built):
    r = cli("query", "expenditure_by_function", "--param", "digits=7", "--data", built, "--format", "json")
    codes = {row["code"]: row["amount"] for row in json.loads(r.stdout)}
    # 项 rows of the 支出总表, 合计 column (source lines 120-124)
    assert codes == {"2100409": "440", "2150501": "916.29", "2150502": "120"}


def test_query_file(built, tmp_path):
    q = tmp_path / "count.rq"
    q.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?o a <https://budgetkg.org/def/budget#BudgetObservation> }")
    r = cli("query", q, "--data", built, "--format", "csv")
    assert r.stdout.splitlines()[1] == "148"


def test_query_bad_parameter_value(built):
    r = cli("query", "expenditure_by_function", "--param", "digits=x", "--data", built)
    assert r.returncode == 2 and "not an integer" in r.stderr


def test_query_unknown_name(built):
    r = cli("query", "no_such_query", "--data", built)
    assert r.returncode == 2 and "no named query" in r.stderr


def test_tables_command(built, tmp_path):
    r = cli("tables", "--data", built, "--out", tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "000_60bd7a1a2874cc3a" / "three_public_expenses.csv").exists()


def test_tables_command_writes_workbooks(built, tmp_path):
    out = tmp_path / "xlsx"
    r = cli("tables", "--data", built, "--out", out, "--format", "xlsx")
    assert r.returncode == 0, r.stderr
    assert (out / "000_60bd7a1a2874cc3a" / "expenditure.xlsx").exists() and not list(out.rglob("*.csv"))
    assert cli("tables", "--data", built, "--out", out, "--format", "ods").returncode == 2


def test_commands_without_build(tmp_path):
    r = cli("tables", "--data", tmp_path / "none")
    assert r.returncode == 2 and "budgetkg build" in r.stderr


def test_unknown_code_lands_in_graph_as_concept(tmp_path):
    from budgetkg.etl.pipeline import process_document
    from budgetkg.etl.read_text import read_text
    from budgetkg.etl.to_rdf import to_graph
    import rdflib

    text = ("## 部门预算支出总表\n\n501 某某局\n\n预算年度：2023\n\n单位：万元\n\n"
            "序号\t科目编码\t科目名称\t合计\n栏次\t1\t2\t3\n1\t2999901\t某新增项级科目\t1.00\n")
    g = to_graph(process_document(read_text(text, path="t.txt")), base="https://budgetkg.org/")
    c = rdflib.URIRef("https://budgetkg.org/def/cl/functional/2999901")
    SKOS = rdflib.namespace.SKOS
    assert (c, SKOS.inScheme, rdflib.URIRef("https://budgetkg.org/def/cl/functional")) in g
    assert (c, SKOS.prefLabel, rdflib.Literal("某新增项级科目", lang="zh")) in g
    assert (c, SKOS.broader, rdflib.URIRef("https://budgetkg.org/def/cl/functional/29999")) in g


def test_query_without_a_required_parameter_names_it(built):
    r = cli("query", "expenditure_by_function", "--data", built)
    assert r.returncode == 2 and "'digits'" in r.stderr
    r = cli("query", "expenditure_by_function", "--param", "digits", "--data", built)
    assert r.returncode == 2 and "NAME=VALUE" in r.stderr and "Traceback" not in r.stderr


def test_budget_vs_execution_leaves_an_absent_side_unbound(built):
    # The sample is a budget only: no final accounts, so no execution figure (absent, not 0).
    # 卫生健康支出 (210) is printed 440.00 万元 in its 支出总表.
    r = cli("query", "budget_vs_execution", "--param", "department=https://budgetkg.org/id/org/130500/501",
            "--param", "year=2022", "--data", built, "--format", "json")
    assert r.returncode == 0, r.stderr
    row = next(x for x in json.loads(r.stdout) if x["code"] == "210")
    assert Decimal(row["budgetYuan"]) == Decimal("4400000")
    assert row["executedYuan"] == "" and row["rate"] == ""


def test_query_listing_says_which_parameters_are_required_and_their_defaults():
    r = cli("query")
    assert r.returncode == 0, r.stderr
    assert "documents_by_jurisdiction" in r.stdout
    assert "digits [integer] (required)" in r.stdout and "threshold [integer] (default 0)" in r.stdout
