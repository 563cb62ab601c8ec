"""The performance-target parser (etl/targets.py): every target pattern on a string."""

from datetime import date
from decimal import Decimal

import pytest

from budgetkg.etl.targets import KINDS, parse_target


@pytest.mark.parametrize("text,comparator,number,unit", [
    ("≥2 次", "≥", "2", "次"),
    ("≥95 %", "≥", "95", "%"),
    ("≥90%", "≥", "90", "%"),
    ("≤1500 人/天", "≤", "1500", "人/天"),
    ("≤18 元/份", "≤", "18", "元/份"),
    ("≤5000 元/月", "≤", "5000", "元/月"),
    ("≤18000元/人*月", "≤", "18000", "元/人*月"),  # 北京市财政局 2026 预算12表 p28: ≤ | 18000 | 元/人*月 (per person-month)
    ("≥180 元/人", "≥", "180", "元/人"),
    ("≤440 万元", "≤", "440", "万元"),
    ("≥80个", "≥", "80", "个"),
    ("≥15 家", "≥", "15", "家"),
    ("≥1 年", "≥", "1", "年"),
    ("100 %", "=", "100", "%"),  # a bare number states the target itself
    ("5000 家", "=", "5000", "家"),
    ("=3次", "=", "3", "次"),
    (">0.5 %", ">", "0.5", "%"),
    ("<3 天", "<", "3", "天"),
    ("＞＝９５％", "≥", "95", "%"),  # full-width forms
    (">=95%", "≥", "95", "%"),
    ("<=10 个", "≤", "10", "个"),
    ("≧90%", "≥", "90", "%"),
    ("不低于95%", "≥", "95", "%"),
    ("不超过1,500元", "≤", "1500", "元"),
    ("95%以上", "≥", "95", "%"),
    ("10 个以内", "≤", "10", "个"),
    ("两次", "=", "2", "次"),
    ("≥12.50 万元", "≥", "12.50", "万元"),
])
def test_quantitative(text, comparator, number, unit):
    t = parse_target(text, "2022")
    assert (t.kind, t.comparator, t.unit) == ("quantitative", comparator, unit)
    assert t.printed_value == number and t.value == Decimal(number)
    assert isinstance(t.value, Decimal)
    assert t.text == text  # kept as printed


def test_value_keeps_printed_precision():
    t = parse_target("≥12.50 万元")
    assert t.printed_value == "12.50" and str(t.value) == "12.50"


@pytest.mark.parametrize("text,year,deadline", [
    ("2022 年底", "2022", date(2022, 12, 31)),
    ("2022年底", None, date(2022, 12, 31)),
    ("2023年年底前", "2022", date(2023, 12, 31)),
    ("6 月底前", "2022", date(2022, 6, 30)),
    ("2 月底", "2024", date(2024, 2, 29)),
    ("2026年5月至6月", "2026", date(2026, 6, 30)),  # 西安市统计局 2026 p41 采购开展时间: a period, done by its end
    ("2026年10月至11月", "2026", date(2026, 11, 30)),  # 西安市统计局 2026 p48
    ("次年2月份前", "2024", date(2025, 2, 28)),  # 国家信访局 2024 决算 p34: the year after the fiscal year
    ("年底前", "2022", date(2022, 12, 31)),
    ("2022年6月30日前", None, date(2022, 6, 30)),
    ("9月15日", "2021", date(2021, 9, 15)),
    ("2022-06-30", None, date(2022, 6, 30)),
    ("上半年", "2022", date(2022, 6, 30)),
    ("第三季度末", "2022", date(2022, 9, 30)),
    ("2022年", None, date(2022, 12, 31)),
])
def test_deadline(text, year, deadline):
    t = parse_target(text, year)
    assert (t.kind, t.deadline, t.comparator, t.value) == ("deadline", deadline, None, None)


def test_relative_deadline_without_year_is_unparsed():
    t = parse_target("6 月底前")
    assert t.kind == "unparsed" and "fiscal year" in t.reason


def test_impossible_date_is_unparsed():
    assert parse_target("2 月 30 日", "2022").kind == "unparsed"


@pytest.mark.parametrize("text", ["好于去年", "好于去年水平", "进一步降低", "持续提升", "有效改善", "无"])
def test_qualitative(text):
    t = parse_target(text, "2022")
    assert t.kind == "qualitative" and t.value is None and t.comparator is None


@pytest.mark.parametrize("text", ["不涉及", "不适用", "/", "—"])
def test_not_applicable(text):
    assert parse_target(text, "2022").kind == "not-applicable"


@pytest.mark.parametrize("text", ["90%-100%", "好于2021年", "≥≥5", "≥5 个 以上 3 次", "约100人次左右每天"])
def test_unparsable_is_kept_with_a_reason(text):
    t = parse_target(text, "2022")
    assert t.kind == "unparsed" and t.text == text and t.reason


def test_empty_target_is_unparsed():
    t = parse_target("   ")
    assert t.kind == "unparsed" and t.reason == "no target printed"


def test_kinds_are_closed():
    samples = ["≥2 次", "2022 年底", "好于去年", "不涉及", "90%-100%"]
    assert [parse_target(s, "2022").kind for s in samples] == list(KINDS)
