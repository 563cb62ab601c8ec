"""Tables whose rows are named items (``item_labels``: a code a row prints classifies it, its label is the item's
name, not the code's): 三公经费, 政府采购, 政府购买服务, 固定资产, 项目支出 (one row per project), 会议费 and
培训费 lists.

API: :data:`SPECS`.
"""

from .engine import KindSpec

SPECS = {
    "three_public_expenses": KindSpec(
        "three_public_expenses", operation="expenditure", row_schemes=("three-public",),
        column_schemes=("fund-source", "three-public"), dims=("threePublicCategory", "fundSource"),
    ),
    "government_procurement": KindSpec(
        "government_procurement", operation="expenditure", column_schemes=("fund-source",),
        dims=("fundSource",), multi_measure=True, item_labels=True,
    ),
    "fixed_assets": KindSpec(
        "fixed_assets", row_schemes=("asset",), dims=("assetCategory",), multi_measure=True,
    ),
    # one row per service bought (the catalogue's deepest level, its groups printed text) or per project; the fund
    # from the columns, else from the title (财政拨款政府购买服务明细表)
    "government_purchased_services": KindSpec(
        "government_purchased_services", operation="expenditure", column_schemes=("fund-source",),
        title_schemes=("fund-source",), dims=("fundSource",), item_labels=True,
    ),
    # one row per project, named as printed (no code list classifies projects), its funds by source
    "project_expenditure": KindSpec(
        "project_expenditure", operation="expenditure", column_schemes=("fund-source",),
        constants={"expenditureType": "expenditure-type/project"}, dims=("fundSource", "expenditureType"),
        project_rows=True, item_labels=True,
    ),
    # one row per meeting or training (named as printed), its participants (人数) and its cost; all of the class
    "meeting_expenses": KindSpec(
        "meeting_expenses", operation="expenditure", constants={"economicClassification": "economic/30215"},
        dims=("economicClassification",), multi_measure=True, item_labels=True,
    ),
    "training_expenses": KindSpec(
        "training_expenses", operation="expenditure", constants={"economicClassification": "economic/30216"},
        dims=("economicClassification",), multi_measure=True, item_labels=True,
    ),
}
