"""Tables whose rows are classification codes with their names.

API: :data:`SPECS` (table key -> :class:`~budgetkg.etl.extract.engine.KindSpec`) for
收入总表, 支出总表, 一般公共预算财政拨款支出表 and 基本支出表, 财政拨款支出表 and 基本支出表 (all funds of
the appropriation), 政府性基金 and
国有资本经营 支出表, 机关运行经费支出表, the general budget's expenditure by economic class, its basic
expenditure by functional class and its project expenditure by economic class, the carried-over appropriation.
"""

from .engine import KindSpec

_EXPENDITURE_COLUMNS = ("expenditure-type",)


def _by_fund(key: str, scheme: str, fund: str) -> KindSpec:
    """An expenditure table of one fund source, its rows classified by ``scheme`` (functional or economic)."""
    return KindSpec(
        key, operation="expenditure", code_scheme=scheme, row_schemes=(scheme,), column_schemes=_EXPENDITURE_COLUMNS,
        constants={"fundSource": f"fund-source/{fund}"},
        dims=(f"{scheme}Classification", "fundSource", "expenditureType"),
    )


SPECS = {
    "income": KindSpec(
        "income", operation="revenue", code_scheme="functional", row_schemes=("functional",),
        column_schemes=("fund-source",), dims=("functionalClassification", "fundSource"),
    ),
    "expenditure": KindSpec(
        "expenditure", operation="expenditure", code_scheme="functional", row_schemes=("functional",),
        column_schemes=_EXPENDITURE_COLUMNS, dims=("functionalClassification", "expenditureType"),
    ),
    **{key: _by_fund(key, scheme, fund) for key, scheme, fund in (
        ("general_budget_expenditure", "functional", "general-budget"),
        ("general_budget_basic_expenditure", "economic", "general-budget"),
        ("appropriation_expenditure", "functional", "appropriation"),
        ("appropriation_basic_expenditure", "economic", "appropriation"),
        ("government_fund_expenditure", "functional", "government-fund"),
        ("state_capital_expenditure", "functional", "state-capital"),
        ("general_budget_expenditure_by_economic_class", "economic", "general-budget"),
        ("general_budget_basic_expenditure_by_function", "functional", "general-budget"),
    )},
    # every fund source of the department as columns; the type of expenditure fixed by the table
    "basic_expenditure": KindSpec(
        "basic_expenditure", operation="expenditure", code_scheme="economic", row_schemes=("economic",),
        column_schemes=("fund-source",), constants={"expenditureType": "expenditure-type/basic"},
        dims=("economicClassification", "fundSource", "expenditureType"),
    ),
    # one type of expenditure of the general budget, one amount column (预算): the type fixed by the table
    "general_budget_project_expenditure": KindSpec(
        "general_budget_project_expenditure", operation="expenditure", code_scheme="economic", row_schemes=("economic",),
        column_schemes=_EXPENDITURE_COLUMNS,
        constants={"fundSource": "fund-source/general-budget", "expenditureType": "expenditure-type/project"},
        dims=("economicClassification", "fundSource", "expenditureType"),
    ),
    # the appropriation carried over from the year before, by functional class (a second, economic class is text)
    "appropriation_carryover_expenditure": KindSpec(
        "appropriation_carryover_expenditure", operation="expenditure", code_scheme="functional",
        row_schemes=("functional",), constants={"fundSource": "fund-source/carry-over"},
        dims=("functionalClassification", "fundSource"),
    ),
    # 机关运行经费: by definition the 日常公用经费 of administrative bodies paid from the general budget; one
    # amount column (机关运行经费支出), no split by type of expenditure
    "administrative_expenses": KindSpec(
        "administrative_expenses", operation="expenditure", code_scheme="economic", row_schemes=("economic",),
        constants={"fundSource": "fund-source/general-budget"}, dims=("economicClassification", "fundSource"),
    ),
}
