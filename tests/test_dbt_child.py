"""How the dbt process prepares itself before importing dbt (cli.dbt_child)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from cli import dbt_child

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


@pytest.fixture
def event_manager(monkeypatch: pytest.MonkeyPatch):
    """A dbt event manager with `skip_unwritten_events` installed for this test only, one
    logger at `level` writing to a text stream, and a count of the events turned into
    messages."""
    from dbt_common.events import event_manager as module
    from dbt_common.events.base_types import EventLevel
    from dbt_common.events.logger import LineFormat, LoggerConfig

    monkeypatch.setattr(module.EventManager, "fire_event", module.EventManager.fire_event)
    made = []
    real = module.msg_from_base_event

    def counted(event, level=None):
        made.append(type(event).__name__)
        return real(event, level=level)

    monkeypatch.setattr(module, "msg_from_base_event", counted)
    assert dbt_child.skip_unwritten_events()

    def manager(level: EventLevel, callbacks: tuple = ()):
        stream = io.StringIO()
        events = module.EventManager()
        events.add_logger(
            LoggerConfig(
                name=f"test-{uuid.uuid4().hex}",
                line_format=LineFormat.PlainText,
                level=level,
                output_stream=stream,
            )
        )
        events.callbacks = list(callbacks)
        return events, stream

    return manager, made


def test_an_event_no_logger_writes_is_dropped_before_it_is_formatted(event_manager) -> None:
    from dbt.adapters.events.types import SQLQuery
    from dbt.tracking import track_behavior_change_warn
    from dbt_common.events.base_types import EventLevel
    from dbt_common.events.types import Note, PrintEvent

    manager, made = event_manager
    query = SQLQuery(conn_name="c", sql="select 'query_marker'", node_info={})

    # Loggers at info, and only dbt's own callback: a debug event is never made.
    events, stream = manager(EventLevel.INFO, (track_behavior_change_warn,))
    events.fire_event(query)
    events.fire_event(Note(msg="note_marker"), level=EventLevel.DEBUG)
    assert made == []
    # Info events, and print events at any level, are written as before.
    events.fire_event(Note(msg="info_marker"))
    events.fire_event(PrintEvent(msg="print_marker"), level=EventLevel.DEBUG)
    assert made == ["Note", "PrintEvent"]
    written = stream.getvalue()
    assert "info_marker" in written and "print_marker" in written
    assert "query_marker" not in written and "note_marker" not in written

    # A logger at debug (`--debug`) writes the debug events.
    events, stream = manager(EventLevel.DEBUG)
    events.fire_event(query)
    assert "query_marker" in stream.getvalue()

    # Any other callback gets every event, written or not.
    received = []
    events, stream = manager(EventLevel.INFO, (received.append,))
    events.fire_event(query)
    assert [msg.info.name for msg in received] == ["SQLQuery"]
    assert "query_marker" not in stream.getvalue()
