from decimal import Decimal

import pytest

from budgetkg.etl.amounts import parse_amount, unit_multiplier


def test_keeps_printed_precision():
    a = parse_amount("440.00")
    assert a.value == Decimal("440.00") and a.decimals == 2 and a.printed() == "440.00"


def test_integer_amount_has_no_decimals():
    assert parse_amount("8").printed() == "8"


def test_full_width_digits():
    assert parse_amount("１４７６．２９").value == Decimal("1476.29")


def test_thousands_separator():
    assert parse_amount("1,672,670.00").value == Decimal("1672670.00")


def test_invisible_characters():
    assert parse_amount("\u200b916.29\ufeff").value == Decimal("916.29")


def test_markup_and_spaces():
    assert parse_amount("<b>1476.29</b> ").value == Decimal("1476.29")


def test_empty_and_dash_are_no_amount():
    assert parse_amount("") is None
    assert parse_amount("  ") is None
    assert parse_amount("—") is None


def test_negative_in_brackets():
    assert parse_amount("（12.50）").value == Decimal("-12.50")


def test_not_an_amount():
    with pytest.raises(ValueError, match="not an amount"):
        parse_amount("12.5万")


def test_never_float():
    assert isinstance(parse_amount("0.1").value, Decimal)


@pytest.mark.parametrize("unit,power", [("元", 0), ("万元", 4), ("（万元）", 4)])
def test_unit_multiplier(unit, power):
    assert unit_multiplier(unit) == power


def test_unknown_unit():
    with pytest.raises(ValueError):
        unit_multiplier("美元")
