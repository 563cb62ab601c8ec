"""Package data of budgetkg (sparql/tables): found through :mod:`budgetkg.resources`."""
