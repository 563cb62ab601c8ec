"""Dumps (/dumps/), the DCAT-AP catalog (/catalog) and VoID (/.well-known/void), against a real server."""

from __future__ import annotations

import gzip
import httpx
import hashlib
import json
from email.utils import formatdate

import pytest
import rdflib
import rdflib.compare
from tests.conftest_service import ROOT, VOCAB_GRAPH, svc_data, client, server  # noqa: F401

DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
DCAT_AP = ROOT.parent / "shared" / "reference" / "dcat-ap-3.0.1"


def test_dump_listing(client, svc_data):
    manifest = json.loads((svc_data / "manifest.json").read_text())
    listing = {d["name"]: d for d in client.get("/dumps/").json()["dumps"]}
    assert set(listing) == set(manifest["dumps"])
    for name, facts in manifest["dumps"].items():
        assert listing[name]["bytes"] == facts["bytes"] and listing[name]["sha256"] == facts["sha256"]
        assert listing[name]["url"].endswith("/dumps/" + name)
    html = client.get("/dumps/", headers={"Accept": "text/html"})
    assert html.headers["content-type"].startswith("text/html") and manifest["dumps"]["budgetkg.nq"]["sha256"] in html.text


def test_dump_download_etag_conditional_head_range(client, svc_data):
    path = svc_data / "dumps" / "budgetkg.nq"
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    r = client.get("/dumps/budgetkg.nq", headers={"Accept-Encoding": "identity"})
    assert r.status_code == 200 and r.content == data
    assert r.headers["etag"] == f'"{sha}"' and r.headers["content-type"].startswith("application/n-quads")
    assert r.headers["last-modified"] == formatdate(path.stat().st_mtime, usegmt=True)
    assert int(r.headers["content-length"]) == len(data)
    head = client.head("/dumps/budgetkg.nq", headers={"Accept-Encoding": "identity"})
    assert head.status_code == 200 and head.content == b"" and head.headers["etag"] == f'"{sha}"'
    assert client.get("/dumps/budgetkg.nq", headers={"If-None-Match": f'"{sha}"', "Accept-Encoding": "identity"}).status_code == 304
    assert client.get("/dumps/budgetkg.nq", headers={"If-None-Match": '"other"', "Accept-Encoding": "identity"}).status_code == 200
    assert client.get("/dumps/budgetkg.nq", headers={"If-Modified-Since": r.headers["last-modified"]}).status_code == 304
    part = client.get("/dumps/budgetkg.nq", headers={"Range": "bytes=0-99", "Accept-Encoding": "identity"})
    assert part.status_code == 206 and part.content == data[:100]
    assert client.get("/dumps/nope.nq").status_code == 404
    assert client.get("/dumps/..%2Fmanifest.json").status_code == 404


def test_dump_gzip(client, svc_data):
    data = (svc_data / "dumps" / "budgetkg.ttl").read_bytes()
    r = client.get("/dumps/budgetkg.ttl", headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200 and r.headers["content-encoding"] == "gzip"
    assert r.content == data  # httpx decodes gzip
    assert "Accept-Encoding" in r.headers["vary"] and r.headers["etag"].endswith('-gzip"')
    with client.stream("GET", "/dumps/budgetkg.ttl", headers={"Accept-Encoding": "gzip"}) as raw:
        compressed = b"".join(raw.iter_raw())
    assert len(compressed) < len(data) and gzip.decompress(compressed) == data
    assert client.get("/dumps/budgetkg.ttl", headers={"Accept-Encoding": "gzip", "If-None-Match": r.headers["etag"]}).status_code == 304


def _catalog(client, fmt="text/turtle", parser="turtle") -> rdflib.Graph:
    r = client.get("/catalog", headers={"Accept": fmt})
    assert r.status_code == 200 and r.headers["content-type"].startswith(fmt), r.text[:500]
    return rdflib.Graph().parse(data=r.content, format=parser)


def test_catalog_content(client, svc_data):
    manifest = json.loads((svc_data / "manifest.json").read_text())
    g = _catalog(client)
    catalog = next(g.subjects(rdflib.RDF.type, DCAT.Catalog))
    datasets = set(g.objects(catalog, DCAT.dataset))
    graphs = {rdflib.URIRef(d["graph"]) for d in manifest["documents"]}
    assert graphs < datasets
    for ds in graphs:
        assert g.value(ds, DCT.publisher) is not None and g.value(g.value(ds, DCT.publisher), rdflib.FOAF.name) is not None
        period = g.value(ds, DCT.temporal)
        assert str(g.value(period, DCAT.startDate)).endswith("-01-01")
        assert set(g.objects(ds, DCAT.theme)) and set(g.objects(ds, DCAT.keyword))
        assert g.value(ds, DCT.issued) is not None and g.value(ds, DCT.modified) is not None
    dumps = {str(g.value(d, DCAT.downloadURL)).rsplit("/", 1)[1]: d for d in g.subjects(rdflib.RDF.type, DCAT.Distribution)
             if "/dumps/" in str(g.value(d, DCAT.downloadURL))}
    assert set(dumps) == set(manifest["dumps"])
    for name, dist in dumps.items():
        assert int(g.value(dist, DCAT.byteSize)) == manifest["dumps"][name]["bytes"]
        assert str(g.value(g.value(dist, SPDX.checksum), SPDX.checksumValue)) == manifest["dumps"][name]["sha256"]
        assert g.value(g.value(dist, SPDX.checksum), SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        assert "iana.org/assignments/media-types/" in str(g.value(dist, DCAT.mediaType))
    service = next(g.subjects(rdflib.RDF.type, DCAT.DataService))
    assert str(g.value(service, DCAT.endpointURL)).endswith("/sparql")
    assert graphs <= set(g.objects(service, DCAT.servesDataset))
    for fmt, parser in (("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")):
        assert len(_catalog(client, fmt, parser)) == len(g)
    assert client.get("/catalog.jsonld").headers["content-type"].startswith("application/ld+json")


def _shapes(*names) -> rdflib.Graph:
    shapes = rdflib.Graph()
    for name in names:
        shapes.parse(DCAT_AP / name)
    # dcat-ap-SHACL.ttl 3.0.1 lists two property shapes of DataService that it never defines (they are in
    # dcat-ap-ranges.ttl, which in turn lists some it does not define); pyshacl refuses dangling ones.
    for node, prop in list(shapes.subject_objects(SH.property)):
        if (prop, SH.path, None) not in shapes:
            shapes.remove((node, SH.property, prop))
    return shapes


@pytest.mark.skipif(not (DCAT_AP / "dcat-ap-SHACL.ttl").exists(), reason="shared/reference/dcat-ap-3.0.1 is not here")
def test_catalog_conforms_to_dcat_ap_3_shapes(client):
    pyshacl = pytest.importorskip("pyshacl")
    g = _catalog(client)
    conforms, _, text = pyshacl.validate(g, shacl_graph=_shapes("dcat-ap-SHACL.ttl", "dcat-ap-ranges.ttl"), inference="none")
    assert conforms, text
    broken = rdflib.Graph()
    for t in g:
        if t[1] != DCT.description:
            broken.add(t)
    assert not pyshacl.validate(broken, shacl_graph=_shapes("dcat-ap-SHACL.ttl"), inference="none")[0]  # the shapes do bite


def test_void(client, svc_data):
    manifest = json.loads((svc_data / "manifest.json").read_text())
    r = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    ds = next(g.subjects(rdflib.RDF.type, VOID.Dataset))
    assert int(g.value(ds, VOID.triples)) == manifest["triples"] + manifest["vocabulary_triples"]
    for prop in ("entities", "distinctSubjects", "distinctObjects", "properties", "classes"):
        assert int(g.value(ds, VOID[prop])) > 0, prop
    assert str(g.value(ds, VOID.uriSpace)) == "https://budgetkg.org/id/"
    assert str(g.value(ds, VOID.sparqlEndpoint)).endswith("/sparql")
    assert {str(u).rsplit("/", 1)[1] for u in g.objects(ds, VOID.dataDump)} == set(manifest["dumps"])
    assert len(set(g.objects(ds, VOID.exampleResource))) >= 2
    assert rdflib.URIRef("https://budgetkg.org/def/budget#") in set(g.objects(ds, VOID.vocabulary))
    classes = {g.value(p, VOID["class"]): int(g.value(p, VOID.entities)) for p in g.objects(ds, VOID.classPartition)}
    obs = sum(d["observations"] for d in manifest["documents"])
    assert classes[rdflib.URIRef("https://budgetkg.org/def/budget#BudgetObservation")] == obs
    props = {g.value(p, VOID.property): int(g.value(p, VOID.triples)) for p in g.objects(ds, VOID.propertyPartition)}
    assert props[rdflib.RDF.type] > obs
    assert client.get("/.well-known/void", headers={"Accept": "text/html"}).headers["content-type"].startswith("text/html")
    assert rdflib.Graph().parse(data=client.get("/.well-known/void.jsonld").text, format="json-ld")


def test_dump_head_with_gzip_does_not_claim_an_empty_body(client):
    with client.stream("GET", "/dumps/budgetkg.ttl", headers={"Accept-Encoding": "gzip"}) as raw:
        compressed = b"".join(raw.iter_raw())
    head = client.head("/dumps/budgetkg.ttl", headers={"Accept-Encoding": "gzip"})
    assert head.status_code == 200 and head.headers["content-encoding"] == "gzip"
    assert head.headers.get("content-length", str(len(compressed))) == str(len(compressed))  # was "0"


def test_catalog_json_ld_has_a_context(client):
    r = client.get("/catalog", headers={"Accept": "application/ld+json"})
    doc = json.loads(r.content)
    assert isinstance(doc, dict) and doc["@context"]["dcat"] == str(DCAT)
    turtle = _catalog(client)
    as_jsonld = rdflib.Graph().parse(data=r.content, format="json-ld")
    assert rdflib.compare.isomorphic(as_jsonld, turtle)


def test_document_trig_has_etag_checksum_gzip_and_304(client, svc_data):
    doc = json.loads((svc_data / "manifest.json").read_text())["documents"][0]
    path = doc["graph"].replace("https://budgetkg.org", "") + ".trig"
    with client.stream("GET", path, headers={"Accept-Encoding": "gzip"}) as raw:
        compressed = b"".join(raw.iter_raw())
        headers = raw.headers
        assert raw.status_code == 200, compressed[:300]
    assert headers["content-encoding"] == "gzip" and "Accept-Encoding" in headers["vary"]
    body = gzip.decompress(compressed)
    assert len(compressed) < len(body)
    assert rdflib.Dataset().parse(data=body, format="trig")  # the document's graph, whole
    assert headers["etag"] == f'W/"{hashlib.sha256(body).hexdigest()}"'  # the checksum of what is sent
    assert "no-cache" in headers["cache-control"]
    plain = client.get(path, headers={"Accept-Encoding": "identity"})
    assert plain.content == body and plain.headers["etag"] == headers["etag"]
    again = client.get(path, headers={"If-None-Match": headers["etag"]})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == headers["etag"]
    assert client.get(path, headers={"If-None-Match": 'W/"other"'}).status_code == 200


def test_repeated_pages_and_queries_revalidate_with_304(client):
    for path, params in (("/", {}), ("/sparql", {"query": "ASK {}"}), ("/api/queries/departments.csv", {}), ("/catalog", {})):
        first = client.get(path, params=params)
        assert first.status_code == 200 and first.headers["etag"].startswith('W/"'), path
        second = client.get(path, params=params, headers={"If-None-Match": first.headers["etag"]})
        assert second.status_code == 304 and second.content == b"", path


def test_host_header_is_not_reflected_with_public_url_and_serve_warns_without(svc_data, tmp_path):
    from tests.conftest_service import start_service, stop
    proc, url = start_service(svc_data, env={"BUDGETKG_PUBLIC_URL": "https://data.example.org/"}, log=tmp_path / "serve.log")
    try:
        for path in ("/catalog", "/dumps/", "/.well-known/void"):
            r = httpx.get(url + path, headers={"Host": "evil.example", "Accept": "text/turtle" if path != "/dumps/" else "application/json"},
                          timeout=120)  # VoID statistics are computed on the first request
            assert r.status_code == 200 and "evil.example" not in r.text and "https://data.example.org/" in r.text, path
    finally:
        stop(proc)
    # Listening beyond loopback without --public-url: the operator is told.
    proc, url = start_service(svc_data, env={"BUDGETKG_HOST": "0.0.0.0"}, log=tmp_path / "public.log")
    stop(proc)
    assert "no --public-url" in (tmp_path / "public.log").read_text()
