"""Year-on-year changes stated as percentages in the explanation text (etl/narrative_figures.py).

The sentences are printed so in the documents named (checked on the page images):
the 司法局 2026 budget sample (shpt_sfj_2026_budget.pdf, 一般公共预算支出 explanation, item 1),
the Hangzhou 司法局 2026 corpus document (page 4, 收入预算; page 8) and the Beijing 财政局 2026
corpus document (page 6).
"""

from __future__ import annotations

import pytest

from budgetkg.etl.narrative_figures import read_figures


def figures(sentence: str, year: str = "2026"):
    return read_figures([(1, 1, sentence, "")], year=year)


def test_percentage_of_an_amount_without_an_amount_change():
    figs = figures("2025年当年预算执行数为1690.69万元，2026年预算安排1672.67万元，比2025年预算执行数减少1.07%。")
    rated = [(f.kind, f.year, f.amount.printed(), f.rate, f.compared_year) for f in figs if f.rate]
    assert rated == [("level", "2026", "1672.67", "-1.07", "2025")]


def test_percentage_beside_an_amount_change():
    figs = figures("2026 年收入预算 99,230.46 万元，比上年执行数增加7,331.92 万元，增长 8.0%，主要原因是本年度北郊监狱改扩建。")
    (change,) = [f for f in figs if f.kind == "change"]
    assert (change.amount.printed(), change.rate, change.compared_year) == ("7331.92", "8.0", "2025")
    assert [f.rate for f in figs if f.kind == "level"] == [None, None]  # the amount and the derived previous year


def test_a_decrease_is_negative():
    figs = figures("比上年执行数减少 8.29 万元，下降24.9%，主要原因是本年度司法局机关对项目经费进行统筹优化。")
    (change,) = [f for f in figs if f.kind == "change"]
    assert (change.amount.printed(), change.rate) == ("-8.29", "-24.9")


def test_rate_after_a_compared_amount():
    figs = figures("2026 年度收入预算 44169.36 万元，比 2025 年年初预算数 44021.20 万元增加 148.16 万元，增长 0.34%。")
    (change,) = [f for f in figs if f.kind == "change"]
    assert (change.amount.printed(), change.rate) == ("148.16", "0.34")


@pytest.mark.parametrize("sentence", ["2022年电子信息产业营收同比增长10%以上。", "增长5%。"])
def test_a_target_or_a_rate_without_a_figure_is_not_read(sentence):
    assert all(f.rate is None for f in figures(sentence))
