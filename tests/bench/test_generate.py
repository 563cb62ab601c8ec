"""Tests of bench/generate.py (synthetic disclosures).

The generated text is parsed here with plain tab splitting, independently of the
project's ETL, and every printed total is checked.
"""

from __future__ import annotations

import random
import re
import sys
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.generate import (  # noqa: E402
    TABLE_TITLES,
    generate_corpus,
    generate_disclosure,
    load_codelists,
    main,
    make_departments,
)

SAMPLE = Path("/work/shared/samples/000_60bd7a1a2874cc3a.txt")
ZERO = Decimal("0")
AMOUNT = re.compile(r"^\d+\.\d{2}$")
ORDINAL = re.compile(r"^[一二三四五六七八九十]+、")
PAGE_HEADER = re.compile(r"^\d{3} \S")
PERF_HEADER = ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"]
PERF_LEVELS = {
    "产出指标": {"数量指标", "质量指标", "时效指标", "成本指标"},
    "效益指标": {"经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"},
    "满意度指标": {"服务对象满意度指标"},
}


# ------------------------------------------------------------------------------------
# a small independent parser
# ------------------------------------------------------------------------------------


def headings(text: str) -> list[tuple[int, str, int]]:
    """(level, text, line index) of every markdown heading."""
    out = []
    for i, line in enumerate(text.split("\n")):
        m = re.match(r"^(#+) (.*)$", line)
        if m:
            out.append((len(m.group(1)), m.group(2).strip(), i))
    return out


def sections(text: str) -> dict[str, list[str]]:
    """Heading text -> the lines up to the next heading (first occurrence wins)."""
    lines = text.split("\n")
    hs = headings(text)
    out: dict[str, list[str]] = {}
    for k, (_, title, i) in enumerate(hs):
        end = hs[k + 1][2] if k + 1 < len(hs) else len(lines)
        out.setdefault(title, lines[i + 1:end])
    return out


def table_headings(text: str) -> list[str]:
    """`## ` headings directly followed (after blank lines) by a page header line."""
    lines = text.split("\n")
    out = []
    for level, title, i in headings(text):
        nxt = next((ln for ln in lines[i + 1:] if ln.strip()), "")
        if level == 2 and PAGE_HEADER.match(nxt):
            out.append(title)
    return out


def clean(cell: str) -> str:
    return re.sub(r"\s+", "", cell.replace("<b>", "").replace("</b>", ""))


def data_rows(lines: list[str]) -> list[list[str]]:
    """Rows whose first cell is a 序号; header, 栏次 and page-header lines are skipped."""
    rows = []
    for line in lines:
        if "\t" not in line:
            continue
        cells = [clean(c) for c in line.split("\t")]
        if cells[0].isdigit():
            rows.append(cells)
    return rows


def D(cell: str) -> Decimal:
    return Decimal(cell) if cell else ZERO


def tables(text: str) -> dict[str, list[list[str]]]:
    secs = sections(text)
    out = {}
    for t in TABLE_TITLES:
        rows = data_rows(secs[t])
        assert [int(r[0]) for r in rows] == list(range(1, len(rows) + 1)), f"{t}: 序号 not continuous"
        out[t] = rows
    return out


# ------------------------------------------------------------------------------------
# arithmetic checks
# ------------------------------------------------------------------------------------


def check_hierarchy(rows: list[list[str]], first_amount: int, digits: tuple[int, ...], title: str) -> None:
    """合计 row = Σ top level; each parent = Σ its children (codes by prefix)."""
    total, body = rows[0], rows[1:]
    assert total[1] == "" and total[2] == "合计", title
    width = len(total)
    vals = {r[1]: [D(c) for c in r[first_amount:width]] for r in body}
    assert len(vals) == len(body), f"{title}: duplicate codes"
    for r in body:
        assert len(r[1]) in digits and r[1].isdigit(), f"{title}: bad code {r[1]}"
        for c in r[first_amount:]:
            assert c == "" or AMOUNT.match(c), f"{title}: amount {c!r} not printed with 2 decimals"
    top, *lower = digits
    cols = width - first_amount
    s = [sum((v[i] for k, v in vals.items() if len(k) == top), ZERO) for i in range(cols)]
    assert s == [D(c) for c in total[first_amount:]], f"{title}: 合计 row != Σ 类"
    for parent_len, child_len in zip(digits, digits[1:]):
        for code, v in vals.items():
            if len(code) != parent_len:
                continue
            kids = [w for k, w in vals.items() if len(k) == child_len and k.startswith(code)]
            assert kids, f"{title}: {code} has no children"
            assert v == [sum((w[i] for w in kids), ZERO) for i in range(cols)], f"{title}: {code} != Σ children"
        for code in vals:
            if len(code) == child_len:
                assert code[:parent_len] in vals, f"{title}: {code} without parent"


def class_totals(rows: list[list[str]], col: int) -> dict[str, Decimal]:
    return {r[1]: D(r[col]) for r in rows[1:] if len(r[1]) == 3}


def check_document(text: str, indicators: int = 3) -> dict:
    cl = load_codelists()
    tb = tables(text)
    t_sz, t_in, t_out, t_fin, t_gpb, t_basic, t_gf, t_soe, t_three = (tb[t] for t in TABLE_TITLES)

    # 收入总表: 合计 = 小计 + 上年结转, 小计 = Σ sources
    check_hierarchy(t_in, 3, (3, 5, 7), "收入总表")
    for r in t_in:
        assert len(r) == 13
        assert D(r[3]) == D(r[4]) + D(r[12])
        assert D(r[4]) == sum((D(c) for c in r[5:12]), ZERO)
    # 支出总表: 合计 = 基本 + 项目 + ...
    check_hierarchy(t_out, 3, (3, 5, 7), "支出总表")
    for r in t_out:
        assert len(r) == 9
        assert D(r[3]) == sum((D(c) for c in r[4:9]), ZERO)
    assert [r[1:4] for r in t_in] == [r[1:4] for r in t_out], "收入总表 and 支出总表 disagree"
    # 一般公共预算财政拨款支出表
    check_hierarchy(t_gpb, 3, (3, 5, 7), "一般公共预算财政拨款支出表")
    for r in t_gpb:
        assert len(r) == 6 and D(r[3]) == D(r[4]) + D(r[5])
    # 基本支出表: 合计 = 人员经费 + 公用经费; 301/303 personnel, 302 public
    check_hierarchy(t_basic, 3, (3, 5), "基本支出表")
    for r in t_basic:
        assert D(r[3]) == D(r[4]) + D(r[5])
        if r[1][:3] in ("301", "303"):
            assert r[5] == "" and r[4] == r[3]
        elif r[1][:3] == "302":
            assert r[4] == "" and r[5] == r[3]
    assert D(t_basic[0][3]) == D(t_gpb[0][4]), "basic table total != 一般公共预算 基本支出"
    # 政府性基金 / 国有资本经营
    gf_total = ZERO
    if t_gf:
        check_hierarchy(t_gf, 3, (3, 5, 7), "政府基金预算财政拨款支出表")
        for r in t_gf:
            assert D(r[3]) == D(r[4]) + D(r[5])
        gf_total = D(t_gf[0][3])
    else:
        assert any(line.startswith("注：无政府基金") for line in sections(text)[TABLE_TITLES[6]])
    assert t_soe == []

    # 收支总表
    n = len(cl.lei_template)
    assert len(t_sz) == n + 3
    by_name_out = {cl.functional.get(c, c): v for c, v in class_totals(t_out, 3).items()}
    income = sum((D(r[2]) for r in t_sz[:n]), ZERO)
    spend = ZERO
    for r in t_sz[:n]:
        assert ORDINAL.match(r[3]), r
        name = ORDINAL.sub("", r[3])
        assert D(r[4]) == by_name_out.get(name, ZERO), f"收支总表 {name}"
        spend += D(r[4])
    this_in, carry, grand = t_sz[n], t_sz[n + 1], t_sz[n + 2]
    assert this_in[1] == "本年收入合计" and this_in[3] == "本年支出合计"
    assert D(this_in[2]) == income and D(this_in[4]) == spend
    assert D(grand[2]) == D(this_in[2]) + D(carry[2])
    assert D(grand[4]) == D(this_in[4]) + D(carry[4])
    assert D(grand[2]) == D(grand[4]) == D(t_out[0][3]) == D(t_in[0][3])

    # 财政拨款收支总表
    gpb_by = {cl.functional.get(c, c): v for c, v in class_totals(t_gpb, 3).items()}
    gf_by = {cl.functional.get(c, c): v for c, v in class_totals(t_gf, 3).items()} if t_gf else {}
    fin_in = sum((D(r[2]) for r in t_fin[:n]), ZERO)
    sums = [ZERO] * 4
    for r in t_fin[:n]:
        assert len(r) == 8
        name = ORDINAL.sub("", r[3])
        assert D(r[4]) == D(r[5]) + D(r[6]) + D(r[7])
        assert D(r[5]) == gpb_by.get(name, ZERO) and D(r[6]) == gf_by.get(name, ZERO)
        for i in range(4):
            sums[i] += D(r[4 + i])
    fin_this, fin_grand = t_fin[n], t_fin[-1]
    assert fin_this[1] == "本年收入合计" and fin_grand[1] == "收入总计"
    for row in (fin_this, fin_grand):
        assert D(row[2]) == fin_in == sums[0] == D(row[4])
        assert [D(c) for c in row[4:8]] == sums
    assert D(t_fin[0][2]) == D(t_gpb[0][3]) and D(t_fin[1][2]) == gf_total

    # 三公
    v = {r[1]: D(r[2]) for r in t_three}
    for r in t_three:
        assert D(r[2]) == D(r[3]) + D(r[4]) + D(r[5])
    abroad = v["一、因公出国（境）费"]
    car = v["二、公务用车购置及运维费"]
    assert abroad == v["其中：教学科研人员因公出国（境）费"] + v["其他因公出国（境）费"]
    assert car == v["其中：公务用车购置费"] + v["公务用车运行维护费"]
    assert v["合计"] == v["“三公”经费小计"] == abroad + car + v["三、公务接待费"]

    # narrative figures
    def num(s: str) -> Decimal:
        return Decimal(s)

    total, basic, project = D(t_out[0][3]), D(t_out[0][4]), D(t_out[0][5])
    m = re.search(r"年预算收入([\d.]+)万元，其中：一般公共预算收入([\d.]+)万元，基金预算收入([\d.]+)万元", text)
    assert m and num(m[1]) == total and num(m[2]) == D(t_sz[0][2]) and num(m[3]) == gf_total
    m = re.search(r"年支出预算([\d.]+)万元，其中基本支出([\d.]+)万元，包括人员经费([\d.]+)万元和日常公用经费([\d.]+)万元；"
                  r"项目支出([\d.]+)万元", text)
    assert m, "支出说明 missing"
    assert (num(m[1]), num(m[2]), num(m[5])) == (total, basic, project)
    assert (num(m[3]), num(m[4])) == (D(t_basic[0][4]), D(t_basic[0][5]))
    assert num(m[3]) + num(m[4]) == num(m[2])
    m = re.search(r"财政拨款人员经费([\d.]+)万元，.*?公用经费([\d.]+)万元", text)
    assert m and (num(m[1]), num(m[2])) == (D(t_basic[0][4]), D(t_basic[0][5]))
    m = re.search(r"财政拨款“三公”经费预算安排([\d.]+)万元", text)
    assert m and num(m[1]) == v["合计"]

    # performance target tables
    perf = check_perf_tables(text)
    assert len(perf) == indicators
    return {"gf": bool(t_gf), "pages": {t: sum(1 for ln in sections(text)[t] if PAGE_HEADER.match(ln))
                                         for t in TABLE_TITLES}}


def check_perf_tables(text: str) -> list[str]:
    secs = sections(text)
    titles = [t for t in secs if re.match(r"^\d+、.+绩效目标表$", t)]
    for t in titles:
        lines = [ln for ln in secs[t] if ln.strip()]
        target = lines[0].split("\t")
        assert target[0] == "绩效目标" and len(target) == 6 and target[3].startswith("1.")
        assert lines[1].split("\t") == PERF_HEADER
        l1 = l2 = ""
        seen: dict[str, set[str]] = {}
        for ln in lines[2:]:
            cells = ln.split("\t")
            assert len(cells) == 6, (t, ln)
            if cells == PERF_HEADER:
                continue  # header repeated after a page break
            if not any(cells[:5]):
                continue  # the last cell of the row above runs on after the page break
            l1 = cells[0] or l1  # blank cells inherit from above
            l2 = cells[1] or l2
            assert l1 in PERF_LEVELS and l2 in PERF_LEVELS[l1], (t, ln)
            assert all(cells[2:5]), (t, ln)
            seen.setdefault(l1, set()).add(l2)
        assert seen == PERF_LEVELS, t
    return titles


# ------------------------------------------------------------------------------------
# tests
# ------------------------------------------------------------------------------------


def test_deterministic_for_a_seed():
    a = generate_disclosure("501", "某市第1工业和信息化局", 2022, random.Random(42))
    b = generate_disclosure("501", "某市第1工业和信息化局", 2022, random.Random(42))
    c = generate_disclosure("501", "某市第1工业和信息化局", 2022, random.Random(43))
    assert a == b
    assert a != c


def test_corpus_deterministic(tmp_path):
    p1 = generate_corpus(tmp_path / "a", 4, [2022, 2023], seed=11)
    p2 = generate_corpus(tmp_path / "b", 4, [2022, 2023], seed=11)
    p3 = generate_corpus(tmp_path / "c", 4, [2022, 2023], seed=12)
    assert [p.name for p in p1] == [p.name for p in p2]
    assert all(x.read_bytes() == y.read_bytes() for x, y in zip(p1, p2))
    assert [p.read_bytes() for p in p1] != [p.read_bytes() for p in p3]


def test_departments_and_years_give_distinct_files(tmp_path):
    paths = generate_corpus(tmp_path, 5, [2022, 2023, 2024], seed=3, jurisdiction="130500")
    assert len(paths) == 15 and len({p.name for p in paths}) == 15
    texts = [p.read_text(encoding="utf-8") for p in paths]
    assert len(set(texts)) == 15
    codes = set()
    for p, text in zip(paths, texts):
        m = re.fullmatch(r"130500_(\d{3})_(\d{4})\.txt", p.name)
        assert m
        codes.add(m[1])
        assert f"预算年度：{m[2]}" in text
        header = next(ln for ln in text.split("\n") if PAGE_HEADER.match(ln))
        assert header.split(" ", 1)[0] == m[1]
    assert len(codes) == 5
    # a department keeps its code and name over the years
    depts = make_departments(5, seed=3)
    assert len({c for c, _ in depts}) == 5 and len({n for _, n in depts}) == 5
    for code, name in depts:
        names = {next(ln for ln in p.read_text(encoding="utf-8").split("\n") if PAGE_HEADER.match(ln))
                 for p in paths if f"_{code}_" in p.name}
        assert names == {f"{code} {name}"}


@pytest.mark.parametrize("codes", ["auto", "builtin"])
@pytest.mark.parametrize("noise", [True, False])
def test_tables_add_up(codes, noise):
    cl = load_codelists(mode=codes)
    depts = make_departments(30, seed=codes, codelists=cl)
    found_gf = found_multipage = False
    for i, (code, name) in enumerate(depts):
        year = 2021 + i % 4
        text = generate_disclosure(code, name, year, random.Random(f"t{i}"), noise=noise,
                                   indicators=1 + i % 4, codelists=cl)
        info = check_document(text, indicators=1 + i % 4)
        found_gf |= info["gf"]
        found_multipage |= max(info["pages"].values()) >= 2
        # every printed code comes from the code lists
        for t in (TABLE_TITLES[1], TABLE_TITLES[5]):
            for r in data_rows(sections(text)[t])[1:]:
                assert r[1] in cl.functional or r[1] in cl.economic, r
    assert found_gf, "no non-empty 政府性基金 table in 30 documents"
    assert found_multipage


def test_ttl_code_lists_are_used(tmp_path):
    fn = [("201", "一般公共服务支出"), ("20106", "财政事务"), ("2010601", "行政运行"),
          ("2010602", "一般行政管理事务"), ("2010607", "信息化建设"), ("208", "社会保障和就业支出"),
          ("20805", "行政事业单位养老支出"), ("2080505", "机关事业单位基本养老保险缴费支出")]
    ec = [("301", "工资福利支出"), ("30101", "基本工资"), ("30102", "津贴补贴"), ("30108", "机关事业单位基本养老保险缴费"),
          ("302", "商品和服务支出"), ("30201", "办公费"), ("30299", "其他商品和服务支出")]

    def ttl(scheme, items):
        body = ["@prefix skos: <http://www.w3.org/2004/02/skos/core#> ."]
        for code, label in items:
            body.append(f'<https://budgetkg.org/def/cl/{scheme}/{code}> a skos:Concept ; '
                        f'skos:notation "{code}" ; skos:prefLabel "{label}"@zh , "x"@en .')
        return "\n".join(body) + "\n"

    (tmp_path / "functional.ttl").write_text(ttl("functional", fn), encoding="utf-8")
    (tmp_path / "economic.ttl").write_text(ttl("economic", ec), encoding="utf-8")
    cl = load_codelists(tmp_path)
    assert cl.source == "functional:ttl economic:ttl"
    assert cl.functional == dict(fn) and cl.economic == dict(ec)
    for i in range(10):
        text = generate_disclosure(str(100 + i), f"某市第{i}财政局", 2022, random.Random(i), codelists=cl)
        check_document(text)
        for t in (TABLE_TITLES[1], TABLE_TITLES[5]):
            for r in data_rows(sections(text)[t])[1:]:
                assert r[1] in cl.functional or r[1] in cl.economic, r
    assert load_codelists(tmp_path / "missing").source == "functional:builtin economic:builtin"


def test_same_headings_as_the_real_sample():
    if not SAMPLE.is_file():
        pytest.skip(f"{SAMPLE} not available")
    sample = SAMPLE.read_text(encoding="utf-8")
    text = generate_disclosure("501", "某市第1工业和信息化局", 2022, random.Random(0))
    assert table_headings(sample) == list(TABLE_TITLES)
    assert table_headings(text) == table_headings(sample)
    # the narrative chapters (一、 ... 九、) in the same order
    chapter = re.compile(r"^[一二三四五六七八九]、")
    want = [t for _, t, _ in headings(sample) if chapter.match(t)]
    got = [t for _, t, _ in headings(text) if chapter.match(t)]
    assert got == want
    # the sample's fixed sub-headings all occur
    for h in ("（一）部门职责：", "（二）机构设置", "部门机构设置情况", "1、收入说明", "2、支出说明",
              "3、比上年增减情况", "第一部分 部门整体绩效目标", "第二部分 预算项目绩效目标",
              "部门政府采购预算", "部门固定资产占用情况表"):
        assert h in {t for _, t, _ in headings(sample)} and h in {t for _, t, _ in headings(text)}, h
    # table header rows as in the sample (modulo spaces inside cells)
    for title in TABLE_TITLES:
        def head(doc):
            lines = sections(doc)[title]
            i = next(k for k, ln in enumerate(lines) if ln.startswith("序号\t"))
            return [[clean(c) for c in ln.split("\t")] for ln in lines[i:i + 2]]
        assert head(text) == head(sample), title
    # project performance tables: `N、<project>绩效目标表`, then the 绩效目标 row and the header
    perf = re.compile(r"^\d+、.+绩效目标表$")
    for doc in (sample, text):
        secs = sections(doc)
        titles = [t for t in secs if perf.match(t)]
        assert titles
        for t in titles:
            lines = [ln for ln in secs[t] if ln.strip()]
            assert lines[0].startswith("绩效目标\t\t\t") and lines[1].split("\t") == PERF_HEADER


def test_cli(tmp_path, capsys):
    assert main(["--departments", "2", "--years", "2022,2023", "--out", str(tmp_path), "--seed", "5",
                 "--indicators", "2"]) == 0
    files = sorted(tmp_path.glob("*.txt"))
    assert len(files) == 4
    for f in files:
        check_document(f.read_text(encoding="utf-8"), indicators=2)
