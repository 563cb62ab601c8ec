"""The printed vocabulary of the disclosures: every word a template prints that the ETL reads.

API: plain constants, grouped by what they are for; nothing here is code that decides.
The text reader (:mod:`budgetkg.etl.read_text`), the PDF reader (:mod:`budgetkg.etl.read_pdf`,
:mod:`budgetkg.etl.pdf_tables`), recognition (:mod:`budgetkg.etl.recognize`) and extraction
(:mod:`budgetkg.etl.extract`) import their words from here, so that a new template is words
added here (and a case in ``tests/cases/<template>/``), not a new code path.

Sections: amounts and units, not-applicable marks, totals, ordinals and headings, page-header
lines (and the labelled lines of a text disclosure), header words (column roles), phases of a
column, table kinds (title words and the header words a kind must have), document metadata
(cover and title words), performance targets, the narrative (section titles, statements,
internal bodies) and the figures its sentences state (amount, change and comparison words).
``tests/test_words_in_lexicon.py`` checks that no pattern of the ETL spells these words elsewhere.

>>> UNITS["万元"], "合计" in TOTAL_WORDS, "—" in NOT_APPLICABLE
(4, True, True)
>>> bool(ORDINAL_RE.match("（一）人员经费")), bool(ORDINAL_RE.match("2024年"))
(True, False)
>>> bool(META_RE.search("编制单位：某某局  单位：万元"))
True
>>> [m and m.group(1) for m in map(META_BARE_UNIT_RE.match, ("341-某市某局万元", "某局 元", "支出120.00万元", "万元", "合计：万元"))]
['万元', '元', None, None, None]
>>> dict(KIND_WORDS)["expenditure"].title_any[:2]
('支出总表', '支出预算总表')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# ------------------------------------------------------------------ amounts and units
# A printed amount as a cell holds it (PDF text: thousands separators, a sign, a % of a change column).
AMOUNT_RE = re.compile(r"^[-−+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$")
# An amount after normalisation (NFKC, separators ","): sign, whole part, decimals.
NUMBER_RE = re.compile(r"^([+-]?)(\d+(?:,\d{3})*|\d+)(?:\.(\d+))?$")
# Currency units and their power of ten (bkg:unitMultiplier).
UNITS = {"元": 0, "千元": 3, "万元": 4, "百万元": 6, "亿元": 8}
_UNIT_WORDS = "千元|万元|百万元|亿元|元"
# A unit printed in a header cell or on the line above a table (金额单位：万元, 单位:元).
UNIT_IN_HEADER_RE = re.compile(rf"(?:金额)?单位[：:]\s*({_UNIT_WORDS})")

# ------------------------------------------------------------------ not applicable
# Amount cells that print "nothing here": no observation, never zero.
NOT_APPLICABLE = frozenset({"", "-", "--", "—", "——", "－", "/", "\\"})
# A table or cell saying "none" in words.
NONE_WORDS = frozenset({"无"})

# ------------------------------------------------------------------ totals
TOTAL_WORDS = frozenset({"合计", "总计", "小计"})
# The line a table printing amounts without a code or label column stands for (支出总表 as one row).
TOTAL_LINE = "合计"
# Cells of a table printed empty: total lines and 无 only.
EMPTY_TABLE_MARKS = TOTAL_WORDS | NONE_WORDS
# The note of an empty table (空表说明), in a cell of it or on the line below it: the table is empty (此表为空,
# 本表无数据) or the unit has no such funds (本部门无相关收支项目, 没有使用政府性基金安排的支出).
EMPTY_NOTE_RE = re.compile(r"[此本]表(?:为空|无数据|无内容)|空表|无数据|(?:无|没有|未)(?:使用|安排)?(?:相关|此类|该项)?"
                           r".{0,30}?(?:收支|收入|支出|预算|资金|经费|项目|数据)")
# A line below a table opening so is its note when it is an empty table's note (说明：本部门无相关收支项目。,
# 备注：本部门没有国有资本经营预算拨款安排的支出，故本表无数据。).
EMPTY_NOTE_LABEL_RE = re.compile(r"^(?:说明|备注)\s*[:：]")

# ------------------------------------------------------------------ ordinals and headings
# An ordinal opening a row label (一、 （一） 1、), not a year or a decimal.
ORDINAL_RE = re.compile(r"^(?:[一二三四五六七八九十百]+[、．.]|[（(][一二三四五六七八九十]+[)）]|\d+[、．.](?!\d))")
# Ordinal prefixes dropped before a label is matched against the code lists.
ORDINAL_PREFIX_RE = re.compile(
    r"^(?:[（(][一二三四五六七八九十百零\d]+[)）]|[一二三四五六七八九十百零]+[、.．]|\d+[、.．](?!\d)|第[一二三四五六七八九十]+[部分条章节][、 ]?)\s*"
)
# The levels of a table's outline numbering, highest first (一、 > （一） > 1、 > （1）; GB/T 9704), each with the
# ordinal it starts at: a row label numbered at a lower level is a part of the nearest line above it numbered at
# a higher level (一、部门预算 | 1、财政拨款 | (1)一般公共预算拨款).
OUTLINE_LEVELS = (
    (re.compile(r"^([一二三四五六七八九十百]+)[、．.]"), "一"),
    (re.compile(r"^[（(]([一二三四五六七八九十百]+)[)）]"), "一"),
    (re.compile(r"^(\d+)[、．.](?!\d)"), "1"),
    (re.compile(r"^[（(](\d+)[)）]"), "1"),
)
# Section headings of the narrative (第二部分 ..., 一、 ..., （一） ...): never table titles.
PART_RE = re.compile(r"^第[一二三四五六七八九十]+(?:部分|章|节)")
CN_ORD_RE = re.compile(r"^[一二三四五六七八九十]+、")
CN_SUB_RE = re.compile(r"^[（(][一二三四五六七八九十]+[)）]")
PARA_START_RE = re.compile(r"^(?:第[一二三四五六七八九十]+条|[（(]\d+[)）]|\d+[、．.](?!\d))")
# Sentence-ending punctuation: a line ending so is prose, not a title or heading.
END_PUNCT = tuple("。；;，,：:")
# Punctuation of running text: a ruled cell that is, opens or ends with one of these is a piece of
# a sentence (prose set in shaded boxes), not a table cell (document numbers print 《》 and 〔〕).
PROSE_PUNCT = "，。；：、．《》〔〕"
# Page numbers printed alone on a line (- 3 -, 第3页 共20页, 3).
PAGE_NO_RE = re.compile(r"^(?:[-—–]\s*\d+\s*[-—–]|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?|\d{1,3})$")
# A note below a table (注：..., 注1：..., or in brackets: （注：...）).
NOTE_RE = re.compile(r"^[（(]?\s*注\s*\d*\s*[:：]")
# A table number printed as (or before) a title: 公开01表, 预算01表, 公开表1, 表1, 表一, 表01.
TABLE_NUMBER_RE = re.compile(r"^(?:(?:公开|预算|部门|附)?\s*(?:\d+|[一二三四五六七八九十]+)\s*表|(?:公开)?表\s*(?:\d+|[一二三四五六七八九十]+))[：:\s]*")
# A ruled column narrower than this (pt) that prints nothing is a spacer of the drawing, not a column.
SPACER_WIDTH = 12.0
# Dot leaders of a table of contents entry.
TOC_ENTRY_RE = re.compile(r"(\.{3,}|…{2,}|·{3,})\s*$")
TOC_TITLES = ("目录", "目次")

# A line holding only a bracketed qualifier, printed between a title and its table ((2026年度), （单位：万元）):
# a subtitle, never a title of its own.
SUBTITLE_RE = re.compile(r"^[（(][^（）()]*[)）]$")
# A bracketed qualifier ending a title line (（续）, （按功能分类）, (一级项目)): the title is the text before it.
TITLE_QUALIFIER_RE = re.compile(r"\s*[（(][^（）()]*[)）]$")
# An attachment's heading (附件, 附件2：…部门预算报表): it names a part of the document, not a table.
ATTACHMENT_RE = re.compile(r"^附件\s*[\d一二三四五六七八九十]*(?:\s|[:：]|$)")

# Marks of a table continued from the page before (续表, （续）), dropped from a repeated title.
CONTINUED_MARK_RE = re.compile(r"[（(]?续表?[)）]?")

# ------------------------------------------------------------------ page-header lines
# The line above a table naming the organisation, unit or year (编制部门：... 单位：元).
META_RE = re.compile(r"(?:编制(?:部门|单位)|单位|预算年度)\s*[:：]")
META_ORG_RE = re.compile(r"编制(?:部门|单位)\s*[:：]\s*(.+?)(?=\s*(?:金额)?单位\s*[:：]|\s*预算年度|$)")
META_UNIT_RE = re.compile(r"(?<!编制)单位\s*[:：]\s*(\S+)")
# The organisation line with the unit alone at its end, without 单位：(341-某市某局 | 万元, printed
# apart): a name before it, never a figure, so a sentence's "120.00 万元" is not such a line.
META_BARE_UNIT_RE = re.compile(rf"^\S*?[^\d\s.,，。：:千万百亿]\s*({_UNIT_WORDS})$")
META_YEAR_RE = re.compile(r"预算年度\s*[:：]\s*(\d{4})")

# Labelled lines of a text disclosure above a table (预算年度：2026, 金额单位：万元) and the field each
# fills (the pattern is anchored and ends at the colon, so the order of the labels does not matter).
TEXT_META_FIELDS = {
    "预算年度": "year", "决算年度": "year", "年度": "year",
    "单位": "unit", "金额单位": "unit",
    "截止时间": "as_of", "截至时间": "as_of", "编制单位": "department_name",
}
TEXT_META_RE = re.compile(rf"^({'|'.join(TEXT_META_FIELDS)})\s*[：:]\s*(.+)$")
# A page-header line of a text disclosure: a department code and name (501 某某局), not a number
# and a unit or date word (2022 年..., 12 万元).
PAGE_ORG_RE = re.compile(r"^(\d{1,12})\s+([^\s\d：:，,。；;、年月日万元%（(][^\s：:，,。；;]{1,59})$")
# A note line (注：...) in a text disclosure.
TEXT_NOTE_RE = re.compile(r"^\s*注[：:]")
# A first-level heading of a text disclosure containing this word is its title (部门预算情况说明).
EXPLANATION_WORD = "说明"

# ------------------------------------------------------------------ header words (column roles)
COLUMN_NUMBER_WORDS = frozenset({"栏次", "档次"})  # first cell of the 栏次 row
SEQ_HEADS = frozenset({"序号", "行次", "编号"})
CODE_HEADS = ("类", "款", "项")  # a code printed in three columns
CODE_HEADERS = frozenset({"科目编码", "功能分类科目编码", "经济分类科目编码", "编码", "科目代码", "代码", "功能科目代码", "经济科目代码",
                          "功能分类科目代码", "经济分类科目代码"})
CODE_HEADER_SUFFIX = "编码"
LABEL_HEADERS = frozenset({"科目名称", "项目", "名称", "项目名称", "单位名称", "功能分类科目名称", "经济分类科目名称", "支出项目",
                           "支出项目类别"})
# A bracketed qualifier ending a header (支出功能分类科目（按大类）): the column is typed by the words before it.
HEADER_QUALIFIER_RE = re.compile(r"\([^()]*\)$")
LABEL_HEADER_SUFFIX = ("科目名称", "科目")  # 功能分类科目名称; 支出功能分类科目, 部门预算支出经济科目 (code and name in one cell)
# Leaf headers naming an amount: such a column is never retyped by its content (a typo stays an error).
AMOUNT_HEADER_WORDS = ("合计", "小计", "总计", "金额", "预算", "决算", "执行数", "收入", "支出", "拨款", "资金", "经费")
# A column printing the code of the budget unit (or department) of a row: text, never a classification code.
UNIT_CODE_HEADERS = frozenset({"单位编码", "单位代码", "部门编码", "部门代码", "预算单位代码"})
TEXT_HEADERS = frozenset({"采购物品名称", "政府采购目录序号", "计量单位", "单位性质", "单位规格", "经费保障形式", "备注",
                          "预算单位", "部门名称", "项目编号", "项目代码", "预算单位名称", "预算项目名称", "项目类别", "资金性质",
                          "项目简介", "绩效目标",  # a project's goal printed beside its amounts (广州 项目支出及其他支出预算表)
                          # the descriptive columns of a procurement line (西安 表12), often left empty
                          "采购目录", "购买服务内容", "规格型号", "实施采购时间", "说明",
                          # a second classification printed right of the amounts (政府经济分类, 501-599: no shipped list)
                          "政府经济分类科目代码", "政府经济分类科目名称"}) | UNIT_CODE_HEADERS
# A text column naming the budget unit of a row (one row segment per unit, its first row the unit's total).
UNIT_COLUMN_HEADERS = frozenset({"预算单位", "单位名称", "部门名称"})
# A row-label column whose header names its classification: the code lists its labels may match (a summary
# table printing expenditure by function, then by economic class). 政府预算支出经济分类 (501-599) is not the
# shipped economic list (部门预算, 301-399): its labels stay unclassified. Longest first.
LABEL_HEADER_SCHEMES = (("政府预算支出经济分类", ()), ("经济分类", ("economic",)), ("功能分类", ("functional",)))
# Last words of an organisation's name (某市某局, 某市某中心, 某市某监狱): a row label that begins with a
# place (a GB/T 2260 division) and ends with one of them names a budget unit heading its rows.
ORG_NAME_SUFFIXES = ("局", "委", "办", "厅", "院", "所", "中心", "站", "队", "馆", "监狱", "办公室", "委员会", "学校",
                     "处", "室", "社", "会", "部")
# A column of shares or changes (增减(%), 增长率, -12.34%): printed text, not an amount of money.
PERCENT_HEADER_WORDS = ("%", "％", "增减率", "增长率", "比重", "占比")
PERCENT_RE = re.compile(r"^[-−+]?\d+(?:\.\d+)?[%％]$")
# A classification code and its name in one cell: 2010501-行政运行, [2010501]行政运行, 2010501 行政运行.
CODE_NAME_RE = re.compile(r"^[\[【（(]?(\d{3}(?:\d{2}){0,2})(?!\d)[\]】）)]?\s*[-—－_:：]?\s*(\S.*)$")
# The levels of a catalogue printed as columns (指导性目录: 一级 | 二级 | 三级): the deepest labels the row.
CATALOGUE_LEVEL_RE = re.compile(r"^[一二三四五]级(?:目录)?$")
# A column header naming a figure selected or adjusted by a criterion other than the table's own (the 政府采购 part
# of each line's spending, 项目支出 net of 基建 projects): the column is no part of the table's totals and its 小计 is
# the total of that selection, not the table's (深圳 支出总表 2026年政府采购项目 / 小计; 北京 预算05表 项目支出 /
# 扣除基建项目后预算数). In a table whose title names the selection (政府采购预算表) every column is of it. A bracketed
# exclusion is no selection: 事业收入（不含教育收费） is 事业收入.
SELECTION_HEADER_RE = re.compile(r"政府采购|扣除.{1,12}后")
QUANTITY_HEADERS = frozenset({"数量", "人数"})
QUANTITY_HEADER_PREFIX = "数量"
# First header cell of tables that print no 栏次 row and whose body holds no amounts.
HEADER_FIRST_WORDS = frozenset({"一级指标"})

# ------------------------------------------------------------------ phases of a column
# A column printed as 预算数 beside 决算数 carries its own phase.
PHASE_WORDS = (("决算数", "final-accounts"), ("决算", "final-accounts"), ("预算数", "budget"), ("执行数", "final-accounts"))
PHASE_SUFFIX_RE = re.compile(r"(预算数|决算数|执行数|预算|决算)$")
# The head of a two-sided table's segment with its column word (收入预算数, 支出项目): the suffix dropped
# before the side (收入 / 支出) is read from how the head ends.
SIDE_HEAD_SUFFIX_RE = re.compile(r"(项目|预算|决算|预算数|决算数)$")
# Sides of a two-sided table, as the head of a segment ends.
SIDE_WORDS = (("收入", "in"), ("支出", "out"))
# A side's total line may print 本年 before the side word (本年收入合计).
THIS_YEAR_WORD = "本年"

# ------------------------------------------------------------------ periods of a column or row
# A header cell or row label naming the year of the figures it covers, as a whole cell (上年预算数, 2025年预算数,
# 当年): the prior year's figures (or another printed year's) are not the document year's. 上年结转 is not one:
# it is an item of this year (the carry-over into it).
_PERIOD_TAIL = r"(?:预算数?|决算数?|执行数?|预计执行数?|年初预算数?|数)?"
PRIOR_YEAR_HEADER_RE = re.compile(rf"^(?:上年度?|上一年度?|去年){_PERIOD_TAIL}$")
YEAR_HEADER_RE = re.compile(rf"^(?P<year>\d{{4}})年度?{_PERIOD_TAIL}$")
CURRENT_YEAR_HEADER_RE = re.compile(rf"^(?:本年度?|当年|今年){_PERIOD_TAIL}$")
# A header cell or row label of a change against the prior year (增减变化金额, 比上年增减, 增减额, 2026年比2025年增减);
# a change in percent (增减(%), 增长率) is a text column (PERCENT_HEADER_WORDS).
CHANGE_HEADER_RE = re.compile(r"^(?:\d{4}年度?)?(?:比|较|与)?(?:上年度?|上一年度?|\d{4}年度?)?(?:预算数?|决算数?|相比)?"
                              r"(?:增减|增长|增加|变动|变化)(?:变化|变动)?(?:金额|额|数|情况)?$")


# ------------------------------------------------------------------ table kinds
@dataclass(frozen=True)
class KindWords:
    """How a table kind is printed: words of its title and of its header.

    ``title_all``: every one must be in the title; ``title_any``: one of them; ``title_none``:
    none of them; ``header_any``: one of them in a header cell (also for an untitled table);
    ``rows_any``: one of them in a cell of the header or of the first body rows (a column
    row printed below a block of project facts, inside the ruled body);
    ``header_must``: the columns the kind must have, one of these words in a header cell
    (checked when the table has a header); ``header_none``: no header cell holds one of these. ``weight`` ranks a word that names the kind by
    itself (三公, 政府采购) above the words a broader kind shares with it. ``untitled``: the way applies only
    to a table printed without a title (a section heading or a sentence above it is not one).
    """

    title_all: tuple[str, ...] = ()
    title_any: tuple[str, ...] = ()
    title_none: tuple[str, ...] = ()
    header_any: tuple[str, ...] = ()
    rows_any: tuple[str, ...] = ()
    header_must: tuple[str, ...] = ()
    header_none: tuple[str, ...] = ()
    weight: int = 0
    untitled: bool = False  # only for a table printed without a title: its header alone tells the kind


_SUMMARY_TITLES = ("收支总表", "收入支出总表", "收支预算总表", "收入支出决算总表", "收支决算总表", "收支总体情况表")
# A table classified by code must print a code or classification column.
_CLASSIFIED = ("科目", "编码", "代码", "功能分类", "经济分类")
_NAMED = 20  # weight of a word that names a kind by itself
# Title words of a table of one fund of the appropriation, or of its income beside its expenditure.
_ONE_FUND = ("一般公共预算", "政府性基金", "政府基金", "国有资本", "收支", "收入", "三公")
# Title words of a table of the appropriation only; and of tables split otherwise than by fund source (by
# functional class, of administrative costs, of both expenditure types, of performance, of carry-overs).
_FUND_TITLES = ("财政拨款", "政府预算")
_NOT_BY_FUND = ("功能分类", "功能科目", "机关运行", "基本支出和项目支出", "绩效", "结转")
# A table by fund source prints the appropriation (or its general budget) as a column.
_FUND_COLUMNS = ("财政拨款", "一般公共预算")
# A table of purchased services prints the service bought: its catalogue levels (指导性目录 | 一级 | 二级 | 三级), its
# content or category (购买服务内容, 服务类别) or the project buying it.
_SERVICE_COLUMNS = ("目录", "服务", "项目", "一级", "三级")
# Scores of an evaluation (综合评价得分情况表: 一级指标 | 分值 | 得分): indicators without targets.
_SCORE_TITLES = ("得分", "评分")

# Table key -> the ways its title and header are printed (several entries per key are alternatives).
KIND_WORDS: tuple[tuple[str, KindWords], ...] = (
    ("performance_targets", KindWords(title_any=("绩效目标表", "绩效目标申报表"), header_any=("一级指标",),
                                      title_none=_SCORE_TITLES, weight=_NAMED)),
    ("performance_targets", KindWords(header_any=("一级指标",), title_none=_SCORE_TITLES, weight=_NAMED)),
    ("performance_targets", KindWords(rows_any=("一级指标",), title_none=_SCORE_TITLES, weight=_NAMED)),
    # Indicators without level columns (指标名称 or 绩效指标 | 指标性质 | 指标值 | 计量单位) below the project facts.
    ("performance_targets", KindWords(title_any=("绩效目标表",), rows_any=("指标名称", "指标值"), title_none=_SCORE_TITLES,
                                      weight=_NAMED)),
    # Project goals without indicators (项目名称 | 金额 | 绩效目标), titled 项目支出绩效表, 重点项目绩效目标情况.
    ("performance_targets", KindWords(title_any=("绩效",), header_any=("绩效目标",), title_none=_SCORE_TITLES,
                                      weight=_NAMED)),
    # ... printed without a title, under a section heading (重点项目绩效目标情况): a project column beside the goals
    ("performance_targets", KindWords(header_any=("绩效目标",), header_must=("项目",), untitled=True, weight=_NAMED)),
    # the scores of a performance evaluation (综合评价得分情况表: 一级指标 | 分值 | 得分 | 得分率): not a budget table
    ("evaluation_scores", KindWords(title_any=_SCORE_TITLES, header_any=("得分", "分值", "评分"), weight=_NAMED)),
    ("three_public_expenses", KindWords(title_any=("三公",), weight=_NAMED)),
    ("government_procurement", KindWords(title_any=("政府采购",), weight=_NAMED)),
    # services the government buys (政府购买服务预算表, 财政拨款政府购买服务明细表), one row per service of the
    # guiding catalogue (指导性目录) or per project; a 政府采购 table naming 购买服务 among its parts is procurement
    ("government_purchased_services", KindWords(title_any=("政府购买服务", "购买服务预算", "购买服务明细"),
                                                title_none=("政府采购",), header_must=_SERVICE_COLUMNS,
                                                weight=_NAMED)),
    ("fixed_assets", KindWords(title_any=("固定资产", "国有资产占用"), weight=_NAMED)),
    # the meetings and trainings of the year one by one (会议费明细表, 培训费明细表: 名称 | 时间 | 人数 | 金额)
    ("meeting_expenses", KindWords(title_all=("会议费",), title_any=("明细",), title_none=("三公", "培训"),
                                   header_must=("名称",), weight=_NAMED)),
    ("training_expenses", KindWords(title_all=("培训费",), title_any=("明细",), title_none=("三公", "会议"),
                                    header_must=("名称",), weight=_NAMED)),
    ("units", KindWords(header_any=("单位名称",), title_none=("收入", "支出"))),
    ("government_fund_expenditure", KindWords(title_any=("政府基金", "政府性基金"), header_must=_CLASSIFIED,
                                              weight=_NAMED)),
    ("state_capital_expenditure", KindWords(title_any=("国有资本经营",), header_must=_CLASSIFIED, weight=_NAMED)),
    # by economic class; the one by functional class (功能分类) is another table
    ("general_budget_basic_expenditure", KindWords(title_all=("一般公共预算",), title_any=("基本支出",),
                                                   title_none=("功能分类",), header_must=_CLASSIFIED)),
    # ... or as the general budget by economic class with a 基本支出 column beside 项目支出 (深圳 一般公共预算支出表
    # （按经济分类）: 支出总计 | 基本支出 | 项目支出); one of projects only or without that column is another table
    ("general_budget_basic_expenditure", KindWords(title_all=("一般公共预算", "经济分类"), title_any=("支出",),
                                                   title_none=("功能分类", "项目支出"), header_any=("基本支出",),
                                                   header_must=_CLASSIFIED)),
    # by functional class; project or administrative-cost tables and the split by economic class are others
    ("general_budget_expenditure", KindWords(title_all=("一般公共预算",), title_any=("支出",),
                                             title_none=("经济分类", "基本支出", "项目支出", "机关运行"), header_must=_CLASSIFIED)),
    # ... its split by economic class (人员经费 | 公用经费 | 专项业务经费 as columns; the variant printing a 基本支出
    # column is read as general_budget_basic_expenditure above), its basic expenditure by functional class, and its
    # project expenditure by economic class
    ("general_budget_expenditure_by_economic_class", KindWords(
        title_all=("一般公共预算", "经济分类"), title_any=("支出",), title_none=("功能分类", "基本支出", "项目支出"),
        header_must=_CLASSIFIED, header_none=("基本支出",))),
    ("general_budget_basic_expenditure_by_function", KindWords(
        title_all=("一般公共预算", "基本支出"), title_any=("功能分类", "功能科目"), header_must=_CLASSIFIED)),
    ("general_budget_project_expenditure", KindWords(
        title_all=("一般公共预算", "项目支出"), title_any=("经济分类", "经济科目"), header_must=_CLASSIFIED)),
    # the appropriation carried over from the year before (财政拨款上年结转资金支出表), listed by project and class
    ("appropriation_carryover_expenditure", KindWords(title_all=("财政拨款", "结转"), title_any=("支出",),
                                                      title_none=_SUMMARY_TITLES, header_must=_CLASSIFIED)),
    # 机关运行经费 (the 公用经费 of administrative bodies, from the general budget) by economic class; a 三公 table
    # naming it beside the 三公 is that table
    ("administrative_expenses", KindWords(title_all=("机关运行",), title_none=("三公",), header_must=_CLASSIFIED,
                                          weight=_NAMED)),
    ("appropriation_summary", KindWords(title_all=("财政拨款",), title_any=_SUMMARY_TITLES)),
    # all 财政拨款 (general budget, government fund and state capital together): its basic expenditure by
    # economic class, and its expenditure by functional class; one fund's tables and the summary are others
    ("appropriation_basic_expenditure", KindWords(title_all=("财政拨款",), title_any=("基本支出",),
                                                  title_none=_ONE_FUND + ("功能分类", "功能科目"),
                                                  header_must=_CLASSIFIED)),
    ("appropriation_expenditure", KindWords(title_all=("财政拨款",), title_any=("支出",),
                                            title_none=_ONE_FUND + ("经济分类", "经济科目", "基本支出", "项目支出",
                                                                    "机关运行", "结转"),
                                            header_must=_CLASSIFIED)),
    # all funds of the department (财政拨款 | 财政专户管理资金 | 单位资金 ... as columns): its basic expenditure
    # by economic class, and its projects one row each; a table of one fund, or of both types, is another
    ("basic_expenditure", KindWords(title_any=("基本支出",), title_none=_ONE_FUND + _FUND_TITLES + _NOT_BY_FUND,
                                    header_must=_FUND_COLUMNS)),
    # (a list printing each project's goal beside its funds is one too, its goal a text cell: 广州 项目支出及其他支出
    # 预算表; a title naming 绩效 is a performance table)
    ("project_expenditure", KindWords(title_any=("项目支出",), title_none=_ONE_FUND + _FUND_TITLES + _NOT_BY_FUND,
                                      header_must=_FUND_COLUMNS, header_none=("绩效目标",))),
    ("project_expenditure", KindWords(title_any=("项目支出",), title_none=_ONE_FUND + _FUND_TITLES + _NOT_BY_FUND,
                                      header_must=_FUND_COLUMNS, header_any=("绩效目标",))),
    # ... or as 专项业务经费 (the 部门综合预算's word for 项目支出), listed by unit and project with one amount column
    ("project_expenditure", KindWords(title_any=("专项业务经费支出表",), title_none=_NOT_BY_FUND, header_must=("项目",))),
    ("income_expenditure_summary", KindWords(title_any=_SUMMARY_TITLES)),
    # printed by functional class or by unit (one row per unit): no column is required
    ("income", KindWords(title_any=("收入总表", "收入预算总表", "收入决算表", "收入预算表", "收入总体情况表"))),
    # all expenditure of the department: not one fund (财政拨款, 一般公共预算) nor one type (基本/项目支出)
    ("expenditure", KindWords(title_any=("支出总表", "支出预算总表", "支出决算表", "支出预算表", "支出总体情况表"),
                              title_none=("基本支出", "项目支出", "财政拨款", "一般公共预算"), header_must=_CLASSIFIED)),
    # ... or as totals only (one row: 合计 | 基本支出 | 项目支出 ..., no classification column, no row of a unit)
    ("expenditure", KindWords(title_any=("支出总表", "支出预算总表", "支出决算表", "支出预算表", "支出总体情况表"),
                              title_none=("基本支出", "项目支出", "财政拨款", "一般公共预算"), header_any=("基本支出",),
                              header_none=("名称", "预算单位"))),
)


# ------------------------------------------------------------------ document metadata
# Who published which budget of which year, as covers and title lines print it.
# Phase words of a title and the phase they stand for (预算 budget, 决算 final accounts).
PHASES = {"预算": "budget", "决算": "final-accounts"}
# Any phase word (a cover prints one).
PHASE_WORD_RE = re.compile("|".join(PHASES))
# Level words before the phase word (部门预算 / 单位预算) and the level they stand for.
LEVELS = {"部门": "department", "单位": "unit"}
DEFAULT_PHASE_WORD, FINAL_ACCOUNTS_WORD, DEFAULT_LEVEL_WORD = "预算", "决算", "部门"  # what a title without them is
TABLE_WORD = "表"  # a title ends with it (收支总表, 公开01表)
YEAR_SUFFIX = "年"  # after the four digits of a year
NARRATIVE_TITLE = "情况说明"  # the narrative's label when the document prints no title
OF_WHICH_MARKS = ("其中:", "其中：")  # 其中 with its colon, dropped before a label is matched
# A year as a title prints it (2026年, 2026 年度): the year alone, the year word, its pattern.
YEAR_RE = re.compile(r"(20\d\d)\s*年")
YEAR_WORD = r"20\d\d\s*年度?"
YEAR_WORD_RE = re.compile(YEAR_WORD)
# Labelled fields naming the publishing organisation on a cover (预算主管部门：某区某局).
NAME_FIELDS = (
    "预算主管部门", "决算主管部门", "主管部门", "预算单位", "决算单位", "部门名称", "单位名称",
    "编制单位", "编制部门", "部门", "单位",
)
# A field label may add 名称 (部门名称：...).
NAME_FIELD_SUFFIX = "名称"
# Bracketed scope words after a department name (某市某局（本级）): the department is the
# name without them; the scope is recorded beside it.
NAME_SCOPES = ("本级", "汇总", "本部", "机关本级", "合并", "部门汇总", "单位汇总")
# Last words of an organisation's name: a name read from a title must end with one.
ORG_ENDINGS = (
    "局", "委", "委员会", "办", "办公室", "院", "中心", "所", "厅", "部", "会", "处", "馆", "站",
    "队", "校", "署", "府", "室", "团", "社", "联", "学", "园", "场", "台", "协", "盟",
)
# Words opening the name of a central (national-level) department (国家某某局, 中国某某局).
NATIONAL_PREFIXES = ("中华人民共和国", "国务院", "国家", "中国", "中央", "全国")
# Source manifests (a folder's sources.csv / SOURCES.tsv, as portals and crawlers write them):
# the field each column header names (headers compared case-insensitively; other columns ignored).
MANIFEST_COLUMNS = {
    "file": ("file", "filename", "文件", "文件名"),
    "department": ("department", "issuer", "部门", "单位", "部门名称", "单位名称"),
    "jurisdiction": ("jurisdiction", "地区代码", "行政区划代码"),
    "year": ("year", "fiscal year", "年度", "年份"),
    "phase": ("phase", "kind", "阶段", "类型"),
    "level": ("level", "层级"),
}
# Words of a manifest's phase/kind text (``budget dept (附件2 报表 only)``, ``决算``) and the phase or
# level each stands for; English words match whole, Chinese words anywhere.
MANIFEST_PHASE_WORDS = {**PHASES, "budget": PHASES["预算"], "final": PHASES["决算"], "final-accounts": PHASES["决算"]}
MANIFEST_LEVEL_WORDS = {**LEVELS, "dept": LEVELS["部门"], "department": LEVELS["部门"], "unit": LEVELS["单位"]}
# A narrative line saying the tables are an attachment published apart (附件：...部门预算报表).
TABLES_ELSEWHERE_RE = re.compile(r"附件\s*\d*\s*[:：]?.{0,40}?(?:报表|预算表|决算表)")


# ------------------------------------------------------------------ performance targets (项目绩效目标表)
# Column roles of an indicator row and of the project columns (tables of several projects), as
# the messages name them.
INDICATOR_ROLE_LABELS = {
    "level1": "一级指标", "level2": "二级指标", "level3": "三级指标",
    "description": "绩效指标描述", "target": "指标值", "basis": "指标值确定依据",
    "comparator": "指标性质", "unit": "度量单位", "project": "项目名称", "amount": "资金总额", "goal": "绩效目标",
    "weight": "分值", "score": "得分", "actual": "实际完成值", "deviation": "偏差原因分析及改进措施",
    "scoring": "评（扣）分标准", "remark": "备注", "core": "是否核心", "activity": "活动", "unit_code": "单位编码", "implementer": "单位名称",
}
# The header cell that makes a row the column row of an indicator table.
LEVEL1_HEADER = INDICATOR_ROLE_LABELS["level1"]
LEVEL2_HEADER = INDICATOR_ROLE_LABELS["level2"]
# Header cells (after match_key) and the column role they print.
INDICATOR_HEADER_KEYS = {
    "一级指标": "level1", "二级指标": "level2", "三级指标": "level3", "指标名称": "level3",
    "绩效指标描述": "description", "指标描述": "description", "指标内容": "description", "指标解释": "description",
    "指标值": "target", "目标值": "target", "指标值(目标值)": "target", "年度指标值": "target", "指标目标值": "target",
    "指标值确定依据": "basis", "确定依据": "basis", "指标值设定依据": "basis", "设定依据": "basis", "依据": "basis",
    # Templates that print the comparison sign and the unit in columns of their own.
    "指标性质": "comparator", "绩效指标性质": "comparator", "指标值类型": "comparator",
    "度量单位": "unit", "计量单位": "unit", "绩效度量单位": "unit", "指标值内容": "description",
    # Tables of several projects: one project per block of rows.
    "项目名称": "project", "单位(项目)名称": "project", "资金总额": "amount", "项目总额": "amount",
    "绩效目标": "goal", "年度绩效目标": "goal", "项目绩效目标": "goal", "整体绩效目标": "goal",
    # Columns beside the target: the points an indicator weighs, the score and the value achieved of a
    # self-evaluation (决算 绩效自评表), the reasons of a deviation, the scoring rule, a remark, a core flag.
    "分值": "weight", "权重": "weight", "指标权重": "weight", "分值权重": "weight",
    "得分": "score", "自评得分": "score",
    "实际完成值": "actual", "全年实际值": "actual", "实际值": "actual", "实际完成指标值": "actual",
    "偏差原因分析及改进措施": "deviation", "偏差原因分析": "deviation", "偏差原因": "deviation",
    "评(扣)分标准": "scoring", "评分标准": "scoring", "扣分标准": "scoring", "评(扣)分依据": "scoring",
    "备注": "remark", "是否核心": "core", "是否核心指标": "core",
    # The activity an indicator of a department-level table belongs to (活动: 预算评审, 资产管理 ...).
    "活动": "activity",
    # The code of the unit a project of a table of several units belongs to.
    "单位编码": "unit_code", "单位代码": "unit_code", "单位名称": "implementer",
    # The row number (序号): the row's position, kept as the indicator's or project's own.
    "序号": "ordinal",
}
# A weight column whose header states its scale in brackets (分值权重（90分）, 指标权重(%)) begins so;
# the scale's unit is percent where the header prints it, else points.
INDICATOR_WEIGHT_PREFIXES = ("分值", "权重", "指标权重")
WEIGHT_PERCENT, WEIGHT_POINTS = "%", "分"
# A yes/no cell (是否核心).
YES_NO = {"是": True, "否": False}
# The row below the indicators of a self-evaluation that sums their weights and scores.
SCORE_TOTAL_KEYS = frozenset({"总分", "合计得分"})
# Header cells not listed above, by a word they end with or hold.
INDICATOR_BASIS_SUFFIX = "依据"
INDICATOR_DESCRIPTION_WORD = "描述"
INDICATOR_TARGET_WORDS = ("指标值", "目标值")
# A column that prints the 一级 and 二级 levels before the indicator's name (产出指标数量指标评审项目数量),
# in a column row without a 三级指标 / 指标名称 column; elsewhere a row label left of the columns.
INDICATOR_LEVELS_AND_NAME_HEADER = "绩效指标"
# A row label left of the indicator columns (绩效指标, 年度绩效指标) ends so.
INDICATOR_SECTION_SUFFIX = "指标"
# Row labels above the column row that state the project's goal, its name, its facts.
PROJECT_GOAL_KEYS = frozenset({"绩效目标", "年度绩效目标", "项目绩效目标", "年度目标", "总体目标", "年度总体目标", "整体绩效目标",
                               "当年绩效目标", "当年整体绩效目标"})
PROJECT_NAME_KEYS = frozenset({"项目名称", "转移支付名称", "专项资金名称"})
# Words of a row label above the columns that prints the project's amount (资金金额(万元) | 实施期资金总额： | 12.00).
PROJECT_AMOUNT_WORDS = ("资金", "金额", "当年预算")
# Row labels of project facts (above the column row): such a row is a fact even where its cells
# stand in indicator columns of the project above.
PROJECT_FACT_KEYS = frozenset({"主管部门", "实施单位", "主管部门及代码", "项目资金(万元)", "专项资金情况(万元)", "资金情况(万元)",
                               "资金金额(万元)", "项目资金", "资金情况", "专项资金情况"})
# Column labels of a goal row whose texts stand in the row below (决算 self-evaluations): the goal, and
# what was achieved (kept as the project's achievement).
GOAL_SUBLABELS = frozenset({"预期目标", "实际完成情况"})
ACHIEVED_SUBLABEL = "实际完成情况"
# Row labels of the facts of a project printed in label | value pairs (主管部门 | X | 实施单位 | Y) and the
# field each fills; a 备注 row is the project's remark.
PROJECT_FACT_FIELDS = {"主管部门": "supervisor", "主管部门及代码": "supervisor", "市级主管部门": "supervisor",
                       "实施单位": "implementer", "项目概况": "overview", "项目简介": "overview",
                       "项目实施单位": "implementer", "实施期限": "period", "项目实施期": "period", "项目期限": "period",
                       "备注": "remark", "其他说明": "remark",
                       # the department of a department-level table (部门整体支出绩效目标表)
                       "部门名称": "implementer", "部门(单位)名称": "implementer", "单位名称": "implementer"}
# The measure of a project's amount (rows 资金总额 / 其中：财政拨款 / 其他资金, as label | value pairs or in
# columns under these words): a label that names a measure is the total of the project's funds.
PROJECT_AMOUNT_MEASURES = {"实施期资金总额": "implementation-period", "年度资金总额": "annual", "年度预算资金总额": "annual",
                           "资金总额": "total", "项目总额": "total", "年度金额": "annual",
                           "年初预算数": "initial-budget", "全年预算数": "full-year-budget", "全年执行数": "executed"}
# The block of a department-level table that lists its main tasks (年度主要任务 | 任务名称 | 主要内容 | 预算金额),
# and its columns.
TASK_BLOCK_KEYS = frozenset({"年度主要任务", "主要任务", "年度重点任务"})
TASK_COLUMNS = {"任务名称": "name", "主要内容": "content", "任务内容": "content"}
# A fund column header that is the total of the project's funds (预算支出总额) ends so.
FUND_TOTAL_SUFFIXES = ("总额", "合计", "总计")
# Columns of a 决算 self-evaluation's fund rows that are no amount (on the executed amount's line).
PROJECT_AMOUNT_EXTRAS = {"分值": "weight", "执行率": "rate", "得分": "score"}
# The points an execution rate weighs, printed beside the amounts (执行率分值（10分）).
EXECUTION_RATE_WEIGHT_RE = re.compile(r"^执行率分值\((\d+(?:\.\d+)?)分\)$")
PROJECT_UNIT_LINE_RE = re.compile(r"^(?:金额)?单位[:：](元|千元|万元|亿元)$")
PROJECT_UNIT_IN_LABEL_RE = re.compile(r"[(（]\s*(?:单位[:：]\s*)?(元|千元|万元|亿元)\s*[)）]")
# Columns of a table of project goals without indicators (项目名称 | 金额 | 绩效目标), by how their
# header begins; the amount column also by how it ends (GOALS_AMOUNT_SUFFIX), the goal column by
# its first word.
GOALS_TABLE_ROLES = (("project", ("项目名称", "一级项目名称", "项目")), ("amount", ("金额", "预算数", "资金总额", "项目金额")),
                     ("goal", ("绩效目标",)), ("implementer", ("单位名称", "预算单位名称", "二级预算单位名称", "实施单位")))
GOALS_AMOUNT_SUFFIX = "金额"
# A title's ending that is not the project's name; a row that is only a title starts the next
# project where the reader joined tables.
PERFORMANCE_TITLE_SUFFIX_RE = re.compile(r"(?:绩效目标(?:申报|设置)?表|绩效目标)$")
PERFORMANCE_TITLE_ROW_RE = re.compile(r"绩效目标(?:申报|设置)?表(?:\(.*\))?$")
# The label of the data set of a document's performance tables.
PERFORMANCE_TABLE_LABEL = "项目绩效目标表"
# A 指标值确定依据 cell citing no document.
BASIS_NOT_APPLICABLE = frozenset({"不涉及", "不适用", "无", "/", "-", "—", "——"})

# Target cells (指标值): comparison words, not-applicable words, numerals, deadlines.
# Words before the number and the sign they stand for (matched longest first).
COMPARISON_PREFIX_WORDS = {
    "大于或等于": "≥", "大于等于": "≥", "高于或等于": "≥", "不得低于": "≥", "不得少于": "≥",
    "不低于": "≥", "不少于": "≥", "不小于": "≥", "至少": "≥", "达到": "≥", "≥": "≥",
    "小于或等于": "≤", "小于等于": "≤", "低于或等于": "≤", "不得超过": "≤", "不得高于": "≤",
    "不高于": "≤", "不超过": "≤", "不多于": "≤", "不大于": "≤", "至多": "≤", "控制在": "≤",
    "大于": ">", "高于": ">", "超过": ">", "多于": ">",
    "小于": "<", "低于": "<", "少于": "<",
    "等于": "=", "为": "=",
}
# Words after the unit.
COMPARISON_SUFFIX_WORDS = {"及以上": "≥", "以上": "≥", "及以下": "≤", "以下": "≤", "以内": "≤"}
TARGET_NOT_APPLICABLE = frozenset({"不涉及", "不适用", "无此项", "此项不适用", "/", "-", "--", "—", "——", "n/a", "na"})
# Chinese numerals of a count (三次, 十二个): digits and scales, and the counters after them.
CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_SCALES = {"十": 10, "百": 100}
CN_NUMERAL_CHARS = "零一二两三四五六七八九十百"
CN_COUNT_RE = re.compile(r"^(?P<num>[零一二两三四五六七八九十百]+)(?P<unit>[次个家项人条场期批份篇天年月所台套名户件座处])$")
# A bracket after an indicator name holding one of these is an ordinal (活动（一）), not a unit.
ORDINAL_IN_BRACKETS = frozenset(CN_DIGITS) | {"十"}
# Deadlines: the year's end, a month's end, a day, a half or a quarter, with 前/内/完成 after.
_BY = r"(?:前|之前|以前|内|之内)?(?:完成)?"
DEADLINE_PATTERNS = (
    (re.compile(rf"^(?:(?P<y>\d{{4}})年)?(?:度)?(?:年)?(?:底|末|年底|年末){_BY}$"), "year"),
    (re.compile(r"^(?P<y>\d{4})年(?:度)?(?:内|之内|年内)?(?:完成)?$"), "year"),
    (re.compile(rf"^(?:(?P<y>\d{{4}})年)?(?P<m>\d{{1,2}})月(?:份)?(?:底|末|末前|底前){_BY}$"), "month"),
    # A period of months (2026年5月至6月) is done by the end of its last month; 次年 is the year after the fiscal year.
    (re.compile(rf"^(?:(?P<y>\d{{4}})年)?\d{{1,2}}月(?:份)?(?:至|到|~|-|—)(?P<m>\d{{1,2}})月(?:份)?(?:底|末)?{_BY}$"), "month"),
    (re.compile(rf"^(?P<next>次年|下一?年度?)(?P<m>\d{{1,2}})月(?:份)?(?:底|末)?{_BY}$"), "month"),
    (re.compile(rf"^(?:(?P<y>\d{{4}})年)?(?P<m>\d{{1,2}})月(?P<d>\d{{1,2}})[日号]{_BY}$"), "day"),
    (re.compile(r"^(?P<y>\d{4})[-./](?P<m>\d{1,2})[-./](?P<d>\d{1,2})(?:前|之前|以前)?$"), "day"),
    (re.compile(rf"^(?:(?P<y>\d{{4}})年)?(?P<h>上半年|下半年|年内|当年|本年度?|全年){_BY}$"), "half"),
    (re.compile(rf"^(?:(?P<y>\d{{4}})年)?第?(?P<q>[一二三四1-4])季度(?:末|底)?{_BY}$"), "quarter"),
)
FIRST_HALF = "上半年"  # a "half" deadline ends on 30 June when it names the first half, else on 31 December

# ------------------------------------------------------------------ narrative: internal bodies
# Internal bodies named inline after 设 in a 机构设置 section (局机关设办公室、督查处、...，共计10个处室):
# group 1 is the list, cut at the first comma or full stop.
BODY_INLINE_LIST_RE = re.compile(r"设(?:有|置)?([^，,。；;：:]+、[^，,。；;：:]+)")

# ------------------------------------------------------------------ narrative: sections and statements
# Words of the explanation text (部门预算说明) that :mod:`budgetkg.etl.narrative` reads.
_CN_ORDINALS = "一二三四五六七八九十"
# A top-level heading (一、 ...): it ends a performance part.
TOP_ORDINAL_RE = re.compile(rf"^[{_CN_ORDINALS}]+[、.．]")
# A numbered item of a list: 1. / （一） / 第一条.
NUMBERED_RE = re.compile(rf"^(?:(\d+)[、.．](?!\d)|[（(]([{_CN_ORDINALS}百\d]+)[)）]|第([{_CN_ORDINALS}百]+)条)\s*")
# A paragraph that only says there is nothing to report (本部门无此项说明的事项。).
_SELF_WORDS = ("本", "我", "该")
_ORG_WORDS = ("部门", "单位", "局", "委", "办", "厅", "院")
_NOTHING_WORDS = ("无", "没有", "不存在")
EMPTY_STATEMENT_RE = re.compile(
    rf"^(?:(?:{'|'.join(_SELF_WORDS)})(?:{'|'.join(_ORG_WORDS)})?)?(?:本年度?|今年|\d{{4}}年度?)?(?:{'|'.join(_NOTHING_WORDS)})"
    r"(?:其他|其它)?(?:需要|需)?(?:说明|披露|公开)?的?(?:事项|情况|内容)?[。.]?$")
# A sentence about the internal bodies (内设机构, 下设 ... 处室) and their count (共 10 个处室).
_BODY_WORDS = ("机构", "科室", "处室")
BODIES_RE = re.compile(rf"(?:内部|内设|下设|职能)[^，,。；;：:]{{0,8}}?(?:{'|'.join(_BODY_WORDS)})")
BODY_COUNT_RE = re.compile(rf"(\d+)\s*个(?:内部|内设|职能)?(?:{'|'.join(_BODY_WORDS)})")
# Titles of a section that lists the internal bodies one by one; the first two name bodies by themselves.
BODY_SECTION_TITLES = ("内设机构", "内部机构", "机构设置")
BODY_SECTION_RE = re.compile("|".join(BODY_SECTION_TITLES))
BODY_SECTION_NAMING = BODY_SECTION_TITLES[:2]
# How the name of an internal body ends (办公室, 财务处, 人事科, 工作组, 宣传部).
BODY_SUFFIXES = ("室", "处", "科", "组", "部")
# A listed name's trailing 等 ("and others").
LIST_ETC = "等"
# Section title words: a performance part (绩效), a glossary (名词解释), the duties (职责, 职能).
PERFORMANCE_WORD = "绩效"
GLOSSARY_TITLE = "名词解释"
DUTY_TITLE_WORDS = ("职责", "职能")
# Labelled paragraphs of a performance part, and the titles of its overall goal.
GOAL_WORD, GOAL_INDICATOR_WORD = "绩效目标", "绩效指标"
GOAL_LABEL_RE = re.compile(rf"^({GOAL_WORD}|{GOAL_INDICATOR_WORD})\s*[：:]\s*")
OVERALL_GOAL_TITLES = ("总体绩效目标", "整体绩效目标", "总体目标")
# Header words of a table of the budget units and the field each fills (序号: none).
UNIT_NAME_HEADER = "单位名称"
UNIT_COLUMNS = {
    UNIT_NAME_HEADER: "name", "单位编码": "code", "单位代码": "code", "单位性质": "unitNature",
    "单位规格": "unitRank", "单位级别": "unitRank", "经费保障形式": "fundingForm", "经费形式": "fundingForm",
    "序号": None,
}

# ------------------------------------------------------------------ narrative: figures in sentences
# Words of the sentences that state amounts (收入预算 12.5 万元，比上年增加 1.2 万元) that
# :mod:`budgetkg.etl.narrative_figures` reads.
TEXT_AMOUNT_UNITS = ("亿元", "万元", "千元", "元")  # longest first: 万元 is not 元
AMOUNT_IN_TEXT_RE = re.compile(rf"(\d+(?:,\d{{3}})*(?:\.\d+)?)\s*({'|'.join(TEXT_AMOUNT_UNITS)})")
# The unit of an amount a sentence states in words only (无 ... 经费: zero).
NONE_AMOUNT_UNIT = "万元"
# A clause that is a year alone (2026年), and a year opening a clause.
YEAR_CLAUSE_RE = re.compile(r"^(\d{4})年度?$")
LEAD_YEAR_RE = re.compile(r"^(\d{4})年度?")
# Change words ending a clause; the ones that say "less".
_UP_WORDS = ("增加", "减少", "增长", "下降", "降低", "上升", "减", "增", "多", "少")
CHANGE_RE = re.compile(rf"({'|'.join(_UP_WORDS)})了?$")
DOWN_WORDS = {"减少", "下降", "降低", "减", "少"}
# A change stated as a percentage (增长12.3%, 下降 0.9%); 10%以上 is a target, not a change.
RATE_RE = re.compile(r"(增长|增加|上升|提高|下降|减少|降低)了?\s*(\d+(?:\.\d+)?)\s*[%％](?!\s*(?:以上|以下|左右|及以上|及以下))")
# What a change is compared with (比上年, 较2025年预算数), at the end of a clause or anywhere.
_REFERENCE = r"(?P<ref>\d{4}年度?|上一?年度?|去年|上年同期)?"
COMPARE_RE = re.compile(rf"(?:较|比|同比|与|和){_REFERENCE}(?:的)?(?:年初)?(?:预算数?|决算数?|执行数|安排)?$")
COMPARE_ANYWHERE_RE = re.compile(rf"(?:较|比|同比|与|和){_REFERENCE}")
# No change (与上年度持平).
FLAT_RE = re.compile(r"(?:与|和|同|较|比)(?P<ref>\d{4}年度?|上一?年度?|去年)?(?:的)?(?:预算数?|决算数?)?(?:基本)?持平")
# Nothing spent or planned, in words (2026年未安排因公出国（境）费用): a zero amount.
NONE_STATED_RE = re.compile(r"^(?:(?P<y>\d{4})年度?)?(?:未安排|没有安排|未列支|无)(?P<label>.{2,24}?(?:经费|费用|费|支出|预算|收入))$")
# A clause giving the reason of a change, and one listing what an amount includes.
REASON_RE = re.compile(r"^(?:主要(?:是|为|系|原因|用于|包括)?|原因(?:是|为|主要是)|因为|由于|系因|系由于)")
INCLUDES_RE = re.compile(r"^(?:主要)?(?:包括|含)")
# Words before a label that are not part of it (其中, 我局, 安排 ...).
LEAD_RE = re.compile(
    r"^(?:其中|主要包括|包括|含|和|及|以及|与|、|另外|此外|我局|本局|我委|本委|我办|本办|我厅|本厅|我部门|本部门"
    r"|我单位|本单位|该部门|该单位|安排|共)"
)
# "of which": the figures that follow are parts of the one before.
OF_WHICH = "其中"
# Time words before a label (上年 alone is not one: 上年结转 is the name of an item of this year):
# (pattern, years from the sentence's year, at the end of that year).
TIME_WORDS = ((re.compile(r"^(?:上年末|上年底|上年度末|上一年末|上一年度末)"), -1, True), (re.compile(r"^(?:本年度?|今年|当年)"), 0, False))
# Words after a label, before its amount (为, 共计 ...), and after a section topic (情况说明).
TRAIL_RE = re.compile(r"(?:预算安排|安排|预算数|为|是|达|共计|合计)$")
# Words after a fund source that make a label its total, not the grand total (其他资金收入预算总计).
FUND_TOTAL_SUFFIX_RE = re.compile(r"(?:预算)?(?:总计|小计)$")
TOPIC_SUFFIX_RE = re.compile(r"(?:的)?(?:安排)?(?:总体)?(?:情况说明|情况|说明)$")
# Label words that tell revenue from expenditure (收支 names both: neither).
BOTH_SIDES_WORD = "收支"
REVENUE_WORD = "收入"
EXPENDITURE_WORDS = ("支出", "经费", "费", "采购")
