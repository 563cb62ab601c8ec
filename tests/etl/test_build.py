"""The build command: dumps, determinism, atomic output, CLI."""

import json
import subprocess
import sys

import pyoxigraph as ox
import pytest

from budgetkg.etl.build import build
from budgetkg.etl.model import EtlError


def test_dumps_and_store_written(built):
    for name in ("budgetkg.nq", "budgetkg.nt", "budgetkg.ttl", "vocabulary.ttl"):
        assert (built / "dumps" / name).stat().st_size > 0
    manifest = json.loads((built / "manifest.json").read_text())
    (doc,) = manifest["documents"]
    assert doc["year"] == "2022" and doc["phase"] == "budget"
    store = ox.Store.read_only(str(built / "store"))
    graphs = {g.value for g in store.named_graphs()}
    assert doc["graph"] in graphs and "https://budgetkg.org/def/graph" in graphs


def test_the_store_holds_every_quad_of_the_dump_loaded_in_chunks(sample_path, tmp_path, monkeypatch):
    import budgetkg.etl.storeload as b
    monkeypatch.setattr(b, "STORE_LOAD_QUADS", 1000)  # the sample's dump is several thousand quads: several loads
    out = build([sample_path], out=tmp_path / "chunked", jobs=1).out
    whole = ox.Store()  # one load of the whole dump, in memory (a store writes 1.50 as 1.5: compare stores)
    whole.load(path=str(out / "dumps" / "budgetkg.nq"), format=ox.RdfFormat.N_QUADS)
    dump = set(whole)
    assert len(dump) > 3 * 1000
    store = ox.Store.read_only(str(out / "store"))
    vocab = ox.NamedNode("https://budgetkg.org/def/graph")
    assert {q for q in store if q.graph_name != vocab} == dump


@pytest.mark.parametrize("chunk", [1000, 10**6])
def test_the_store_loaded_from_the_shards_holds_the_quads_of_the_dump(sample_path, tmp_path, monkeypatch, chunk):
    # Three documents (copies of the sample, each of its own jurisdiction): the store is loaded from their
    # shards while the dumps are merged, one shard per load on two threads at once (1000), or all in one.
    import budgetkg.etl.storeload as b
    monkeypatch.setattr(b, "STORE_LOAD_QUADS", chunk)
    src = tmp_path / "src"
    src.mkdir()
    rows = ["file,jurisdiction"]
    for n, place in enumerate(("110000", "310000", "440300")):
        (src / f"{n}_{sample_path.name}").write_bytes(sample_path.read_bytes())
        rows.append(f"{n}_{sample_path.name},{place}")
    (src / "sources.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = build([src], out=tmp_path / "out", jobs=1)
    assert len(result.documents) == 3 and result.store == "loaded"
    whole = ox.Store()
    whole.load(path=str(result.out / "dumps" / "budgetkg.nq"), format=ox.RdfFormat.N_QUADS)
    dump = set(whole)
    assert len({q.graph_name for q in dump}) == 6  # each document's graph and its validation report's
    store = ox.Store.read_only(str(result.out / "store"))
    vocab = ox.NamedNode("https://budgetkg.org/def/graph")
    assert {q for q in store if q.graph_name != vocab} == dump
    from budgetkg.etl.build import vocabulary_triples
    terms = ox.Store()
    terms.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, vocab) for t in vocabulary_triples())
    assert set(store.quads_for_pattern(None, None, None, vocab)) == set(terms)


def test_nquads_sorted(built):
    lines = (built / "dumps" / "budgetkg.nq").read_text().splitlines()
    assert lines == sorted(lines) and len(lines) == len(set(lines))


def test_byte_identical_rebuild(sample_path, tmp_path, built):
    out = build([sample_path], out=tmp_path / "again", jobs=1).out
    for name in ("budgetkg.nq", "budgetkg.nt", "budgetkg.ttl", "vocabulary.ttl"):
        assert (out / "dumps" / name).read_bytes() == (built / "dumps" / name).read_bytes()


def test_base_iri_is_configurable(sample_path, tmp_path):
    out = build([sample_path], out=tmp_path / "b", base="http://example.org/kg/", jobs=1).out
    nt = (out / "dumps" / "budgetkg.nt").read_text()
    assert "<http://example.org/kg/id/" in nt and "<https://budgetkg.org/id/" not in nt


def test_amount_literal_keeps_printed_precision(built):
    nt = (built / "dumps" / "budgetkg.nt").read_text()
    assert '"440.00"^^<http://www.w3.org/2001/XMLSchema#decimal>' in nt


def test_failed_build_leaves_previous_output(sample_path, tmp_path):
    out = build([sample_path], out=tmp_path / "d", jobs=1).out
    before = (out / "dumps" / "budgetkg.nq").read_bytes()
    bad = tmp_path / "bad.txt"
    bad.write_text(sample_path.read_text(encoding="utf-8").replace("916.29\t891.29", "916.2x\t891.29"), encoding="utf-8")
    # An unreadable amount quarantines its table; strict makes that fail the build.
    with pytest.raises(EtlError, match="bad.txt"):
        build([sample_path, bad], out=out, jobs=1, strict=True)
    assert (out / "dumps" / "budgetkg.nq").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".d.")] == []


def test_cli_bad_input_exit_status(tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("这不是预算公开文件。\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "budgetkg.cli", "build", str(bad), "--out", str(tmp_path / "o")],
                       capture_output=True, text=True)
    assert r.returncode == 2
    assert "notes.txt" in r.stderr and "line 1" in r.stderr
    assert not (tmp_path / "o").exists()


def test_cli_build_prints_summary(sample_path, tmp_path):
    r = subprocess.run([sys.executable, "-m", "budgetkg.cli", "build", str(sample_path), "--out", str(tmp_path / "o")],
                       capture_output=True, text=True, check=True)
    assert "11 tables" in r.stdout and "observations" in r.stdout and "triples" in r.stdout
    assert "skipped:" not in r.stdout or "table of contents" in r.stdout


def test_cli_build_prints_a_rounding_as_info_with_the_page_of_its_cell(tmp_path):
    # 上海市普陀区财政局 2024 决算: 收入支出决算总表 (page 6) prints 八、社会保障和就业支出 326.71, 支出决算表 (page 10)
    # 326.72: one unit of the last printed digit, a rounding (sh:Info). Its message names tables and rows, not the
    # page: the summary adds the page of the cell.
    from tests.conftest import ROOT

    source = ROOT / "data" / "samples" / "shpt_czj_2024_final_accounts.pdf"
    r = subprocess.run([sys.executable, "-m", "budgetkg.cli", "build", str(source), "--out", str(tmp_path / "o")],
                       capture_output=True, text=True, check=True)
    lines = r.stdout.splitlines()
    summary = [ln for ln in lines if "table 收入支出决算总表, row 8" in ln]
    assert len(summary) == 1 and summary[0].startswith("  info: [page 6] ")
    assert "326.71" in summary[0] and "326.72" in summary[0] and "rounding" in summary[0]
    assert not any(ln.startswith("  warning: ") and "326.71" in ln for ln in lines)
    # a message naming its page (the narrative's 万元 for 元) gets no second one
    [unit] = [ln for ln in lines if "a factor of 10,000" in ln]
    assert unit.startswith("  warning: ") and "[page" not in unit


def test_the_merge_in_rounds_writes_the_same_dumps(tmp_path, monkeypatch):
    # 10^6 shards cannot be opened at once (ulimit -n): merged two at a time, in rounds, the bundled
    # samples give the dumps of a one-pass merge, byte for byte, and no intermediate file stays.
    import budgetkg.etl.build as build_module

    one = build(None, out=tmp_path / "one", jobs=1, validate=False).out
    monkeypatch.setattr(build_module, "_fan_in", lambda: 2)
    rounds = build(None, out=tmp_path / "rounds", jobs=1, validate=False).out
    assert len(json.loads((one / "manifest.json").read_text())["documents"]) >= 3  # so there are rounds
    for name in ("budgetkg.nq", "budgetkg.nt", "budgetkg.ttl"):
        assert (rounds / "dumps" / name).read_bytes() == (one / "dumps" / name).read_bytes()
    assert sorted(p.name for p in (rounds / "dumps").iterdir()) == sorted(p.name for p in (one / "dumps").iterdir())


@pytest.mark.parametrize("fan_in, batch", [(3, 1024), (100, 2)])  # our rounds of 3, or GNU sort's own rounds of 2
def test_gnu_sort_merges_shards_as_the_python_merge_does(tmp_path, monkeypatch, fan_in, batch):
    import random

    import budgetkg.etl.build as b

    if b._gnu_sort() is None:
        pytest.skip("no GNU sort here: the build merges in Python")
    monkeypatch.setattr(b, "SORT_BATCH", batch)
    rng = random.Random(7)
    words = ["<https://budgetkg.org/id/部门/1>", "\"1.50\"^^<http://www.w3.org/2001/XMLSchema#decimal>", "\"一般公共预算\"@zh",
             "_:b1", "<a>", "<a b>", "\"é\"", "\"\\t\"", "<https://budgetkg.org/id/部门/12>"]
    shards = []
    for n in range(7):  # lines repeated across shards, prefixes of each other, CJK and escapes
        lines = sorted({" ".join(rng.choices(words, k=rng.randint(1, 4))) + " .\n" for _ in range(300)})
        shards.append(tmp_path / f"{n}.nq")
        shards[-1].write_text("".join(lines), encoding="utf-8")
    with_sort = b._merge_lines(shards, tmp_path / "sort.nq", fan_in=fan_in)
    monkeypatch.setattr(b, "_gnu_sort", lambda: None)
    with_python = b._merge_lines(shards, tmp_path / "python.nq", fan_in=fan_in)
    assert with_sort == with_python > 300
    assert (tmp_path / "sort.nq").read_bytes() == (tmp_path / "python.nq").read_bytes()
    # the rounds' files (ours, GNU sort's temporaries, the list of names) are gone
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([s.name for s in shards] + ["sort.nq", "python.nq"])
