"""Where the project's data folders live.

API: :data:`ROOT`, :data:`ONTOLOGY`, :data:`CODELISTS`, :data:`SHAPES`, :data:`SPARQL`,
:data:`SAMPLES`, :func:`default_sources`.

The package is installed in development mode (``pip install -e .``), so the
folders beside the code are the ones it reads.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology"
CODELISTS = ONTOLOGY / "codelists"
SHAPES = ROOT / "shapes"
SPARQL = ROOT / "sparql"
SAMPLES = ROOT / "data" / "samples"


def default_sources() -> list[Path]:
    """The bundled sample disclosures, in name order."""
    return sorted(p for p in SAMPLES.iterdir() if p.suffix.lower() in {".txt", ".pdf"})
