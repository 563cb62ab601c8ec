"""The batched engine (budgetkg.etl.shacl_batch) on small hand-written shapes and data: SHACL's term
semantics where the store the queries run on reads values, and shapes SHACL does not allow.

Expected results come from the text of SHACL (https://www.w3.org/TR/shacl/, section cited at each
case); pyshacl is asked too where it follows that text. pyshacl reads its graphs with rdflib, which
rewrites some literals as it reads them ("01"^^xsd:integer as "1", "1"^^xsd:boolean as "true"): on
those cases it does not follow the spec, and the test says so instead of comparing.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib

from budgetkg.etl import shacl_batch

PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .
"""


def _shapes(text: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=PREFIXES + text, format="turtle")


def _batch(shapes: str, data: str) -> set:
    """(component's local name, focus node, value) of each result of the batched engine; the data read by
    oxigraph's parser, which keeps every literal as written."""
    checks = shacl_batch.compile_shapes(_shapes(shapes))
    triples = list(ox.parse(PREFIXES + data, format=ox.RdfFormat.TURTLE))
    core = [c for c in checks if c.focus_query is None]
    found = shacl_batch.run_document(triples, core, [c for c in checks if c.focus_query is not None])
    return {(str(f.check.component).rsplit("#", 1)[-1], str(f.focus), None if f.value is None else str(f.value))
            for f in found}


def _pyshacl(shapes: str, data: str) -> set:
    import pyshacl

    _, report, _ = pyshacl.validate(rdflib.Graph().parse(data=PREFIXES + data, format="turtle"),
                                    shacl_graph=_shapes(shapes))
    out = set()
    for r in report.subjects(rdflib.RDF.type, rdflib.SH.ValidationResult):
        value = report.value(r, rdflib.SH.value)
        out.add((str(report.value(r, rdflib.SH.sourceConstraintComponent)).rsplit("#", 1)[-1],
                 str(ox.NamedNode(str(report.value(r, rdflib.SH.focusNode)))),
                 None if value is None else str(shacl_batch.shacl_screen.to_ox(value))))
    return out


# ---------------------------------------------------------------- parameters SHACL allows once

@pytest.mark.parametrize("first, second", [("ex:Text", "ex:Number"), ("ex:Number", "ex:Text")])
def test_each_qualified_value_shape_is_a_constraint_of_its_own(first, second):
    # SHACL 4.7.3 (sh:qualifiedValueShape): C counts the value nodes conforming to $qualifiedValueShape; a shape
    # with two values of it has two constraints (pyshacl evaluates each). The value conforms to ex:Text only, so
    # the one on ex:Number has a result, whichever the shapes graph lists first.
    shapes = f"""
ex:S a sh:NodeShape ; sh:targetNode ex:a ;
  sh:property [ sh:path ex:p ; sh:qualifiedValueShape {first}, {second} ; sh:qualifiedMinCount 1 ] .
ex:Text sh:datatype xsd:string .
ex:Number sh:datatype xsd:integer .
"""
    data = 'ex:a ex:p "x" .'
    expected = {("QualifiedMinCountConstraintComponent", "<http://example.org/a>", None)}
    assert _batch(shapes, data) == expected
    assert _pyshacl(shapes, data) == expected


@pytest.mark.parametrize("parameter, values", [
    ("sh:maxCount", "1, 2"),  # 4.2.2: a shape has at most one value for sh:maxCount
    ("sh:minCount", "1, 2"),  # 4.2.1
    ("sh:datatype", "xsd:string, xsd:integer"),  # 4.1.2
    ("sh:flags", '"i", "x"'),  # 4.4.3: at most one value for sh:flags
    ("sh:qualifiedMinCount", "1, 2"),  # 4.7.3
])
def test_a_second_value_of_a_parameter_allowed_once_is_refused(parameter, values):
    # read with one value, the other would be dropped silently
    shapes = f"""
ex:S a sh:NodeShape ; sh:targetNode ex:a ;
  sh:property [ sh:path ex:p ; sh:pattern "x" ; sh:qualifiedValueShape [ sh:datatype xsd:string ] ; {parameter} {values} ] .
"""
    with pytest.raises(shacl_batch.Unsupported, match=parameter.split(":")[1]):
        shacl_batch.compile_shapes(_shapes(shapes))
