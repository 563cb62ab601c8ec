"""A corpus document that names nothing builds when a portal names it (issue 12, Metadata anywhere).

../shared/samples/corpus/beijing_czj_2026_budget_dept_tables.pdf is the 附件2 of the 北京市财政局
2026 部门预算: 48 pages of tables without a cover, whose pages print 预算01表 ... and 金额单位：万元 but
no department (page images checked: page 1 预算01表 收支总表, page 9 预算05表 一般公共预算支出表), and no
year in a title, only in the subtitle （2026年度） of pages 44 and 48. Alone it is a clear error naming the department; with a ``sources.csv`` row or with the flags it builds as the 北京市财政局
(110000) 2026 budget, its tables in 万元. Run through the real command.
"""

import json
import shutil
import subprocess
import sys

import pytest

TABLES = "beijing_czj_2026_budget_dept_tables.pdf"
ROW = "file,department,jurisdiction,year,phase\n" + TABLES + ",北京市财政局,110000,2026,预算\n"


def run(*args):
    return subprocess.run([sys.executable, "-m", "budgetkg.cli", "build", *map(str, args)], capture_output=True, text=True)


@pytest.fixture(scope="module")
def folder(shared_dir, tmp_path_factory):
    src = tmp_path_factory.mktemp("beijing") / "src"
    src.mkdir()
    shutil.copy(shared_dir / "samples" / "corpus" / TABLES, src / TABLES)
    return src


def test_alone_it_names_no_department(folder):
    done = run(folder / TABLES, "--out", folder.parent / "alone")
    assert done.returncode == 2
    # it prints no department; its year is the one of the subtitle under the titles of 预算13表 and 预算14表
    # (（2026年度）, pages 44 and 48), none of its titles printing one
    assert f"{TABLES}, line 1: no department found" in done.stderr and "sources.csv" in done.stderr


def test_alone_its_year_is_the_one_of_its_subtitles(shared_dir):
    from budgetkg.etl.read_pdf import read_pdf

    doc = read_pdf(shared_dir / "samples" / "corpus" / TABLES)
    assert doc.meta["year"] == "2026" and "department_name" not in doc.meta
    assert not any("2026" in t.title for t in doc.tables())


@pytest.mark.parametrize("how", ["sources.csv", "flags"])
def test_named_by_a_portal_it_builds(folder, how, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(folder, src)
    if how == "sources.csv":
        (src / "sources.csv").write_text(ROW, encoding="utf-8")
        done = run(src, "--out", tmp_path / "dist")
    else:
        done = run(src / TABLES, "--out", tmp_path / "dist", "--department", "北京市财政局", "--jurisdiction", "110000",
                   "--year", "2026", "--phase", "预算")
    assert done.returncode == 0, done.stderr[-2000:]
    manifest = json.loads((tmp_path / "dist" / "manifest.json").read_text(encoding="utf-8"))
    [doc] = manifest["documents"]
    assert (doc["department"], doc["jurisdiction"], doc["year"], doc["phase"], doc["level"]) == (
        "北京市财政局", "110000", "2026", "budget", "department")
    assert doc["tables"] >= 10 and doc["quarantined"] == []
    query = tmp_path / "units.rq"
    query.write_text("PREFIX bkg: <https://budgetkg.org/def/budget#>\nSELECT DISTINCT ?u WHERE { ?ds bkg:unitLabel ?u }",
                     encoding="utf-8")
    units = subprocess.run([sys.executable, "-m", "budgetkg.cli", "query", str(query), "--data", str(tmp_path / "dist"),
                            "--format", "csv"], capture_output=True, text=True)
    assert units.returncode == 0, units.stderr
    assert units.stdout.split() == ["u", "万元"]
