"""Package data of budgetkg (ontology): found through :mod:`budgetkg.resources`."""
