"""Two-sided summary tables: income on the left, expenditure on the right.

API: :data:`SPECS` for 收支总表 and 财政拨款收支总表. A printed row holds two
line items, one per side; income rows are fund sources, expenditure rows are
functional 类 printed by name; totals and carry-overs are summary items.
"""

from .engine import KindSpec

_SIDES = {"in": ("fund-source", "summary-item"), "out": ("functional", "summary-item")}

SPECS = {
    "income_expenditure_summary": KindSpec(
        "income_expenditure_summary", side_row_schemes=_SIDES,
    ),
    "appropriation_summary": KindSpec(
        "appropriation_summary", side_row_schemes=_SIDES, column_schemes=("fund-source",),
        dims=("fundSource",),
    ),
}
