"""Rules of table identification and column typing, each on a short excerpt of a real disclosure
of the corpus (page cited), built with the shared document model; expected values read from the page."""

from decimal import Decimal

from budgetkg.etl import pdf_tables as pt
from budgetkg.etl.extract import extract
from budgetkg.etl.model import Document, Row, Table
from budgetkg.etl.text import match_key


CL = "https://budgetkg.org/def/cl/"


def doc():
    return Document("excerpt.pdf", "0" * 64, "pdf", meta={"unit": "万元"})


def table(title, header, rows):
    return Table(title=title, line=1, page=1, header=header, rows=[Row(r, n, 1) for n, r in enumerate(rows, 2)])


# --- table identification (pdf_tables) ------------------------------------------------------

def test_title_and_unit_printed_as_the_first_rows_of_the_ruled_table():
    # beijing_czj_2026_budget_dept_tables.pdf, page 1: a blank ruled row, the title with its number, the unit line
    rows = [["", "", "", ""], ["预算01表收支总表", "", "", ""], ["", "", "", "金额单位：万元"], ["收入", "", "支出", ""]]
    titles, metas, start = pt.split_title_rows(rows)
    assert (titles, metas, start) == (["预算01表收支总表"], ["金额单位：万元"], 3)
    assert pt.strip_table_number(titles[0]) == "收支总表"


def test_header_rows_are_not_titles():
    # central_gjxfj_2024_final_dept.pdf, page 7: the header starts at once
    rows = [["收入", "", "", "支出", "", ""], ["项目", "行次", "金额", "项目", "行次", "金额"]]
    assert pt.split_title_rows(rows) == ([], [], 0)


def test_table_numbers():
    for number in ("公开 01表", "公开02 表", "预算01表", "表1", "表一", "公开表1", "表01"):
        assert pt.is_table_number(number), number
    for title in ("收支总表", "预算01表收支总表", "2026年部门收支总体情况表"):
        assert not pt.is_table_number(title), title


# --- columns typed by content, codes (extract) ----------------------------------------------------

def test_code_and_name_in_one_cell_classify_the_row():
    # guangzhou_tjj_2026_budget_dept.pdf, page 13 (表5): codes in brackets inside the name
    t = table("一般公共预算支出情况表", [["科目名称", "合计", "基本支出", "项目支出"]],
              [["合计", "9,433.72", "8,401.67", "1,032.05"], ["[2010501]行政运行", "6,453.03", "6,453.03", "0.00"]])
    rec = extract(t, "general_budget_expenditure", doc=doc())
    item = rec.items[1]
    assert (item.code, item.label) == ("2010501", "[2010501]行政运行")
    assert item.classification.endswith("/functional/2010501")
    assert rec.items[0].classification.endswith("/functional/_T")


def test_code_name_with_a_dash_and_a_column_header_that_names_no_role():
    # beijing_czj_2026_budget_dept_tables.pdf, page 4 (预算03表): "2010601-行政运行" under 支出功能分类科目
    t = table("支出总表", [["支出功能分类科目", "合计", "基本支出", "项目支出"]],
              [["2010601-行政运行", "1,721.982000", "1,721.982000", ""], ["合 计", "44,169.357532", "28,016.258321",
                                                                          "16,153.099211"]])
    rec = extract(t, "expenditure", doc=doc())
    assert [c.role for c in rec.columns] == ["label", "amount", "amount", "amount"]
    assert rec.items[0].code == "2010601"
    assert rec.items[1].classification.endswith("/functional/_T")
    assert sum(o.amount.value for o in rec.observations if o.item is rec.items[1]) == Decimal("88338.715064")


def test_total_printed_in_the_code_column_is_a_total_line():
    # fuzhou_ybj_2026_budget_dept.pdf, page 18: 合计 in the 科目编码 column
    t = table("一般公共预算基本支出经济分类情况表", [["科目编码", "科目名称", "合计"]],
              [["合计", "", "7,841.26"], ["301", "工资福利支出", "6,000.00"]])
    rec = extract(t, "general_budget_basic_expenditure", doc=doc())
    assert rec.items[0].code is None and rec.items[0].classification.endswith("/economic/_T")
    assert [(x.column.index, x.text) for x in rec.texts] == [(1, "合计")]  # kept where it is printed
    assert rec.items[1].code == "301"


def test_percentage_and_text_columns_are_not_amounts():
    # a change column (增减(%)) and a unit-name column under a header that names no role
    t = table("支出总表", [["科目编码", "科目名称", "预算单位", "合计", "增减(%)"]],
              [["201", "一般公共服务支出", "某某中心", "10.00", "-12.34%"]])
    rec = extract(t, "expenditure", doc=doc())
    assert [c.role for c in rec.columns] == ["code", "label", "text", "amount", "text"]
    assert [o.amount.value for o in rec.observations] == [Decimal("10.00")]
    assert sorted(x.text for x in rec.texts) == ["-12.34%", "某某中心"]


def test_row_numbers_printed_per_side():
    # central_gjxfj_2024_final_dept.pdf, page 7: 行次 on each side; row 9 prints only its left 行次
    header = [["收入", "", "", "支出", "", ""], ["项目", "行次", "金额", "项目", "行次", "金额"]]
    t = table("收入支出决算总表", header, [["一、一般公共预算财政拨款收入", "1", "19,572.91", "一、一般公共服务支出", "32",
                                           "10,685.56"], ["", "9", "", "九、卫生健康支出", "40", "497.53"]])
    rec = extract(t, "income_expenditure_summary", doc=doc())
    numbers = {(i.index, i.side): i.number for i in rec.items}
    assert numbers == {(1, "in"): 1, (1, "out"): 32, (2, "in"): 9, (2, "out"): 40}


def test_split_code_row_printing_only_its_kuan():
    # changsha_xfj_2026_budget_dept.pdf, page 14: 类 | 款 | 项 columns; the 款 row prints only "40"
    t = table("2026年部门支出总体情况表", [["科目编码", "", "", "功能科目", "总计"], ["类", "款", "项", "", ""]],
              [["201", "", "", "一般公共服务支出", "1,935.36"], ["", "40", "", "信访事务", "1,935.36"],
               ["201", "40", "01", "行政运行", "1,517.95"], ["", "", "02", "一般行政管理事务", "417.41"]])
    rec = extract(t, "expenditure", doc=doc())
    assert [i.code for i in rec.items] == ["201", "20140", "2014001", "2014002"]


def test_local_code_of_another_length_is_reported_not_refused():
    # yantai_tjj_2026_budget_dept.pdf: its 基本支出 table yields the code 301501, which quarantined the table
    # ('not a classification code'); the label and amounts here are illustrative, not from the page
    t = table("一般公共预算基本支出情况表", [["科目编码", "科目名称", "合计"]],
              [["30150", "其他工资福利支出", "10.00"], ["301501", "某地方科目", "10.00"]])
    rec = extract(t, "general_budget_basic_expenditure", doc=doc())
    assert rec.items[1].code == "301501" and rec.items[1].classification is None
    assert [o.amount.value for o in rec.observations] == [Decimal("10.00"), Decimal("10.00")]
    assert any("301501" in u for u in rec.unmatched)


def test_a_second_classification_of_the_row_is_printed_text():
    # yantai_tjj_2026_budget_dept.pdf, page 16 (公开表6 一般公共预算基本支出情况表): each row prints its 部门预算 economic
    # class (类 | 款 | name) and then its 政府预算 class (类 | 款 | name); 301 is printed once under each 政府预算 class
    header = [["科目编码", "", "部门预算支出经济分类科目名称", "科目编码", "", "政府预算支出经济分类科目名称", "基本支出预算", "", ""],
              ["类", "款", "", "类", "款", "", "小计", "人员支出", "日常公用支出"]]
    t = table("一般公共预算基本支出情况表", header, [
        ["", "", "合计", "", "", "", "1,704.12", "1,573.37", "130.75"],
        ["301", "", "工资福利支出", "501", "", "机关工资福利支出", "705.28", "705.28", ""],
        ["301", "01", "基本工资", "501", "01", "工资奖金津补贴", "169.28", "169.28", ""],
        ["301", "", "工资福利支出", "505", "", "对事业单位经常性补助", "746.73", "746.73", ""],
        ["301", "07", "绩效工资", "505", "01", "工资福利支出", "143.49", "143.49", ""],
    ])
    rec = extract(t, "general_budget_basic_expenditure", doc=doc())
    codes = [it.code for it in rec.items]
    assert codes == [None, "301", "30101", "301", "30107"]
    assert not rec.unmatched
    texts = {(tx.item.index, tx.column.label): tx.text for tx in rec.texts}
    assert texts[(3, "款")] == "01" and texts[(4, "类")] == "505"
    assert texts[(5, "政府预算支出经济分类科目名称")] == "工资福利支出"
    basic_wages = [o.amount.value for o in rec.observations if o.item.code == "30107"]
    assert basic_wages == [Decimal("143.49"), Decimal("143.49")]


def test_code_columns_that_start_again_at_lei_are_another_classification():
    # xian_tjj_2026_budget_dept.pdf, page 38 (表12 政府采购预算表, 元): the row's functional code in 类 | 款 | 项,
    # then text columns, then two more codes in 类 | 款 each (部门预算 and 政府预算 economic class): 302 27 | 502 05
    header = [["科目编码", "", "", "单位编码", "采购项目", "采购目录", "购买服务内容", "规格型号", "数量",
               "部门预算支出经济科目编码", "", "政府预算支出经济科目编码", "", "实施采购时间", "预算金额", "说明"],
              ["类", "款", "项", "", "", "", "", "", "", "类", "款", "类", "款", "", "", ""]]
    t = table("部门综合预算政府采购（资产配置、购买服务）预算表", header, [
        ["201", "05", "07", "", "1%人口普查（2026）", "C16030200数据加工处理服务", "", "数据加工处理", "1",
         "302", "27", "502", "05", "", "280,000.00", ""],
        ["201", "05", "07", "", "第四次农业普查", "A05030303普通服装", "", "", "20,400",
         "302", "99", "502", "99", "", "2,040,000.00", ""],
    ])
    rec = extract(t, "government_procurement", doc=doc())
    assert [it.code for it in rec.items] == ["2010507", "2010507"]
    # a procurement table is classified by no code list: the row's code says which (项 2010507 is functional); its
    # label is the item bought, so the code keeps no name from it and the observations no functional dimension
    assert {it.classification.removeprefix(CL) for it in rec.items} == {"functional/2010507"}
    assert not any("functionalClassification" in o.dims for o in rec.observations)
    texts = {(tx.item.index, tx.column.index): tx.text for tx in rec.texts}
    assert [texts[(1, i)] for i in (10, 11, 12, 13)] == ["302", "27", "502", "05"]
    assert [texts[(2, i)] for i in (10, 11, 12, 13)] == ["302", "99", "502", "99"]


def test_a_procurement_table_printing_split_codes_classifies_its_rows_by_function():
    # yantai_tjj_2026_budget_dept.pdf, page 25 (公开表12 政府采购预算表, 万元): 类 | 款 | 项 printed one level a row
    header = [["科目编码", "", "", "科目名称", "合计", "财政拨款", "", "", "", "财政专户管理资金", "单位资金",
               "使用非财政拨款结余", "上年结转"],
              ["类", "款", "项", "", "", "小计", "一般公共预算", "政府性基金预算", "国有资本经营预算", "", "", "", ""]]
    t = table("政府采购预算表", header, [
        ["", "", "", "合　计", "49.33", "49.33", "49.33", "", "", "", "", "", ""],
        ["201", "", "", "一般公共服务支出", "49.33", "49.33", "49.33", "", "", "", "", "", ""],
        ["", "05", "", "统计信息事务", "49.33", "49.33", "49.33", "", "", "", "", "", ""],
        ["", "", "01", "行政运行", "1.83", "1.83", "1.83", "", "", "", "", "", ""],
        ["", "", "07", "专项普查活动", "47.50", "47.50", "47.50", "", "", "", "", "", ""],
    ])
    rec = extract(t, "government_procurement", doc=doc())
    assert [it.code for it in rec.items] == [None, "201", "20105", "2010501", "2010507"]
    assert [(it.classification or "").removeprefix(CL) for it in rec.items[1:]] == [
        "functional/201", "functional/20105", "functional/2010501", "functional/2010507"]
    assert [o.amount.value for o in rec.observations if o.item.code == "2010507"] == [Decimal("47.50")] * 3


def _concepts(rec, dim):
    return {(o.item.code, o.column.label): o.dims[dim].rsplit("/", 2)[-2] + "/" + o.dims[dim].rsplit("/", 1)[-1]
            for o in rec.observations}


def test_appropriation_expenditure_by_function_and_its_basic_expenditure_by_economic_class():
    from budgetkg.etl.recognize import recognize

    # jiangsu_jcy_2018_budget_dept.pdf, pages 15-16 (公开05表 财政拨款支出预算表, 公开06表 财政拨款基本支出预算表, 万元):
    # all funds of the appropriation (the 一般公共预算 tables are 公开07/08表)
    by_function = table("公开 05表：财政拨款支出预算表", [["功能科目代码", "功能科目名称", "金额"]], [
        ["", "合计", "21,940.96"], ["204", "公共安全支出", "16,444.36"], ["20404", "检察", "16,444.36"],
        ["2040401", "行政运行", "10,883.36"]])
    by_class = table("公开 06表：财政拨款基本支出预算表", [["科目编码", "科目名称", "金额"]], [
        ["合 计", "", "13,979.92"], ["301", "工资福利支出", "10,204.52"], ["30101", "基本工资", "2,117.68"]])
    assert (recognize(by_function), recognize(by_class)) == ("appropriation_expenditure", "appropriation_basic_expenditure")
    rec = extract(by_function, "appropriation_expenditure", doc=doc())
    assert _concepts(rec, "fundSource") == {k: "fund-source/appropriation" for k in _concepts(rec, "fundSource")}
    assert _concepts(rec, "functionalClassification")[("2040401", "金额")] == "functional/2040401"
    assert [o.amount.value for o in rec.observations][0] == Decimal("21940.96")
    rec = extract(by_class, "appropriation_basic_expenditure", doc=doc())
    assert _concepts(rec, "economicClassification") == {(None, "金额"): "economic/_T", ("301", "金额"): "economic/301",
                                                          ("30101", "金额"): "economic/30101"}
    # suzhou_sjj_2026_budget_dept.pdf, page 14 (公开05表 财政拨款支出表（功能科目）): 基本支出 split into 人员经费 | 公用经费
    t = table("财政拨款支出表（功能科目）", [["科目编码", "科目名称", "合计", "基本支出", "", "", "项目支出"],
                                    ["", "", "", "小计", "人员经费", "公用经费", ""]], [
        ["合计", "", "4,651.67", "4,312.17", "3,916.57", "395.60", "339.50"],
        ["2010801", "行政运行", "2,342.00", "2,342.00", "1,946.40", "395.60", ""]])
    assert recognize(t) == "appropriation_expenditure"
    types = _concepts(extract(t, "appropriation_expenditure", doc=doc()), "expenditureType")
    assert [types[("2010801", c)] for c in ("合计", "小计", "人员经费", "公用经费")] == [
        "expenditure-type/_T", "expenditure-type/basic", "expenditure-type/personnel", "expenditure-type/public"]
    # not these kinds: one fund's table, the summary, a carry-over table (xian_tjj_2026_budget_dept.pdf, page 37)
    for title in ("一般公共预算财政拨款支出决算表", "财政拨款收支总表", "部门综合预算财政拨款上年结转资金支出表"):
        assert recognize(table(title, [["科目编码", "科目名称", "合计"]], [])) not in (
            "appropriation_expenditure", "appropriation_basic_expenditure"), title


def test_administrative_running_costs_by_economic_class():
    from budgetkg.etl.recognize import recognize

    # jiangsu_jcy_2018_budget_dept.pdf, page 20 (公开11表, 万元): 合计 merged over the code and name columns
    t = table("公开 11表：一般公共预算机关运行经费支出预算表", [["科目编码", "科目名称", "机关运行经费支出"]], [
        ["合 计", "", "2,722.57"], ["302", "商品和服务支出", "2,722.57"], ["30201", "办公费", "130.00"],
        ["30231", "公务用车运行维护费", "267.80"], ["30211", "差旅费", "45.00"]])
    assert recognize(t) == "administrative_expenses"
    rec = extract(t, "administrative_expenses", doc=doc())
    obs = {(o.item.index, o.column.index): o for o in rec.observations}
    assert {k: o.amount.value for k, o in obs.items()} == {
        (1, 3): Decimal("2722.57"), (2, 3): Decimal("2722.57"), (3, 3): Decimal("130.00"),
        (4, 3): Decimal("267.80"), (5, 3): Decimal("45.00")}
    assert _concepts(rec, "economicClassification") == {
        (None, "机关运行经费支出"): "economic/_T", ("302", "机关运行经费支出"): "economic/302",
        ("30201", "机关运行经费支出"): "economic/30201", ("30231", "机关运行经费支出"): "economic/30231",
        ("30211", "机关运行经费支出"): "economic/30211"}
    assert set(_concepts(rec, "fundSource").values()) == {"fund-source/general-budget"}
    assert not rec.unmatched
    # suzhou_sjj_2026_budget_dept.pdf, page 21 (公开12表, the number printed above the title)
    t = table("一般公共预算机关运行经费支出预算表", [["科目编码", "科目名称", "机关运行经费支出"]], [
        ["合计", "", "395.60"], ["302", "商品和服务支出", "395.60"], ["30240", "税金及附加费用", "44.79"]])
    assert recognize(t) == "administrative_expenses"
    assert [o.amount.value for o in extract(t, "administrative_expenses", doc=doc()).observations] == [
        Decimal("395.60"), Decimal("395.60"), Decimal("44.79")]
    # a 三公 table naming 机关运行经费 beside them stays a 三公 table; without a code column it is no such table
    assert recognize(table("部门三公经费和机关运行经费预算表", [["项目", "合计"]], [])) == "three_public_expenses"
    assert recognize(table("机关运行经费支出预算表", [["单位名称", "金额"]], [])) != "administrative_expenses"


def _by_column(rec, dim):
    return {(o.item.code or match_key(o.item.label or o.item.text_label), o.column.label): o.dims[dim].rsplit("/", 1)[-1] for o in rec.observations}


def test_general_budget_by_economic_class_with_its_types_of_expenditure():
    from budgetkg.etl.recognize import recognize

    # xian_tjj_2026_budget_dept.pdf, page 31 (表6, 元): 人员经费支出 | 公用经费支出 | 专项业务经费支出 beside 合计; the
    # government's economic class (政府经济科目) printed as text; 表8 (基本支出 by economic class) is another kind
    t = table("部门综合预算一般公共预算支出明细表（按支出经济分类科目）", [[
        "部门经济科目编码", "部门经济科目名称", "政府经济科目编码", "政府经济科目名称", "合计", "人员经费支出", "公用经费支出",
        "专项业务经费支出", "备注"]], [
        ["合计", "", "", "", "62,109,297.20", "34,557,893.03", "2,143,304.17", "25,408,100.00", ""],
        ["301", "工资福利支出", "", "", "32,493,937.03", "32,493,937.03", "", "", ""],
        ["30201", "办公费", "50201", "办公经费", "326,000.00", "", "326,000.00", "", ""],
        ["30202", "印刷费", "50201", "办公经费", "1,228,100.00", "", "", "1,228,100.00", ""]])
    assert recognize(t) == "general_budget_expenditure_by_economic_class"
    rec = extract(t, "general_budget_expenditure_by_economic_class", doc=doc())
    assert _by_column(rec, "expenditureType") == {
        ("合计", "合计"): "_T", ("合计", "人员经费支出"): "personnel", ("合计", "公用经费支出"): "public",
        ("合计", "专项业务经费支出"): "project", ("301", "合计"): "_T", ("301", "人员经费支出"): "personnel",
        ("30201", "合计"): "_T", ("30201", "公用经费支出"): "public", ("30202", "合计"): "_T",
        ("30202", "专项业务经费支出"): "project"}
    assert [o.amount.value for o in rec.observations if o.item.code == "30202"] == [Decimal("1228100.00")] * 2
    assert set(_by_column(rec, "fundSource").values()) == {"general-budget"}
    assert {tx.text for tx in rec.texts if tx.item.code == "30201"} == {"50201", "办公经费"}
    # the same title with a 基本支出 column (深圳) stays the 基本支出 kind
    shenzhen = table("一般公共预算支出表（按经济分类）", [["科目编码", "科目名称", "支出总计", "基本支出", "项目支出"]], [])
    assert recognize(shenzhen) == "general_budget_basic_expenditure"


def test_general_budget_basic_expenditure_by_function():
    from budgetkg.etl.recognize import recognize

    # xian_tjj_2026_budget_dept.pdf, page 33 (表7, 元); 2010505 专项统计业务 prints no amount
    t = table("部门综合预算一般公共预算基本支出明细表（按支出功能分类科目）", [[
        "功能科目编码", "功能科目名称", "合计", "人员经费支出", "公用经费支出", "备注"]], [
        ["合计", "", "36,701,197.20", "34,557,893.03", "2,143,304.17", ""],
        ["2010501", "行政运行", "25,379,608.13", "23,326,991.96", "2,052,616.17", ""],
        ["2010505", "专项统计业务", "", "", "", ""]])
    assert recognize(t) == "general_budget_basic_expenditure_by_function"
    rec = extract(t, "general_budget_basic_expenditure_by_function", doc=doc())
    assert [(o.item.code, o.dims["functionalClassification"].rsplit("/", 1)[-1], o.amount.value) for o in rec.observations] == [
        (None, "_T", Decimal("36701197.20")), (None, "_T", Decimal("34557893.03")), (None, "_T", Decimal("2143304.17")),
        ("2010501", "2010501", Decimal("25379608.13")), ("2010501", "2010501", Decimal("23326991.96")),
        ("2010501", "2010501", Decimal("2052616.17"))]
    assert [it.code for it in rec.items] == [None, "2010501", "2010505"]


def test_general_budget_project_expenditure_by_economic_class():
    from budgetkg.etl.recognize import recognize

    # guangzhou_tjj_2026_budget_dept.pdf, page 16 (表7, 万元): code and name in one cell ([30216]培训费)
    t = table("一般公共预算项目支出情况表（按经济分类科目）", [["部门预算支出经济科目", "预算"]], [
        ["合计", "1,032.05"], ["[302]商品和服务支出", "1,032.05"], ["[30216]培训费", "84.00"]])
    assert recognize(t) == "general_budget_project_expenditure"
    rec = extract(t, "general_budget_project_expenditure", doc=doc())
    assert [(o.dims["economicClassification"].rsplit("/", 1)[-1], o.dims["expenditureType"].rsplit("/", 1)[-1],
             o.amount.value) for o in rec.observations] == [
        ("_T", "project", Decimal("1032.05")), ("302", "project", Decimal("1032.05")), ("30216", "project", Decimal("84.00"))]


def test_carried_over_appropriation_table_printed_empty():
    from budgetkg.etl.recognize import recognize

    # xian_tjj_2026_budget_dept.pdf, page 37 (表11, 元): the header and a 合计 row without amounts
    t = table("部门综合预算财政拨款上年结转资金支出表", [[
        "预算单位代码", "预算单位名称", "预算项目名称", "金额", "功能分类科目代码", "功能分类科目名称", "政府经济分类科目代码",
        "政府经济分类科目名称", "项目类别", "资金性质", "备注"]], [])
    assert recognize(t) == "appropriation_carryover_expenditure"
    rec = extract(t, "appropriation_carryover_expenditure", doc=doc())
    assert rec.empty
    assert [c.role for c in rec.columns] == ["text", "text", "text", "amount", "code", "label", "text", "text", "text",
                                             "text", "text"]


def test_meeting_and_training_lists():
    from budgetkg.etl.recognize import recognize

    # xian_tjj_2026_budget_dept.pdf, page 21 (万元): one row per meeting / training, 人数 a count
    header = [["序号", "会议名称", "时间", "人数", "金额", "备注"]]
    meetings = table("会议费明细表", header, [["1", "试点工作部署动员会", "2026年03月04日", "80", "1.19", ""],
                                          ["4", "清查摸底布置会", "2026年09月08日", "61", "1.22", ""]])
    trainings = table("培训费明细表", [["序号", "培训名称", "时间", "人数", "金额", "备注"]], [
        ["2", "领导干部培训会", "2026年03月10日至2026年03月30日", "2", "0.50", ""]])
    assert (recognize(meetings), recognize(trainings)) == ("meeting_expenses", "training_expenses")
    rec = extract(meetings, "meeting_expenses", doc=doc())
    assert [(o.item.label, o.item.number, o.measure, o.amount.value) for o in rec.observations] == [
        ("试点工作部署动员会", 1, "quantity", Decimal("80")), ("试点工作部署动员会", 1, "amount", Decimal("1.19")),
        ("清查摸底布置会", 4, "quantity", Decimal("61")), ("清查摸底布置会", 4, "amount", Decimal("1.22"))]
    assert {o.dims["economicClassification"].rsplit("/", 1)[-1] for o in rec.observations} == {"30215"}
    assert [tx.text for tx in rec.texts] == ["2026年03月04日", "2026年09月08日"]
    rec = extract(trainings, "training_expenses", doc=doc())
    assert [(o.measure, o.amount.value, o.dims["economicClassification"].rsplit("/", 1)[-1]) for o in rec.observations] == [
        ("quantity", Decimal("2"), "30216"), ("amount", Decimal("0.50"), "30216")]
    # the 三公 table naming 会议费 and 培训费 beside the 三公 (江苏 公开09表) stays the 三公 kind
    assert recognize(table("一般公共预算“三公”经费、会议费、培训费支出预算表", [["合计", "会议费", "培训费"]], [])) == (
        "three_public_expenses")


def test_project_lists_with_their_goals_or_one_amount_column():
    from budgetkg.etl.recognize import recognize

    # guangzhou_tjj_2026_budget_dept.pdf, page 21 (表12, 万元): funds by source, each project's goal beside them
    header = [["支出项目类别（资金使用单位）", "总计", "财政拨款", "", "", "", "财政专户拨款", "其他资金", "绩效目标"],
              ["", "", "合计", "一般公共预算", "政府性基金预算", "国有资本经营预算", "", "", ""]]
    goal = "作为主管全市统计和国民经济核算工作的市直机构，我局主要职责是贯彻执行国家、省、市的法律、法规和方针、政策，该项目的主要目标是高质量完成上级委托的调查任务。"
    t = table("部门预算项目支出及其他支出预算表", header, [
        ["合计", "1,082.05", "1,032.05", "1,032.05", "0.00", "0.00", "0.00", "50.00", ""],
        ["广州市统计局", "1,075.05", "1,025.05", "1,025.05", "0.00", "0.00", "0.00", "50.00", ""],
        ["上级拨入专项调查经费", "50.00", "0.00", "0.00", "0.00", "0.00", "0.00", "50.00", goal]])
    assert recognize(t) == "project_expenditure"
    rec = extract(t, "project_expenditure", doc=doc())
    assert [c.role for c in rec.columns][-1] == "text" and len({it.side for it in rec.items}) == 1
    assert [(tx.item.label, tx.text) for tx in rec.texts] == [("上级拨入专项调查经费", goal)]
    survey = [(o.column.label, o.amount.value) for o in rec.observations if o.item.label == "上级拨入专项调查经费"]
    assert survey == [("总计", Decimal("50.00")), ("合计", Decimal("0.00")), ("一般公共预算", Decimal("0.00")),
                      ("政府性基金预算", Decimal("0.00")), ("国有资本经营预算", Decimal("0.00")),
                      ("财政专户拨款", Decimal("0.00")), ("其他资金", Decimal("50.00"))]
    # xian_tjj_2026_budget_dept.pdf, page 36 (表10, 元): 专项业务经费 by unit (单位编码) and project, one amount column
    t = table("部门综合预算专项业务经费支出表", [["单位编码", "单位（项目）名称", "项目金额", "项目简介"]], [
        ["合计", "", "25,408,100.00", ""], ["119", "西安市统计局", "25,408,100.00", ""],
        ["119001", "西安市统计局", "25,139,100.00", ""], ["", "通用项目", "8,580,600.00", ""],
        ["", "大型活动", "750,000.00", ""]])
    assert recognize(t) == "project_expenditure"
    rec = extract(t, "project_expenditure", doc=doc())
    assert [c.role for c in rec.columns] == ["text", "label", "amount", "text"]
    assert [o.amount.value for o in rec.observations] == [
        Decimal("25408100.00"), Decimal("25408100.00"), Decimal("25139100.00"), Decimal("8580600.00"), Decimal("750000.00")]
    assert {o.dims["expenditureType"].rsplit("/", 1)[-1] for o in rec.observations} == {"project"}
    # a title naming 绩效 is a performance table, not this list
    assert recognize(table("2026年市级部门项目支出绩效表", header, [])) != "project_expenditure"
