"""A table kind is declared once: its KindSpec (etl/extract) is what the ontology's DSD, the
table-kind concept and the lexicon say, so that none of them can drift from the others."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.namespace import SKOS

from budgetkg.etl.extract import COMMON_DIMS, SPECS
from budgetkg.etl.recognize import TABLE_KINDS

ROOT = Path(__file__).resolve().parents[1]
BKG = Namespace("https://budgetkg.org/def/budget#")
QB = Namespace("http://purl.org/linked-data/cube#")
CL = "https://budgetkg.org/def/cl/"


@cache
def ontology() -> Graph:
    return Graph().parse(ROOT / "ontology" / "budget.ttl")


@cache
def table_kinds() -> set[str]:
    g = Graph().parse(ROOT / "ontology" / "codelists" / "table-kind.ttl")
    return {str(n) for c in g.subjects(RDF.type, SKOS.Concept) for n in g.objects(c, SKOS.notation)}


def components(key: str, prop) -> set:
    g = ontology()
    dsd = BKG[f"dsd-{key}"]
    return {g.value(c, prop) for c in g.objects(dsd, QB.component)} - {None}


def test_every_kind_spec_has_a_dsd_and_every_dsd_a_kind_spec():
    dsds = {str(d).removeprefix(str(BKG) + "dsd-") for d in ontology().subjects(RDF.type, QB.DataStructureDefinition)}
    assert dsds == set(SPECS)


@pytest.mark.parametrize("key", sorted(SPECS))
def test_dsd_dimensions_are_the_kind_spec_dimensions(key):
    spec = SPECS[key]
    expected = {BKG[d] for d in (*COMMON_DIMS, *spec.dims)} | ({QB.measureType} if spec.multi_measure else set())
    assert components(key, QB.dimension) == expected
    measures = {BKG.amount, BKG.quantity} if spec.multi_measure else {BKG.amount}
    assert components(key, QB.measure) == measures
    assert ontology().value(BKG[f"dsd-{key}"], BKG.tableKind) == URIRef(f"{CL}table-kind/{key}")


def test_every_recognised_kind_is_a_table_kind_concept():
    assert set(TABLE_KINDS) <= table_kinds()
    assert set(SPECS) <= set(TABLE_KINDS)


def test_a_kind_whose_rows_name_items_says_so_in_its_table_kind_concept():
    """KindSpec.item_labels (a row's label is the item listed, not its code's name) is the table-kind concept's
    bkg:rowLabelNamesItem, which the audit of printed names against codes reads."""
    g = Graph().parse(ROOT / "ontology" / "codelists" / "table-kind.ttl")
    flagged = {str(n) for c in g.subjects(BKG.rowLabelNamesItem, None) for n in g.objects(c, SKOS.notation)}
    assert flagged == {key for key, spec in SPECS.items() if spec.item_labels}
