"""A small client for a running budgetkg service: named queries, SPARQL and printed tables as DataFrames.

API: :class:`Client` ``(url, *, timeout=60.0)`` with :meth:`Client.query` ``(name, **params)``,
:meth:`Client.sparql` ``(text)`` and :meth:`Client.table` ``(document, table_key)``, each returning a
:class:`pandas.DataFrame`; :func:`value` ``(binding)`` (one SPARQL JSON term as a Python value);
:class:`ServiceError`. pandas is an optional extra (``pip install 'budgetkg[pandas]'``).

Amounts stay exact: an ``xsd:decimal`` comes back as :class:`decimal.Decimal` (never float), an
``xsd:integer`` as ``int``, anything else as its text. An unbound variable (an empty cell) is
``None``, not zero. From a running service to a DataFrame::

    from budgetkg.client import Client
    bk = Client("http://127.0.0.1:8000")
    df = bk.query("expenditure_by_function", digits=3)

>>> value({"type": "literal", "value": "440.00", "datatype": "http://www.w3.org/2001/XMLSchema#decimal"})
Decimal('440.00')
>>> value({"type": "literal", "value": "2022", "datatype": "http://www.w3.org/2001/XMLSchema#gYear"})
'2022'
>>> value(None) is None
True
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from decimal import Decimal

from .names import BKG, SKOS, VOCAB_GRAPH, XSD
from .queries import load_queries, narrowed
from .tables import TABLE_KIND, layout

RESULTS_JSON = "application/sparql-results+json"
# xsd integer types whose values fit Python's int exactly; decimal is kept as Decimal, never float.
_INTEGERS = {XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger")}


class ServiceError(RuntimeError):
    """The service answered with an error (the message carries its status and detail)."""


def value(binding: dict | None):
    """One term of a SPARQL JSON result as a Python value (Decimal for xsd:decimal, None when unbound)."""
    if binding is None:
        return None
    datatype = binding.get("datatype")
    if datatype == XSD + "decimal":
        return Decimal(binding["value"])
    if datatype in _INTEGERS:
        return int(binding["value"])
    return binding["value"]


def _pandas():
    try:
        import pandas
    except ImportError as exc:  # the optional extra is missing: say how to get it
        raise ImportError("budgetkg.client needs pandas: pip install 'budgetkg[pandas]'") from exc
    return pandas


class Client:
    """A budgetkg service at ``url`` (e.g. ``http://127.0.0.1:8000``)."""

    def __init__(self, url: str, *, timeout: float = 60.0):
        self.url = url.rstrip("/")
        self.timeout = timeout

    def _get(self, path: str, params: list[tuple[str, str]]) -> dict:
        """GET ``path`` for SPARQL JSON results.

        :raises ServiceError: on an HTTP error status, naming the status and the service's detail.
        """
        url = f"{self.url}{path}?{urllib.parse.urlencode(params)}"
        request = urllib.request.Request(url, headers={"Accept": RESULTS_JSON})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.load(response)
        except urllib.error.HTTPError as exc:
            body = exc.read().decode("utf-8", "replace")
            try:
                detail = json.loads(body).get("detail", body)
            except ValueError:
                detail = body
            raise ServiceError(f"{exc.code} from {path}: {detail}") from None

    @staticmethod
    def _frame(results: dict):
        names = results["head"]["vars"]
        rows = [[value(b.get(n)) for n in names] for b in results["results"]["bindings"]]
        return _pandas().DataFrame(rows, columns=names, dtype=object)

    def query(self, name: str, **params):
        """The rows of the named query ``name`` with ``params`` bound, as a DataFrame.

        :raises ServiceError: for an unknown query, an unknown parameter or a value of the wrong type.
        """
        path = "/api/queries/" + urllib.parse.quote(name)
        return self._frame(self._get(path, [(k, str(v)) for k, v in params.items()]))

    def sparql(self, text: str, *, graphs: list[str] | None = None):
        """The rows of a SPARQL SELECT query, as a DataFrame; ``graphs`` become its default graph.

        :raises ServiceError: for a syntax error, a refused query or a timeout.
        """
        params = [("query", text)] + [("default-graph-uri", g) for g in graphs or ()]
        return self._frame(self._get("/sparql", params))

    def documents(self):
        """Every disclosure: graph, file name, department, year and phase."""
        return self.sparql(f"""PREFIX bkg: <{BKG}>
PREFIX skos: <{SKOS}>
SELECT ?graph ?file ?department ?year ?phase WHERE {{
  GRAPH ?graph {{ ?d a bkg:Disclosure ; bkg:fileName ?file ; bkg:organization ?org ;
                     bkg:fiscalYear ?year ; bkg:budgetPhase ?phase . }}
  OPTIONAL {{ ?org skos:prefLabel ?department FILTER(lang(?department) = "zh") }}
}} ORDER BY ?file""")

    def _graph(self, document: str) -> str:
        """The graph IRI of a document given as its graph IRI, file name or file name without suffix.

        :raises KeyError: when no document matches.
        """
        docs = self.documents()
        for _, d in docs.iterrows():
            if document in (d["graph"], d["file"], d["file"].rsplit(".", 1)[0]):
                return d["graph"]
        raise KeyError(f"no document {document!r}; known: {', '.join(docs['file'])}")

    def table(self, document: str, table_key: str):
        """A printed table of a document as laid out in print: the printed header as columns, one row per printed row.

        Columns are named by their whole printed header path (``功能分类科目/科目名称``, as ``budgetkg tables`` writes them).
        ``document`` is its graph IRI or file name (with or without suffix), ``table_key`` a key of
        ``budgetkg tables`` (``income``, ``expenditure``, ``three_public_expenses``, ...). Amounts are
        Decimals with their printed number of decimals; text cells are strings, empty cells ``""``.

        :raises KeyError: for an unknown document or a table the document does not print.
        """
        import pyoxigraph as ox

        graphs = [self._graph(document), VOCAB_GRAPH]
        queries = load_queries()
        own = queries.get(f"tables/{table_key}")
        if own is not None and table_key != "cells":
            return self.sparql(own.text, graphs=graphs)
        cells = queries["tables/cells"]
        text = narrowed(cells.text, {"kind": ox.NamedNode(TABLE_KIND + table_key)})
        results = self._get("/sparql", [("query", text)] + [("default-graph-uri", g) for g in graphs])
        rows = results["results"]["bindings"]
        if not rows:
            raise KeyError(f"{document} prints no table {table_key!r}")
        printed = layout((r["row"]["value"], r["col"]["value"], r["value"]["value"],
                          r["decimals"]["value"] if "decimals" in r else None) for r in rows)
        amounts = {(int(r["row"]["value"]), int(r["col"]["value"]) - 1) for r in rows if "decimals" in r}
        indices = sorted({int(r["row"]["value"]) for r in rows} - {0})  # the body rows, in layout's order
        body = [[Decimal(c) if (i, j) in amounts else c for j, c in enumerate(row)] for i, row in zip(indices, printed[1:])]
        return _pandas().DataFrame(body, columns=printed[0], dtype=object)
