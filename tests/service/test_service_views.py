"""Pages for people, one test per page kind, against a real server over the text sample.

Expected values are read from data/samples/000_60bd7a1a2874cc3a.txt: the page header
(501 邢台市工业和信息化局, 预算年度：2022, 单位：万元), 部门预算支出总表 (row 7 2150501 行政运行
916.29 / 891.29 / 25.00; 合计 1476.29), the 三公 table (header group 资 金 性 质 over four columns;
row 8 公务用车运行维护费 6.00), the unit table (邢台市工业和信息化局本级, 行政, 财政拨款) and the
duties (the first begins 提出全市新型工业化发展战略和政策).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import httpx
import pytest

from tests.conftest_service import client, server, start_service, stop, svc_data  # noqa: F401

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
BASE = "https://budgetkg.org/"


class Tables(HTMLParser):
    """Every <table class='printed'> of a page, inside its <section id>: header cells with spans and body rows of cell texts."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, dict] = {}
        self.section = None
        self.cur = None
        self.cell = None
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section":
            self.section = a.get("id")
        elif tag == "table" and a.get("class") == "printed":
            self.cur = self.tables[self.section] = {"head": [], "body": [], "links": {}}
        elif self.cur is not None and tag == "tr":
            self.row = []
        elif self.cur is not None and tag in ("td", "th"):
            self.cell = {"tag": tag, "text": "", "colspan": int(a.get("colspan", 1)), "rowspan": int(a.get("rowspan", 1)), "href": None}
        elif self.cell is not None and tag == "a":
            self.cell["href"] = a.get("href")

    def handle_data(self, data):
        if self.cell is not None:
            self.cell["text"] += data

    def handle_endtag(self, tag):
        if self.cur is None:
            return
        if tag in ("td", "th") and self.cell is not None:
            self.row.append(self.cell)
            self.cell = None
        elif tag == "tr":
            (self.cur["head"] if self.row and self.row[0]["tag"] == "th" else self.cur["body"]).append(self.row)
        elif tag == "table":
            self.cur = None


def _local(iri: str) -> str:
    assert iri.startswith(BASE)
    return "/" + iri[len(BASE):]


def _one(client, query: str) -> str:
    r = client.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    b = r.json()["results"]["bindings"][0]
    return next(iter(b.values()))["value"]


def _graph(client):
    return _one(client, "SELECT ?g WHERE { GRAPH ?g { ?d a <https://budgetkg.org/def/budget#Disclosure> } }")


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_disclosure_page(client):
    graph = _graph(client)
    r = client.get(_local(graph), headers=BROWSER)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    text = _text(r.text)
    for fact in ("邢台市工业和信息化局", "2022", "预算 budget", "000_60bd7a1a2874cc3a.txt", "单位 Unit: 万元"):
        assert fact in text, fact
    assert re.search(r"[0-9a-f]{64}", text)  # the source file's sha256
    parser = Tables()
    parser.feed(r.text)
    expenditure = parser.tables["t-expenditure"]
    row = next(cells for cells in expenditure["body"] if any(c["text"] == "行政运行" for c in cells))
    texts = [c["text"] for c in row]
    assert "2150501" in texts and "916.29" in texts and "891.29" in texts and "25.00" in texts
    total = next(cells for cells in expenditure["body"] if any(c["text"] == "合计" for c in cells))
    assert "1,476.29" in [c["text"] for c in total]  # thousands separated, printed decimals
    # each amount links to its observation, which dereferences
    link = next(c["href"] for c in row if c["text"] == "916.29")
    assert "/obs/" in link and client.get(link, headers=BROWSER).status_code == 200
    # the header in its groups: one cell over the four fund-source columns of the 三公 table
    head = parser.tables["t-three_public_expenses"]["head"]
    group = next(c for c in head[0] if c["colspan"] > 1)
    assert group["colspan"] == 4 and group["text"].replace(" ", "") == "资金性质"
    assert [c["text"] for c in head[1]] == ["合计", "一般公共预算财政拨款", "政府性基金预算拨款", "国有资本经营预算财政拨款"]
    car = next(cells for cells in parser.tables["t-three_public_expenses"]["body"] if any(c["text"] == "公务用车运行维护费" for c in cells))
    assert [c["text"] for c in car][2:] == ["6.00", "6.00", "", ""]  # empty cells stay empty, not zero
    assert "No validation report was published" in text  # this build ran without validation: said, not hidden
    # charts inline as SVG, with their spec beside them
    assert re.search(r"<figure class='chart' id='chart-functional'><svg", r.text)
    assert "/charts/functional.vl.json?graph=" in r.text
    # the machine views are unchanged
    assert client.get(_local(graph), headers={"Accept": "text/turtle"}).headers["content-type"].startswith("text/turtle")


@pytest.fixture(scope="module")
def validated_server(tmp_path_factory):
    """A server over a build of the sample with validation, so that its report is published."""
    from budgetkg.etl.build import build

    from tests.conftest import SAMPLE

    out = tmp_path_factory.mktemp("validated") / "data"
    build([SAMPLE], out=out, jobs=1)
    proc, url = start_service(out)
    yield url
    stop(proc)


def test_disclosure_page_validation_findings(validated_server):
    with httpx.Client(base_url=validated_server, timeout=60) as c:
        r = c.get(_local(_graph(c)), headers=BROWSER)
    assert r.status_code == 200
    text = _text(r.text)
    # the 三公 table prints 二、公务用车购置及运维费 blank although its part 公务用车运行维护费 is 6.00
    findings = text[text.index("Validation findings"):]
    assert "二、公务用车购置及运维费" in findings and "Warning" in findings


def test_observation_page(client):
    graph = _graph(client)
    obs = graph.replace("/graph/", "/id/") + "/three_public_expenses/obs/8-3"
    r = client.get(_local(obs), headers=BROWSER)
    assert r.status_code == 200
    text = _text(r.text)
    assert "6.00 万元" in text and "60,000.00 元" in text  # the amount with its unit, and in 元
    assert "公务用车运行维护费" in text and "资金性质 / 合计" in text  # row and column labels
    assert "line 311" in text or "第 311 行" in text  # where it was printed (checked in the sample: line 311)
    assert f"href='{_local(graph)}#t-three_public_expenses'" in r.text  # the printed table


def test_department_page(client):
    dept = _one(client, "SELECT ?d WHERE { ?d a <https://budgetkg.org/def/budget#Department> }")
    r = client.get(_local(dept), headers=BROWSER)
    assert r.status_code == 200
    text = _text(r.text)
    assert "14,762,900 元" in text  # 合计 1476.29 万元 in 元
    assert "邢台市工业和信息化局本级" in text and "财政拨款" in text
    assert "<svg" in r.text and "department_totals.vl.json" in r.text
    # duties in printed order: the first printed duty comes first
    duties = r.text[r.text.index("Duties"):]
    assert _text(duties).split("提出全市新型工业化发展战略和政策")[0].count("。") == 0
    assert f"href='{_local(_graph(client))}'" in r.text
