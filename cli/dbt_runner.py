"""Run dbt as a subprocess and explain its failures in one line.

dbt runs in a child process (`cli.dbt_child`) with an argument list (never a shell
string): the one the console script started early (cli.launch), else a new one. dbt's
in-process `dbtRunner` is not called from the CLI's own process because it keeps the
DuckDB file locked after it returns. Statuses come from `run_results.json`,
never from scraping dbt's output; for a build or a test the child writes that file
itself, and dbt skips its other artifacts (see cli.dbt_child).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cli import dbt_cache, dbt_child, launch
from cli.errors import SegmentsError
from cli.project import Workdir, project_dir

DBT_CHILD = list(dbt_child.COMMAND)
# The commands whose results the CLI reads: the child writes them, and dbt skips its
# manifest.json (see cli.dbt_child).
OWN_RESULTS = ("build", "test")
DBT_TARGET = "duckdb"
# Unit tests check the models' logic on fixed fixtures; `make test` runs them. A user's
# build or test run checks the data only.
DATA_ONLY = ["--exclude-resource-type", "unit_test"]
# The models and seeds, and of the data tests only those tagged guard (cheap checks that
# a result is usable: a complete grid, every customer in a segment, every input row
# accepted or rejected). `segments test`, or `segments build --all-tests`, runs the rest.
GUARD_TESTS_ONLY = [
    "--select",
    "resource_type:model resource_type:seed tag:guard",
    "--indirect-selection",
    "empty",
]
# The vars a build passes reach dbt as environment variables SEGMENTS_VAR_<NAME> (JSON),
# read by the project's `segments.build_var` macro, not in --vars: a change of vars makes
# dbt parse the whole project again (over 2 s), a changed environment variable only the
# files that read it. So a build of a new transactions file re-parses a few models. Any
# other var goes in --vars.
VAR_ENV_PREFIX = "SEGMENTS_VAR_"
ENV_VARS = frozenset(
    {
        "transactions_path",
        "transactions_format",
        "scoring_method",
        "segment_grid_path",
        "customers_path",
        "events_path",
        "dynamic_segments",
        "as_of_date",
        "as_of_dates",
    }
)
# The level of dbt's own log file (<workdir>/.segments/logs/dbt.log): its run, node by node.
# `segments --debug` sets debug_log, and dbt then logs every query it sends, the
# connections and the adapter's cache (2,000 lines a build): writing them cost a build
# 0.2 s whatever its size.
FILE_LOG_LEVEL = "info"
debug_log = False
# The models (and so their tests) tagged profiles, and the arguments that leave them out.
PROFILES = "tag:profiles"
WITHOUT_PROFILES = ["--exclude", PROFILES]

# "12:00:01  3 of 27 START sql table model main.customer_segments ....... [RUN]"
_START_LINE = re.compile(r"\b(\d+) of (\d+) START (.+?)[\s.]*\[RUN\]")
# A message raised by the project's macros: "segments: ..." not inside a longer word.
_SEGMENTS_MESSAGE = re.compile(r"(?<![\w.-])segments: \S.*")
_TIMESTAMP = re.compile(r"^\d{2}:\d{2}:\d{2}(?:\.\d+)?\s+")
_ERROR_HEADER = re.compile(r"^[\w ]*Error in \w[\w ]* \S+( \(.*\))?$")


@dataclass(frozen=True)
class DbtRun:
    """The outcome of one dbt invocation."""

    command: str
    returncode: int
    output: str
    results: list[dict[str, Any]]
    workdir: Workdir

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def count(self, *statuses: str) -> int:
        return sum(1 for result in self.results if result.get("status") in statuses)


def dbt_command(
    command: str,
    workdir: Workdir,
    dbt_vars: Mapping[str, Any],
    target: str = DBT_TARGET,
    selection: Sequence[str] = (),
) -> list[str]:
    """The argument list running `dbt <command>` on the bundled project (a profiles.yml
    target). The vars of ENV_VARS are left out: they go in the environment (var_environment)."""
    project = str(project_dir())
    other_vars = {name: value for name, value in dbt_vars.items() if name not in ENV_VARS}
    return [
        sys.executable,
        *DBT_CHILD,
        *command.split(),  # "docs generate": a subcommand is its own argument
        "--project-dir",
        project,
        "--profiles-dir",
        project,
        "--target",
        target,
        "--target-path",
        str(workdir.target_path),
        "--log-path",
        str(workdir.log_path),
        "--no-use-colors",
        "--log-level-file",
        "debug" if debug_log else FILE_LOG_LEVEL,
        *(["--no-write-json", *DATA_ONLY] if command in OWN_RESULTS else []),
        *selection,
        *(["--vars", json.dumps(other_vars)] if other_vars else []),
    ]


def var_environment(dbt_vars: Mapping[str, Any]) -> dict[str, str]:
    """The environment variables passing the vars of ENV_VARS (segments.build_var)."""
    return {
        VAR_ENV_PREFIX + name.upper(): json.dumps(value)
        for name, value in dbt_vars.items()
        if name in ENV_VARS
    }


def dbt_environment(
    workdir: Workdir, extra: Mapping[str, str] | None = None, command: str = "build"
) -> dict[str, str]:
    # A build's vars come from the CLI alone, never from the shell.
    env = {name: value for name, value in os.environ.items() if not name.startswith(VAR_ENV_PREFIX)}
    env.pop(dbt_child.RESULTS_FOLDER_ENV, None)
    if command in OWN_RESULTS:
        env[dbt_child.RESULTS_FOLDER_ENV] = str(workdir.target_path)
    env.update(
        # Only an appending build sets it (cli.appending); never inherited from the shell.
        SEGMENTS_NEW_TRANSACTIONS_FILES="",
        SEGMENTS_DUCKDB_PATH=str(workdir.database),
        SEGMENTS_SPARK_WAREHOUSE=str(workdir.spark_warehouse),
        SEGMENTS_SPARK_METASTORE=str(workdir.spark_metastore),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
        DO_NOT_TRACK="1",
        PYTHONUNBUFFERED="1",
    )
    # What dbt works out in every process, kept beside its parse cache (cli.dbt_cache).
    env[dbt_cache.CACHE_ENV] = str(workdir.target_path)
    env.update(extra or {})
    return env


def node_started(line: str) -> str | None:
    """`[3/27] model customer_segments` for a dbt START line, else None."""
    match = _START_LINE.search(line)
    if not match:
        return None
    done, total, description = match.groups()
    words = description.split()
    name = words[-1].split(".")[-1]
    if len(name) > 60:
        name = name[:57] + "..."
    kinds = ("seed", "snapshot", "unit_test", "test", "model")
    kind = next((k for k in kinds if k in words), words[0]).replace("_", " ")
    return f"[{done}/{total}] {kind} {name}"


def run_dbt(
    command: str,
    workdir: Workdir,
    dbt_vars: Mapping[str, Any],
    on_node: Callable[[str], None] | None = None,
    target: str = DBT_TARGET,
    selection: Sequence[str] = (),
    env: Mapping[str, str] | None = None,
) -> DbtRun:
    """Run `dbt <command>` for a working folder, saving its output to the log folder.
    `env` adds environment variables (the new files of an appending build)."""
    workdir.create()
    run_results = workdir.target_path / dbt_child.RUN_RESULTS
    for stale in (run_results, workdir.target_path / dbt_child.FAILED_TEST_MESSAGES):
        stale.unlink(missing_ok=True)
    args = dbt_command(command, workdir, dbt_vars, target, selection)
    environment = dbt_environment(workdir, {**var_environment(dbt_vars), **(env or {})}, command)
    lines: list[str] = []
    try:
        with _start(args, workdir.root, environment) as process:
            assert process.stdout is not None
            try:
                for line in process.stdout:
                    lines.append(line)
                    started = node_started(line)
                    if started and on_node:
                        on_node(started)
                returncode = process.wait()
            except BaseException:
                process.terminate()
                process.wait()
                raise
    except OSError as exc:
        raise SegmentsError(f"could not start dbt: {exc}") from exc
    output = "".join(lines)
    workdir.dbt_output_log.write_text(output, encoding="utf-8")
    return DbtRun(command, returncode, output, _read_results(run_results), workdir)


def _start(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    """The dbt process for `args`: the one the console script started early and that has
    imported dbt meanwhile (cli.launch), sent its arguments, environment and folder; else
    a new one."""
    dbt_args = args[1 + len(DBT_CHILD) :]  # after `python -P -m cli.dbt_child`
    waiting = launch.take()
    if waiting is not None:
        assert waiting.stdin is not None
        request = {"argv": dbt_args, "env": env, "cwd": str(cwd)}
        try:
            waiting.stdin.write(json.dumps(request) + "\n")
            waiting.stdin.close()
            return waiting
        except OSError:  # it is gone: start another
            waiting.kill()
            waiting.wait()
    return dbt_child.start(dbt_args, stdin=subprocess.DEVNULL, env=env, cwd=cwd)


def _read_results(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    try:
        results = json.loads(path.read_text(encoding="utf-8")).get("results", [])
    except (OSError, ValueError):
        return []
    return [result for result in results if isinstance(result, dict)]


def failure_message(run: DbtRun) -> str:
    """One line explaining why a dbt run failed, pointing at the saved output."""
    message = (
        _segments_message(run.output)
        or _failed_node_message(run)
        or _first_error_line(run.output)
        or f"dbt {run.command} failed with exit code {run.returncode}"
    )
    return f"{message} (details: {run.workdir.dbt_output_log})"


def _segments_message(output: str) -> str | None:
    for line in output.splitlines():
        if "[WARNING]" in line:
            continue
        match = _SEGMENTS_MESSAGE.search(line)
        if match:
            return match.group(0).rstrip()
    return None


def _failed_node_message(run: DbtRun) -> str | None:
    failed = next((r for r in run.results if r.get("status") in ("error", "fail")), None)
    if failed is None:
        return None
    unique_id = str(failed.get("unique_id", ""))
    parts = unique_id.split(".")
    resource_type = parts[0].replace("_", " ") if parts else "node"
    name = parts[2] if len(parts) > 2 else unique_id
    if resource_type == "unit test" and len(parts) > 3:
        name = f"{parts[2]}::{parts[3]}"
    text = _first_line(str(failed.get("message") or failed.get("status")))
    if resource_type == "test":
        custom = _test_error_message(run.workdir, unique_id)
        if custom:
            failures = failed.get("failures")
            rows = f" ({failures} failing rows)" if isinstance(failures, int) else ""
            return f"{custom}{rows}"
    return f"{resource_type} {name} failed: {text}"


def _test_error_message(workdir: Workdir, unique_id: str) -> str | None:
    """The `meta.error_message` of a failed test, as the dbt child recorded it."""
    path = workdir.target_path / dbt_child.FAILED_TEST_MESSAGES
    try:
        messages = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    message = messages.get(unique_id) if isinstance(messages, dict) else None
    return _first_line(str(message)) if message else None


def _first_error_line(output: str) -> str | None:
    for line in output.splitlines():
        if "Error" in line:
            return _TIMESTAMP.sub("", line).strip()
    return None


def _first_line(text: str) -> str:
    """The first meaningful line, skipping dbt's "Runtime Error in model x (path)" header."""
    lines = [_TIMESTAMP.sub("", line).strip() for line in text.splitlines() if line.strip()]
    if len(lines) > 1 and _ERROR_HEADER.match(lines[0]):
        return lines[1]
    return lines[0] if lines else text.strip()
