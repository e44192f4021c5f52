"""The JSON schemas dbt checks its project and profile against, kept between runs.

dbt validates dbt_project.yml, profiles.yml and the adapter's credentials against JSON
schemas it builds from its dataclasses (with mashumaro) the first time each is needed, in
every process: about 0.45 s of every build on a 2-core machine, whatever its input
(docs/benchmarks.md, item 21). A schema depends only on the installed code, so the dbt
process (cli.dbt_child) keeps the schemas it built in the working folder
(`<workdir>/.segments/target/dbt_json_schemas.json`), keyed by Python's version and the
installed dbt distributions and mashumaro, and a later run reads them instead of building
them again.

Only where a schema comes from changes: dbt still validates, with the same schema (the
file holds what dbt built, as JSON), the same validator and the same errors. A file that
cannot be read, is not what this module writes, or was written for other versions is
ignored and written again; a file that cannot be written costs the next run the build of
the schemas, nothing else.
"""

from __future__ import annotations

import functools
import json
import os
import secrets
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Where the dbt process keeps the schemas; set by the CLI (cli.dbt_runner).
CACHE_ENV = "SEGMENTS_DBT_SCHEMAS"
FILE_NAME = "dbt_json_schemas.json"
# The installed distributions whose versions key the file: every dbt distribution (core,
# common, adapters and each adapter: a credentials class comes from its adapter) and
# mashumaro, which builds the schemas. The first four must be found, or nothing is kept.
REQUIRED = ("dbt_core", "dbt_common", "dbt_adapters", "mashumaro")


def installed_key() -> str | None:
    """Python's version and the `name-version` of each distribution the schemas come from,
    read from the names of their metadata folders (no import, one folder listing); None
    when dbt's are not found there."""
    import dbt_common

    site = Path(dbt_common.__file__).resolve().parent.parent
    try:
        names = os.listdir(site)
    except OSError:
        return None
    found = sorted(
        name.removesuffix(".dist-info")
        for name in names
        if name.endswith(".dist-info") and _keys_schemas(name.split("-", 1)[0].lower())
    )
    distributions = {name.split("-", 1)[0].lower() for name in found}
    if not all(required in distributions for required in REQUIRED):
        return None
    return " ".join([f"python-{sys.version.split()[0]}", *found])


def _keys_schemas(distribution: str) -> bool:
    return distribution.startswith("dbt") or distribution == "mashumaro"


class SchemaCache:
    """The schemas read from `path` for this installation, and those built since."""

    def __init__(self, path: Path, key: str, stored: dict[str, Any]) -> None:
        self.path = path
        self.key = key
        self.stored = stored
        self.built: dict[str, Any] = {}

    def schema(self, cls: type, build: Callable[[type], Any]) -> Any:
        """`cls`'s schema: the stored one, else built by `build` (dbt's own method)."""
        name = f"{cls.__module__}.{cls.__qualname__}"
        found = self.stored.get(name)
        if found is None:
            found = self.built[name] = build(cls)
        return found

    def save(self) -> None:
        """Write the stored and built schemas, when any was built (atomically: a reader sees
        the previous file or this one). A failure to write is ignored."""
        if not self.built:
            return
        content = {"key": self.key, "schemas": {**self.stored, **self.built}}
        temporary = self.path.with_name(f".{self.path.name}.{secrets.token_hex(4)}.tmp")
        try:
            temporary.write_text(json.dumps(content), encoding="utf-8")
            os.replace(temporary, self.path)
        except (OSError, TypeError, ValueError):
            temporary.unlink(missing_ok=True)


def read(path: Path, key: str) -> dict[str, Any]:
    """The schemas `path` holds for `key`; none if it cannot be read or is for another."""
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(content, dict) or content.get("key") != key:
        return {}
    schemas = content.get("schemas")
    if not isinstance(schemas, dict):
        return {}
    return {name: schema for name, schema in schemas.items() if isinstance(schema, dict)}


def install(path: Path) -> SchemaCache | None:
    """Make dbt take its schemas from `path` (and those it builds) for the rest of this
    process; None (and dbt left as it is) when the installation cannot be keyed."""
    try:
        from dbt_common.dataclass_schema import dbtClassMixin
    except ImportError:  # another dbt: left as it is
        return None

    key = installed_key()
    method = dbtClassMixin.__dict__.get("json_schema")
    if key is None or not isinstance(method, classmethod):
        return None
    build = method.__func__
    cache = SchemaCache(path, key, read(path, key))

    @functools.lru_cache
    def json_schema(cls: type) -> Any:
        return cache.schema(cls, build)

    dbtClassMixin.json_schema = classmethod(json_schema)  # type: ignore[assignment, method-assign]
    return cache
