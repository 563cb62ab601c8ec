"""The headline lines of the summary and 三公 tables, each on a short excerpt of a corpus disclosure
(page cited), built with the shared document model; expected values read from the page image.

The headline figures (收入总计, 支出总计, 财政拨款 and 一般公共预算 of the year, the 三公 total) are
found by the concept of their printed row label or column header: these are the rules and the
lexicon words (code-list labels) that make them so.
"""

from decimal import Decimal

from budgetkg.etl.extract import extract
from budgetkg.etl.model import Document, Row, Table

CL = "https://budgetkg.org/def/cl/"


def doc():
    return Document("excerpt.pdf", "0" * 64, "pdf", meta={"unit": "万元"})


def table(title, header, rows):
    return Table(title=title, line=1, page=1, header=header, rows=[Row(r, n, 1) for n, r in enumerate(rows, 2)])


def classified(rec, side=None):
    return {it.label: (it.classification or "").removeprefix(CL) for it in rec.items if it.side == side and it.label}


def amounts(rec, concept):
    return sorted(o.amount.value for o in rec.observations if CL + concept in o.dims.values())


SUMMARY_HEADER = [["收入", "", "支出", ""], ["项目", "预算数", "项目", "预算数"]]


def test_shou_ru_he_ji_after_the_current_year_lines_is_the_grand_total():
    # fuzhou_ybj_2026_budget_dept.pdf, page 10 (2026年度收支预算总表): the grand totals print 收入合计 / 支出合计
    t = table("2026年度收支预算总表", SUMMARY_HEADER, [
        ["一、一般公共预算拨款收入", "351904.90", "一、一般公共服务支出", ""],
        ["本年收入合计", "351904.90", "本年支出合计", "351904.90"],
        ["上年结转结余", "0.00", "结转下年支出", "0.00"],
        ["收入合计", "351904.90", "支出合计", "351904.90"],
    ])
    rec = extract(t, "income_expenditure_summary", doc=doc())
    assert classified(rec, "in")["收入合计"] == "summary-item/income-grand-total"
    assert classified(rec, "out")["支出合计"] == "summary-item/expenditure-grand-total"
    assert classified(rec, "out")["结转下年支出"] == "summary-item/balance-out"
    assert amounts(rec, "summary-item/income-grand-total") == [Decimal("351904.90")]


def test_current_year_fund_lines_and_the_carry_over_breakdown():
    # beijing_czj_2026_budget_dept_tables.pdf, pages 7-8 (预算04表 财政拨款收支总表): the year's lines
    # (…资金) above 本年收入合计, the carry-over broken down by fund (…拨款) below 上年结转结余
    t = table("财政拨款收支总表", SUMMARY_HEADER, [
        ["一、一般公共预算资金", "44,156.640120", "一、一般公共服务支出", "37,644.195492"],
        ["二、政府性基金预算资金", "", "二、外交支出", ""],
        ["三、国有资本经营预算资金", "", "三、国防支出", ""],
        ["本年收入合计", "44,156.640120", "本年支出合计", "44,169.357532"],
        ["上年结转结余", "12.717412", "年终结转结余", ""],
        ["一、一般公共预算拨款", "12.717412", "", ""],
        ["收入总计", "44,169.357532", "支出总计", "44,169.357532"],
    ])
    rec = extract(t, "appropriation_summary", doc=doc())
    income = classified(rec, "in")
    assert income["一、一般公共预算资金"] == "fund-source/general-budget"
    assert income["二、政府性基金预算资金"] == "fund-source/government-fund"
    assert income["三、国有资本经营预算资金"] == "fund-source/state-capital"
    assert income["本年收入合计"] == "fund-source/current-year"
    assert income["上年结转结余"] == "fund-source/carry-over"
    # the 一般公共预算 line below the carry-over line is the carry-over of those funds, not the year's
    assert income["一、一般公共预算拨款"] == "fund-source/carry-over-general-budget"
    general = sorted((o.item.index, o.amount.value) for o in rec.observations
                     if o.dims.get("fundSource") == CL + "fund-source/general-budget")
    assert general == [(1, Decimal("44156.640120"))]
    assert amounts(rec, "fund-source/carry-over-general-budget") == [Decimal("12.717412")]


def test_income_labels_of_other_templates():
    # changsha_xfj_2026_budget_dept.pdf, page 12 (2026年部门收支总体情况表); yantai_tjj_2026_budget_dept.pdf,
    # page 7 (收支总体情况表); guangzhou_tjj_2026_budget_dept.pdf, page 6 (收支总体情况表)
    header = [["收入", "", "支出", ""], ["项目", "本年预算", "项目", "本年预算"]]
    t = table("2026年部门收支总体情况表", header, [
        ["一、本级财政拨款收入", "1,935.36", "一、基本支出", "1,517.95"],
        ["二、财政专户管理事业收入", "", "二、项目支出", "417.41"],
        ["三、事业单位经营服务收入", "", "", ""],
        ["五、其它收入", "", "", ""],
        ["政府性基金预算收入", "", "", ""],
        ["三、事业收入（不含教育收费）", "", "", ""],
        ["一、预算拨款", "9,433.72", "", ""],
        ["二、财政专户拨款", "0.00", "", ""],
    ])
    income = classified(extract(t, "income_expenditure_summary", doc=doc()), "in")
    assert income == {
        "一、本级财政拨款收入": "fund-source/appropriation",
        "二、财政专户管理事业收入": "fund-source/fiscal-special-account",
        "三、事业单位经营服务收入": "fund-source/operating-income",
        "五、其它收入": "fund-source/other-income",
        "政府性基金预算收入": "fund-source/government-fund",
        "三、事业收入（不含教育收费）": "fund-source/business-income",
        "一、预算拨款": "fund-source/appropriation",
        "二、财政专户拨款": "fund-source/fiscal-special-account",
    }


def test_a_fund_named_column_is_not_cut_by_the_phase_word():
    # guangzhou_tjj_2026_budget_dept.pdf, page 17 (表8): columns 合计 | 一般公共预算 | 政府性基金预算 | 国有资本经营预算;
    # 一般公共预算 is a fund source, not 一般公共 + 预算
    t = table("财政拨款安排的行政经费及“三公”经费预算表", [["项目", "合计", "一般公共预算", "政府性基金预算", "国有资本经营预算"]], [
        ["行政经费", "839.21", "839.21", "0.00", "0.00"],
        ["“三公”经费", "19.86", "19.86", "0.00", "0.00"],
    ])
    rec = extract(t, "three_public_expenses", doc=doc())
    funds = [c.dims.get("fundSource", "").removeprefix(CL) for c in rec.columns[1:]]
    assert funds == ["fund-source/_T", "fund-source/general-budget", "fund-source/government-fund",
                     "fund-source/state-capital"]
    total = [o.amount.value for o in rec.observations if o.dims.get("threePublicCategory") == CL + "three-public/three-public-total"
             and o.dims.get("fundSource") == CL + "fund-source/_T"]
    assert total == [Decimal("19.86")]


def test_a_phase_word_after_a_column_header_is_still_its_phase():
    # tests/expected/shpt_sfj_2026_budget (预算数 over a fund): the phase suffix rule still applies
    t = table("财政拨款收支总表", [["收入", "", "支出", ""], ["项目", "预算数", "项目", "预算数"]],
              [["本年收入合计", "1.00", "本年支出合计", "1.00"]])
    rec = extract(t, "appropriation_summary", doc=doc())
    assert rec.columns[1].dims == {"budgetPhase": CL + "phase/budget"}


def test_the_three_public_total_printed_as_a_column_with_its_fund():
    # beijing_czj_2026_budget_dept_tables.pdf, page 14 (预算09表): one row, the total column is
    # “三公”经费财政拨款预算总额
    t = table("财政拨款“三公”经费支出表", [
        ["“三公”经费财政拨款预算总额", "因公出国（境）费用", "公务接待费", "公务用车购置及运行维护费", "", ""],
        ["", "", "", "小计", "公务用车购置费", "公务用车运行维护费"],
    ], [["223.799250", "127.737000", "11.642250", "84.420000", "44.920000", "39.500000"]])
    rec = extract(t, "three_public_expenses", doc=doc())
    assert amounts(rec, "three-public/three-public-total") == [Decimal("223.799250")]


# --- a total label printed across the code columns (top-left rule of merged cells) ---------------

def test_total_printed_across_the_code_and_name_columns_is_the_total_line():
    # shpt_sfj_2026_budget.pdf, page 13 (2026年部门支出预算总表): 合计 in one cell over 类/款/项/功能分类科目名称,
    # read into the 类 column
    t = table("2026年部门支出预算总表", [["类", "款", "项", "功能分类科目名称", "合计", "基本支出", "项目支出"]], [
        ["221", "02", "03", "购房补贴", "2433600.00", "2433600.00", "0.00"],
        ["合计", "", "", "", "96282213.44", "25741666.44", "70540547.00"],
    ])
    rec = extract(t, "expenditure", doc=doc())
    total = rec.items[-1]
    assert (total.code, total.label, total.text_label) == (None, "", "合计")
    assert total.classification == CL + "functional/_T"
    assert [(x.column.index, x.text) for x in rec.texts if x.item is total] == [(1, "合计")]
    assert amounts(rec, "functional/_T") == [Decimal("25741666.44"), Decimal("70540547.00"), Decimal("96282213.44")]


def test_a_named_total_across_the_code_columns_of_each_block():
    # shpt_czj_2024_final_accounts.pdf, page 17 (一般公共预算财政拨款基本支出决算表): 人员经费合计 and
    # 公用经费合计, each in one cell over 类/款/科目名称 of its block
    header = [["类", "款", "科目名称", "决算数", "类", "款", "科目名称", "决算数"]]
    t = table("一般公共预算财政拨款基本支出决算表", header, [
        ["303", "99", "其他对个人和家庭的补助", "", "310", "99", "其他资本性支出", ""],
        ["人员经费合计", "", "", "2,152.26", "公用经费合计", "", "", "184.65"],
    ])
    rec = extract(t, "general_budget_basic_expenditure", doc=doc())
    totals = [(it.text_label, it.code) for it in rec.items if it.index == 2]
    assert totals == [("人员经费合计", None), ("公用经费合计", None)]
    assert sorted((x.column.index, x.text) for x in rec.texts if x.item.index == 2) == [(1, "人员经费合计"),
                                                                                      (5, "公用经费合计")]
    assert sorted(o.amount.value for o in rec.observations) == [Decimal("184.65"), Decimal("2152.26")]


# --- 三公 tables: categories down the rows or across the columns --------------------------------

def test_a_row_outside_the_categories_is_not_their_total():
    # guangzhou_tjj_2026_budget_dept.pdf, page 17 (表8): 行政经费 printed above “三公”经费 and its parts;
    # the 合计 column totals the fund sources
    t = table("财政拨款安排的行政经费及“三公”经费预算表", [["项目", "合计", "一般公共预算", "政府性基金预算", "国有资本经营预算"]], [
        ["行政经费", "839.21", "839.21", "0.00", "0.00"],
        ["“三公”经费", "19.86", "19.86", "0.00", "0.00"],
        ["其中：（一）因公出国（境）支出", "5.00", "5.00", "0.00", "0.00"],
        ["（二）公务用车购置及运行维护支出", "6.70", "6.70", "0.00", "0.00"],
        ["（三）公务接待费支出", "8.16", "8.16", "0.00", "0.00"],
    ])
    rec = extract(t, "three_public_expenses", doc=doc())
    category = {o.item.label: o.dims["threePublicCategory"].removeprefix(CL) for o in rec.observations
                if o.column.index == 2}
    assert category == {"行政经费": "three-public/_Z", "“三公”经费": "three-public/three-public-total",
                        "其中：（一）因公出国（境）支出": "three-public/overseas-travel",
                        "（二）公务用车购置及运行维护支出": "three-public/vehicles",
                        "（三）公务接待费支出": "three-public/reception"}
    assert amounts(rec, "three-public/_T") == []


def test_the_total_row_keeps_the_category_of_each_column():
    # hangzhou_sfj_2026_budget_dept.pdf, page 34 (表7): one row per unit under a 合计 row; the categories are columns
    t = table("表7：2026年市级部门一般公共预算“三公”经费预算表", [
        ["单位名称", "“三公”经费合计", "因公出国(境)费用", "公务用车购置及运行费", "", "", "公务接待费"],
        ["", "", "", "小计", "公务用车购置费", "公务用车运行维护费", ""],
    ], [
        ["合计", "413.68", "", "339.68", "151.68", "188.00", "74.00"],
        ["杭州市司法局", "17.00", "", "", "", "", "17.00"],
    ])
    rec = extract(t, "three_public_expenses", doc=doc())
    total_row = {o.column.index: o.dims["threePublicCategory"].removeprefix(CL) for o in rec.observations
                 if o.item.index == 1}
    assert total_row == {2: "three-public/three-public-total", 4: "three-public/vehicles",
                         5: "three-public/vehicle-purchase", 6: "three-public/vehicle-operation",
                         7: "three-public/reception"}
    # the 合计 row totals the units, not the categories: it is not classified in the 三公 scheme, so the
    # observations' categories (the columns') and the row agree (shape ObservationClassification)
    assert rec.items[0].classification is None


def test_meeting_and_training_columns_beside_the_categories_are_outside_the_three_public():
    # xian_tjj_2026_budget_dept.pdf, page 39 (表13): 合计 | “三公”经费 (小计, 因公出国（境）费用, 公务接待费,
    # 公务用车购置及运行维护费 ...) | 会议费 | 培训费, one row per unit under a 合计 row (上年 block only here)
    t = table("部门综合预算一般公共预算拨款“三公”经费及会议费、培训费支出预算表", [
        ["单位名称", "合计", "一般公共预算拨款安排的“三公”经费预算", "", "", "", "会议费", "培训费"],
        ["", "", "小计", "因公出国（境）费用", "公务接待费", "公务用车购置及运行维护费", "", ""],
    ], [
        ["合计", "518,400.00", "93,000.00", "", "18,000.00", "75,000.00", "130,000.00", "295,400.00"],
        ["西安市社会经济调查中心", "38,000.00", "", "", "", "", "13,000.00", "25,000.00"],
    ])
    rec = extract(t, "three_public_expenses", doc=doc())
    assert all(it.classification is None for it in rec.items)
    category = {(o.item.index, o.column.label): o.dims["threePublicCategory"].removeprefix(CL)
                for o in rec.observations}
    # 会议费 and 培训费 are printed beside the 三公, not part of them: parts of 合计 (518,400.00 = 93,000.00 + 130,000.00
    # + 295,400.00) of their own category
    assert category[(1, "会议费")] == category[(2, "会议费")] == "three-public/meetings"
    assert category[(1, "培训费")] == category[(2, "培训费")] == "three-public/training"
    assert category[(1, "公务接待费")] == "three-public/reception"
    assert category[(1, "小计")] == "three-public/three-public-total"
    assert category[(1, "合计")] == "three-public/_T"


XIAN_HEADER = [["收入", "", "支出", "", "", "", "", ""],
               ["项目", "预算数", "支出功能分类科目（按大类）", "预算数", "部门预算支出经济分类科目（按大类）", "预算数",
                "政府预算支出经济分类科目（按大类）", "预算数"]]


def test_expenditure_types_and_economic_classes_of_a_summary_block():
    # xian_tjj_2026_budget_dept.pdf, page 26 (表1 部门综合预算收支总表, 单位：元): the expenditure printed by function,
    # by 部门预算 economic class (under the lines 人员经费和公用经费支出 = 基本支出 and 专项业务经费支出 = 项目支出),
    # and by 政府预算 economic class (501-599, a list not shipped: left unclassified)
    t = table("部门综合预算收支总表", XIAN_HEADER, [
        ["一、部门预算", "62,109,297.20", "一、部门预算", "62,109,297.20", "一、部门预算", "62,109,297.20",
         "一、部门预算", "62,109,297.20"],
        ["1、财政拨款", "62,109,297.20", "1、一般公共服务支出", "50,037,708.13", "1、人员经费和公用经费支出",
         "36,701,197.20", "1、机关工资福利支出", "32,493,937.03"],
        ["", "", "2、外交支出", "", "(1)工资福利支出", "32,493,937.03", "2、机关商品和服务支出", "22,821,426.17"],
        ["", "", "9、社会保险基金支出", "", "2、专项业务经费支出", "25,408,100.00", "9、对个人和家庭的补助", "753,934.00"],
        ["", "", "10、卫生健康支出", "1,977,080.79", "(3)对个人和家庭补助", "", "10、对社会保障基金补助", ""],
        ["", "", "24、其他支出", "", "(10)其他支出", "", "11、其他支出", ""],
        ["", "", "", "", "3、上缴上级支出", "", "", ""],
    ])
    rec = extract(t, "income_expenditure_summary", doc=doc())
    by_function, by_class, by_government_class = (classified(rec, side) for side in ("out", "out-3", "out-4"))
    assert by_class["1、人员经费和公用经费支出"] == "expenditure-type/basic"
    assert by_class["2、专项业务经费支出"] == "expenditure-type/project"
    assert by_class["(1)工资福利支出"] == "economic/301"
    assert by_class["(3)对个人和家庭补助"] == "economic/303"
    assert by_class["(10)其他支出"] == "economic/399"  # not the functional 类 其他支出 of the block on the left
    assert by_class["3、上缴上级支出"] == "expenditure-type/remit-to-superior"
    assert by_function["24、其他支出"] == "functional/229"
    assert by_function["10、卫生健康支出"] == "functional/210"
    assert by_government_class["9、对个人和家庭的补助"] == ""  # 509, not the 部门预算 class 303 of the same name
    assert amounts(rec, "expenditure-type/basic") == [Decimal("36701197.20")]
    assert amounts(rec, "expenditure-type/project") == [Decimal("25408100.00")]


def test_personnel_public_and_special_business_columns():
    # xian_tjj_2026_budget_dept.pdf, page 30 (表5 部门综合预算一般公共预算支出明细表（按支出功能分类科目）, 单位：元):
    # 合计 = 人员经费支出 + 公用经费支出 + 专项业务经费支出 (the 部门综合预算's name of 项目支出)
    t = table("部门综合预算一般公共预算支出明细表（按支出功能分类科目）",
              [["功能科目编码", "功能科目名称", "合计", "人员经费支出", "公用经费支出", "专项业务经费支出", "备注"]], [
                  ["合计", "", "62,109,297.20", "34,557,893.03", "2,143,304.17", "25,408,100.00", ""],
                  ["2010501", "行政运行", "25,424,608.13", "23,326,991.96", "2,052,616.17", "45,000.00", ""],
              ])
    rec = extract(t, "general_budget_expenditure", doc=doc())
    types = {c.label: c.dims.get("expenditureType", "").removeprefix(CL) for c in rec.columns if c.role == "amount"}
    assert types == {"合计": "expenditure-type/_T", "人员经费支出": "expenditure-type/personnel",
                     "公用经费支出": "expenditure-type/public", "专项业务经费支出": "expenditure-type/project"}


def test_a_fund_column_under_the_carry_over_group_is_that_funds_carry_over():
    # hangzhou_sfj_2026_budget_dept.pdf, page 25 (表2 收入预算总表): 一般公共预算 is printed twice, under 本年收入
    # (91,495.48) and under 上年结转结余 (347.32); only the first is the year's general-budget income
    funds = ["一般公共预算", "政府性基金预算", "国有资本经营预算", "财政专户管理资金"]
    t = table("表2：2026年市级部门收入预算总表", [
        ["单位名称", "总计", "本年收入", "", "", "", "", "", "上年结转结余", "", "", "", "", ""],
        ["", "", "小计", *funds, "其他收入", "小计", *funds, "单位资金"],
    ], [["合计", "99,230.46", "98,883.14", "91,495.48", "", "", "", "7,387.66", "347.32", "347.32", "", "", "", ""]])
    rec = extract(t, "income", doc=doc())
    got = [c.dims.get("fundSource", "").removeprefix(CL + "fund-source/") for c in rec.columns[1:]]
    assert got == ["_T", "current-year", "general-budget", "government-fund", "state-capital", "fiscal-special-account",
                   "other-income", "carry-over", "carry-over-general-budget", "carry-over-government-fund",
                   "carry-over-state-capital", "carry-over-fiscal-special-account", "carry-over-unit-funds"]
    assert amounts(rec, "fund-source/general-budget") == [Decimal("91495.48")]
    assert amounts(rec, "fund-source/carry-over-general-budget") == [Decimal("347.32")]
