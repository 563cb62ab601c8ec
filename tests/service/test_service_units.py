"""In-process checks of the service's pieces: doctests, negotiation, the tokenizer, settings, the worker."""

from __future__ import annotations

import doctest
import importlib

import pyoxigraph as ox
import pytest

from budgetkg.service import analyze, formats, settings

MODULES = ["budgetkg.service.analyze", "budgetkg.service.cache", "budgetkg.service.fastlane", "budgetkg.service.formats", "budgetkg.service.settings", "budgetkg.service.state", "budgetkg.service.html"]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0 and result.attempted > 0


@pytest.mark.parametrize("accept,expected", [
    ("application/sparql-results+json,application/json,text/javascript,application/javascript", "json"),  # SPARQLWrapper JSON
    ("application/sparql-results+xml", "xml"),
    ("application/sparql-results+xml, application/rdf+xml", "xml"),  # rdflib SPARQLStore
    ("text/csv", "csv"),
    ("text/tab-separated-values", "tsv"),
    ("application/sparql-results+json,*/*;q=0.9", "json"),  # YASGUI
    ("text/csv;q=0.9, text/tab-separated-values", "tsv"),
    ("*/*;q=0.1, application/sparql-results+xml;q=0.2", "xml"),
    ("application/*", "json"),
    ("text/html", None),
    ("application/sparql-results+json;q=0", None),
])
def test_negotiation_for_results(accept, expected):
    assert formats.negotiate(accept, formats.RESULTS) == expected


@pytest.mark.parametrize("text,refused", [
    ("SELECT * { ?s ?p ?o }", False),
    ("select * { ?s ?p \"INSERT DATA\" }", False),
    ("SELECT * { ?s <http://x/SERVICE> ?o } # LOAD", False),
    ("SELECT ?service ?load { ?service ?p ?load }", False),
    ("PREFIX service: <http://x/> SELECT * { ?s service:load ?o }", False),
    ("SELECT * { ?s ?p '''multi\nline SERVICE''' }", False),
    ("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }", True),
    ("SELECT * { Service Silent <http://x/> { ?s ?p ?o } }", True),
    ("LOAD <http://x/>", True),
    ("INSERT DATA { <a:b> <a:b> <a:b> }", True),
    ("PREFIX a: <http://a/> DELETE WHERE { ?s ?p ?o }", True),
    ("DROP ALL", True),
    ("SELECT * {} ; CLEAR ALL", True),
])
def test_refusals(text, refused):
    assert (analyze.inspect(text).refused is not None) == refused


def test_query_forms():
    assert analyze.inspect("PREFIX a: <http://a/> BASE <http://b/> CONSTRUCT WHERE { ?s ?p ?o }").form == "CONSTRUCT"
    assert analyze.inspect("describe <http://x>").kind == "graph"
    assert analyze.inspect("ASK {}").form == "ASK"
    assert analyze.inspect("nonsense").form is None


def test_inject_values_matches_substitution():
    store = ox.Store()
    a, p = ox.NamedNode("http://x/a"), ox.NamedNode("http://x/p")
    store.add(ox.Quad(a, p, ox.Literal("1")))
    store.add(ox.Quad(ox.NamedNode("http://x/b"), p, ox.Literal("2")))
    for q in ("SELECT ?o WHERE { $this <http://x/p> ?o }", "SELECT ?o { $this <http://x/p> ?o }",
              "CONSTRUCT { $this <http://x/p> ?o } WHERE { $this <http://x/p> ?o }",
              "ASK WHERE { $this <http://x/p> \"1\" }"):
        text = analyze.inject_values(q, {"this": str(a)})
        result = store.query(text)
        if isinstance(result, ox.QueryBoolean):
            assert bool(result)
        else:
            assert len(list(result)) == 1, text
    hostile = ox.Literal('x" } ; DROP ALL ; SELECT * { "')
    text = analyze.inject_values("SELECT ?o { ?s ?p ?o }", {"o": str(hostile)})
    assert analyze.inspect(text).refused is None
    assert list(store.query(text)) == []


def test_settings_from_env_and_flags():
    s = settings.from_env({"BUDGETKG_RESULT_LIMIT": "5", "BUDGETKG_BASE_IRI": "https://ex.org/"}, timeout=2)
    assert (s.result_limit, s.base_iri, s.timeout) == (5, "https://ex.org/", 2.0)
    with pytest.raises(ValueError):
        settings.from_env({"BUDGETKG_TIMEOUT": "0"})
    with pytest.raises(ValueError):
        settings.from_env({"BUDGETKG_RESULT_LIMIT": "many"})
    import argparse

    parser = argparse.ArgumentParser()
    settings.add_arguments(parser)
    args = parser.parse_args(["--result-limit", "7", "--cors-origins", "https://a.org"])
    s = settings.from_args(args, {"BUDGETKG_RESULT_LIMIT": "9"})
    assert s.result_limit == 7 and s.cors_origins == ("https://a.org",)


def test_worker_caps_and_converts(tmp_path):
    from budgetkg.service.worker import run

    store = ox.Store()
    p = ox.NamedNode("http://x/p")
    for i in range(10):
        store.add(ox.Quad(ox.NamedNode(f"http://x/{i}"), p, ox.Literal(str(i)), ox.NamedNode("http://g/1")))
    job = {"query": "SELECT ?s ?o { ?s ?p ?o }", "ext": "csv", "limit": 4, "union": True}
    status, kind, body, cut, rows = run(store, job)
    assert (status, kind, cut, rows) == ("ok", "results", True, 4) and len(body.decode().strip().splitlines()) == 5
    status, kind, body, cut, rows = run(store, dict(job, limit=100, ext="json"))
    assert not cut and rows == 10
    status, kind, body, cut, rows = run(store, dict(job, query="CONSTRUCT WHERE { ?s ?p ?o }", ext="ttl", limit=3))
    assert kind == "graph" and cut and rows == 3
    assert run(store, dict(job, query="SELECT * { ?s ?p }"))[:2] == ("error", "syntax")
    assert run(store, dict(job, query="ASK { ?s ?p ?o }", ext="xml"))[1] == "boolean"
    assert run(store, dict(job, union=False, query="SELECT * { ?s ?p ?o }", ext="tsv"))[4] == 0


def test_every_setting_is_a_flag_a_variable_and_documented():
    """Each field of the one settings list has help, a ``serve`` flag, and a row in the README's table."""
    import argparse
    import dataclasses
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    parser = argparse.ArgumentParser()
    settings.add_arguments(parser)
    flags = {a.dest: a.option_strings for a in parser._actions}
    for f in dataclasses.fields(settings.Settings):
        flag, variable = "--" + f.name.replace("_", "-"), settings.ENV_PREFIX + f.name.upper()
        assert f.metadata["help"], f.name
        assert flags.get(f.name) == [flag], f.name
        assert f"| `{flag}` | `{variable}` |" in readme, f"{f.name} is not in the README's settings table"


def test_hardening_settings_are_checked():
    s = settings.from_env({"BUDGETKG_TRUSTED_PROXIES": "10.0.0.1, 10.0.0.2", "BUDGETKG_WORKER_MEMORY_MB": "512"})
    assert s.trusted_proxies == ("10.0.0.1", "10.0.0.2") and s.worker_memory_mb == 512
    assert settings.from_env({}).trusted_proxies == ()  # no X-Forwarded-For is believed unless a proxy is named
    for name in ("BUDGETKG_HEADER_TIMEOUT", "BUDGETKG_MAX_CONNECTIONS"):
        with pytest.raises(ValueError):
            settings.from_env({name: "0"})
    with pytest.raises(ValueError):
        settings.from_env({"BUDGETKG_WORKER_MEMORY_MB": "-1"})
