"""Two-sided summary tables: income on the left, expenditure on the right.

API: :data:`SPECS` for 收支总表 and 财政拨款收支总表. A printed row holds two
line items, one per side; income rows are fund sources, expenditure rows are
functional 类 printed by name (or economic 类 under a header naming that classification), or
types of expenditure; totals and carry-overs are summary items.
"""

from .engine import KindSpec

# Expenditure lines are functional 类, totals, or the types of expenditure (基本支出, 项目支出; a block under
# a header naming the economic classification: its 类).
_SIDES = {"in": ("fund-source", "summary-item"), "out": ("functional", "summary-item", "expenditure-type", "economic")}

SPECS = {
    # The expenditure side may print its amount in column groups (合计 | 基本支出: 人员经费, 公用经费 | 项目支出):
    # each column names its type of expenditure, so that only the 合计 column is the line's total.
    "income_expenditure_summary": KindSpec(
        "income_expenditure_summary", side_row_schemes=_SIDES, column_schemes=("expenditure-type",),
    ),
    "appropriation_summary": KindSpec(
        "appropriation_summary", side_row_schemes=_SIDES, column_schemes=("fund-source",),
        dims=("fundSource",),
    ),
}
