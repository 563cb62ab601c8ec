"""The DCAT-AP catalog as a page: data sets, distributions, licences and data quality, read from the catalog's own triples.

API: :func:`view` ``(s, triples) -> str`` (the page body); :func:`size` ``(n) -> str``.

The page is drawn from the very triples served as Turtle or JSON-LD (:func:`budgetkg.service.catalog.catalog_triples`),
so what a reader sees is what a harvester gets; the Turtle is one click away at the top.

>>> size(512), size(2_621_440)
('512 B', '2.5 MB (2,621,440 B)')
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pyoxigraph as ox

from budgetkg import names

from .. import html as h
from ..formats import FORMATS
from .common import BKG, select

DCAT, DCT, FOAF = names.DCAT, names.DCT, names.FOAF
DQV, SPDX, RDF_TYPE = names.DQV, names.SPDX, names.RDF_TYPE
FINDINGS_METRIC = BKG + "metric-findings"  # one measurement per check: listed apart, only where it found something
SHARE_DATATYPE = names.XSD + "decimal"  # the metrics that are shares from 0 to 1
Q_LABELS = """SELECT ?x ?l ?lang WHERE { VALUES ?x { %s } ?x skos:prefLabel|rdfs:label ?l BIND(lang(?l) AS ?lang) }"""
LANGS = ("zh", "en")  # labels shown, in this order


def size(n: int) -> str:
    """A byte count for reading, exact count beside a rounded one."""
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= factor:
            return f"{n / factor:.1f} {unit} ({n:,} B)"
    return f"{n} B"


class _Graph:
    """The catalog's triples by subject and predicate, values deduplicated in order."""

    def __init__(self, triples: list[ox.Triple]):
        self.by: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for t in triples:
            values = self.by[str(t.subject)][t.predicate.value]
            if t.object not in values:
                values.append(t.object)

    def all(self, node, p: str) -> list:
        return self.by.get(str(node), {}).get(p, [])

    def one(self, node, p: str):
        values = self.all(node, p)
        return values[0] if values else None

    def subjects(self, cls: str) -> list:
        return [s for s, po in self.by.items() if any(o.value == cls for o in po.get(RDF_TYPE, []))]

    def text(self, node, p: str) -> str:
        """Literals of ``p`` as HTML, zh first, then en, each once."""
        values = [o for o in self.all(node, p) if isinstance(o, ox.Literal)]
        values.sort(key=lambda o: LANGS.index(o.language) if o.language in LANGS else len(LANGS))
        return " · ".join(h.esc(v) for v in dict.fromkeys(o.value for o in values))


def _node(key: str):
    return ox.NamedNode(key[1:-1]) if key.startswith("<") else key


def _link(node, base: str, html: str | None = None) -> str:
    """A link to an IRI (its page here when this service serves it); ``html`` the link text, else the IRI."""
    if node is None:
        return ""
    return f"<a href='{h.esc(h.href(node.value, base))}'>{html or h.esc(node.value)}</a>"


def _licence(node, base: str) -> str:
    return _link(node, base, h.esc(node.value.rstrip("/").rsplit("/", 1)[-1])) if node is not None else ""


async def _labels(s, iris: set[str]) -> dict[str, str]:
    if not iris:
        return {}
    rows = await select(s, Q_LABELS % " ".join(f"<{i}>" for i in sorted(iris)))
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for r in rows:
        out[r["x"]].setdefault(r.get("lang", ""), r["l"])
    return {k: " · ".join(dict.fromkeys(v[lang] for lang in LANGS if lang in v)) or next(iter(v.values())) for k, v in out.items()}


def _value(m_value) -> str:
    if m_value is None:
        return ""
    if m_value.datatype is not None and m_value.datatype.value == SHARE_DATATYPE:
        return f"{m_value.value} ({Decimal(m_value.value) * 100:.1f}%)"
    return h.esc(m_value.value)


def _quality(g: _Graph, ds, labels: dict[str, str]) -> tuple[str, str]:
    """(summary cell, detail section) of a data set's DQV measurements."""
    measures = [m for m in g.all(ds, DQV + "hasQualityMeasurement")]
    if not measures:
        return "—", ""
    summary, checks = [], []
    for m in measures:
        metric = g.one(m, DQV + "isMeasurementOf")
        value = g.one(m, DQV + "value")
        if metric is not None and metric.value == FINDINGS_METRIC:
            check = g.one(m, BKG + "qualityCheck")
            checks.append((check.value.rsplit("#", 1)[-1] if check is not None else str(m), value.value if value is not None else ""))
        elif metric is not None:
            share = value is not None and value.datatype is not None and value.datatype.value == SHARE_DATATYPE
            summary.append((share, labels.get(metric.value, metric.value.rsplit("#", 1)[-1]), _value(value)))
    summary = [(k, v) for _, k, v in sorted(summary)]  # counts, then shares
    found = sorted((c, n) for c, n in checks if n not in ("", "0"))
    cell = "<br>".join(f"{h.esc(k)}: {v}" for k, v in summary)
    rows = [[h.esc(k), v] for k, v in summary]
    rows.append([f"{h.esc(labels.get(FINDINGS_METRIC, 'findings'))} ({len(checks)} checks · 项检查)",
                 "<br>".join(f"{h.esc(c)}: {h.esc(n)}" for c, n in found) or "0 (all checks clean · 均无问题)"])
    return cell, h.table(["指标 Metric (dqv:Metric)", "值 Value (dqv:value)"], rows, {1})


async def view(s, triples: list[ox.Triple]) -> str:
    """The body of the catalog page.

    :raises ServiceError: when the label query fails.
    """
    base = s.data.base_iri
    g = _Graph(triples)
    catalogs = [_node(c) for c in g.subjects(DCAT + "Catalog")]
    cat = catalogs[0] if catalogs else None
    parts = ["<p>本页即数据目录的三元组（DCAT-AP 3）；上方链接给出同一目录的 Turtle、JSON-LD 等格式。"
             "This page shows the catalog's triples (DCAT-AP 3); the links above give the same catalog as Turtle, JSON-LD ...</p>"]
    if cat is not None:
        lic = g.one(cat, DCT + "license")
        pub = g.one(cat, DCT + "publisher")
        facts = [("说明 Description", g.text(cat, DCT + "description")),
                 ("发布者 Publisher", g.text(pub, FOAF + "name") if pub is not None else ""),
                 ("许可 Licence", _licence(lic, base)),
                 ("更新 Modified", h.esc(g.one(cat, DCT + "modified").value if g.one(cat, DCT + "modified") else "")),
                 ("语言 Languages", h.esc(", ".join(o.value.rsplit("/", 1)[-1] for o in g.all(cat, DCT + "language"))))]
        parts.append("<table class='facts'>" + "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in facts) + "</table>")
    datasets = list(g.all(cat, DCAT + "dataset")) if cat is not None else []
    metrics = {o.value for d in datasets for m in g.all(d, DQV + "hasQualityMeasurement")
               for o in g.all(m, DQV + "isMeasurementOf") if isinstance(o, ox.NamedNode)}
    places = {o.value for d in datasets for o in g.all(d, DCT + "spatial") if isinstance(o, ox.NamedNode)}
    labels = await _labels(s, metrics | places)
    graphs = {doc.get("graph") for doc in s.data.documents}
    corpus = [d for d in datasets if d.value not in graphs]  # the whole graph, distributed as the dumps
    for d in corpus:
        rows = []
        for dist in g.all(d, DCAT + "distribution"):
            url = g.one(dist, DCAT + "downloadURL")
            name = url.value.rsplit("/", 1)[-1] if url is not None else ""
            ext = name.rsplit(".", 1)[-1]
            fmt = FORMATS[ext].label if ext in FORMATS else ext
            media = g.one(dist, DCAT + "mediaType")
            nbytes = g.one(dist, DCAT + "byteSize")
            ck = g.one(dist, SPDX + "checksum")
            sha = g.one(ck, SPDX + "checksumValue") if ck is not None else None
            rows.append([f"<a href='{h.esc(url.value)}' download>{h.esc(name)}</a>" if url is not None else "", h.esc(fmt),
                         h.esc(media.value.rsplit("/assignments/media-types/", 1)[-1] if media is not None else ""),
                         h.esc(size(int(nbytes.value))) if nbytes is not None else "",
                         f"<code>{h.esc(sha.value)}</code>" if sha is not None else "", _licence(g.one(dist, DCT + "license"), base)])
        parts.append(f"<h2>{g.text(d, DCT + 'title')}</h2><p>{g.text(d, DCT + 'description')}</p>"
                     f"<h3>Distributions · 数据下载 ({len(rows)})</h3>"
                     + h.table(["文件 File", "格式 Format", "媒体类型 Media type", "大小 Size", "SHA-256", "许可 Licence"], rows, {3}))
    disclosures = [d for d in datasets if d not in corpus]
    rows, details = [], []
    for i, d in enumerate(disclosures):
        landing = g.one(d, DCAT + "landingPage")
        title = g.text(d, DCT + "title")
        pub = g.one(d, DCT + "publisher")
        period = g.one(d, DCT + "temporal")
        start, end = (g.one(period, DCAT + "startDate"), g.one(period, DCAT + "endDate")) if period is not None else (None, None)
        spatial = g.one(d, DCT + "spatial")
        dists = []
        for dist in g.all(d, DCAT + "distribution"):
            url = g.one(dist, DCAT + "downloadURL")
            if url is not None:
                ext = url.value.rsplit(".", 1)[-1]
                dists.append(f"<a href='{h.esc(h.href(url.value, base))}'>{h.esc(FORMATS[ext].label if ext in FORMATS else ext)}</a>")
        lic = [g.one(dist, DCT + "license") for dist in g.all(d, DCAT + "distribution")]
        quality, detail = _quality(g, d, labels)
        anchor = f"quality-{i + 1}"
        rows.append([f"<a href='{h.esc(h.href(landing.value, base) if landing is not None else h.href(d.value, base))}'>{title}</a>",
                     _link(pub, base, g.text(pub, FOAF + "name") if pub is not None else None) if pub is not None else "",
                     h.esc(labels.get(spatial.value, spatial.value.rsplit("/", 1)[-1])) if spatial is not None else "",
                     h.esc(f"{start.value} – {end.value}") if start is not None and end is not None else "",
                     h.esc(", ".join(o.value for o in g.all(d, DCAT + "keyword"))), " · ".join(dists),
                     " ".join(_licence(x, base) for x in dict.fromkeys(lic) if x is not None),
                     (quality + f"<br><a href='#{anchor}'>details · 详情</a>") if detail else quality])
        if detail:
            details.append(f"<h3 id='{anchor}'>{title}</h3>{detail}")
    parts.append(f"<h2>Data sets · 数据集 ({len(rows)})</h2><p>每份公开文件一个数据集（命名图）。One data set per disclosure (its named graph).</p>"
                 + h.table(["数据集 Data set", "发布者 Publisher", "地区 Spatial", "时间 Temporal", "关键词 Keywords",
                            "下载 Distribution", "许可 Licence", "数据质量 Quality (DQV)"], rows))
    if details:
        parts.append("<h2>Quality measurements · 数据质量测量 (W3C DQV)</h2>" + "".join(details))
    for svc in g.subjects(DCAT + "DataService"):
        node = _node(svc)
        endpoint = g.one(node, DCAT + "endpointURL")
        std = g.one(node, DCT + "conformsTo")
        parts.append(f"<h2>Data service · 数据服务</h2><table class='facts'>"
                     f"<tr><th>名称 Title</th><td>{g.text(node, DCT + 'title')}</td></tr>"
                     f"<tr><th>说明 Description</th><td>{g.text(node, DCT + 'description')}</td></tr>"
                     f"<tr><th>端点 Endpoint</th><td>{_link(endpoint, base)}</td></tr>"
                     f"<tr><th>标准 Conforms to</th><td>{_link(std, base)}</td></tr></table>")
    return "".join(parts)
