"""The console script starts the dbt process before the CLI (cli.launch): a command that
runs dbt uses that process, and one that ends before dbt kills it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

import cli
from cli import dbt_child, dbt_runner, launch
from cli.project import Workdir


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["build", "--transactions", "tx.csv"], True),
        (["--debug", "build", "--transactions", "tx.csv"], True),
        (["backfill", "--transactions", "tx.csv", "--from", "1998-01-01"], True),
        (["test", "--workdir", "out"], True),
        (["export", "--out", "exports"], False),
        (["generate", "--customers", "10", "--out", "tx.csv"], False),
        (["docs"], False),
        (["build", "--help"], False),
        (["--version"], False),
        ([], False),
    ],
)
def test_only_commands_that_run_dbt_start_it_early(argv: list[str], expected: bool) -> None:
    assert launch.runs_dbt(argv) is expected


@pytest.fixture
def early_process(monkeypatch: pytest.MonkeyPatch):
    """Start the waiting dbt process as the console script does; record what run_dbt takes;
    kill whatever is left at the end."""
    taken: list = []
    real_take = launch.take

    def take():
        taken.append(real_take())
        return taken[-1]

    monkeypatch.setattr(launch, "take", take)
    launch.prestart()
    yield taken
    launch.discard()


def build_grid_seed(tmp_path: Path) -> dbt_runner.DbtRun:
    return dbt_runner.run_dbt(
        "build",
        Workdir(tmp_path),
        {"transactions_path": str(tmp_path / "none.csv")},
        selection=["--select", "segment_grid"],
    )


def test_a_dbt_run_uses_the_process_started_early(tmp_path: Path, early_process: list) -> None:
    run = build_grid_seed(tmp_path)
    assert run.ok, run.output[-2000:]
    process = early_process[0]
    assert process is not None, "run_dbt started a new process"
    assert process.returncode == 0
    assert process.args[-1] == dbt_child.AWAIT_ARGS
    # The arguments and the environment it was sent: the seed is in the working folder's
    # database (SEGMENTS_DUCKDB_PATH), the results where the CLI reads them
    # (SEGMENTS_DBT_RESULTS).
    assert [r["unique_id"] for r in run.results] == ["seed.segments.segment_grid"]
    assert (tmp_path / "segments.duckdb").is_file()
    assert "Running with dbt" in run.output
    # Used once: a second run starts a process of its own.
    assert build_grid_seed(tmp_path).ok
    assert early_process[1] is None


def test_a_dbt_run_starts_its_own_process_when_the_early_one_is_gone(
    tmp_path: Path, early_process: list
) -> None:
    waiting = launch._prestarted
    assert waiting is not None
    waiting.kill()
    waiting.wait()
    run = build_grid_seed(tmp_path)
    assert run.ok, run.output[-2000:]
    assert early_process == [None]
    assert [r["unique_id"] for r in run.results] == ["seed.segments.segment_grid"]


def waiting_processes(marker: str) -> list[int]:
    """The pids of dbt processes waiting for their arguments whose environment holds
    `marker`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if dbt_child.AWAIT_ARGS.encode() in command and marker.encode() in environ:
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc")
def test_the_console_script_kills_the_early_process_when_dbt_is_not_needed(
    tmp_path: Path,
) -> None:
    marker = f"SEGMENTS_TEST_MARKER={uuid.uuid4().hex}"
    name, _, value = marker.partition("=")
    package_root = str(Path(cli.__file__).absolute().parent.parent)
    env = {**os.environ, name: value, "PYTHONPATH": package_root}
    env.pop("SEGMENTS_WORKDIR", None)
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "cli.launch", "build", "--transactions", "missing.csv"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode != 0
    assert done.stderr.startswith("error: "), done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    # It failed before dbt could have imported (2 s and more): a process left waiting
    # would still be there now.
    assert waiting_processes(marker) == [], f"left running ({time.monotonic() - started:.1f} s)"
