"""A table printed empty is recognised as an empty table of its kind carrying its 空表说明 (issue 14),
wherever the note is printed: below the table or in one of its cells. Expected values from the page images."""

from pathlib import Path

from budgetkg.etl import pdf_tables as pt
from budgetkg.etl.pipeline import Overrides, process

CASES = Path(__file__).parents[1] / "cases"


def test_a_note_printed_in_a_code_cell_makes_an_empty_table_of_its_kind():
    # jiangsu_jcy_2018_budget_dept.pdf, pages 19-20: 公开10表 prints 合计 and, in the code column, 此表为空;
    # below it 说明：本部门无相关收支项目。 It was quarantined (not a classification code: '此表为空').
    rec = process(CASES / "jiangsu" / "empty_table_note" / "input.pdf",
                  overrides=Overrides(department="江苏省人民检察院", year="2018", phase="budget"))
    assert not rec.quarantined
    fund = [t for t in rec.tables if t.key == "government_fund_expenditure"]
    assert [(t.page, t.empty, t.notes) for t in fund] == [(1, True, ["此表为空", "说明：本部门无相关收支项目。"])]
    # 公开11表 on the next page: the 机关运行经费 by economic class, 16 amounts (合计, 302 and 14 items)
    (admin,) = [t for t in rec.tables if t.key == "administrative_expenses"]
    assert len(admin.observations) == 16 and not admin.empty
    assert str(admin.observations[0].amount.value) == "2722.57"


def test_what_is_an_empty_table_note_in_a_cell():
    # the notes of the corpus's empty tables, as printed in a cell
    for note in ("此表为空", "本表无数据", "本部门无相关收支项目。", "本单位没有使用政府性基金安排的支出"):
        assert pt.empty_table_notes([["", "合计", ""], [note, "", ""]]) == [note], note
    # a table printing a code, a name or an amount is not empty, whatever else it prints
    assert pt.empty_table_notes([["2290402", "其他政府性基金支出", ""], ["此表为空", "", ""]]) is None
    assert pt.empty_table_notes([["", "合计", "0.00"]]) is None
    assert pt.empty_table_notes([["", "合计", ""], ["", "", "无"]]) == []
