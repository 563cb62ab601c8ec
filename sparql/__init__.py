"""Package data of budgetkg (sparql): found through :mod:`budgetkg.resources`."""
