"""The package data: ontology, code lists, shapes, named queries and the bundled samples.

API: :data:`ONTOLOGY`, :data:`CODELISTS`, :data:`SHAPES`, :data:`SPARQL`, :data:`SAMPLES`
(folders), :func:`files` ``(folder, pattern) -> list[Path]``, :func:`default_sources`,
:class:`ResourceMissing`.

They ship inside the package (``budgetkg.ontology`` and so on, mapped from the
top-level folders of the checkout by ``pyproject.toml``) and are found through the
package, so an installed wheel reads the same files as a checkout. A missing
resource raises :class:`ResourceMissing`: a build without its code lists or shapes
would publish a wrong graph, so nothing degrades silently.

>>> sorted(p.name for p in files(SHAPES, "*.ttl"))[:2]
['arithmetic.ttl', 'audit-codes.ttl']
"""

from __future__ import annotations

from importlib.resources import files as _package_files
from pathlib import Path

from .errors import ResourceMissing

__all__ = [
    "CODELISTS", "ONTOLOGY", "SAMPLES", "SHAPES", "SPARQL", "ResourceMissing", "default_sources", "files", "require",
]


def _folder(package: str) -> Path:
    try:
        path = Path(str(_package_files(package)))
    except ModuleNotFoundError as exc:
        raise ResourceMissing(f"package data {package} is not installed; reinstall budgetkg") from exc
    if not path.is_dir():
        raise ResourceMissing(f"package data {package} is not installed at {path}; reinstall budgetkg")
    return path


ONTOLOGY = _folder("budgetkg.ontology")
CODELISTS = _folder("budgetkg.ontology.codelists")
SHAPES = _folder("budgetkg.shapes")
SPARQL = _folder("budgetkg.sparql")
SAMPLES = _folder("budgetkg.samples")
SOURCE_SUFFIXES = (".txt", ".pdf")


def files(folder: Path, pattern: str) -> list[Path]:
    """The files of a package-data folder matching ``pattern``, in name order.

    :raises ResourceMissing: when none matches.
    """
    found = sorted(folder.glob(pattern))
    if not found:
        raise ResourceMissing(f"no {pattern} in {folder}: the installation of budgetkg is incomplete")
    return found


def require(path: Path) -> Path:
    """``path`` itself. :raises ResourceMissing: when it does not exist."""
    if not path.exists():
        raise ResourceMissing(f"{path} is missing: the installation of budgetkg is incomplete")
    return path


def default_sources() -> list[Path]:
    """The bundled sample disclosures, in name order."""
    return [p for p in files(SAMPLES, "*") if p.suffix.lower() in SOURCE_SUFFIXES]
