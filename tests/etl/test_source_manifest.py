"""Source manifests in the shapes portals and crawlers write them (issue 12, Metadata anywhere):
``sources.csv`` or ``SOURCES.tsv``, columns found by their header (aliases, extra columns
ignored), the phase and level read from a kind text, the jurisdiction from the department's
name, the department normalized like a printed one; a bad manifest is an error naming file and
line; a manifest that agrees with what a document prints changes nothing of its graph.
Builds run through the real command."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from budgetkg.errors import InputError
from budgetkg.etl.docmeta import department_name
from budgetkg.etl.source_manifest import read_manifest

from .test_pipeline_stages import EXPENDITURE

# 长沙 prints itself with a scope; the other text names nothing (no cover, no name line, no year).
PRINTED = "# 长沙市某局（本级）2023 年部门预算信息公开情况说明\n\n" + EXPENDITURE.replace("901 某市某局", "901 长沙市某局（本级）")
ANONYMOUS = EXPENDITURE.replace("901 某市某局\n\n", "").replace("预算年度：2023\n\n", "")
# A crawler's list: its own columns around the ones a build reads, kinds in words.
CRAWLER = ("file\trepository\tissuer\tyear\tkind\tpages\n"
           "printed.txt\tsome/repo\t长沙市某局（本级）\t2023\tbudget dept (情况说明+报表)\t3\n"
           "anonymous.txt\tsome/repo\t湖州市 某局\t2022\tfinal unit (附件2 报表 only)\t1\n")


def run(*args):
    return subprocess.run([sys.executable, "-m", "budgetkg.cli", "build", *map(str, args)], capture_output=True, text=True)


def folder(tmp_path, manifest_name=None, manifest="", **files):
    src = tmp_path / "src"
    src.mkdir()
    for name, text in files.items():
        (src / f"{name}.txt").write_text(text, encoding="utf-8")
    if manifest_name:
        (src / manifest_name).write_text(manifest, encoding="utf-8")
    return src


def documents(out: Path) -> dict[str, dict]:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {Path(d["path"]).name: d for d in manifest["documents"]}


def graph_lines(out: Path, graph: str) -> list[str]:
    """The quads of one document's graph (its validation report apart), as the dump prints them."""
    text = (out / "dumps" / "budgetkg.nq").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.endswith(f"<{graph}> .")]


def test_a_crawler_tsv_is_read_by_its_headers(tmp_path):
    src = folder(tmp_path, "SOURCES.tsv", CRAWLER, printed=PRINTED, anonymous=ANONYMOUS)
    rows = read_manifest(src / "SOURCES.tsv")
    # the department as the crawler wrote it: department_name() normalizes it in the pipeline
    assert {p.name: (o.department, o.jurisdiction, o.year, o.phase, o.level) for p, o in rows.items()} == {
        "printed.txt": ("长沙市某局（本级）", None, "2023", "budget", "department"),
        "anonymous.txt": ("湖州市 某局", None, "2022", "final-accounts", "unit"),
    }


def test_a_folder_with_a_manifest_builds_what_it_names(tmp_path):
    src = folder(tmp_path, "SOURCES.tsv", CRAWLER, printed=PRINTED, anonymous=ANONYMOUS)
    out = tmp_path / "dist"
    done = run(src, "--out", out, "--keep-going")
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    lines = done.stdout.splitlines()
    assert any(line.startswith(f"manifest: {src / 'SOURCES.tsv'}") for line in lines)
    assert not any(line.startswith("ignored:") for line in lines)
    docs = documents(out)
    got = {n: (d["department"], d["name_scope"], d["jurisdiction"], d["year"], d["phase"], d["level"]) for n, d in docs.items()}
    # the spaces of the crawler's name dropped, the jurisdiction found from it (湖州市 330500)
    assert got["anonymous.txt"] == ("湖州市某局", None, "330500", "2022", "final-accounts", "unit")
    assert got["printed.txt"] == ("长沙市某局", "本级", "430100", "2023", "budget", "department")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["source_manifests"] == [str(src / "SOURCES.tsv")] and manifest["ignored"] == []


def test_a_file_built_alone_takes_its_row_of_the_manifest_beside_it(tmp_path):
    # The anonymous text prints no name and no year: alone, it builds only from its manifest's row.
    src = folder(tmp_path, "SOURCES.tsv", CRAWLER, printed=PRINTED, anonymous=ANONYMOUS)
    out = tmp_path / "dist"
    done = run(src / "anonymous.txt", "--out", out)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert f"manifest: {src / 'SOURCES.tsv'}" in done.stdout
    got = documents(out)["anonymous.txt"]
    assert (got["department"], got["jurisdiction"], got["year"], got["phase"], got["level"]) == (
        "湖州市某局", "330500", "2022", "final-accounts", "unit")
    # the file and its folder given together: the manifest is read once, the file built once
    both = tmp_path / "both"
    done = run(src / "anonymous.txt", src, "--out", both, "--keep-going")
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    built = json.loads((both / "manifest.json").read_text(encoding="utf-8"))
    assert built["source_manifests"] == [str(src / "SOURCES.tsv")]
    assert sorted(Path(d["path"]).name for d in built["documents"]) == ["anonymous.txt", "printed.txt"]


def test_a_manifest_that_does_not_list_the_file_is_not_used_for_it(tmp_path):
    src = folder(tmp_path, "sources.csv", "file,department\nprinted.txt,长沙市另一局\n", printed=PRINTED, anonymous=ANONYMOUS)
    done = run(src / "anonymous.txt", "--out", tmp_path / "dist")
    assert done.returncode != 0 and "anonymous.txt" in done.stdout + done.stderr
    assert "manifest:" not in done.stdout


def test_a_manifest_that_agrees_with_the_page_changes_nothing(tmp_path):
    # The document built alone and from a folder whose manifest names it as it prints itself
    # (scope included): same graph IRI, department, year, and the same quads.
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / "printed.txt").write_text(PRINTED, encoding="utf-8")
    assert run(alone / "printed.txt", "--out", tmp_path / "a").returncode == 0
    src = folder(tmp_path, "sources.csv", "文件,部门,年度,阶段\nprinted.txt,长沙市某局（本级）,2023,预算\n", printed=PRINTED)
    assert run(src, "--out", tmp_path / "b").returncode == 0
    [a], [b] = documents(tmp_path / "a").values(), documents(tmp_path / "b").values()
    keys = ("graph", "department", "name_scope", "jurisdiction", "year", "phase", "level", "tables", "observations", "triples")
    assert {k: a[k] for k in keys} == {k: b[k] for k in keys}
    assert a["graph"].endswith("/430100/2023/901/budget")
    assert graph_lines(tmp_path / "a", a["graph"]) == graph_lines(tmp_path / "b", b["graph"])


def test_the_manifest_goes_over_the_page_only_where_it_gives_a_value(tmp_path):
    src = folder(tmp_path, "sources.csv", "file,department,jurisdiction,year,phase\nprinted.txt,,,2024,\n", printed=PRINTED)
    assert run(src, "--out", tmp_path / "dist").returncode == 0
    [d] = documents(tmp_path / "dist").values()
    assert (d["department"], d["name_scope"], d["jurisdiction"], d["year"], d["phase"]) == (
        "长沙市某局", "本级", "430100", "2024", "budget")


def test_the_level_flag_goes_over_the_manifest(tmp_path):
    src = folder(tmp_path, "sources.csv", "file,kind\nprinted.txt,budget dept\n", printed=PRINTED)
    done = run(src, "--out", tmp_path / "dist", "--level", "单位")
    assert done.returncode == 0, done.stderr
    [d] = documents(tmp_path / "dist").values()
    assert d["level"] == "unit" and "  unit of jurisdiction 430100, printed with （本级）" in done.stdout.splitlines()


@pytest.mark.parametrize("name,text,where,message", [
    ("SOURCES.tsv", "file\tissuer\tkind\nprinted.txt\t某局\n", "line 2", "2 cells where the header has 3"),
    ("sources.csv", "name,issuer\nprinted.txt,某局\n", "line 1", "no column names the file"),
    ("sources.csv", "file,department,部门\nprinted.txt,某局,某局\n", "line 1", "two columns give the department"),
    ("sources.csv", "file,kind\nprinted.txt,budget\nprinted.txt,budget\n", "line 3", "'printed.txt' is listed twice (first on line 2)"),
    ("sources.csv", "file,kind\nprinted.txt,report only\n", "line 2", "phase 'report only' holds none of the words"),
    ("sources.csv", "file,kind\nprinted.txt,预算 and 决算\n", "line 2", "phase '预算 and 决算' names both budget and final-accounts"),
    ("sources.csv", "file,year\nprinted.txt,26\n", "line 2", "year '26' is not a year"),
    ("sources.csv", "file,jurisdiction\n\nprinted.txt,999999\n", "line 3", "jurisdiction '999999' is not a code"),
    ("sources.tsv", 'file\tkind\n"printed.txt\tbudget\n', "line 2", "not a tab-separated table"),
])
def test_a_malformed_manifest_names_its_file_and_line(tmp_path, name, text, where, message):
    src = folder(tmp_path, name, text, printed=PRINTED)
    with pytest.raises(InputError) as exc:
        read_manifest(src / name)
    assert str(exc.value).startswith(f"{src / name}, {where}: {message}")
    done = run(src, "--out", tmp_path / "dist", "--keep-going")
    assert done.returncode == 2 and f"{src / name}, {where}: {message}" in done.stderr
    assert not (tmp_path / "dist").exists()


def test_the_corpus_manifest_names_what_the_documents_print(shared_dir):
    # SOURCES.tsv of the corpus against the hand-made inventory of each document (read from its
    # pages by hand): the department it names, normalized, is the one printed (scope included),
    # and so are the year, the phase and the level, so the manifest changes no IRI.
    corpus = shared_dir / "samples" / "corpus"
    expected = Path(__file__).resolve().parents[1] / "expected" / "corpus"
    rows = read_manifest(corpus / "SOURCES.tsv")
    assert len(rows) == 15
    for path, o in rows.items():
        meta = json.loads((expected / path.stem / "meta.json").read_text(encoding="utf-8"))
        name, scope = department_name(o.department)
        assert (name, o.year, o.phase, o.level) == (meta["department"], meta["year"], meta["phase"], meta["level"]), path.name
        assert department_name(meta["department_printed"]) == (name, scope), path.name
