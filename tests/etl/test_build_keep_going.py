"""`budgetkg build` over folders with what goes wrong in a real corpus: documents that fail,
files that are not documents, tables that cannot be read, documents that name nothing (and a
sources.csv or flags that name them). Run through the real command."""

import json
import subprocess
import sys

import pyoxigraph as ox

from .test_pipeline_stages import BROKEN_INCOME, EXPENDITURE, HEAD, UNKNOWN

GOOD = HEAD + EXPENDITURE
QUARANTINE = HEAD + BROKEN_INCOME + "\n" + EXPENDITURE.replace("某市某局", "某市另一局")
ANONYMOUS = EXPENDITURE.replace("901 某市某局\n\n", "").replace("预算年度：2023\n\n", "")


def run(*args):
    return subprocess.run([sys.executable, "-m", "budgetkg.cli", "build", *map(str, args)],
                          capture_output=True, text=True)


def folder(tmp_path, **files):
    src = tmp_path / "src"
    src.mkdir()
    for name, text in files.items():
        (src / name.replace("_", ".", 1)).write_text(text, encoding="utf-8")
    return src


def test_keep_going_builds_the_readable_and_lists_the_rest(tmp_path):
    src = folder(tmp_path, a_txt=GOOD, b_txt=ANONYMOUS, notes_md="readme")
    out = tmp_path / "dist"
    plain = run(src, "--out", out)
    assert plain.returncode == 2 and "b.txt" in plain.stderr and not out.exists()
    done = run(src, "--out", out, "--keep-going")
    assert done.returncode == 2, done.stderr
    lines = done.stdout.splitlines()
    assert f"failed: {src / 'b.txt'}: b.txt, line 1: no department and fiscal year found: not a budget disclosure " \
           "of a known template, and no --department/--year or sources.csv row names it" in lines
    assert f"ignored: {src / 'notes.md'}: not a source document (.pdf, .txt)" in lines
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [d["department"] for d in manifest["documents"]] == ["某市某局"]
    assert [f["path"] for f in manifest["failed"]] == [str(src / "b.txt")]
    assert [f["path"] for f in manifest["ignored"]] == [str(src / "notes.md")]


def test_a_quarantined_table_is_reported_and_strict_fails(tmp_path):
    src = folder(tmp_path, q_txt=QUARANTINE)
    out = tmp_path / "dist"
    done = run(src, "--out", out)
    assert done.returncode == 0, done.stderr
    assert any(line.startswith(f"  quarantined: q.txt, line 14, table '部门预算收入总表': ") for line in done.stdout.splitlines())
    [doc] = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["documents"]
    assert [(q["table"], q["page"]) for q in doc["quarantined"]] == [("部门预算收入总表", None)]
    assert doc["tables"] == 1
    store = ox.Store.read_only(str(out / "store"))
    messages = [s["m"].value for s in store.query(
        "SELECT ?m WHERE { GRAPH ?g { ?r <http://www.w3.org/ns/shacl#resultMessage> ?m } }")]
    assert any(m.startswith("table not read (quarantined): q.txt, line 14") for m in messages)
    strict = run(src, "--out", tmp_path / "strict", "--strict")
    assert strict.returncode == 2 and "tables not read (--strict)" in strict.stderr
    assert not (tmp_path / "strict").exists()


def test_sources_csv_names_what_a_document_does_not(tmp_path):
    src = folder(tmp_path, anonymous_txt=ANONYMOUS)
    (src / "sources.csv").write_text("file,department,jurisdiction,year,phase\nanonymous.txt,长沙市某局,430100,2023,预算\n",
                                     encoding="utf-8")
    out = tmp_path / "dist"
    done = run(src, "--out", out)
    assert done.returncode == 0, done.stderr
    [doc] = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["documents"]
    assert (doc["department"], doc["jurisdiction"], doc["year"], doc["phase"]) == ("长沙市某局", "430100", "2023", "budget")
    # the flags go over the file
    flagged = run(src, "--out", tmp_path / "f", "--year", "2024", "--phase", "final-accounts")
    assert flagged.returncode == 0, flagged.stderr
    [doc] = json.loads((tmp_path / "f" / "manifest.json").read_text(encoding="utf-8"))["documents"]
    assert (doc["department"], doc["year"], doc["phase"]) == ("长沙市某局", "2024", "final-accounts")


def test_a_bad_sources_csv_is_a_clear_error(tmp_path):
    src = folder(tmp_path, a_txt=GOOD)
    (src / "sources.csv").write_text("file,department,jurisdiction,year,phase\nmissing.txt,某局,,,\n", encoding="utf-8")
    done = run(src, "--out", tmp_path / "dist")
    assert done.returncode == 2 and f"{src / 'sources.csv'}, line 2: no such file: 'missing.txt'" in done.stderr


def test_flags_name_a_single_document(tmp_path):
    src = folder(tmp_path, anonymous_txt=ANONYMOUS)
    done = run(src / "anonymous.txt", "--out", tmp_path / "dist", "--department", "国家某局", "--year", "2023")
    assert done.returncode == 0, done.stderr
    assert "  department of jurisdiction 100000" in done.stdout.splitlines()


def test_validate_lists_the_quarantined_tables_as_the_build_does(tmp_path):
    src = folder(tmp_path, q_txt=QUARANTINE)
    out = tmp_path / "dist"
    assert run(src, "--out", out).returncode == 0
    want = "table not read (quarantined): q.txt, line 14, table '部门预算收入总表': "
    for source in (src / "q.txt", out / "dumps" / "budgetkg.nq"):
        done = subprocess.run([sys.executable, "-m", "budgetkg.cli", "validate", str(source), "--format", "json"],
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        [graph] = json.loads(done.stdout)["graphs"]
        found = [r for r in graph["results"] if r["rule"] == "QuarantinedTable"]
        assert [(r["severity"], r["table"], r["line"], r["message"].startswith(want)) for r in found] == [
            ("Warning", "部门预算收入总表", 14, True)]
    text = subprocess.run([sys.executable, "-m", "budgetkg.cli", "validate", str(src / "q.txt")],
                          capture_output=True, text=True).stdout
    assert "Warning QuarantinedTable: Table not read (1)" in text and want in text


NARRATIVE = HEAD + "第二部分 附件：某市某局2023年度部门预算报表\n\n" + UNKNOWN


def test_a_document_without_a_budget_table_fails_with_the_reason(tmp_path):
    src = folder(tmp_path, u_txt=HEAD + UNKNOWN)
    done = run(src / "u.txt", "--out", tmp_path / "dist")
    assert done.returncode == 2 and not (tmp_path / "dist").exists()
    assert "u.txt, line 1: no budget table found (1 tables of an unknown kind, the first u.txt, line 9, table '人员情况表')" \
        in done.stderr


def test_a_narrative_whose_tables_are_published_apart_builds_and_says_so(tmp_path):
    src = folder(tmp_path, n_txt=NARRATIVE)
    done = run(src / "n.txt", "--out", tmp_path / "dist")
    assert done.returncode == 0, done.stderr
    assert "  note: no budget table: a narrative whose tables are published separately " \
           "(line 3: 第二部分附件：某市某局2023年度部门预算报表)" in done.stdout.splitlines()
    [doc] = json.loads((tmp_path / "dist" / "manifest.json").read_text(encoding="utf-8"))["documents"]
    assert doc["tables"] == 0 and doc["tables_elsewhere"] == "line 3: 第二部分附件：某市某局2023年度部门预算报表"


def quads(out, graph=None):
    lines = (out / "dumps" / "budgetkg.nq").read_text(encoding="utf-8").splitlines()
    return {line for line in lines if graph is None or line.endswith(f"<{graph}> .")}


def test_a_narrative_and_its_tables_published_apart_make_one_graph(tmp_path):
    # The narrative (its tables an attachment) and the attachment, named alike: both are
    # published, in the one graph of their disclosure, which is validated as a whole.
    # (A department of a known place: 某市 would give each a skipped item, below.)
    src = folder(tmp_path, a_txt=NARRATIVE.replace("某市", "长沙市"), b_txt=GOOD.replace("某市", "长沙市"))
    for name in ("a", "b"):
        assert run(src / f"{name}.txt", "--out", tmp_path / name).returncode == 0
    done = run(src, "--out", tmp_path / "dist", "--keep-going")
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    manifest = json.loads((tmp_path / "dist" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["failed"] == []
    a, b = manifest["documents"]
    assert (a["path"], a["tables"], b["path"], b["tables"]) == (str(src / "a.txt"), 0, str(src / "b.txt"), 1)
    assert a["graph"] == b["graph"]
    assert f"published in one graph with its tables {src / 'b.txt'} (validated together, the warnings are listed there)" in a["notes"]
    assert f"published in one graph with its narrative {src / 'a.txt'} (validated together)" in b["notes"]
    graph = a["graph"]
    # the data: what each builds alone, together
    assert quads(tmp_path / "dist", graph) == quads(tmp_path / "a", graph) | quads(tmp_path / "b", graph)
    # one validation report for the graph (each alone numbers its results from 1)
    report = quads(tmp_path / "dist", graph.rstrip("/") + "/validation")
    assert len([q for q in report if "<http://www.w3.org/ns/shacl#conforms>" in q]) == 1


def test_a_joined_narrative_rebuilt_from_the_cache_leaves_the_cached_shards_as_they_were(tmp_path):
    # The cache's shards are hard links in the build's work folder; joining the two documents
    # rewrites the tables' shards there, which must not change the cached ones.
    src = folder(tmp_path, a_txt=NARRATIVE.replace("某市", "长沙市"), b_txt=GOOD.replace("某市", "长沙市"))
    cache = tmp_path / "cache"
    for out in ("first", "again"):
        done = run(src, "--out", tmp_path / out, "--keep-going", "--cache", cache)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "cache " in done.stdout and ": 0 documents processed, 2 reused" in done.stdout
    assert run(src, "--out", tmp_path / "clean", "--keep-going").returncode == 0
    for name in ("budgetkg.nq", "budgetkg.nt"):
        assert (tmp_path / "again" / "dumps" / name).read_bytes() == (tmp_path / "clean" / "dumps" / name).read_bytes()
    shards = sorted(p for p in cache.iterdir() if p.suffix == ".nt")
    assert len(shards) == 2 and all(p.stat().st_size > 0 for p in shards)  # the narrative's too, not emptied by the join


def test_a_narrative_and_its_tables_that_both_skip_items_make_one_graph(tmp_path):
    # Each reports its unknown jurisdiction (某市) as its first skipped item: minted under its own source,
    # the two items stay apart in the one graph (as skipped/1 of both they had two locations, and the
    # union failed the shapes), each with its own location and source.
    src = folder(tmp_path, a_txt=NARRATIVE, b_txt=GOOD)
    done = run(src, "--out", tmp_path / "dist", "--keep-going")
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    manifest = json.loads((tmp_path / "dist" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["failed"] == []
    a, b = manifest["documents"]
    assert a["graph"] == b["graph"] and (a["tables"], b["tables"]) == (0, 1)
    store = ox.Store.read_only(str(tmp_path / "dist" / "store"))
    found = sorted((s["file"].value, s["where"].value) for s in store.query(
        "PREFIX bkg: <https://budgetkg.org/def/budget#> SELECT ?file ?where WHERE { GRAPH ?g { "
        "?item a bkg:SkippedItem ; bkg:location ?where ; bkg:sourceDocument ?doc . ?doc bkg:fileName ?file } }"))
    assert found == [("a.txt", "a.txt, line 1"), ("a.txt", "a.txt, line 11, table '人员情况表'"), ("b.txt", "b.txt, line 1")]
    # the same IRIs in a build of each alone (deterministic, not renumbered by the join)
    alone = run(src / "a.txt", "--out", tmp_path / "a")
    assert alone.returncode == 0, alone.stderr
    skipped = {line for line in quads(tmp_path / "a", a["graph"]) if "/skipped/" in line}
    assert skipped and skipped <= quads(tmp_path / "dist", a["graph"])


def test_two_sources_that_both_print_tables_are_not_merged(tmp_path):
    src = folder(tmp_path, a_txt=GOOD, b_txt=GOOD)
    done = run(src, "--out", tmp_path / "dist", "--keep-going")
    assert done.returncode == 2, done.stderr
    manifest = json.loads((tmp_path / "dist" / "manifest.json").read_text(encoding="utf-8"))
    assert [d["path"] for d in manifest["documents"]] == [str(src / "a.txt")]
    [failed] = manifest["failed"]
    assert failed["path"] == str(src / "b.txt")
    assert failed["reason"].startswith("two sources describe the same department, year and phase: ")
    assert f"the one with more observations, {src / 'a.txt'}, is built; the two are not merged" in failed["reason"]
