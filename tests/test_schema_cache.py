"""dbt's JSON schemas kept between runs (cli.schema_cache): real dbt runs write them, the
next run validates against them, and a file for another installation or an unreadable one
is ignored and written again."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import pytest

from cli import dbt_runner, schema_cache
from cli.project import Workdir

CREDENTIALS = "dbt.adapters.duckdb.credentials.DuckDBCredentials"
PROJECT = "dbt.contracts.project.Project"
PROFILE = "dbt.contracts.project.ProfileConfig"


def seed_grid(root: Path) -> dbt_runner.DbtRun:
    """A real dbt run (its project, profile and credentials validated): the grid seed."""
    return dbt_runner.run_dbt(
        "build",
        Workdir(root),
        {"transactions_path": str(root / "none.csv")},
        selection=["--select", "segment_grid"],
    )


def kept(root: Path) -> Path:
    return Workdir(root).target_path / schema_cache.FILE_NAME


def resolve(name: str) -> Any:
    """The class a stored schema's name (`module.QualifiedName`) names."""
    parts = name.split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            found: Any = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for attribute in parts[split:]:
            found = getattr(found, attribute)
        return found
    raise AssertionError(f"no class {name}")


def test_a_dbt_run_keeps_the_schemas_dbt_built(tmp_path: Path) -> None:
    run = seed_grid(tmp_path)
    assert run.ok, run.output[-2000:]
    content = json.loads(kept(tmp_path).read_text(encoding="utf-8"))
    assert content["key"] == schema_cache.installed_key()
    assert {PROJECT, PROFILE, CREDENTIALS} <= set(content["schemas"])
    # What the file holds is what dbt builds in this process, class by class.
    for name, schema in content["schemas"].items():
        assert schema == resolve(name).json_schema(), name


def test_the_next_run_validates_against_the_kept_schemas(tmp_path: Path) -> None:
    assert seed_grid(tmp_path).ok
    path = kept(tmp_path)
    content = json.loads(path.read_text(encoding="utf-8"))
    credentials = content["schemas"][CREDENTIALS]
    credentials["required"] = [*credentials.get("required", []), "kept_schema_marker"]
    path.write_text(json.dumps(content), encoding="utf-8")

    run = seed_grid(tmp_path)

    # dbt validated the profile against the schema from the file: it now requires a
    # setting no profile has.
    assert not run.ok
    assert "kept_schema_marker" in run.output


@pytest.mark.parametrize("written", ["not json", "other installation"])
def test_a_file_for_another_installation_or_unreadable_is_written_again(
    tmp_path: Path, written: str
) -> None:
    path = kept(tmp_path)
    path.parent.mkdir(parents=True)
    if written == "not json":
        path.write_text("{not json", encoding="utf-8")
    else:
        # A schema no profile meets, for other versions: never used.
        refusing = {"type": "object", "required": ["kept_schema_marker"]}
        path.write_text(
            json.dumps({"key": "python-0.0 dbt_core-0.0", "schemas": {CREDENTIALS: refusing}}),
            encoding="utf-8",
        )

    run = seed_grid(tmp_path)

    assert run.ok, run.output[-2000:]
    content = json.loads(path.read_text(encoding="utf-8"))
    assert content["key"] == schema_cache.installed_key()
    assert content["schemas"][CREDENTIALS] == resolve(CREDENTIALS).json_schema()


def test_the_key_names_python_and_the_installed_dbt() -> None:
    import dbt.version
    import mashumaro  # noqa: F401  (installed with dbt)

    key = schema_cache.installed_key()
    assert key is not None
    words = key.split()
    assert words[0].startswith("python-3.")
    assert f"dbt_core-{dbt.version.__version__}" in words
    assert any(word.startswith("dbt_duckdb-") for word in words)
    assert any(word.startswith("mashumaro-") for word in words)


def test_reading_ignores_what_this_module_did_not_write_for_this_key(tmp_path: Path) -> None:
    path = tmp_path / "schemas.json"
    assert schema_cache.read(path, "k") == {}  # no file
    for text in ("{broken", "[1, 2]", json.dumps({"key": "other", "schemas": {"a.B": {}}})):
        path.write_text(text, encoding="utf-8")
        assert schema_cache.read(path, "k") == {}, text
    path.write_text(
        json.dumps({"key": "k", "schemas": {"a.B": {"type": "object"}, "a.C": "not a schema"}}),
        encoding="utf-8",
    )
    assert schema_cache.read(path, "k") == {"a.B": {"type": "object"}}


def test_saving_writes_only_when_a_schema_was_built_and_never_fails(tmp_path: Path) -> None:
    class Example:
        pass

    built: list[type] = []

    def build(cls: type) -> dict[str, str]:
        built.append(cls)
        return {"type": "object"}

    path = tmp_path / "schemas.json"
    stored = {f"{Example.__module__}.{Example.__qualname__}": {"type": "string"}}
    cache = schema_cache.SchemaCache(path, "k", stored)
    assert cache.schema(Example, build) == {"type": "string"}
    cache.save()
    assert built == [] and not path.exists()

    cache = schema_cache.SchemaCache(path, "k", {})
    assert cache.schema(Example, build) == {"type": "object"}
    assert built == [Example]
    cache.save()
    assert schema_cache.read(path, "k") == {
        f"{Example.__module__}.{Example.__qualname__}": {"type": "object"}
    }

    # A folder that does not exist: nothing written, nothing raised, nothing left.
    missing = tmp_path / "missing" / "schemas.json"
    cache = schema_cache.SchemaCache(missing, "k", {})
    cache.schema(Example, build)
    cache.save()
    assert not missing.parent.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["schemas.json"]
