"""What dbt works out in every process, kept between runs (cli.dbt_cache): real dbt runs
write dbt's JSON schemas and compiled templates, the next run uses them, and a file for
another installation or an unreadable one is ignored and written again."""

from __future__ import annotations

import importlib
import json
import marshal
import types
from pathlib import Path
from typing import Any

import pytest

from cli import dbt_cache
from cli.project import Workdir
from tests.test_launch import build_grid_seed

CREDENTIALS = "dbt.adapters.duckdb.credentials.DuckDBCredentials"
PROJECT = "dbt.contracts.project.Project"
PROFILE = "dbt.contracts.project.ProfileConfig"


def kept(root: Path, name: str = dbt_cache.SCHEMAS_FILE) -> Path:
    return Workdir(root).target_path / name


def templates(root: Path) -> dict[str, Any]:
    content = marshal.loads(kept(root, dbt_cache.TEMPLATES_FILE).read_bytes())
    assert content["key"] == dbt_cache.installed_key()
    return content["code"]


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


def test_a_dbt_run_keeps_the_schemas_and_templates_dbt_made(tmp_path: Path) -> None:
    run = build_grid_seed(tmp_path)
    assert run.ok, run.output[-2000:]
    content = json.loads(kept(tmp_path).read_text(encoding="utf-8"))
    assert content["key"] == dbt_cache.installed_key()
    assert {PROJECT, PROFILE, CREDENTIALS} <= set(content["schemas"])
    # What the file holds is what dbt builds in this process, class by class.
    for name, schema in content["schemas"].items():
        assert schema == resolve(name).json_schema(), name
    # The code of every template it compiled (dbt's seed materialization and the macros
    # it calls, at least).
    code = templates(tmp_path)
    assert len(code) > 20
    assert all(isinstance(value, types.CodeType) for value in code.values())


def test_the_next_run_validates_against_the_kept_schemas(tmp_path: Path) -> None:
    assert build_grid_seed(tmp_path).ok
    path = kept(tmp_path)
    content = json.loads(path.read_text(encoding="utf-8"))
    credentials = content["schemas"][CREDENTIALS]
    credentials["required"] = [*credentials.get("required", []), "kept_schema_marker"]
    path.write_text(json.dumps(content), encoding="utf-8")

    run = build_grid_seed(tmp_path)

    # dbt validated the profile against the schema from the file: it now requires a
    # setting no profile has.
    assert not run.ok
    assert "kept_schema_marker" in run.output


def test_the_next_run_runs_the_kept_templates(tmp_path: Path) -> None:
    assert build_grid_seed(tmp_path).ok
    path = kept(tmp_path, dbt_cache.TEMPLATES_FILE)
    content = marshal.loads(path.read_bytes())
    failing = compile("raise RuntimeError('kept_template_marker')", "<template>", "exec")
    content["code"] = dict.fromkeys(content["code"], failing)
    path.write_bytes(marshal.dumps(content))

    run = build_grid_seed(tmp_path)

    # dbt ran the code from the file, not code compiled again from the templates.
    assert not run.ok
    assert "kept_template_marker" in run.output


@pytest.mark.parametrize("written", ["unreadable", "other installation"])
def test_files_for_another_installation_or_unreadable_are_written_again(
    tmp_path: Path, written: str
) -> None:
    schemas, code = kept(tmp_path), kept(tmp_path, dbt_cache.TEMPLATES_FILE)
    schemas.parent.mkdir(parents=True)
    if written == "unreadable":
        schemas.write_text("{not json", encoding="utf-8")
        code.write_bytes(b"not marshal")
    else:
        # A schema no profile meets and code that fails, for other versions: never used.
        other = "python-0.0 dbt_core-0.0"
        refusing = {"type": "object", "required": ["kept_schema_marker"]}
        schemas.write_text(
            json.dumps({"key": other, "schemas": {CREDENTIALS: refusing}}), encoding="utf-8"
        )
        failing = compile("raise RuntimeError('kept_template_marker')", "<template>", "exec")
        code.write_bytes(marshal.dumps({"key": other, "code": {"a" * 64: failing}}))

    run = build_grid_seed(tmp_path)

    assert run.ok, run.output[-2000:]
    content = json.loads(schemas.read_text(encoding="utf-8"))
    assert content["key"] == dbt_cache.installed_key()
    assert content["schemas"][CREDENTIALS] == resolve(CREDENTIALS).json_schema()
    assert len(templates(tmp_path)) > 20


def test_the_key_names_python_and_the_installed_dbt() -> None:
    import dbt.version

    key = dbt_cache.installed_key()
    assert key is not None
    words = key.split()
    assert words[0].startswith("python-3.")
    assert f"dbt_core-{dbt.version.__version__}" in words
    for distribution in ("dbt_common-", "dbt_adapters-", "dbt_duckdb-", "mashumaro-", "jinja2-"):
        assert any(word.startswith(distribution) for word in words), distribution


def test_reading_ignores_what_this_module_did_not_write_for_this_key(tmp_path: Path) -> None:
    path = tmp_path / "schemas.json"
    assert dbt_cache.read_schemas(path, "k") == {}  # no file
    for text in ("{broken", "[1, 2]", json.dumps({"key": "other", "schemas": {"a.B": {}}})):
        path.write_text(text, encoding="utf-8")
        assert dbt_cache.read_schemas(path, "k") == {}, text
    path.write_text(
        json.dumps({"key": "k", "schemas": {"a.B": {"type": "object"}, "a.C": "not a schema"}}),
        encoding="utf-8",
    )
    assert dbt_cache.read_schemas(path, "k") == {"a.B": {"type": "object"}}

    path = tmp_path / "templates.marshal"
    code = compile("x = 1", "<template>", "exec")
    assert dbt_cache.read_code(path, "k") == {}  # no file
    for content in (b"not marshal", marshal.dumps([1]), marshal.dumps({"key": "other"})):
        path.write_bytes(content)
        assert dbt_cache.read_code(path, "k") == {}, content
    path.write_bytes(marshal.dumps({"key": "k", "code": {"a": code, "b": "not code"}}))
    assert dbt_cache.read_code(path, "k") == {"a": code}


def test_a_file_is_written_only_when_something_was_made_and_never_fails(
    tmp_path: Path,
) -> None:
    made: list[str] = []

    def make(name: str) -> dict[str, str]:
        made.append(name)
        return {"type": "object"}

    path = tmp_path / "schemas.json"
    kept_schemas = dbt_cache.Kept(path, "k", {"a.Stored": {"type": "string"}})
    assert kept_schemas.get("a.Stored", lambda: make("a.Stored")) == {"type": "string"}
    dbt_cache.save_schemas(kept_schemas)
    assert made == [] and not path.exists()

    assert kept_schemas.get("a.Made", lambda: make("a.Made")) == {"type": "object"}
    assert kept_schemas.get("a.Made", lambda: make("a.Made")) == {"type": "object"}
    assert made == ["a.Made"]
    dbt_cache.save_schemas(kept_schemas)
    assert dbt_cache.read_schemas(path, "k") == {
        "a.Stored": {"type": "string"},
        "a.Made": {"type": "object"},
    }

    # A folder that does not exist: nothing written, nothing raised, nothing left.
    missing = tmp_path / "missing" / "schemas.json"
    kept_schemas = dbt_cache.Kept(missing, "k", {})
    kept_schemas.get("a.Made", lambda: make("a.Made"))
    dbt_cache.save_schemas(kept_schemas)
    assert not missing.parent.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["schemas.json"]


def test_past_the_limit_a_file_keeps_only_what_the_run_used_and_made(tmp_path: Path) -> None:
    kept_code = dbt_cache.Kept(tmp_path / "t", "k", {"used": 1, "unused": 2, "other": 3})
    kept_code.get("used", lambda: 0)
    kept_code.get("made", lambda: 4)
    assert kept_code.entries() == {"used": 1, "unused": 2, "other": 3, "made": 4}
    assert kept_code.entries(limit=4) == {"used": 1, "unused": 2, "other": 3, "made": 4}
    assert kept_code.entries(limit=3) == {"used": 1, "made": 4}


MACRO = "{% macro greet(name) %}hello {{ name | upper }}{% endmacro %}"
TEMPLATES = [
    MACRO,
    "{%- set numbers = [3, 1, 2] -%}{{ numbers | sort | join(',') }} {{ numbers | length }}",
    "{{ [1, 2] }}",
    "{% for i in range(3) %}{% if i == 1 %}{% continue %}{% endif %}{{ i }}{% endfor %}",
]


def render(source: str, native: bool) -> Any:
    """The template rendered, or for the macro, the macro called, as dbt calls macros
    (from the template's module, under dbt's name for it)."""
    from dbt_common.clients import jinja as dbt_jinja

    template = dbt_jinja.get_template(source, {}, native=native)
    if source == MACRO:
        return template.module.dbt_macro__greet("x")
    return dbt_jinja.render_template(template, {})


def test_kept_templates_render_as_dbt_compiles_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In this process: dbt's text and native environments, through dbt's own functions,
    render the same with the code compiled now, kept, and read back from the file."""
    from dbt_common.clients import jinja as dbt_jinja

    environment = dbt_jinja.MacroFuzzEnvironment
    monkeypatch.setattr(environment, "compile", environment.compile)  # undone after
    cases = [(source, native) for source in TEMPLATES for native in (False, True)]
    expected = {case: render(*case) for case in cases}
    path = tmp_path / dbt_cache.TEMPLATES_FILE

    made = dbt_cache.keep_templates(path, "k")
    assert made is not None
    assert {case: render(*case) for case in cases} == expected
    # One entry per template and environment: the native one compiles other code.
    assert len(made.made) == len(cases)
    dbt_cache.save_templates(made)

    read_back = dbt_cache.keep_templates(path, "k")
    assert read_back is not None
    assert {case: render(*case) for case in cases} == expected
    assert read_back.made == {} and read_back.used == set(made.made)

    # A template that does not compile fails as before and is not kept; a named one (a
    # file's, not a string's) is compiled as dbt does.
    with pytest.raises(Exception, match="endfor"):
        render("{% for i in range(3) %}", False)
    assert read_back.made == {}
    environment().compile("{{ 1 }}", name="named")
    assert read_back.made == {}


def test_the_code_depends_on_the_template_and_the_environment() -> None:
    from dbt_common.clients import jinja as dbt_jinja

    text, native = dbt_jinja.get_environment(), dbt_jinja.get_environment(native=True)
    names = {
        dbt_cache.template_name(text, "{{ 1 }}"),
        dbt_cache.template_name(native, "{{ 1 }}"),
        dbt_cache.template_name(text, "{{ 2 }}"),
    }
    assert len(names) == 3
    assert dbt_cache.template_name(text, "{{ 1 }}") == dbt_cache.template_name(
        dbt_jinja.get_environment(), "{{ 1 }}"
    )
    trimmed = dbt_jinja.get_environment()
    trimmed.trim_blocks = True
    assert dbt_cache.template_name(trimmed, "{{ 1 }}") != dbt_cache.template_name(text, "{{ 1 }}")
