"""Harvest the classification codes and names printed in built documents, for the code lists.

Run: ``python -m bench.harvest_codes --data DIR ... [--sources FOLDER ...] [--all]``

Reads a build (``DIR/dumps/budgetkg.nq``: every line item with a printed code, a printed name and
a functional or economic classification) and prints one tab-separated line per printed code, name
and document: scheme, code, name (spaces removed, a ``[code]`` printed before it dropped), fiscal
year, file, first page (or line) and table, then what the shipped list says:

- ``dated``: the list has this name for this code, printed in this document (nothing to do);
- ``name``: the list has this name for this code, but not dated from this document;
- ``other``: the code is in the list under other names only (a conflicting name, or a misprint);
- ``new``: a national code (functional 类/款/项: 3/5/7 digits under a listed 类; economic 类/款:
  3/5 digits under a listed 类) the list lacks;
- ``local``: a local extension code (longer, or outside the national structure): not for the
  national list, it stays a warning of the build.

``--turtle REVIEWED.tsv`` turns reviewed lines (the columns above, plus ``en``: the English name of a
code the list lacks) into Turtle to append to the code lists: a concept for each new code (its
skos:prefLabel the name of the latest year, the most printed; skos:broader by prefix) and a
``bkg:PrintedName`` for each name and document (``skosxl:prefLabel`` when it is the concept's
preferred name, else ``skosxl:altLabel`` with the form as a ``skos:altLabel``).

With ``--sources`` (folders holding the PDFs), a last column says whether the name and the code
are on that page of the PDF as ``pdftotext`` extracts it (layout or reading order; independent of the
reader): ``page-ok``, ``page-name-only``, ``page-missing``. The output is for a person to review
against the page images before names go into ``ontology/codelists/*.ttl``; without ``--all``,
``dated`` lines are left out.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from budgetkg.etl.codelists import codelists, concept_iri
from budgetkg.names import BKG, CL, DCT, DUMP_QUADS, DUMPS_DIR, SKOS, SKOSXL, SOURCE

SCHEMES = ("functional", "economic")
LENGTHS = {"functional": (3, 5, 7), "economic": (3, 5)}

QUERY = f"""
PREFIX bkg: <{BKG}> PREFIX dct: <{DCT}>
SELECT ?file ?year ?code ?label ?class ?page ?line ?table WHERE {{
  GRAPH ?g {{
    ?ds bkg:sourceDocument ?doc ; bkg:hasLineItem ?li ; dct:title ?table .
    ?doc bkg:fileName ?file ; bkg:fiscalYear ?year .
    ?li bkg:printedCode ?code ; bkg:printedLabel ?label ; bkg:classification ?class .
    OPTIONAL {{ ?li bkg:sourcePage ?page }}
    OPTIONAL {{ ?li bkg:sourceLine ?line }}
  }}
}}
"""


def normalise(code: str, label: str) -> str:
    """The printed name without spaces and without the code printed again before it.

    >>> normalise("201", "[201] 一般公共服务支出"), normalise("2010101", "行政 运行"), normalise("2010601", "2010601-行政运行")
    ('一般公共服务支出', '行政运行', '行政运行')
    """
    text = re.sub(r"\s+", "", label)
    m = re.match(r"^[\[【［](\d+)[\]】］]|^(\d+)[-—－_:：]", text)
    if m and code in m.groups():
        text = text[m.end():]
    return text


def national(scheme: str, code: str) -> bool:
    """A code of the national structure: 3/5/7 (functional) or 3/5 (economic) digits under a listed 类."""
    return (code.isdigit() and len(code) in LENGTHS[scheme]
            and codelists().known(concept_iri(scheme, code[:3])))


def listed_names(folder: Path | None = None) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Concept IRI -> its zh names; concept IRI -> ``name<TAB>stem`` of its dated names (the stem of the file
    that printed it: its dct:source is ``SOURCE`` + stem, ontology/sources.ttl, outside the code lists)."""
    from budgetkg.resources import CODELISTS, files

    names: dict[str, set[str]] = {}
    dated: dict[str, set[str]] = {}
    label_of: dict[str, str] = {}
    form: dict[str, str] = {}
    source: dict[str, str] = {}
    for path in files(folder or CODELISTS, "*.ttl"):
        with path.open("rb") as fh:
            for t in ox.parse(fh, format=ox.RdfFormat.TURTLE):
                s, p, o = t.subject.value, t.predicate.value, t.object
                if p in (SKOS + "prefLabel", SKOS + "altLabel") and getattr(o, "language", None) == "zh":
                    names.setdefault(s, set()).add(re.sub(r"\s+", "", o.value))
                elif p in (SKOSXL + "prefLabel", SKOSXL + "altLabel"):
                    label_of[o.value] = s
                elif p == SKOSXL + "literalForm":
                    form[s] = re.sub(r"\s+", "", o.value)
                elif p == DCT + "source":
                    source[s] = o.value
    for label, concept in label_of.items():
        if label in form:
            names.setdefault(concept, set()).add(form[label])
            dated.setdefault(concept, set()).add(f"{form[label]}\t{source.get(label, '').removeprefix(SOURCE)}")
    return names, dated


@cache
def page_text(pdf: Path, page: int, layout: bool = True) -> str:
    mode = ["-layout"] if layout else []
    out = subprocess.run(["pdftotext", *mode, "-f", str(page), "-l", str(page), str(pdf), "-"],
                         capture_output=True, text=True, check=False)
    return re.sub(r"\s+", "", out.stdout)


def page_check(folders: list[Path], file: str, page: str, line: str, code: str, name: str) -> str:
    pdf = next((f / file for f in folders if (f / file).exists()), None)
    if pdf is not None and pdf.suffix == ".txt" and line:
        from budgetkg.etl.inputs import decode_text

        text = re.sub(r"\s+", "", decode_text(pdf, pdf.read_bytes())[0].splitlines()[int(line) - 1])
        return ("page-ok" if code in text else "page-name-only") if name in text else "page-missing"
    if pdf is None or not page or pdf.suffix != ".pdf":
        return "page-unchecked"
    # a name wrapped over two lines of its cell is whole in the reading order, not in the layout
    text = page_text(pdf, int(page)) + "\n" + page_text(pdf, int(page), layout=False)
    if name not in text:
        return "page-missing"
    return "page-ok" if code in text or (code[:3] in text and code[3:5] in text) else "page-name-only"


def harvest(data: Path) -> list[dict]:
    store = ox.Store()
    with (data / DUMPS_DIR / DUMP_QUADS).open("rb") as fh:
        store.bulk_load(fh, format=ox.RdfFormat.N_QUADS)
    seen: dict[tuple, dict] = {}
    for sol in store.query(QUERY):
        cls = sol["class"].value
        scheme = cls[len(CL):].split("/", 1)[0] if cls.startswith(CL) else ""
        if scheme not in SCHEMES:
            continue
        code = sol["code"].value
        name = normalise(code, sol["label"].value)
        key = (scheme, code, name, sol["file"].value)
        page = int(sol["page"].value) if sol["page"] else None
        line = int(sol["line"].value) if sol["line"] else None
        row = {"scheme": scheme, "code": code, "name": name, "year": sol["year"].value, "file": sol["file"].value,
               "page": page, "line": line, "table": sol["table"].value}
        old = seen.get(key)
        if old is None or ((page or 0), (line or 0)) < ((old["page"] or 0), (old["line"] or 0)):
            seen[key] = row
    return sorted(seen.values(), key=lambda r: (r["scheme"], r["code"], r["name"], r["year"], r["file"]))


def status(row: dict, names: dict, dated: dict) -> str:
    iri = concept_iri(row["scheme"], row["code"])
    if not national(row["scheme"], row["code"]):
        return "local"
    if not codelists().known(iri):
        return "new"
    if f"{row['name']}\t{row['file'].rsplit('.', 1)[0]}" in dated.get(iri, set()):
        return "dated"
    return "name" if row["name"] in names.get(iri, set()) else "other"


def _lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def turtle(rows: list[dict], english: dict[tuple[str, str], str]) -> dict[str, str]:
    """Scheme -> Turtle of the reviewed ``rows`` (dicts with scheme, code, name, year, file, page)."""
    lists = codelists()
    names, _ = listed_names()
    by_code: dict[tuple[str, str], list[dict]] = {}
    for r in rows:
        by_code.setdefault((r["scheme"], r["code"]), []).append(r)
    out: dict[str, list[str]] = {}
    for (scheme, code), group in sorted(by_code.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        iri = concept_iri(scheme, code)
        blocks = out.setdefault(scheme, [])
        pref = lists.label(iri)
        if not lists.known(iri):
            counts: dict[str, tuple[int, int]] = {}
            for r in group:
                y, n = counts.get(r["name"], (0, 0))
                counts[r["name"]] = (max(y, int(r["year"])), n + 1)
            pref = max(sorted(counts), key=lambda k: counts[k])
            parent = f"<{concept_iri(scheme, code[:-2])}>" if len(code) > 3 else None
            lines = [f"<{iri}>", "    a skos:Concept ;", f"    skos:inScheme <{CL}{scheme}> ;", f"    skos:notation {_lit(code)} ;",
                     f"    skos:prefLabel {_lit(pref)}@zh ,", f"        {_lit(english[(scheme, code)])}@en ;"]
            lines.append(f"    skos:broader {parent} ." if parent else f"    skos:topConceptOf <{CL}{scheme}> .")
            blocks.append("\n".join(lines) + "\n")
        known = set(names.get(iri, ()))
        used: dict[str, int] = {}
        for r in sorted(group, key=lambda r: (r["file"], r["name"])):
            stem = r["file"].rsplit(".", 1)[0]
            used[stem] = used.get(stem, 0) + 1
            label = f"{iri}/name/{stem}" + (f"-{used[stem]}" if used[stem] > 1 else "")
            relation = "skosxl:prefLabel" if r["name"] == pref else "skosxl:altLabel"
            head = f"<{iri}> {relation} <{label}>"
            if relation == "skosxl:altLabel" and r["name"] not in known:
                head += f" ;\n    skos:altLabel {_lit(r['name'])}@zh"
                known.add(r["name"])
            lines = [head + " .", f"<{label}>", "    a bkg:PrintedName , skosxl:Label ;",
                     f"    skosxl:literalForm {_lit(r['name'])}@zh ;", f'    dct:valid "{r["year"]}"^^xsd:gYear ;',
                     f"    dct:source <{SOURCE}{stem}> ;",
                     f"    bkg:sourcePage {r['page']} ." if r.get("page") else f"    bkg:sourceLine {r['line']} ."]
            blocks.append("\n".join(lines) + "\n")
    return {k: "\n".join(v) for k, v in out.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    ap.add_argument("--data", type=Path, nargs="+", help="build folders (budgetkg build --out DIR)")
    ap.add_argument("--turtle", type=Path, help="reviewed lines (with an en column) -> Turtle for the code lists")
    ap.add_argument("--sources", type=Path, nargs="*", default=[], help="folders of the PDFs, to check each page")
    ap.add_argument("--all", action="store_true", help="also the pairs the list already dates from their document")
    args = ap.parse_args(argv)
    if args.turtle:
        import csv

        with args.turtle.open(encoding="utf-8", newline="") as fh:
            rows = [r for r in csv.DictReader(fh, delimiter="\t") if r["scheme"] in SCHEMES]
        english = {(r["scheme"], r["code"]): r["en"] for r in rows if r.get("en")}
        for scheme, text in turtle(rows, english).items():
            print(f"# ---- {scheme}\n{text}")
        return 0
    if args.data is None:
        ap.error("--data or --turtle is required")
    names, dated = listed_names()
    print("scheme\tcode\tname\tyear\tfile\tpage\tline\ttable\tstatus" + ("\tpage check" if args.sources else ""))
    counts: dict[str, int] = {}
    rows = sorted((r for d in args.data for r in harvest(d)), key=lambda r: (r["scheme"], r["code"], r["name"], r["year"], r["file"]))
    for row in rows:
        st = status(row, names, dated)
        counts[st] = counts.get(st, 0) + 1
        if st == "dated" and not args.all:
            continue
        cells = [row["scheme"], row["code"], row["name"], row["year"], row["file"], str(row["page"] or ""),
                 str(row["line"] or ""), row["table"], st]
        if args.sources:
            cells.append(page_check(args.sources, row["file"], str(row["page"] or ""), str(row["line"] or ""),
                                        row["code"], row["name"]))
        print("\t".join(cells))
    print("# " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
