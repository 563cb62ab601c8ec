"""The one compiled part of budgetkg (everything else is in pyproject.toml): etl/_speedups.c, the per-character and
per-segment loops of the PDF reader. Optional: where it cannot be compiled (no C compiler) the install goes on and
budgetkg.etl.pdf_raw runs the same loops in Python, with the same results."""

from setuptools import Extension, setup

setup(ext_modules=[Extension(
    "budgetkg.etl._speedups", ["etl/_speedups.c"], optional=True,
    # the same floating-point results as Python's: no fused multiply-add (which rounds once for two operations)
    extra_compile_args=["-ffp-contract=off"],
)])
