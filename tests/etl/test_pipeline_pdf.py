"""Pages a PDF reader could not read are reported by the build with their page."""

from budgetkg.etl.pipeline import process
from tests.etl.test_read_pdf import UNRULED, make_pdf


def test_image_only_page_listed_as_skipped_and_rest_builds(tmp_path):
    cover = {"text": [(150, 600, 24, "上海市普陀区测试局"), (150, 560, 24, "2024年度部门决算")]}
    path = tmp_path / "mixed.pdf"
    path.write_bytes(make_pdf([cover, {"image": True}, UNRULED]))
    rec = process(path)
    skipped = [(loc.page, reason) for loc, reason in rec.skipped]
    assert any(page == 2 and "no text layer" in reason for page, reason in skipped), skipped
    summary = next(t for t in rec.tables if t.key == "income_expenditure_summary")
    assert {o.amount.printed() for o in summary.observations} >= {"2940.05", "2106.66", "6.20", "326.71"}
