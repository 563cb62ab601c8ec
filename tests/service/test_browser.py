"""A real browser (Debian's headless Chromium) on the SPARQL page and a disclosure page.

Skipped, saying why, where Chromium is not installed (``.ci/run`` installs it when apt is there).
Expected values from data/samples/000_60bd7a1a2874cc3a.txt: the 三公 table prints four amounts over
合计, 小计, 公务用车运行维护费 and 三、公务接待费; the 支出总表 prints 210 卫生健康支出.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tests.conftest_service import client, server, svc_data  # noqa: F401

CHROMIUM = next((p for p in (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")) if p), None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (Debian: apt-get install chromium)")
BUDGET_MS = 30000  # virtual time the page gets to load its scripts and run the query


CSP_VIOLATION = "violates the following Content Security Policy"  # what Chromium logs for anything the policy blocks


def dom(url: str) -> str:
    """The page's DOM after its scripts ran, as Chromium serialises it; nothing on it blocked by the service's CSP."""
    r = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--enable-logging=stderr", "--v=0", f"--virtual-time-budget={BUDGET_MS}", "--dump-dom", url],
                       capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stderr[-2000:]
    blocked = [line for line in r.stderr.splitlines() if CSP_VIOLATION in line]
    assert not blocked, blocked
    return r.stdout


def test_yasgui_runs_a_named_query_example(server):
    page = dom(f"{server}/sparql#run=three_public_by_category")
    assert "yasgui" in page and "CodeMirror" in page  # the editor is there, from /static (no CDN)
    assert re.search(r"\b4 results?\b", page)
    table = page[page.index("dataTable"):]
    assert "公务用车运行维护费" in table and "三、公务接待费" in table


def test_disclosure_page_draws_its_charts(server, client):
    q = "SELECT ?g WHERE { GRAPH ?g { ?d a <https://budgetkg.org/def/budget#Disclosure> } }"
    graph = client.get("/sparql", params={"query": q}, headers={"Accept": "application/sparql-results+json"}).json()
    path = graph["results"]["bindings"][0]["g"]["value"].removeprefix("https://budgetkg.org")
    page = dom(f"{server}{path}")
    chart = re.search(r'<figure class="chart" id="chart-functional">\s*<svg.*?</svg>', page, re.S)
    assert chart, "no SVG chart in the disclosure page"
    assert "210 卫生健康支出" in chart.group(0)


def test_pages_render_under_the_services_content_security_policy(server, client):
    """Home, catalog, a named query's page and the linked-data pages: nothing blocked (checked in dom())."""
    home = dom(f"{server}/")
    assert '<figure class="chart" id="chart-documents"><svg' in home
    assert "Distributions" in dom(f"{server}/catalog")
    page = dom(f"{server}/queries/three_public_by_category")
    assert "公务用车运行维护费" in page and "三、公务接待费" in page
