"""The compiled parts of budgetkg (everything else is in pyproject.toml): etl/_speedups.c, the per-character and
per-segment loops of the PDF reader, and etl/_grouping.c, the grouping loops of validation's screens. Optional: where
they cannot be compiled (no C compiler) the install goes on and budgetkg.etl.pdf_raw and budgetkg.etl.shacl_screen run
the same loops in Python, with the same results."""

from setuptools import Extension, setup

setup(ext_modules=[
    Extension(
        "budgetkg.etl._speedups", ["etl/_speedups.c"], optional=True,
        # the same floating-point results as Python's: no fused multiply-add (which rounds once for two operations)
        extra_compile_args=["-ffp-contract=off"],
    ),
    Extension("budgetkg.etl._grouping", ["etl/_grouping.c"], optional=True),
])
