"""A named query's page (form, HTML results, downloads) against a real server over the text sample.

Expected values from data/samples/000_60bd7a1a2874cc3a.txt, 部门预算支出总表: 210 卫生健康支出 440.00 and
215 资源勘探工业信息等支出 1036.29 (万元).
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl

from tests.conftest_service import client, server, svc_data  # noqa: F401


def test_form_shows_parameters_and_asks_for_required(client):
    r = client.get("/queries/expenditure_by_function")
    assert r.status_code == 200
    assert "<input name='digits' type='number'" in r.text and " required" in r.text and "[integer]" in r.text
    assert "Give digits to run it" in r.text and "Results" not in r.text
    listing = client.get("/queries")
    assert "href='/queries/expenditure_by_function'" in listing.text


def test_results_as_html_table(client):
    r = client.get("/queries/expenditure_by_function", params={"digits": "3"})
    assert r.status_code == 200
    assert "Results · 结果 (2)" in r.text
    assert "<td>卫生健康支出</td>" in r.text and "<td class='num'>1036.29</td>" in r.text and "<td>万元</td>" in r.text
    assert "value='3'" in r.text  # the form keeps what was asked
    bad = client.get("/queries/expenditure_by_function", params={"digits": "three"})
    assert bad.status_code == 200 and "not an integer" in bad.text


def test_downloads(client):
    p = {"digits": "3"}
    plain = client.get("/queries/expenditure_by_function.csv", params=p)
    assert plain.status_code == 200 and not plain.content.startswith(b"\xef\xbb\xbf")
    assert "attachment" in plain.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(plain.text)))
    assert {r["code"]: Decimal(r["amount"]) for r in rows} == {"210": Decimal("440"), "215": Decimal("1036.29")}
    excel = client.get("/queries/expenditure_by_function.csv", params={**p, "bom": "1"})
    assert excel.content.startswith(b"\xef\xbb\xbf") and excel.content[3:] == plain.content
    tsv = client.get("/queries/expenditure_by_function.tsv", params=p)
    assert tsv.headers["content-type"].startswith("text/tab-separated-values") and "卫生健康支出" in tsv.text
    js = client.get("/queries/expenditure_by_function.json", params=p).json()
    assert len(js["results"]["bindings"]) == 2
    xlsx = client.get("/queries/expenditure_by_function.xlsx", params=p)
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    sheet = list(openpyxl.load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    names = sheet[0]
    got = {row[names.index("code")]: Decimal(str(row[names.index("amount")])) for row in sheet[1:]}
    assert got == {"210": Decimal("440"), "215": Decimal("1036.29")}
    assert client.get("/queries/expenditure_by_function.xlsx", params={"digits": "x"}).status_code == 400
    assert client.get("/queries/no_such_query").status_code == 404


def test_form_shows_a_default_and_runs_with_it(client):
    r = client.get("/queries/arithmetic_warnings")
    assert r.status_code == 200
    assert "<input name='threshold' type='number' value='0'" in r.text and "default · 默认 <code>0</code>" in r.text
    assert "Results · 结果" in r.text and "Give threshold" not in r.text  # optional: it ran with the default
    api = client.get("/api/queries").json()["queries"]
    threshold = next(p for q in api if q["name"] == "arithmetic_warnings" for p in q["params"])
    assert threshold["default"] == "0" and threshold["required"] is False
