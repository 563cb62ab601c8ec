"""Package data of budgetkg (data/samples): found through :mod:`budgetkg.resources`."""
