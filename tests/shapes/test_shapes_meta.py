"""Meta-tests of the shapes: coverage of the ontology, targets, messages, and the assumptions
the SPARQL constraints rely on."""

from __future__ import annotations

import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

from budgetkg.etl.validation import shape_files, shapes_graph, vocabulary_files

QB = rdflib.Namespace("http://purl.org/linked-data/cube#")
BKG = rdflib.Namespace("https://budgetkg.org/def/budget#")
EXTERNAL_CLASSES = {QB.Observation, QB.DataSet, QB.DataStructureDefinition, QB.DimensionProperty,
                    QB.ComponentSpecification, SKOS.Concept, SKOS.ConceptScheme}


def _vocabulary() -> rdflib.Graph:
    g = rdflib.Graph()
    for path in vocabulary_files():
        g.parse(path, format="turtle")
    return g


def _shapes() -> list:
    g = shapes_graph()
    return sorted(set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(RDF.type, SH.PropertyShape)), key=str)


def test_files_split_by_concern():
    assert [p.name for p in shape_files()] == [
        "arithmetic.ttl", "audit-codes.ttl", "audit-completeness.ttl", "audit-narrative.ttl", "audit-organization.ttl",
        "audit-units.ttl",
        "codelists.ttl", "core.ttl", "cube.ttl", "indicators.ttl"]


def test_every_ontology_class_has_a_shape():
    vocab, g = _vocabulary(), shapes_graph()
    classes = {c for c in vocab.subjects(RDF.type, OWL.Class) if str(c).startswith(str(BKG))}
    targeted = set(g.objects(None, SH.targetClass))
    assert classes and not classes - targeted, sorted(classes - targeted)


def test_every_shape_targets_a_known_class_or_property():
    vocab, g = _vocabulary(), shapes_graph()
    classes = set(vocab.subjects(RDF.type, OWL.Class)) | EXTERNAL_CLASSES
    properties = set(vocab.subjects(RDF.type, OWL.ObjectProperty)) | set(vocab.subjects(RDF.type, OWL.DatatypeProperty))
    schemes = set(vocab.subjects(RDF.type, SKOS.ConceptScheme))
    for shape in _shapes():
        if not isinstance(shape, rdflib.URIRef):
            continue  # nested shapes (in sh:or, sh:qualifiedValueShape) have no targets of their own
        targets = list(g.objects(shape, SH.targetClass)) + list(g.objects(shape, SH.targetNode))
        targets += list(g.objects(shape, SH.targetSubjectsOf)) + list(g.objects(shape, SH.targetObjectsOf))
        assert targets, f"{shape} has no target"
        for t in targets:
            assert t in classes | properties | schemes, f"{shape} targets unknown {t}"


def _languages(g, node, prop) -> set:
    return {o.language for o in g.objects(node, prop)}


def test_every_shape_has_name_message_and_rule():
    g = shapes_graph()
    named = [s for s in _shapes() if isinstance(s, rdflib.URIRef)]
    constraints = list(g.objects(None, SH.sparql))
    assert len(named) > 100 and constraints
    for node in named + constraints:
        assert _languages(g, node, SH.message) >= {"zh", "en"}, f"{node}: sh:message in zh and en"
        # a constraint that several shapes share may leave the name to them (a result is named by its constraint,
        # else by its shape: see findings.describe_results)
        namers = [node] if _languages(g, node, SH.name) or len(set(g.subjects(SH.sparql, node))) < 2 else list(g.subjects(SH.sparql, node))
        for namer in namers:
            assert _languages(g, namer, SH.name) >= {"zh", "en"}, f"{namer}: sh:name in zh and en"
        assert list(g.objects(node, RDFS.seeAlso)), f"{node}: rdfs:seeAlso the rule"


def test_shapes_are_valid_shacl():
    """The shapes graph conforms to the W3C shacl-shacl shapes (pyshacl raises otherwise)."""
    import pyshacl

    conforms, _, _ = pyshacl.validate(rdflib.Graph(), shacl_graph=shapes_graph(), meta_shacl=True)
    assert conforms


def test_every_dsd_has_line_item_and_column_dimensions():
    """IC-12 groups observations by (line item, column): the line item is a dimension of every
    DSD, and a DSD without the column dimension is one whose observations have no column."""
    from tests.shapes.test_shapes_support import fixed_sample

    vocab = _vocabulary()
    without_column = set()
    for dsd in vocab.subjects(RDF.type, QB.DataStructureDefinition):
        dims = {d for c in vocab.objects(dsd, QB.component) for d in vocab.objects(c, QB.dimension)}
        assert BKG.lineItem in dims, dsd
        if BKG.column not in dims:
            without_column.add(str(dsd))
    structure = {t.subject: t.object.value for t in fixed_sample() if t.predicate.value == str(QB.structure)}
    data_set = {t.subject: t.object for t in fixed_sample() if t.predicate.value == str(QB.dataSet)}
    with_column = {t.subject for t in fixed_sample() if t.predicate.value == str(BKG.column)}
    for obs, ds in data_set.items():
        if structure.get(ds) in without_column:
            assert obs not in with_column, obs


def test_code_lists_are_at_most_four_levels_deep():
    """The arithmetic computes a concept's depth through at most three skos:broader steps."""
    vocab = _vocabulary()
    for c in vocab.subjects(RDF.type, SKOS.Concept):
        depth, node = 0, c
        while (node, SKOS.broader, None) in vocab:
            node = vocab.value(node, SKOS.broader)
            depth += 1
            assert depth <= 3, c


def test_sparql_constraints_focus_on_few_nodes():
    """pyshacl runs a SPARQL constraint once per focus node: keep them on documents, data sets
    and code lists, never on observations, rows or concepts."""
    g = shapes_graph()
    allowed = {BKG.Disclosure, QB.DataSet, SKOS.ConceptScheme}
    for shape in g.subjects(SH.sparql, None):
        targets = set(g.objects(shape, SH.targetClass))
        assert targets <= allowed or list(g.objects(shape, SH.targetNode)), shape
