"""Reader quirks, each on a small string."""

import pytest

from budgetkg.etl.model import EtlError, Paragraph
from budgetkg.etl.read_text import read_text

PAGE = "501 某某局\n\n预算年度：2023\n\n单位：万元\n\n"
HEADER = "序号\t功能分类科目\t\t合计\n\t科目编码\t科目名称\t\n栏次\t1\t2\t3\n"


def one_table(text):
    tables = read_text(text).tables()
    assert len(tables) == 1
    return tables[0]


def test_page_break_continuation_is_merged():
    text = "## 部门预算支出总表\n\n" + PAGE + HEADER + "1\t\t合计\t3.00\n2\t201\t一般公共服务支出\t1.00\n\n" + PAGE + HEADER + "3\t20101\t人大事务\t1.00\n"
    t = one_table(text)
    assert [r.cells[0] for r in t.rows] == ["1", "2", "3"]
    assert t.rows[2].line == 24


def test_repeated_page_header_dropped_and_read_as_meta():
    t = one_table("## 表\n\n" + PAGE + HEADER + "1\t\t合计\t3.00\n\n" + PAGE + HEADER + "2\t201\t一般\t3.00\n")
    assert t.meta == {"department_code": "501", "department_name": "某某局", "year": "2023", "unit": "万元"}
    assert all("某某局" not in c for r in t.rows for c in r.cells)


def test_continuation_header_with_other_spacing_and_dangci():
    cont = HEADER.replace("科目编码", "科目 编码").replace("栏次", "档次")
    t = one_table("## 表\n\n" + PAGE + HEADER + "1\t\t合计\t3.00\n\n" + PAGE + cont + "2\t201\t一般\t3.00\n")
    assert len(t.rows) == 2


def test_bold_markup_stripped():
    t = one_table("## 表\n\n" + PAGE + HEADER + "1\t\t<b>合计</b>\t<b>1476.29</b>\n")
    assert t.rows[0].cells == ["1", "", "合计", "1476.29"]
    assert t.rows[0].bold


def test_stray_space_in_cell_rejoined():
    t = one_table("## 表\n\n" + PAGE + HEADER + "1\t215\t资源勘探工业信息 等支出\t1.00\n")
    assert t.rows[0].cells[2] == "资源勘探工业信息等支出"


def test_control_characters_dropped_from_cells():
    """A control character in a cell (here U+0000 and U+0001) carries no meaning and cannot be written in XML: the
    cell is read without it."""
    t = one_table("## 表\n\n" + PAGE + HEADER + "1\t215\t资源勘探\x00工业信息等支出\x01\t1.00\n")
    assert t.rows[0].cells[1:3] == ["215", "资源勘探工业信息等支出"]


def test_space_between_digit_and_han_kept():
    t = one_table("## 表\n\n" + PAGE + HEADER + "1\t215\t2022 年底\t1.00\n")
    assert t.rows[0].cells[2] == "2022 年底"


def test_column_number_row_recognised():
    t = one_table("## 表\n\n" + PAGE + HEADER + "1\t\t合计\t3.00\n")
    assert t.column_numbers == ["栏次", "1", "2", "3"]
    assert t.leaf_headers() == ["序号", "科目编码", "科目名称", "合计"]
    assert len(t.rows) == 1


def test_header_paths_carry_spans():
    t = one_table("## 表\n\n" + PAGE + HEADER + "1\t\t合计\t3.00\n")
    assert t.header_paths()[2] == ["功能分类科目", "科目名称"]
    assert t.header_paths()[3] == ["合计"]


def test_note_of_empty_table():
    t = one_table("## 表\n\n" + PAGE + HEADER + "\n注：无政府性基金预算财政拨款预算，空表列示。\n")
    assert t.rows == [] and t.notes == ["注：无政府性基金预算财政拨款预算，空表列示。"]


def test_paragraph_cut_by_page_break_joined():
    doc = read_text("## 说明\n\n按照“一三五”的要求，实施好三\n\n\n项机制。\n\n## 表\n\n" + PAGE + HEADER + "1\t\t合计\t1\n")
    paras = [b for b in doc.blocks if isinstance(b, Paragraph)]
    assert paras[0].text == "按照“一三五”的要求，实施好三项机制。"
    assert doc.repairs and "line 6" in doc.repairs[0]


def test_text_without_table_is_not_a_disclosure():
    with pytest.raises(EtlError, match="not a budget disclosure") as exc:
        read_text("just some words\n", path="notes.txt")
    assert "notes.txt" in str(exc.value)


def test_sample_tables_in_order(sample_path):
    from budgetkg.etl.read_text import read_text_file

    doc = read_text_file(sample_path)
    titles = [t.title for t in doc.tables()]
    # The nine budget tables, then the units table, eight project tables, procurement, fixed assets
    # (two table-of-contents blocks come first).
    assert titles[2] == "部门预算收支总表"
    assert titles[10] == "部门预算财政拨款“三公”经费支出表"
    assert sum("绩效目标表" in t for t in titles) == 8
    assert titles[-1] == "部门固定资产占用情况表"
    assert doc.meta["year"] == "2022" and doc.meta["department_code"] == "501"
