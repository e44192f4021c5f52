"""What dbt works out again in every process, kept in the working folder between runs.

Two things dbt does in every process cost a build about 1.5 s on a slow 2-core machine
(dbt's time at 10k transactions, 5.04 s to 3.40 s), whatever its input, and give the same
result every time (docs/benchmarks.md, items 21 and 22):

- **JSON schemas.** dbt validates dbt_project.yml, profiles.yml and the adapter's
  credentials against JSON schemas it builds from its dataclasses with mashumaro, the
  first time each is needed (about 0.45 s).
- **Compiled templates.** Every macro and model dbt runs is a Jinja template, which
  Jinja turns into Python source and Python into code the first time it is used (about
  1 s at 27 nodes).

The dbt process (cli.dbt_child) keeps both in the folder the CLI names in
`SEGMENTS_DBT_CACHE` (`<workdir>/.segments/target/`, beside dbt's own parse cache):
`dbt_json_schemas.json` (each class's schema, as JSON) and `dbt_templates.marshal` (each
template's code, Python's `marshal` format, keyed by a SHA-256 of the template's source
and of the Jinja environment's settings that shape its code). Both files carry a key
naming Python's version and the installed dbt distributions, mashumaro and Jinja; a file
for another key, or one that cannot be read, is ignored and written again. A file that
cannot be written costs the next run the work again, nothing else.

Only where a schema or a template's code comes from changes: dbt validates against the
same schema, with its validator and errors, and renders the same code, in its sandbox.
The templates file holds code this process runs, as Python's own `__pycache__` does
beside a module: a working folder must be trusted as the project is (dbt's parse cache
there already holds the project's SQL and Jinja).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import marshal
import os
import secrets
import sys
from collections.abc import Callable
from pathlib import Path
from types import CodeType
from typing import Any

# The folder the dbt process keeps its caches in; set by the CLI (cli.dbt_runner).
CACHE_ENV = "SEGMENTS_DBT_CACHE"
SCHEMAS_FILE = "dbt_json_schemas.json"
TEMPLATES_FILE = "dbt_templates.marshal"
# The installed distributions whose versions key the files: every dbt distribution (core,
# common, adapters and each adapter: a credentials class comes from its adapter),
# mashumaro, which builds the schemas, and Jinja, which compiles the templates. These
# must be found, or nothing is kept.
REQUIRED = ("dbt_core", "dbt_common", "dbt_adapters", "mashumaro", "jinja2")
# Templates kept at most: past it, a run keeps only the templates it used.
MAX_TEMPLATES = 5000


def installed_key() -> str | None:
    """Python's version and the `name-version` of each distribution the kept work comes
    from, read from the names of their metadata folders (no import, one folder listing);
    None when one is not found there."""
    import dbt_common

    site = Path(dbt_common.__file__).resolve().parent.parent
    try:
        names = os.listdir(site)
    except OSError:
        return None
    found = sorted(
        name.removesuffix(".dist-info")
        for name in names
        if name.endswith(".dist-info") and _in_key(name.split("-", 1)[0].lower())
    )
    distributions = {name.split("-", 1)[0].lower() for name in found}
    if not all(required in distributions for required in REQUIRED):
        return None
    return " ".join([f"python-{sys.version.split()[0]}", *found])


def _in_key(distribution: str) -> bool:
    return distribution.startswith("dbt") or distribution in ("mashumaro", "jinja2")


class Kept:
    """What one file keeps for an installation's key: entries read from it, the ones
    made since, and the ones used."""

    def __init__(self, path: Path, key: str, stored: dict[str, Any]) -> None:
        self.path = path
        self.key = key
        self.stored = stored
        self.made: dict[str, Any] = {}
        self.used: set[str] = set()

    def get(self, name: str, make: Callable[[], Any]) -> Any:
        """The entry `name`: the stored one, else one made now by `make` (dbt's own way)."""
        found = self.stored.get(name)
        if found is None:
            found = self.made.get(name)
            if found is None:
                found = self.made[name] = make()
        self.used.add(name)
        return found

    def entries(self, limit: int | None = None) -> dict[str, Any]:
        """What to write: every stored and made entry, or when that is over `limit`, the
        ones this run used and made."""
        kept = {**self.stored, **self.made}
        if limit is not None and len(kept) > limit:
            kept = {name: kept[name] for name in kept if name in self.used or name in self.made}
        return kept


def _write_atomically(path: Path, content: bytes) -> None:
    """Write `path` (a reader sees the previous file or this one); ignore a failure."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        temporary.write_bytes(content)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


def _stored(content: Any, key: str, field: str) -> dict[Any, Any]:
    """The entries under `field` of a file's content written for `key`; none otherwise."""
    if not isinstance(content, dict) or content.get("key") != key:
        return {}
    entries = content.get(field)
    return entries if isinstance(entries, dict) else {}


# JSON schemas --------------------------------------------------------------------------


def read_schemas(path: Path, key: str) -> dict[str, Any]:
    """The schemas `path` holds for `key`; none if it cannot be read or is for another."""
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    schemas = _stored(content, key, "schemas")
    return {name: schema for name, schema in schemas.items() if isinstance(schema, dict)}


def save_schemas(kept: Kept) -> None:
    if kept.made:
        content = {"key": kept.key, "schemas": kept.entries()}
        _write_atomically(kept.path, json.dumps(content).encode("utf-8"))


def keep_schemas(path: Path, key: str) -> Kept | None:
    """Make dbt take its JSON schemas from `path` (and those it builds) for the rest of
    this process; None (and dbt left as it is) when its method is not where expected."""
    try:
        from dbt_common.dataclass_schema import dbtClassMixin
    except ImportError:
        return None
    method = dbtClassMixin.__dict__.get("json_schema")
    if not isinstance(method, classmethod):
        return None
    build = method.__func__
    kept = Kept(path, key, read_schemas(path, key))

    @functools.lru_cache
    def json_schema(cls: type) -> Any:
        return kept.get(f"{cls.__module__}.{cls.__qualname__}", lambda: build(cls))

    dbtClassMixin.json_schema = classmethod(json_schema)  # type: ignore[assignment, method-assign]
    return kept


# Compiled templates --------------------------------------------------------------------


def read_code(path: Path, key: str) -> dict[str, CodeType]:
    """The compiled code `path` holds for `key` (templates here, generated sources in
    cli.code_cache); none if it cannot be read or is for another."""
    try:
        content = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    code = _stored(content, key, "code")
    return {
        name: value
        for name, value in code.items()
        if isinstance(name, str) and isinstance(value, CodeType)
    }


def save_code(kept: Kept, limit: int) -> None:
    """Write `kept`'s code when it made any, at most `limit` entries (see Kept.entries)."""
    if kept.made:
        content = {"key": kept.key, "code": kept.entries(limit)}
        _write_atomically(kept.path, marshal.dumps(content))


def save_templates(kept: Kept) -> None:
    save_code(kept, MAX_TEMPLATES)


def template_name(environment: Any, source: str) -> str:
    """A template's entry: a SHA-256 of its source and of what else shapes the code Jinja
    makes of it (the environment's class and code generator, its extensions, syntax,
    whitespace settings, and the filters and tests it knows, checked while compiling)."""
    settings = [
        f"{type(environment).__module__}.{type(environment).__qualname__}",
        repr(environment.code_generator_class),
        repr(sorted(environment.extensions)),
        repr(
            (
                environment.block_start_string,
                environment.block_end_string,
                environment.variable_start_string,
                environment.variable_end_string,
                environment.comment_start_string,
                environment.comment_end_string,
                environment.line_statement_prefix,
                environment.line_comment_prefix,
                environment.trim_blocks,
                environment.lstrip_blocks,
                environment.newline_sequence,
                environment.keep_trailing_newline,
                environment.optimized,
                environment.autoescape,
            )
        ),
        repr(sorted(environment.filters)),
        repr(sorted(environment.tests)),
    ]
    digest = hashlib.sha256("\0".join(settings).encode("utf-8"))
    digest.update(b"\0")
    digest.update(source.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def keep_templates(path: Path, key: str) -> Kept | None:
    """Make dbt's Jinja environments take a template's code from `path` (and keep the code
    they compile) for the rest of this process; None (and dbt left as it is) when its
    environment is not where expected."""
    try:
        from dbt_common.clients import jinja as dbt_jinja
    except ImportError:
        return None
    environment_class = getattr(dbt_jinja, "MacroFuzzEnvironment", None)
    if environment_class is None:
        return None
    compile_template = environment_class.compile
    kept = Kept(path, key, read_code(path, key))

    def compile(
        self: Any,
        source: Any,
        name: str | None = None,
        filename: str | None = None,
        raw: bool = False,
        defer_init: bool = False,
    ) -> Any:
        if (
            not isinstance(source, str)
            or name is not None
            or filename is not None
            or raw
            or defer_init
            or getattr(dbt_jinja, "MACRO_DEBUGGING", False)
        ):
            return compile_template(self, source, name, filename, raw, defer_init)
        return kept.get(
            template_name(self, source),
            lambda: compile_template(self, source, name, filename, raw, defer_init),
        )

    environment_class.compile = compile
    return kept


class Caches:
    """The caches one dbt process keeps; `save` writes what it added to them."""

    def __init__(self, schemas: Kept | None, templates: Kept | None) -> None:
        self.schemas = schemas
        self.templates = templates

    def save(self) -> None:
        if self.schemas is not None:
            save_schemas(self.schemas)
        if self.templates is not None:
            save_templates(self.templates)


def install(folder: Path) -> Caches | None:
    """Keep dbt's JSON schemas and compiled templates in `folder` for this process; None
    when the installation cannot be keyed."""
    try:
        key = installed_key()
    except ImportError:
        return None
    if key is None:
        return None
    return Caches(
        keep_schemas(folder / SCHEMAS_FILE, key), keep_templates(folder / TEMPLATES_FILE, key)
    )
