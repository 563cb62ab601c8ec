"""The budgetkg HTTP service (issue 5): SPARQL 1.1 Protocol, linked-data pages,
named-query API, dumps, DCAT-AP catalog and VoID. Entry points: :func:`budgetkg.service.app.create_app`
and :func:`budgetkg.service.app.serve`. This package's ``__init__`` imports nothing, so the query
worker (:mod:`budgetkg.service.worker`) starts without loading the web stack."""
