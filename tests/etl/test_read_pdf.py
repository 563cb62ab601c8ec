"""PDF reader: the two Shanghai Putuo samples (checked against the printed pages) and tiny hand-made PDFs."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from budgetkg.etl.model import EtlError, Heading, Paragraph
from budgetkg.etl.read_pdf import cover_meta, read_pdf

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"
BUDGET = SAMPLES / "shpt_sfj_2026_budget.pdf"
FINAL = SAMPLES / "shpt_czj_2024_final_accounts.pdf"


@pytest.fixture(scope="module")
def budget():
    if not BUDGET.is_file():
        pytest.skip("shared samples are not present")
    return read_pdf(BUDGET)


@pytest.fixture(scope="module")
def final():
    if not FINAL.is_file():
        pytest.skip("shared samples are not present")
    return read_pdf(FINAL)


def table(doc, title_part):
    found = [t for t in doc.tables() if t.title == title_part] or [t for t in doc.tables() if title_part in t.title]
    assert len(found) == 1, [t.title for t in doc.tables()]
    return found[0]


def row(tab, first_cells):
    found = [r for r in tab.rows if r.cells[: len(first_cells)] == first_cells]
    assert len(found) == 1, first_cells
    return found[0]


# ------------------------------------------------------------------ budget (部门预算)


def test_budget_table_titles_in_order(budget):
    assert [t.title for t in budget.tables()] == [
        "2026年部门财务收支预算总表",
        "2026年部门收入预算总表",
        "2026年部门支出预算总表",
        "2026年部门财政拨款收支预算总表",
        "2026年部门一般公共预算支出功能分类预算表",
        "2026年部门政府性基金预算支出功能分类预算表",
        "2026年部门国有资本经营预算支出功能分类预算表",
        "2026年部门一般公共预算基本支出部门预算经济分类预算表",
        "2026年部门“三公”经费和机关运行经费预算表",
    ]
    assert [len(t.rows) for t in budget.tables()] == [8, 22, 22, 5, 22, 0, 0, 30, 1]


def test_budget_cover(budget):
    assert budget.fmt == "pdf" and len(budget.sha256) == 64
    assert budget.meta == {"department_name": "上海市普陀区司法局", "year": "2026", "phase": "budget",
                           "level": "department"}
    assert budget.title == "上海市普陀区2026年区级部门预算"


def test_budget_toc_dropped(budget):
    texts = [b.text for b in budget.blocks if isinstance(b, (Heading, Paragraph))]
    assert not any("目录" in t.replace(" ", "") or "……" in t for t in texts)
    assert not any("目录" in r or "contents" in r for r in budget.repairs)
    assert not any(b.page in (2, 3) for b in budget.blocks)


def test_budget_table_meta_and_amounts_as_printed(budget):
    t = table(budget, "财务收支预算总表")
    assert t.page == 10
    assert t.meta == {"department_name": "上海市普陀区司法局", "unit": "元", "year": "2026"}
    assert t.header == [["本年收入", "", "本年支出", ""], ["项目", "预算数", "项目", "预算数"]]
    assert t.rows[0].cells == ["一、财政拨款收入", "96,282,213.44", "一、公共安全支出", "87,267,272.44"]
    assert t.rows[-1].cells == ["收入总计", "96,282,213.44", "支出总计", "96,282,213.44"]
    assert table(budget, "三公").meta["unit"] == "万元"


def test_budget_code_columns(budget):
    t = table(budget, "收入预算总表")
    assert t.leaf_headers() == ["类", "款", "项", "功能分类科目名称", "合计", "财政拨款收入", "事业收入",
                                "事业单位经营收入", "其他收入"]
    r = row(t, ["204", "06", "01"])
    assert r.cells == ["204", "06", "01", "行政运行", "16726725.44", "16726725.44", "0.00", "0.00", "0.00"]
    assert r.page == 11 and r.line > t.line
    # 合计 printed in one cell over 类/款/项/名称: in the leftmost column of the merged range (top-left rule)
    assert t.rows[-1].cells[:5] == ["合计", "", "", "", "96282213.44"]


def test_budget_continued_table_merged_header_dropped(budget):
    t = table(budget, "一般公共预算支出功能分类预算表")
    assert len(t.rows) == 22 and t.page == 15
    first_p16 = next(r for r in t.rows if r.page == 16)
    assert first_p16.cells == ["210", "", "", "卫生健康支出", "1149678.00", "1149678.00", "0.00"]
    assert not any("功能分类科目编码" in c or c in ("类", "项目") for r in t.rows for c in r.cells)
    lines = [r.line for r in t.rows]
    assert lines == sorted(lines) and len(set(lines)) == len(lines)


def test_budget_economic_table_and_three_public_header(budget):
    t = table(budget, "经济分类预算表")
    assert t.leaf_headers() == ["类", "款", "经济分类科目名称", "合计", "人员经费", "公用经费"]
    assert row(t, ["302", "13"]).cells == ["302", "13", "维修(护)费", "45000.00", "0.00", "45000.00"]
    assert row(t, ["302", "13"]).page == 20
    t = table(budget, "三公")
    assert t.leaf_headers() == ["合计", "因公出国(境)费", "公务接待费", "小计", "购置费", "运行费",
                                "机关运行经费预算数"]
    assert [r.cells for r in t.rows] == [["10.81", "0", "0.83", "9.98", "0", "9.98", "217.83"]]


def test_budget_empty_tables_keep_header_and_note(budget):
    t = table(budget, "政府性基金预算支出")
    assert t.rows == []
    assert t.leaf_headers()[:4] == ["类", "款", "项", "功能分类科目名称"]
    assert t.notes == ["注:本部门2026年无政府性基金预算财政拨款安排的预算，故本表为空表。"]
    assert any(n.startswith("page 17: table printed empty") for n in budget.repairs)


def test_budget_narrative(budget):
    headings = [(b.level, b.text, b.page) for b in budget.blocks if isinstance(b, Heading)]
    assert (1, "上海市普陀区司法局主要职能", 4) in headings
    assert (2, "一、2026年“三公”经费预算情况说明", 22) in headings
    paras = [b for b in budget.blocks if isinstance(b, Paragraph)]
    # Text overflowing its box on page 4 is printed again on page 5: read once, where it is visible.
    eighth = [p for p in paras if p.text.startswith("（八）负责本系统警车管理工作")]
    assert len(eighth) == 1 and eighth[0].page == 5
    assert any(p.text.startswith("8、社会保障和就业支出") and "支付养老保险。" in p.text for p in paras)


# --------------------------------------------------------------- final accounts (决算)


def test_final_table_titles_in_order(final):
    assert [t.title for t in final.tables()] == [
        "",  # the units table prints no title of its own (二、部门决算单位构成 above it is a section heading)
        "收入支出决算总表",
        "收入决算表",
        "支出决算表",
        "财政拨款收入支出决算总表",
        "一般公共预算财政拨款支出决算表",
        "一般公共预算财政拨款基本支出决算表",
        "财政拨款“三公”经费支出决算表",
        "政府性基金预算财政拨款收入支出决算表",
        "国有资本经营预算财政拨款收入支出决算表",
    ]
    assert [len(t.rows) for t in final.tables()] == [3, 30, 20, 20, 32, 20, 39, 1, 0, 0]


def test_final_cover(final):
    assert final.meta == {"department_name": "上海市普陀区财政局", "year": "2024", "phase": "final-accounts",
                          "level": "department"}
    t = table(final, "收入决算表")
    assert t.meta == {"unit": "万元", "department_name": "上海市普陀区财政局", "year": "2024"}


def test_final_summary_rows_read_whole(final):
    # pdfplumber's text puts the amounts of this row on the line below its labels.
    t = table(final, "收入支出决算总表")
    assert t.rows[0].cells == ["一、一般公共预算财政拨款收入", "2,940.05", "一、一般公共服务支出", "2,106.66"]
    assert t.rows[0].page == 6
    assert row(t, ["八、其他收入"]).cells == ["八、其他收入", "6.20", "八、社会保障和就业支出", "326.71"]
    continued = next(r for r in t.rows if r.page == 7)
    assert continued.cells == ["使用非财政拨款结余（含专用结余）", "", "结余分配", ""]
    assert t.rows[-1].cells == ["总计", "2,995.39", "总计", "2,995.39"] and t.rows[-1].page == 7


def test_final_header_row_shared_with_total_is_split(final):
    t = table(final, "收入决算表")
    assert t.header[-1][:4] == ["类", "款", "项", ""]
    assert t.leaf_headers() == ["类", "款", "项", "科目名称", "本年收入合计", "财政拨款收入", "上级补助收入",
                                "事业收入", "经营收入", "附属单位上缴收入", "其他收入"]
    assert t.rows[0].cells == ["", "", "", "合计", "2,946.25", "2,940.05", "", "", "", "", "6.20"]
    assert any(n.startswith("page 8: header cells 类/款/项") for n in t.repairs)
    assert set(t.repairs) <= set(final.repairs)


def test_final_wrapped_names_and_continuation(final):
    t = table(final, "支出决算表")
    assert row(t, ["208", "05", "05"]).cells == ["208", "05", "05", "机关事业单位基本养老保险缴费支出", "160.75",
                                                 "160.75", "", "", "", ""]
    assert next(r for r in t.rows if r.page == 11).cells[:4] == ["208", "05", "99", "其他行政事业单位养老支出"]
    t = table(final, "财政拨款收入支出决算总表")
    assert row(t, ["", "", "十四、资源勘探工业信息等支出"]).page == 13


def test_final_two_sided_basic_expenditure(final):
    t = table(final, "基本支出决算表")
    assert t.leaf_headers() == ["类", "款", "科目名称", "决算数", "类", "款", "科目名称", "决算数"]
    assert row(t, ["301", "02"]).cells == ["301", "02", "津贴补贴", "1,238.58", "302", "02", "印刷费", "7.61"]
    assert row(t, ["301", "13"]).cells[6] == "因公出国（境）费用"
    # each label printed in one cell over 类/款/科目名称 of its block: in the block's first column
    assert t.rows[-1].cells == ["人员经费合计", "", "", "2,152.26", "公用经费合计", "", "", "184.65"]
    assert t.rows[-1].page == 17


def test_final_three_public_budget_and_actual_side_by_side(final):
    t = table(final, "三公")
    assert t.leaf_headers() == ["预算数", "决算数"] * 6
    assert t.header[1] == ["合计", "", "因公出国（境）费", "", "公务用车购置及运行费", "", "", "", "", "",
                           "公务接待费", ""]
    assert t.rows[0].cells == ["0.95"] + [""] * 9 + ["0.95", ""]


def test_final_empty_tables_and_units(final):
    t = table(final, "政府性基金预算财政拨款收入支出决算表")
    assert t.rows == [] and t.notes == ["注：上海市普陀区财政局无政府性基金预算财政拨款支出，故本表无数据。"]
    units = final.tables()[0]
    assert units.header == [["序号", "单位名称", "备注"]] and units.page == 5
    assert units.rows[1].cells == ["2", "上海市普陀区财政局财政所", "预算不单列，并入本级"]


def test_final_narrative_numbers_rejoined(final):
    headings = [(b.level, b.text) for b in final.blocks if isinstance(b, Heading)]
    assert (1, "第三部分上海市普陀区财政局2024年度部门决算情况说明") in headings
    assert (3, "（二）政府采购支出情况") in headings
    paras = [b.text for b in final.blocks if isinstance(b, Paragraph)]
    assert any(p.startswith("上海市普陀区财政局2024年度收入支出总计2995.39万元。与2023年度相比") for p in paras)
    assert not any("目录" in p for p in paras)


def test_every_block_is_located(budget, final):
    for doc in (budget, final):
        for b in doc.blocks:
            assert b.page and b.line
        for t in doc.tables():
            assert all(r.page and r.line for r in t.rows)


# ------------------------------------------------------------------ hand-made PDFs


def make_pdf(pages: list[dict], *, encrypt: bool = False) -> bytes:
    """A minimal PDF: per page ``text`` [(x, y, size, str)], ``lines`` [(x0, y0, x1, y1)], ``image``.

    Text uses the standard CJK font STSong-Light (not embedded; every glyph 1 em wide).
    """
    objs = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        3: b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
           b"/DescendantFonts [4 0 R] >>",
        4: b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) "
           b"/Ordering (GB1) /Supplement 2 >> /DW 1000 /FontDescriptor 5 0 R >>",
        5: b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 4 /FontBBox [0 -120 1000 880] "
           b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>",
        6: b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 "
           b"/Length 1 >>\nstream\n\x00\nendstream",
    }
    kids, nxt = [], 10
    for page in pages:
        ops = [f"{x0} {y0} m {x1} {y1} l S" for x0, y0, x1, y1 in page.get("lines", [])]
        if page.get("image"):
            ops.append("q 400 0 0 600 100 100 cm /Im1 Do Q")
        for x, y, size, s in page.get("text", []):
            ops.append(f"BT /F1 {size} Tf {x} {y} Td <{''.join(f'{ord(c):04X}' for c in s)}> Tj ET")
        stream = zlib.compress("\n".join(ops).encode())
        objs[nxt + 1] = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"
        objs[nxt] = (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> "
                     f"/XObject << /Im1 6 0 R >> >> /Contents {nxt + 1} 0 R >>").encode()
        kids.append(nxt)
        nxt += 2
    objs[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    extra = b""
    if encrypt:  # standard security handler, RC4 40-bit; the empty user password does not open it
        objs[nxt] = b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -44 >>"
        extra = b" /Encrypt %d 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>]" % nxt
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for n in sorted(objs):
        offsets[n] = len(out)
        out += b"%d 0 obj\n" % n + objs[n] + b"\nendobj\n"
    size = max(objs) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    out += b"".join(b"%010d 00000 n \n" % offsets[n] if n in offsets else b"0000000000 65535 f \n"
                    for n in range(1, size))
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (size, extra, xref)
    return bytes(out)


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_encrypted_pdf_is_a_clear_error(tmp_path):
    path = write(tmp_path, "locked.pdf", make_pdf([{"text": [(60, 700, 12, "收入支出决算总表")]}], encrypt=True))
    with pytest.raises(EtlError, match="encrypted PDF") as err:
        read_pdf(path)
    assert err.value.location.file == "locked.pdf" and err.value.location.page == 1


def test_pdf_without_text_layer_is_a_clear_error(tmp_path):
    path = write(tmp_path, "scan.pdf", make_pdf([{"image": True}, {"lines": [(50, 50, 500, 50)]}]))
    with pytest.raises(EtlError, match="no text layer") as err:
        read_pdf(path)
    assert err.value.location.page == 1


def test_not_a_pdf_is_a_clear_error(tmp_path):
    with pytest.raises(EtlError, match="not a readable PDF"):
        read_pdf(write(tmp_path, "x.pdf", b"hello, not a pdf"))


UNRULED = {"text": [
    (230, 780, 16, "收入支出决算总表"), (480, 755, 9, "单位：万元"),
    (100, 730, 9, "收入"), (380, 730, 9, "支出"),
    (60, 715, 9, "项目"), (240, 715, 9, "决算数"), (330, 715, 9, "项目"), (470, 715, 9, "决算数"),
    # amounts set 4pt below the baseline of their labels (as digits of another font often are)
    (60, 700, 9, "一、一般公共预算财政拨款收入"), (330, 700, 9, "一、一般公共服务支出"),
    (240, 696, 9, "2,940.05"), (470, 696, 9, "2,106.66"),
    (60, 685, 9, "二、政府性基金预算财政拨款收入"), (330, 685, 9, "二、外交支出"),
    # a name wrapped onto a second line
    (60, 670, 9, "七、附属单位上缴"), (330, 670, 9, "七、文化旅游体育与传媒支出"), (60, 659, 9, "收入"),
    # amounts a whole line below their labels
    (60, 640, 9, "八、其他收入"), (330, 640, 9, "八、社会保障和就业支出"),
    (240, 629, 9, "6.20"), (470, 629, 9, "326.71"),
    (60, 610, 9, "本年收入合计"), (240, 610, 9, "2,946.25"), (330, 610, 9, "本年支出合计"), (470, 610, 9, "2,940.05"),
    (60, 590, 9, "注：本表为测试数据。"),
]}


def test_table_without_ruling_lines_is_repaired(tmp_path):
    cover = {"text": [(150, 600, 24, "上海市测试局"), (150, 560, 24, "2024年度单位决算")]}
    bad = {"text": [(230, 780, 16, "支出决算表"), (480, 755, 9, "单位：万元"),
                    (60, 700, 9, "这里不是表格"), (60, 685, 9, "只是一些文字")]}
    after = {"text": [(60, 700, 12, "后面的说明文字照常读取。")]}
    doc = read_pdf(write(tmp_path, "unruled.pdf", make_pdf([cover, UNRULED, bad, after, {"image": True}])))
    assert doc.meta == {"year": "2024", "phase": "final-accounts", "level": "unit", "department_name": "上海市测试局"}
    (t,) = doc.tables()
    assert (t.title, t.page, t.meta["unit"]) == ("收入支出决算总表", 2, "万元")
    assert t.header == [["收入", "", "支出", ""], ["项目", "决算数", "项目", "决算数"]]
    assert [r.cells for r in t.rows] == [
        ["一、一般公共预算财政拨款收入", "2,940.05", "一、一般公共服务支出", "2,106.66"],
        ["二、政府性基金预算财政拨款收入", "", "二、外交支出", ""],
        ["七、附属单位上缴收入", "", "七、文化旅游体育与传媒支出", ""],
        ["八、其他收入", "6.20", "八、社会保障和就业支出", "326.71"],
        ["本年收入合计", "2,946.25", "本年支出合计", "2,940.05"],
    ]
    assert t.notes == ["注：本表为测试数据。"]
    assert all(r.page == 2 for r in t.rows) and [r.line for r in t.rows] == sorted(r.line for r in t.rows)
    repairs = "\n".join(t.repairs)
    assert "page 2: '2,940.05', '2,106.66' printed 4.0pt off the baseline of '一、一般公共预算财政拨款收入'" in repairs
    assert "page 2: amounts '6.20', '326.71' printed on the line below '八、其他收入 | 八、社会保障和就业支出'" in repairs
    assert "page 2: wrapped name '七、附属单位上缴' + '收入' joined" in repairs
    skipped = [(s.location.page, s.reason) for s in doc.skipped]
    assert skipped[0][0] == 3 and skipped[0][1].startswith("table '支出决算表' has neither ruling lines nor columns")
    assert skipped[1] == (5, "no text layer (image only)")
    assert not [r for r in doc.repairs if "skipped" in r]
    assert any(isinstance(b, Paragraph) and b.text == "后面的说明文字照常读取。" and b.page == 4 for b in doc.blocks)


def test_cover_meta_levels():
    assert cover_meta("上海市某某中心\n2025年单位预算") == {
        "year": "2025", "phase": "budget", "level": "unit", "department_name": "上海市某某中心"}
    assert cover_meta("上海市普陀区2026年区级部门预算\n预算主管部门：上海市普陀区司法局")["department_name"] == \
        "上海市普陀区司法局"


def ruled_page(title: str, rows: list[list[str]]) -> dict:
    """A page with a title, a 编制部门/单位 line and a table drawn with ruling lines."""
    xs, top, height = [60, 120, 300, 400], 700, 20
    ys = [top - i * height for i in range(len(rows) + 1)]
    lines = [(xs[0], y, xs[-1], y) for y in ys] + [(x, ys[0], x, ys[-1]) for x in xs]
    text = [(150, 750, 16, title), (60, 725, 9, "编制部门：上海市测试局"), (350, 725, 9, "单位：元")]
    for r, cells in enumerate(rows):
        text += [(xs[c] + 3, ys[r] - 14, 9, cell) for c, cell in enumerate(cells) if cell]
    return {"text": text, "lines": lines}


def test_ruled_table_continued_under_repeated_title_and_header(tmp_path):
    head = [["序号", "项目", "金额"], ["栏次", "1", "2"]]
    page1 = ruled_page("2025年部门支出表", head + [["1", "合计", "3.00"], ["2", "一般公共服务支出", "1.00"]])
    page2 = ruled_page("2025年部门支出表（续）", head + [["3", "人大事务", "2.00"]])
    doc = read_pdf(write(tmp_path, "ruled.pdf", make_pdf([page1, page2])))
    (t,) = doc.tables()
    assert (t.title, t.page, t.header, t.column_numbers) == ("2025年部门支出表", 1, [["序号", "项目", "金额"]],
                                                          ["栏次", "1", "2"])
    assert [(r.cells, r.page) for r in t.rows] == [
        (["1", "合计", "3.00"], 1), (["2", "一般公共服务支出", "1.00"], 1), (["3", "人大事务", "2.00"], 2)]
    assert t.meta == {"department_name": "上海市测试局", "unit": "元", "year": "2025"}
    assert doc.meta == {"department_name": "上海市测试局", "year": "2025", "phase": "budget"}  # no cover
