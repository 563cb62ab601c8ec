"""Tables whose rows are classification codes with their names.

API: :data:`SPECS` (table key -> :class:`~budgetkg.etl.extract.engine.KindSpec`) for
收入总表, 支出总表, 一般公共预算财政拨款支出表 and 基本支出表, 财政拨款支出表 and 基本支出表 (all funds of
the appropriation), 政府性基金 and
国有资本经营 支出表.
"""

from .engine import KindSpec

_EXPENDITURE_COLUMNS = ("expenditure-type",)

SPECS = {
    "income": KindSpec(
        "income", operation="revenue", code_scheme="functional", row_schemes=("functional",),
        column_schemes=("fund-source",), dims=("functionalClassification", "fundSource"),
    ),
    "expenditure": KindSpec(
        "expenditure", operation="expenditure", code_scheme="functional", row_schemes=("functional",),
        column_schemes=_EXPENDITURE_COLUMNS, dims=("functionalClassification", "expenditureType"),
    ),
    "general_budget_expenditure": KindSpec(
        "general_budget_expenditure", operation="expenditure", code_scheme="functional",
        row_schemes=("functional",), column_schemes=_EXPENDITURE_COLUMNS,
        constants={"fundSource": "fund-source/general-budget"},
        dims=("functionalClassification", "fundSource", "expenditureType"),
    ),
    "general_budget_basic_expenditure": KindSpec(
        "general_budget_basic_expenditure", operation="expenditure", code_scheme="economic",
        row_schemes=("economic",), column_schemes=_EXPENDITURE_COLUMNS,
        constants={"fundSource": "fund-source/general-budget"},
        dims=("economicClassification", "fundSource", "expenditureType"),
    ),
    "appropriation_expenditure": KindSpec(
        "appropriation_expenditure", operation="expenditure", code_scheme="functional",
        row_schemes=("functional",), column_schemes=_EXPENDITURE_COLUMNS,
        constants={"fundSource": "fund-source/appropriation"},
        dims=("functionalClassification", "fundSource", "expenditureType"),
    ),
    "appropriation_basic_expenditure": KindSpec(
        "appropriation_basic_expenditure", operation="expenditure", code_scheme="economic",
        row_schemes=("economic",), column_schemes=_EXPENDITURE_COLUMNS,
        constants={"fundSource": "fund-source/appropriation"},
        dims=("economicClassification", "fundSource", "expenditureType"),
    ),
    "government_fund_expenditure": KindSpec(
        "government_fund_expenditure", operation="expenditure", code_scheme="functional",
        row_schemes=("functional",), column_schemes=_EXPENDITURE_COLUMNS,
        constants={"fundSource": "fund-source/government-fund"},
        dims=("functionalClassification", "fundSource", "expenditureType"),
    ),
    "state_capital_expenditure": KindSpec(
        "state_capital_expenditure", operation="expenditure", code_scheme="functional",
        row_schemes=("functional",), column_schemes=_EXPENDITURE_COLUMNS,
        constants={"fundSource": "fund-source/state-capital"},
        dims=("functionalClassification", "fundSource", "expenditureType"),
    ),
}
