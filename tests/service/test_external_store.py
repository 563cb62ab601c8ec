"""``budgetkg build --no-store``, then the dumps bulk-loaded into Oxigraph server and served with
``budgetkg serve --sparql-endpoint``: the path README "Serving from an external store" documents."""

from __future__ import annotations

import json
import subprocess
import sys

import httpx
import pytest
from tests.conftest_service import ROOT, _start_oxigraph, oxigraph_binary, start_service, stop

from budgetkg.resources import default_sources


def _budgetkg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "budgetkg.cli", *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """The text sample built twice by the command line: with the embedded store and with --no-store."""
    text = next(p for p in default_sources() if p.suffix == ".txt")
    root = tmp_path_factory.mktemp("external")
    out = {}
    for name, extra in (("store", []), ("nostore", ["--no-store"])):
        done = _budgetkg("build", str(text), "--out", str(root / name), "--jobs", "1", *extra)
        assert done.returncode == 0, done.stderr
        out[name] = root / name
    return out


def test_no_store_writes_dumps_and_manifest_but_no_store(builds):
    assert not (builds["nostore"] / "store").exists()
    assert (builds["store"] / "store").is_dir()
    dumps = sorted(p.name for p in (builds["nostore"] / "dumps").iterdir())
    assert dumps == sorted(p.name for p in (builds["store"] / "dumps").iterdir())
    for name in dumps:  # the same input gives the same dumps with or without the store
        assert (builds["nostore"] / "dumps" / name).read_bytes() == (builds["store"] / "dumps" / name).read_bytes(), name
    manifest = json.loads((builds["nostore"] / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["dumps"] == json.loads((builds["store"] / "manifest.json").read_text(encoding="utf-8"))["dumps"]


def test_query_on_a_no_store_build_says_how_to_serve_it(builds):
    done = _budgetkg("query", "departments", "--data", str(builds["nostore"]))
    assert done.returncode == 2
    assert "--no-store" in done.stderr and "--sparql-endpoint" in done.stderr


def test_named_query_over_oxigraph_server_equals_the_embedded_store(builds, tmp_path):
    if oxigraph_binary() is None:
        pytest.skip("the oxigraph server (PyPI package `oxigraph`) is not installed")
    local = _budgetkg("query", "departments", "--data", str(builds["store"]), "--format", "json")
    assert local.returncode == 0, local.stderr
    expected = json.loads(local.stdout)
    assert expected  # the sample's department with its totals
    oxigraph, endpoint = _start_oxigraph(builds["nostore"])  # `oxigraph load` of the dumps, then serve-read-only
    try:
        proc, url = start_service(builds["nostore"], endpoint=endpoint, log=tmp_path / "serve.log")
        try:
            assert httpx.get(url + "/health").json()["backend"] == "remote"
            r = httpx.get(url + "/api/queries/departments.json", timeout=60)
            assert r.status_code == 200, r.text
            body = r.json()
            names = body["head"]["vars"]
            got = [{n: b[n]["value"] if n in b else "" for n in names} for b in body["results"]["bindings"]]
            assert sorted(got, key=json.dumps) == sorted(expected, key=json.dumps)
        finally:
            stop(proc)
    finally:
        stop(oxigraph)
