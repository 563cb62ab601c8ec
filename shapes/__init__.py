"""Package data of budgetkg (shapes): found through :mod:`budgetkg.resources`."""
