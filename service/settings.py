"""The service's settings: one typed list, read from flags or the environment.

API: :class:`Settings` (a frozen dataclass), :func:`from_env` ``(environ=None, **overrides)``,
:func:`from_args` ``(args, environ=None)``, :func:`add_arguments` ``(parser)``,
:func:`public_url_warning` ``(settings)`` and :data:`FIELDS` (name, environment variable, help).

Precedence: a flag given on the command line, then ``BUDGETKG_<NAME>`` in the
environment, then the default. Every setting has a flag (``--result-limit``) and
a variable (``BUDGETKG_RESULT_LIMIT``).

>>> s = from_env({"BUDGETKG_TIMEOUT": "2.5", "BUDGETKG_CORS_ORIGINS": "https://a.org, https://b.org"})
>>> (s.timeout, s.cors_origins, s.result_limit)
(2.5, ('https://a.org', 'https://b.org'), 100000)
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path

from budgetkg import names

ENV_PREFIX = "BUDGETKG_"
LICENSE_DEFAULT = names.EU_AUTHORITY + "licence/CC_BY_4_0"


def _meta(help_: str, flag: bool = True):
    return {"help": help_, "flag": flag}


@dataclass(frozen=True)
class Settings:
    data: Path = field(default=Path("dist"), metadata=_meta(f"build output folder ({names.MANIFEST}, {names.DUMPS_DIR}/, {names.STORE_DIR}/)"))
    store: Path | None = field(default=None, metadata=_meta("pyoxigraph store folder (default DATA/store)"))
    base_iri: str | None = field(default=None, metadata=_meta(f"base of the instance IRIs (default: read from the build, else {names.DEFAULT_BASE})"))
    public_url: str | None = field(default=None, metadata=_meta("public URL of this service, for links in the catalog and VoID (default: the request's)"))
    host: str = field(default="127.0.0.1", metadata=_meta("address to listen on"))
    port: int = field(default=8000, metadata=_meta("port to listen on"))
    sparql_endpoint: str | None = field(default=None, metadata=_meta("run on an external SPARQL 1.1 endpoint instead of the embedded store"))
    timeout: float = field(default=30.0, metadata=_meta("hard time limit of one query, in seconds"))
    result_limit: int = field(default=100_000, metadata=_meta("most result rows (or triples) a query returns; more are cut and the cut is signalled"))
    workers: int = field(default=0, metadata=_meta("query worker processes (0: one per core, at least 2)"))
    worker_threads: int = field(default=16, metadata=_meta("queries one worker process runs at once, so cheap queries pass slow ones"))
    worker_memory_mb: int = field(default=2048, metadata=_meta("memory (address space) one query worker process may take, in MB; a query that needs more is stopped (503) and nothing else with it (0: no cap)"))
    client_queries: int = field(default=8, metadata=_meta("queries one client may have running or waiting at once (429 above), so one client cannot hold every slot; a client is its address (see trusted_proxies); 0: no bound"))
    queue_max: int = field(default=256, metadata=_meta("queries that may wait for a free slot; more are answered 503 with Retry-After at once (0: no bound)"))
    trusted_proxies: tuple[str, ...] = field(default=(), metadata=_meta("addresses of reverse proxies whose X-Forwarded-For / X-Forwarded-Proto name the client, comma-separated (default none: a client is its peer address)"))
    max_connections: int = field(default=1000, metadata=_meta("open connections (and requests in progress) above which a request is answered 503"))
    header_timeout: float = field(default=10.0, metadata=_meta("seconds a client has to send a request's line and headers; a slower connection is closed (408)"))
    keep_alive: float = field(default=5.0, metadata=_meta("seconds an idle kept-alive connection stays open"))
    cache_mb: int = field(default=64, metadata=_meta("memory for answers kept until the next build, in MB (0: keep none)"))
    cors_origins: tuple[str, ...] = field(default=("*",), metadata=_meta("origins allowed by CORS, comma-separated ('*' for any)"))
    body_limit: int = field(default=1 << 20, metadata=_meta("largest request body accepted, in bytes (413 above)"))
    query_max_bytes: int = field(default=256 << 10, metadata=_meta("longest SPARQL text accepted, in bytes (400 above)"))
    query_max_depth: int = field(default=64, metadata=_meta("deepest nesting of (), {} and [] in a query (400 above: deeper ones crash the engine's parser)"))
    query_max_chain: int = field(default=256, metadata=_meta("most chained operators (/ | ^ ! && || UNION) within one bracket pair (400 above: longer chains crash the engine's parser)"))
    reload_interval: float = field(default=1.0, metadata=_meta("seconds between checks for a rebuilt store (0: never)"))
    license: str = field(default=LICENSE_DEFAULT, metadata=_meta("license IRI stated in the DCAT catalog"))
    log_level: str = field(default="info", metadata=_meta("uvicorn log level"))

    @property
    def store_path(self) -> Path:
        return Path(self.store) if self.store else Path(self.data) / names.STORE_DIR

    @property
    def worker_count(self) -> int:
        return self.workers if self.workers > 0 else max(2, os.cpu_count() or 1)


LOOPBACK = ("127.", "::1", "localhost")


def public_url_warning(settings: Settings) -> str | None:
    """What to tell the operator of a service reachable from other hosts that has no ``--public-url``, else None.

    Without it, links in ``/catalog``, ``/dumps/`` and VoID are built from each request's
    ``Host`` header, which any client chooses: a harvester could be handed links to
    another site. On loopback only the local user can do that.

    >>> public_url_warning(from_env({}, host="0.0.0.0")).split(":")[0]
    'no --public-url'
    >>> public_url_warning(from_env({}, host="0.0.0.0", public_url="https://data.example.org/")) is None
    True
    >>> public_url_warning(from_env({}, host="127.0.0.1")) is None
    True
    """
    if settings.public_url or str(settings.host).startswith(LOOPBACK):
        return None
    return ("no --public-url: links in /catalog, /dumps/ and /.well-known/void are built from each request's Host header, "
            "which clients choose; a public deployment must state its URL (--public-url or BUDGETKG_PUBLIC_URL)")


FIELDS = [(f.name, ENV_PREFIX + f.name.upper(), f.metadata["help"]) for f in dataclasses.fields(Settings)]


def _convert(f: dataclasses.Field, value):
    if value is None:
        return None
    kind = str(f.type)
    if kind.startswith("tuple"):
        if isinstance(value, str):
            return tuple(v.strip() for v in value.split(",") if v.strip())
        return tuple(value)
    if kind.startswith("Path"):
        return Path(value)
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value)
    return str(value) if value != "" else None


def from_env(environ: dict | None = None, **overrides) -> Settings:
    """Settings from the environment, then ``overrides`` (values that are ``None`` are ignored).

    :raises ValueError: for a value of the wrong type, or a timeout or limit that is not positive.
    """
    environ = os.environ if environ is None else environ
    values = {}
    for f in dataclasses.fields(Settings):
        raw = overrides.get(f.name)
        if raw is None:
            raw = environ.get(ENV_PREFIX + f.name.upper())
        if raw is None:
            continue
        try:
            values[f.name] = _convert(f, raw)
        except ValueError as exc:
            raise ValueError(f"setting {f.name}: {exc}") from None
    settings = Settings(**values)
    if min(settings.timeout, settings.result_limit, settings.body_limit, settings.worker_threads, settings.query_max_bytes,
           settings.query_max_depth, settings.query_max_chain) <= 0:
        raise ValueError("timeout, result_limit, body_limit, worker_threads and the query_max_* limits must be positive")
    if min(settings.max_connections, settings.header_timeout, settings.keep_alive) <= 0:
        raise ValueError("max_connections, header_timeout and keep_alive must be positive")
    if min(settings.cache_mb, settings.worker_memory_mb, settings.client_queries, settings.queue_max) < 0:
        raise ValueError("cache_mb, worker_memory_mb, client_queries and queue_max must be 0 or more")
    if settings.base_iri and not settings.base_iri.endswith("/"):
        raise ValueError("base_iri must end with '/'")
    return settings


def from_args(args, environ: dict | None = None) -> Settings:
    """Settings from an argparse namespace (attributes named like the fields), then the environment."""
    return from_env(environ, **{f.name: getattr(args, f.name, None) for f in dataclasses.fields(Settings)})


def add_arguments(parser) -> None:
    """Add one ``--flag`` per setting (default ``None``: the environment or the built-in default applies)."""
    existing = {a.dest for a in parser._actions}
    for f in dataclasses.fields(Settings):
        if f.name in existing:
            continue
        kind = str(f.type)
        typ = int if kind == "int" else float if kind == "float" else str
        parser.add_argument("--" + f.name.replace("_", "-"), dest=f.name, type=typ, default=None,
                            help=f"{f.metadata['help']} (env {ENV_PREFIX}{f.name.upper()})")
