"""Package data of budgetkg (ontology/codelists): found through :mod:`budgetkg.resources`."""
