"""Nothing: the extra stages (indicators, narrative) are listed in :mod:`budgetkg.etl.pipeline`
(``EXTRACTORS``) and :mod:`budgetkg.etl.to_rdf` (``MAPPERS``) where they are defined.

Kept only so that an ``import budgetkg.etl.extensions`` written before that change (on branches
merged later) does not fail; importing it has no effect. Do not import it in new code.
"""
