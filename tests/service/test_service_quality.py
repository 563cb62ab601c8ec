"""Data quality and findings in the service (issue 14), against a real server over a validated build of
the three bundled samples: the DCAT-AP catalog carries each data set's DQV measurements and still
conforms to the official DCAT-AP 3.0.1 shapes; a document's graph page lists its findings."""

from __future__ import annotations

import json
from decimal import Decimal
import shutil
import tempfile
from pathlib import Path

import httpx
import pytest
import rdflib

from tests.conftest_service import ROOT, start_service, stop
from tests.service.test_service_metadata import DCAT_AP, _shapes

DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DQV = rdflib.Namespace("http://www.w3.org/ns/dqv#")
BROWSER = {"Accept": "text/html"}


@pytest.fixture(scope="module")
def audited():
    """(data folder, client) of a validated build of the bundled samples."""
    from budgetkg.etl.build import build
    from budgetkg.resources import default_sources

    tmp = Path(tempfile.mkdtemp(prefix="budgetkg-quality-"))
    build([str(p) for p in default_sources()], out=tmp / "data", jobs=2)
    proc, url = start_service(tmp / "data", log=tmp / "serve.log")
    try:
        with httpx.Client(base_url=url, timeout=60) as client:
            yield tmp / "data", client
    finally:
        stop(proc)
        shutil.rmtree(tmp, ignore_errors=True)


def _catalog(client) -> rdflib.Graph:
    r = client.get("/catalog", headers={"Accept": "text/turtle"})
    assert r.status_code == 200, r.text[:500]
    return rdflib.Graph().parse(data=r.content, format="turtle")


def test_catalog_carries_quality_measurements_of_defined_metrics(audited):
    """Every measurement measures a metric the ontology defines; all nine prescribed tables of each
    sample are there (checked on the pages: 收支总表 ... 国有资本经营 and 三公 in each)."""
    _, client = audited
    g = _catalog(client)
    ontology = rdflib.Graph().parse(ROOT / "ontology" / "budget.ttl")
    metrics = set(ontology.subjects(rdflib.RDF.type, DQV.Metric))
    datasets = [d for d in g.subjects(rdflib.RDF.type, DCAT.Dataset) if "/graph/" in str(d)]
    assert len(datasets) == 3
    for ds in datasets:
        ms = list(g.objects(ds, DQV.hasQualityMeasurement))
        assert ms, ds
        for m in ms:
            assert (m, rdflib.RDF.type, DQV.QualityMeasurement) in g and g.value(m, DQV.computedOn) == ds
            assert g.value(m, DQV.isMeasurementOf) in metrics
            assert g.value(m, DQV.value) is not None
        completeness = [g.value(m, DQV.value) for m in ms if str(g.value(m, DQV.isMeasurementOf)).endswith("metric-prescribed-tables")]
        assert [Decimal(str(v)) for v in completeness] == [Decimal(1)]  # the store keeps decimals canonical (1.0000 -> 1)


@pytest.mark.skipif(not (DCAT_AP / "dcat-ap-SHACL.ttl").exists(), reason="shared/reference/dcat-ap-3.0.1 is not here")
def test_catalog_with_quality_conforms_to_dcat_ap_3_shapes(audited):
    pyshacl = pytest.importorskip("pyshacl")
    g = _catalog(audited[1])
    assert any(g.triples((None, DQV.hasQualityMeasurement, None)))
    conforms, _, text = pyshacl.validate(g, shacl_graph=_shapes("dcat-ap-SHACL.ttl", "dcat-ap-ranges.ttl"), inference="none")
    assert conforms, text


def test_graph_page_lists_the_documents_findings(audited):
    """The final accounts print 财政拨款收入支出总计0.3万元 on page 21 against 2995.39 万元 in 收入支出决算总表
    (page 6), and 社会保障和就业支出 326.71 in two tables against 326.72 in 支出决算表."""
    data, client = audited
    docs = json.loads((data / "manifest.json").read_text())["documents"]
    doc = next(d for d in docs if d["graph"].endswith("/final-accounts"))
    page = client.get("/" + doc["graph"].split("https://budgetkg.org/", 1)[1], headers=BROWSER)
    assert page.status_code == 200 and "Findings · 审核发现 (3)" in page.text
    assert "AuditNarrativeUnitFactor" in page.text and "printed 0.3, expected 2995.39" in page.text
    assert "印刷数 326.71，应为 326.72" in page.text
