"""The validation step: the build's hook, the published report, ``budgetkg validate``."""

from __future__ import annotations

import json
from decimal import Decimal

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import RDF, SH

from tests.shapes.test_shapes_support import B, decimal, fixed_sample, observation, replace, sample_triples

from budgetkg.etl.validation import context_triples, report_graph_iri, report_triples, validate_graph, validate_triples
from budgetkg.etl.vocabulary import vocabulary_files

GRAPH = "https://budgetkg.org/graph/130500/2022/501/budget"


def test_sample_conforms():
    """The bundled sample, read and mapped as the build does, has no violation."""
    outcome = validate_graph(sample_triples(), document="000_60bd7a1a2874cc3a.txt")
    assert not outcome.violations, "\n".join(r["message"] for r in outcome.violations)


def test_sample_warnings_checked_by_hand():
    """The sample's only warnings, checked against the source text.

    000_60bd7a1a2874cc3a.txt lines 300-309, 部门预算财政拨款“三公”经费支出表 (万元): row 6
    「二、公务用车购置及运维费」 is printed blank in 合计 and 一般公共预算财政拨款, while its
    part 「公务用车运行维护费」 (row 8) is 6.00 in both (and 「其中：公务用车购置费」, row 7, is
    blank). 小计 8 = 因公出国 0 + 公务用车 6.00 + 公务接待 2.00 holds once row 6 is taken as 6.00,
    so the blank row 6 is the printing error, reported once per column. Every other total of
    the sample adds up (checked by the same shapes: 类 = Σ 款 = Σ 项 in the four functional
    tables, the 301/302/303 classes of the 基本支出表, 合计 = 基本支出 + 项目支出, 基本支出 =
    人员经费 + 公用经费, both summary tables, the cross-table totals, 资产总额 = 374.03).
    """
    warnings = validate_triples(list(fixed_sample()), "000_60bd7a1a2874cc3a.txt")
    got = [(w["rule"], w["table"], w["row"], w["column"], w["line"], w["printed"], Decimal(w["expected"])) for w in warnings]
    assert got == [
        ("RowBlankTotal", "部门预算财政拨款“三公”经费支出表", "6 二、公务用车购置及运维费", "3 合计", 309, "(blank)", Decimal("6.00")),
        ("RowBlankTotal", "部门预算财政拨款“三公”经费支出表", "6 二、公务用车购置及运维费", "4 一般公共预算财政拨款", 309, "(blank)", Decimal("6.00")),
    ]
    for w in warnings:
        assert w["severity"] == "Warning" and w["focus"] and w["path"] is None and w["value"].endswith("/row/6")
        assert w["message"].startswith("000_60bd7a1a2874cc3a.txt: table 部门预算财政拨款“三公”经费支出表, row 6")
        assert "印刷为空白" in w["message_zh"]


def test_violation_raises_value_error_naming_it():
    obs = observation(fixed_sample(), "expenditure", 2, 4)
    mutated = replace(list(fixed_sample()), obs, B("amount"), ox.Literal("440"))  # a plain string, not xsd:decimal
    with pytest.raises(ValueError) as err:
        validate_triples(mutated, "doc.txt")
    text = str(err.value)
    assert "doc.txt: 1 SHACL violation(s)" in text and "BudgetObservation-amount" in text
    assert "部门预算支出总表" in text and "row 2 210 卫生健康支出" in text


def test_report_triples_are_a_validation_report():
    warnings = validate_triples(list(fixed_sample()), "000_60bd7a1a2874cc3a.txt")
    triples = report_triples(warnings, ox.NamedNode(GRAPH))
    assert report_graph_iri(GRAPH) == ox.NamedNode(GRAPH + "/validation")
    assert report_triples(warnings, GRAPH) == triples  # deterministic: no blank nodes
    assert not any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples)
    g = rdflib.Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode(), format="nt")
    report = g.value(None, RDF.type, SH.ValidationReport, any=False) or next(g.subjects(RDF.type, SH.ValidationReport))
    assert g.value(report, SH.conforms).toPython() is True
    results = list(g.objects(report, SH.result))
    assert len(results) == 2
    for r in results:
        assert g.value(r, SH.resultSeverity) == SH.Warning
        assert {m.language for m in g.objects(r, SH.resultMessage)} == {"en", "zh"}
        assert str(g.value(r, SH.focusNode)).startswith("https://budgetkg.org/id/source/")


def test_context_is_what_the_document_uses():
    ctx = context_triples(list(fixed_sample()))
    subjects = {t.subject.value for t in ctx}
    assert "https://budgetkg.org/def/budget#dsd-expenditure" in subjects
    assert "https://budgetkg.org/def/cl/functional/2150501" in subjects and "https://budgetkg.org/def/cl/functional/21505" in subjects
    assert "https://budgetkg.org/def/cl/functional/2010601" not in subjects  # in the code list, not in the sample
    # the concepts used, their siblings and their printed names per year (AuditCodeName reads them): a part of
    # the vocabulary, smaller than the document itself
    vocabulary = sum(1 for p in vocabulary_files() for _ in ox.parse(p.read_bytes(), format=ox.RdfFormat.TURTLE))
    assert len(ctx) < len(fixed_sample()) / 2 and len(ctx) < vocabulary / 2


def test_context_of_a_concept_minted_in_one_document_only():
    """A concept minted in a document keeps that document's description of it (context_triples' docstring), and
    only there: the vocabulary's description comes back for the next document that uses it without minting it
    (each vocabulary node's part of the context is made once per process and shared by the documents)."""
    concept, broader = (ox.NamedNode("https://budgetkg.org/def/cl/functional/" + c) for c in ("2150501", "21505"))
    label = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    sample = list(fixed_sample())
    minting = sample + [ox.Triple(concept, label, ox.Literal("本文件的名称", language="zh"))]

    def described(ctx):
        return {t.subject for t in ctx}

    first = context_triples(sample)
    assert concept in described(first) and broader in described(first)
    minted = context_triples(minting)
    assert concept not in described(minted) and broader in described(minted)  # its broader concept still follows
    assert context_triples(sample) == first


def test_context_follows_a_data_structure_where_qb_structure_names_it():
    """A data structure named again by another predicate after its qb:structure, or a concept named by a triple
    moved to the end: the data structure is followed where qb:structure names it (the context unchanged, its order
    too), the concept where the document last names it (the context's order changes, its triples do not)."""
    sample = list(fixed_sample())
    dsd = ox.NamedNode("https://budgetkg.org/def/budget#dsd-expenditure")
    see_also = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso")
    first = context_triples(sample)
    assert context_triples(sample + [ox.Triple(sample[0].subject, see_also, dsd)]) == first
    concept = ox.NamedNode("https://budgetkg.org/def/cl/functional/2150501")
    uses = [t for t in sample if t.object == concept]
    moved = context_triples([t for t in sample if t.object != concept] + uses)
    assert moved != first and sorted(map(str, moved)) == sorted(map(str, first))


def test_decimal_arithmetic_is_exact_in_both_engines():
    data = "<urn:a> <urn:v> 0.1 , 0.2 , 1476.29 , 0.01 ."
    q = "SELECT (SUM(?v) AS ?s) WHERE { ?x <urn:v> ?v }"
    store = ox.Store()
    store.load(data.encode(), format=ox.RdfFormat.TURTLE)
    assert Decimal(next(iter(store.query(q)))["s"].value) == Decimal("1476.60")
    g = rdflib.Graph().parse(data=data, format="turtle")
    assert next(iter(g.query(q)))[0].toPython() == Decimal("1476.60")


def _write(tmp_path, triples, name="doc.nt"):
    path = tmp_path / name
    path.write_bytes(ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES))
    return str(path)


def test_cli_reports_and_exit_status(tmp_path, capsys):
    from budgetkg.cli import main

    good = _write(tmp_path, fixed_sample(), "good.nt")
    assert main(["validate", good]) == 0
    text = capsys.readouterr().out
    assert "1 graph(s) validated: 0 violation(s), 2 warning(s)" in text
    assert "Warning RowBlankTotal: Total row printed blank (2)" in text and "  good.nt" in text

    assert main(["validate", good, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["conforms"] is True and doc["warnings"] == 2
    assert {r["row"] for r in doc["graphs"][0]["results"]} == {"6 二、公务用车购置及运维费"}

    obs = observation(fixed_sample(), "expenditure", 7, 4)
    bad = _write(tmp_path, replace(list(fixed_sample()), obs, B("decimals"), decimal("2")), "bad.nt")
    assert main(["validate", bad, "--format", "ttl"]) == 1
    report = rdflib.Graph().parse(data=capsys.readouterr().out, format="turtle")
    node = next(report.subjects(RDF.type, SH.ValidationReport))
    assert report.value(node, SH.conforms).toPython() is False
    severities = {report.value(r, SH.resultSeverity) for r in report.objects(node, SH.result)}
    assert severities == {SH.Violation, SH.Warning}


def test_cli_validates_named_graphs_of_a_dump_each_on_its_own(tmp_path, capsys):
    from budgetkg.cli import main

    quads = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(GRAPH)) for t in fixed_sample()]
    report = ox.NamedNode(GRAPH + "/validation")
    quads += [ox.Quad(ox.NamedNode(GRAPH + "/validation"), ox.NamedNode(str(RDF.type)), ox.NamedNode(str(SH.ValidationReport)), report)]
    path = tmp_path / "dump.nq"
    path.write_bytes(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
    assert main(["validate", str(path)]) == 0
    assert "1 graph(s) validated: 0 violation(s), 2 warning(s)" in capsys.readouterr().out
