"""How the dbt process prepares itself before importing dbt (cli.dbt_child)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Imports dbt in a new process, lazily or not, and prints, for classes whose code
# mashumaro would otherwise write during the import, whether their `to_dict`/`from_dict`
# still waits to be compiled, and what they give.
PROBE = """
import json, sys
from cli import dbt_child
if sys.argv[1] == "lazy":
    dbt_child.compile_serializers_lazily()
import dbt.cli.main
from mashumaro.jsonschema.models import JSONObjectSchema, JSONSchema
from dbt.artifacts.resources.v1.model import ModelConfig

def waiting(method):
    return "CodeBuilder" in getattr(method, "__func__", method).__code__.co_names

schema = JSONObjectSchema(title="t", properties={"a": JSONSchema(minimum=1)}, required=["a"])
config = ModelConfig.from_dict({"materialized": "table", "tags": ["x"]})
print(json.dumps({
    "waiting_to_dict": waiting(JSONObjectSchema.to_dict),
    "waiting_from_dict": waiting(JSONObjectSchema.from_dict),
    "schema": schema.to_dict(),
    "schema_back": JSONObjectSchema.from_dict(schema.to_dict()).to_dict(),
    "config": config.to_dict(),
    "dbt_json_schema": ModelConfig.json_schema(),
}, sort_keys=True, default=str))
"""


def probe(mode: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, mode],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def test_serialization_code_is_written_on_first_use_and_is_the_same() -> None:
    eager = probe("eager")
    lazy = probe("lazy")
    # mashumaro's own classes compile during dbt's import by default...
    assert eager["waiting_to_dict"] is False
    assert eager["waiting_from_dict"] is False
    # ...and wait for their first use once the dbt process asks for it.
    assert lazy["waiting_to_dict"] is True
    assert lazy["waiting_from_dict"] is True
    # What they and dbt's classes give is the same either way.
    for key in ("schema", "schema_back", "config", "dbt_json_schema"):
        assert lazy[key] == eager[key], key
    assert lazy["schema"]["properties"]["a"] == {"minimum": 1}
