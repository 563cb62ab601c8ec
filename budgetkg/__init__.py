"""budgetkg: a linked-data knowledge graph of public budget disclosures."""

__version__ = "0.1.0"
