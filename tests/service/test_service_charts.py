"""Charts against a real server over the text sample: the Vega-Lite spec carries the sample's figures, the SVG draws them.

Expected values are read from data/samples/000_60bd7a1a2874cc3a.txt (部门预算支出总表: 210 卫生健康支出 440.00,
215 资源勘探工业信息等支出 1036.29, 21505 工业和信息产业监管 1036.29; 三公 table: 公务用车运行维护费 6.00,
公务接待费 2.00; 基本支出表: 30101 基本工资 122.92 人员经费; unit 万元; a 2022 budget only).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import httpx

from tests.conftest_service import svc_data, client, server, samples_server  # noqa: F401

SVG_NS = "{http://www.w3.org/2000/svg}"


def _graph(client) -> str:
    q = "SELECT ?g WHERE { GRAPH ?g { ?d a <https://budgetkg.org/def/budget#Disclosure> } }"
    r = client.get("/sparql", params={"query": q}, headers={"Accept": "application/sparql-results+json"})
    return r.json()["results"]["bindings"][0]["g"]["value"]


def _department(client) -> str:
    q = "SELECT ?d WHERE { ?d a <https://budgetkg.org/def/budget#Department> }"
    r = client.get("/sparql", params={"query": q}, headers={"Accept": "application/sparql-results+json"})
    return r.json()["results"]["bindings"][0]["d"]["value"]


def _values(client, name, **params) -> list[dict]:
    r = client.get(f"/charts/{name}.vl.json", params=params)
    assert r.status_code == 200, r.text
    spec = r.json()
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    return spec["data"]["values"]


def _texts(client, name, **params) -> list[str]:
    r = client.get(f"/charts/{name}.svg", params=params)
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    root = ET.fromstring(r.text)
    assert root.tag == SVG_NS + "svg"
    return ["".join(t.itertext()) for t in root.iter(SVG_NS + "text")]


def test_functional_classes_and_drill_down(client):
    graph = _graph(client)
    values = {v["label"]: v for v in _values(client, "functional", graph=graph)}
    assert set(values) == {"210 卫生健康支出", "215 资源勘探工业信息等支出"}
    assert values["215 资源勘探工业信息等支出"]["amount_text"] in ("1036.29",)
    assert values["210 卫生健康支出"]["amount"] == 440
    texts = _texts(client, "functional", graph=graph)
    assert "210 卫生健康支出" in texts and any("万元" in t for t in texts)
    # each 类 bar links to its 款
    svg = client.get("/charts/functional.svg", params={"graph": graph}).text
    assert "class=215" in svg
    sub = {v["label"]: v["amount_text"] for v in _values(client, "functional", graph=graph, **{"class": "215"})}
    assert sub == {"21505 工业和信息产业监管": "1036.29"}


def test_three_public_and_economic(client):
    graph = _graph(client)
    tp = {v["label"]: v["amount_text"] for v in _values(client, "three_public", graph=graph)}
    assert tp == {"公务用车运行维护费": "6", "三、公务接待费": "2"} or tp == {"公务用车运行维护费": "6.00", "三、公务接待费": "2.00"}
    assert "公务用车运行维护费" in _texts(client, "three_public", graph=graph)
    econ = {(v["label"], v["type"]): v["amount"] for v in _values(client, "economic", graph=graph)}
    assert econ[("30101 基本工资", "人员经费 personnel")] == 122.92
    assert not any(t.startswith("基本支出") for _, t in econ)  # split rows are drawn as their parts, not twice


def test_department_totals_line_chart(client):
    values = _values(client, "department_totals", department=_department(client))
    assert [(v["year"], v["amount_text"]) for v in values] == [("2022", "14762900")]  # 1476.29 万元 in 元
    assert "2022" in _texts(client, "department_totals", department=_department(client))


def test_budget_vs_final_draws_only_what_the_corpus_holds(client):
    department = _department(client)
    values = _values(client, "budget_vs_final", department=department, year="2022")
    assert {v["type"] for v in values} == {"预算 budget"}  # a budget only: no final-accounts bars of zero
    assert {v["label"]: v["amount_text"] for v in values}["215 资源勘探工业信息等支出"] == "10362900"
    # the query behind it: absent is not zero
    rows = client.get("/api/queries/budget_vs_execution.json", params={"department": department, "year": "2022"}).json()
    bindings = rows["results"]["bindings"]
    assert bindings and all("executedYuan" not in b and "rate" not in b for b in bindings)


def test_bad_chart_requests(client):
    assert client.get("/charts/nope.svg").status_code == 404
    r = client.get("/charts/functional.svg")
    assert r.status_code == 400 and "graph" in r.text
    assert client.get("/charts/functional.svg", params={"graph": "not an iri"}).status_code == 400
    assert client.get("/charts/functional.vl.json", params={"graph": _graph(client), "class": "2'1"}).status_code == 400


def test_three_public_of_templates_printing_categories_as_columns(samples_server):
    """The Shanghai templates print the 三公 categories as columns. 司法局 2026 budget, page 21 (万元): 合计 10.81,
    因公出国(境)费 0, 公务接待费 0.83, 公务用车购置及运行费 小计 9.98 = 购置费 0 + 运行费 9.98, 机关运行经费 217.83
    (printed beside the 三公, not one of them); 财政局 2024 final accounts, page 18: 合计 and 公务接待费 预算数 0.95,
    every 决算数 blank."""
    with httpx.Client(base_url=samples_server, timeout=60) as c:
        graphs = [r["g"]["value"] for r in c.get("/sparql", params={
            "query": "SELECT ?g WHERE { GRAPH ?g { ?d a <https://budgetkg.org/def/budget#Disclosure> } }"},
            headers={"Accept": "application/sparql-results+json"}).json()["results"]["bindings"]]
        budget = next(g for g in graphs if "/310107/2026/" in g)
        final = next(g for g in graphs if "/310107/2024/" in g)
        tp = {v["label"]: v["amount_text"] for v in _values(c, "three_public", graph=budget)}
        assert tp == {"因公出国（境）费": "0", "公务接待费": "0.83", "公务用车购置费": "0", "公务用车运行维护费": "9.98"}
        fa = [(v["label"], v["phase"], v["amount_text"]) for v in _values(c, "three_public", graph=final)]
        assert fa == [("公务接待费", "预算 budget", "0.95")]
        for g in (budget, final):
            page = c.get(g.removeprefix("https://budgetkg.org"), headers={"Accept": "text/html"}).text
            assert "<figure class='chart' id='chart-three_public'><svg" in page
