"""Codes the shipped lists lack land as concepts with their parents by prefix (issue 12, Codes):
a 7-digit 项 printed without its 类/款 rows (as the 北京市财政局 2026 报表, 预算05表 on page 9,
print 2050803 培训支出 with no 205 or 20508 row: the lists now have that code, so the case is
2070101 行政运行 of 款 20701 文化和旅游, a national code no sample or corpus disclosure prints), and
a code printed with two names in two tables. The document's graph still conforms to the shapes:
an unknown code is never a violation."""

from budgetkg.etl.codelists import codelists, concept_iri
from budgetkg.etl.pipeline import process_document
from budgetkg.etl.read_text import read_text
from budgetkg.etl.to_rdf import UNNAMED_CODE_ZH, to_rdf
from budgetkg.etl.validation import validate_graph
from budgetkg.etl.vocab import SKOS

from .test_pipeline_stages import EXPENDITURE_HEAD, HEAD

TABLE = EXPENDITURE_HEAD + """1\t\t合计\t3.00\t\t3.00
2\t2070101\t行政运行\t3.00\t\t3.00
"""
# The same code named otherwise in the 一般公共预算 table of the same document.
GENERAL = TABLE.replace("部门预算支出总表", "一般公共预算支出表").replace("行政运行", "机关运行")


def graph(text):
    rec = process_document(read_text(HEAD + text, path="c.txt"))
    _, triples = to_rdf(rec, base="https://budgetkg.org/")
    return triples


def objects(triples, code, pred):
    node = concept_iri("functional", code)
    return sorted(t.object.value for t in triples if t.subject.value == node and t.predicate == pred)


def test_a_code_printed_without_its_parents_gets_them_by_prefix():
    assert not codelists().known(concept_iri("functional", "20701"))  # else this test tests nothing
    assert codelists().known(concept_iri("functional", "207"))
    triples = graph(TABLE)
    assert objects(triples, "2070101", SKOS.broader) == [concept_iri("functional", "20701")]
    assert objects(triples, "20701", SKOS.broader) == [concept_iri("functional", "207")]
    assert "20701" + UNNAMED_CODE_ZH in objects(triples, "20701", SKOS.prefLabel)
    assert objects(triples, "207", SKOS.broader) == []  # shipped: not minted again
    outcome = validate_graph(triples, document="c.txt")
    assert outcome.violations == []


def test_two_names_of_one_code_are_a_preferred_and_an_alternative_label():
    triples = graph(TABLE + "\n" + GENERAL)
    zh = [o for o in objects(triples, "2070101", SKOS.prefLabel) if not o.startswith("Functional")]
    assert zh == ["行政运行"]
    assert objects(triples, "2070101", SKOS.altLabel) == ["机关运行"]
