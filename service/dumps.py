"""The dump files of the build at ``/dumps/``.

``GET /dumps/``: the files with size, sha256 and Last-Modified (JSON, or HTML for a browser).
``GET|HEAD /dumps/{name}``: the file, with ``ETag`` (its sha256 from the manifest),
``Last-Modified``, conditional GET (``If-None-Match`` / ``If-Modified-Since`` -> 304),
byte ranges, and gzip when the client accepts it (``Content-Encoding: gzip``,
compressed as it streams; a ``name.gz`` beside the file is sent as is).
"""

from __future__ import annotations

import hashlib
import zlib
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path

from fastapi import APIRouter, Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response, StreamingResponse

from . import html as h
from .common import public_url, svc
from .errors import ServiceError
from .formats import FORMATS

router = APIRouter()
CHUNK = 1 << 18


def dump_files(s) -> list[dict]:
    """The dumps that exist, with bytes, sha256, mtime and media type (manifest facts where present)."""
    folder: Path = s.data.dumps_dir
    facts = s.data.manifest.get("dumps", {})
    out = []
    try:
        names = sorted(p.name for p in folder.iterdir() if p.is_file() and not p.name.endswith(".gz"))
    except OSError:
        return []
    for name in names:
        st = (folder / name).stat()
        info = facts.get(name, {})
        sha = info.get("sha256") if info.get("bytes") == st.st_size else None
        fmt = FORMATS.get(name.rsplit(".", 1)[-1])
        out.append({"name": name, "bytes": st.st_size, "sha256": sha or _sha256(folder / name, st, s.cache.sha256),
                    "modified": formatdate(st.st_mtime, usegmt=True), "mtime": st.st_mtime,
                    "media_type": fmt.media_type if fmt else "application/octet-stream"})
    return out


def _sha256(path: Path, st, cache: dict) -> str:
    key = (str(path), st.st_mtime_ns, st.st_size)
    if key not in cache:
        with path.open("rb") as fh:
            cache[key] = hashlib.file_digest(fh, "sha256").hexdigest()
    return cache[key]


def _accepts_gzip(request: Request) -> bool:
    for part in request.headers.get("accept-encoding", "").split(","):
        bits = [b.strip() for b in part.split(";")]
        if bits[0].lower() in ("gzip", "*"):
            q = next((b[2:] for b in bits[1:] if b.startswith("q=")), "1")
            try:
                return float(q) > 0
            except ValueError:
                return False
    return False


def _not_modified(request: Request, etags: list[str], mtime: float) -> bool:
    inm = request.headers.get("if-none-match")
    if inm is not None:
        wanted = {t.strip().removeprefix("W/") for t in inm.split(",")}
        return "*" in wanted or any(e in wanted for e in etags)
    ims = request.headers.get("if-modified-since")
    if ims:
        try:
            return int(mtime) <= parsedate_to_datetime(ims).timestamp()
        except (TypeError, ValueError):
            return False
    return False


@router.api_route("/dumps", methods=["GET", "HEAD"], include_in_schema=False)
@router.api_route("/dumps/", methods=["GET", "HEAD"])
async def listing(request: Request):
    s = svc(request)
    files = dump_files(s)
    base = public_url(request) + "dumps/"
    if "text/html" in request.headers.get("accept", ""):
        rows = [[f"<a href='/dumps/{h.esc(f['name'])}'>{h.esc(f['name'])}</a>", f"{f['bytes']:,}", h.esc(f["media_type"]),
                 f"<code>{h.esc(f['sha256'])}</code>", h.esc(f["modified"])] for f in files]
        note = "<p>Every file is also sent gzip-compressed to clients that accept it. Checksums are SHA-256.</p>"
        return HTMLResponse(h.page("Dumps · 数据下载", note + h.table(["File", "Bytes", "Media type", "SHA-256", "Last modified"], rows, {1})),
                            headers={"Vary": "Accept"})
    return JSONResponse({"dumps": [{"name": f["name"], "url": base + f["name"], "bytes": f["bytes"], "sha256": f["sha256"],
                                    "media_type": f["media_type"], "last_modified": f["modified"]} for f in files]},
                        headers={"Vary": "Accept"})


@router.api_route("/dumps/{name}", methods=["GET", "HEAD"])
async def dump(request: Request, name: str):
    s = svc(request)
    entry = next((f for f in dump_files(s) if f["name"] == name), None)
    if entry is None or "/" in name or name.startswith("."):
        raise ServiceError(404, f"no dump named {name!r}; see /dumps/")
    path = s.data.dumps_dir / name
    etag = f'"{entry["sha256"]}"'
    gz_etag = f'"{entry["sha256"]}-gzip"'
    headers = {"ETag": etag, "Last-Modified": entry["modified"], "Vary": "Accept-Encoding", "Cache-Control": "no-cache",
               "Content-Disposition": f'attachment; filename="{name}"'}
    gzip = _accepts_gzip(request)
    if _not_modified(request, [etag, gz_etag], entry["mtime"]):
        headers["ETag"] = gz_etag if gzip else etag
        return Response(status_code=304, headers=headers)
    media = FORMATS[name.rsplit(".", 1)[-1]].content_type if name.rsplit(".", 1)[-1] in FORMATS else entry["media_type"]
    if not gzip or request.headers.get("range"):
        return FileResponse(path, headers=headers, media_type=media)
    headers.update({"ETag": gz_etag, "Content-Encoding": "gzip"})
    pre = path.with_name(name + ".gz")
    if pre.is_file() and pre.stat().st_mtime >= entry["mtime"]:
        return FileResponse(pre, headers=headers, media_type=media)
    if request.method == "HEAD":
        # The compressed size is known only by compressing: say nothing of it, as the streamed GET
        # (chunked) does not either, rather than the "content-length: 0" an empty Response would add.
        head = Response(status_code=200, headers=headers, media_type=media)
        del head.headers["content-length"]
        return head
    return StreamingResponse(_gzip_stream(path), headers=headers, media_type=media)


def _gzip_stream(path: Path):
    """Compress while sending (a sync generator: Starlette runs it in a worker thread)."""
    comp = zlib.compressobj(6, zlib.DEFLATED, 31)
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            out = comp.compress(chunk)
            if out:
                yield out
    yield comp.flush()
