"""The doctested examples of every module of the installed package run and hold.

Collected through the package (not the checkout's folders), so the examples
import ``budgetkg.etl``... exactly as a user does.
"""

import doctest
import importlib
import pkgutil

import pytest

# Parts mapped from other folders (package-dir) are not below budgetkg/ on disk: walk each.
PARTS = ("budgetkg", "budgetkg.etl", "budgetkg.service")
MODULES = sorted({m.name for part in PARTS
                  for m in pkgutil.walk_packages(importlib.import_module(part).__path__, part + ".")
                  if not m.name.endswith("__main__")} | set(PARTS))


def test_the_package_has_its_parts():
    for part in ("budgetkg.etl.build", "budgetkg.service.app", "budgetkg.resources"):
        assert part in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
