"""The dbt process the CLI starts: `python -P -m cli.dbt_child <dbt arguments>`.

Started by the console script before the CLI itself as `python -P -m cli.dbt_child
--await-args`, it imports dbt and then reads its arguments, environment and folder as one
JSON line on standard input (cli.launch, cli.dbt_runner).

It runs dbt's own command line in-process (`dbtRunner`, the same commands, flags, output
and exit codes as the `dbt` executable) and then writes what the CLI reads of the run,
which is less than dbt writes by itself:

- With `--no-write-json` dbt skips its artifacts: `manifest.json` (written twice per
  build, about half a second however small the input) and `run_results.json`. When
  `SEGMENTS_DBT_RESULTS` names a folder, this process writes `run_results.json` there
  itself (dbt's own artifact, from the run's results), and `failed_test_messages.json`:
  the `meta.error_message` of each failed test, which the CLI shows instead of dbt's
  "Got N results".
- It collects cyclic garbage less often than Python's default (`tune_garbage_collector`),
  and has mashumaro write the serialization code of the classes dbt imports when it is
  first needed, not during the import (`compile_serializers_lazily`), and takes the code
  of the sources dbt's classes generate from a file kept with the installation
  (cli.code_cache).
- It drops the debug events no logger writes before dbt formats them
  (`skip_unwritten_events`).
- When `SEGMENTS_DBT_CACHE` names a folder, the JSON schemas dbt validates its project
  and profile against and the code of the templates it compiles are read from it and
  kept in it (cli.dbt_cache).
- It ends with the interpreter's exit functions (dbt-duckdb closes, and so checkpoints,
  its database there) and `os._exit`, skipping the teardown of dbt's thousands of
  modules and objects (a third of a second).

Exit codes are dbt's: 0 success, 1 a node failed, 2 dbt could not run.
"""

from __future__ import annotations

import atexit
import gc
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from cli import code_cache, dbt_cache

RESULTS_FOLDER_ENV = "SEGMENTS_DBT_RESULTS"
# How the CLI starts this process: `sys.executable` and these arguments. -P: the working
# folder (the child's cwd) is not put on the module path, so nothing in it can shadow a
# module.
COMMAND = ("-P", "-m", "cli.dbt_child")
# Started early by the console script: import dbt, then read the arguments (cli.launch).
AWAIT_ARGS = "--await-args"
RUN_RESULTS = "run_results.json"
FAILED_TEST_MESSAGES = "failed_test_messages.json"
# Allocations before a young collection (Python: 700), young collections before a middle
# one (10), middle collections before a full one (10): see tune_garbage_collector.
GC_YOUNG_THRESHOLD = 20_000
GC_MIDDLE_THRESHOLD = 50
GC_OLD_THRESHOLD = 1_000


def start(
    arguments: list[str], *, stdin: int, env: dict[str, str], cwd: Path | None = None
) -> subprocess.Popen[str]:
    """Start this module as a process with `arguments` (dbt's, or AWAIT_ARGS); its output
    and errors are one stream of text lines for the CLI to read."""
    return subprocess.Popen(
        [sys.executable, *COMMAND, *arguments],
        cwd=cwd,
        env=env,
        stdin=stdin,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
    )


def tune_garbage_collector() -> None:
    """Collect cyclic garbage less often than Python's default.

    Importing dbt (130,000 objects) and loading the parsed project create objects that
    live as long as the process; with Python's thresholds (700, 10, 10) the collector
    walks them again and again. Young objects are still collected, and what the import
    made is frozen out of every later collection (see `run`). The process ends with its
    command, so little can accumulate: a build's peak memory grows by about 5% (17 MB at
    1M transactions) and it takes about half a second less (docs/benchmarks.md, item 18).
    """
    gc.set_threshold(GC_YOUNG_THRESHOLD, GC_MIDDLE_THRESHOLD, GC_OLD_THRESHOLD)


def compile_serializers_lazily() -> None:
    """Have mashumaro write a class's (de)serialization code when it is first used, not
    when the class is made.

    dbt's own classes already ask for this (`lazy_compilation` in dbt_common's
    configuration); the rest use mashumaro's default and compiled their code during the
    import: mashumaro's JSON-schema classes (about 50 fields each, used only to build the
    schemas that cli.dbt_cache keeps) and the 36 parameter and result classes of dbt's
    adapter recorder (used only when a run is recorded). A class that is used gets the
    same code on its first call. Importing dbt takes about 0.35 s less (2.89 s to 2.54 s,
    medians of 12 alternating imports; docs/benchmarks.md, item 23).
    """
    try:
        from mashumaro.config import BaseConfig
    except ImportError:  # not dbt's serializer any more: leave it
        return
    if hasattr(BaseConfig, "lazy_compilation"):
        BaseConfig.lazy_compilation = True


# Event levels below every logger's: DEBUG and TEST, which dbt's loggers write at DEBUG.
UNWRITTEN_LEVELS = ("debug", "test")


def skip_unwritten_events() -> bool:
    """Have dbt drop an event no logger will write before it formats it.

    dbt fires about 2,000 debug events per build (every query, connection and relation
    cache change). Each is turned into a protobuf message (`ParseDict`, pure Python) and
    formatted as a line for each logger, whose Python logger then drops it below its
    level. With the log file and the console at info or above (the CLI's default; with
    `--debug` the file takes every event, and nothing is dropped here), an event at debug
    or test level is dropped first, unless a callback other than dbt's own tracking of
    behaviour-change warnings (which reads only those warnings) might want it, warnings
    must be raised as errors for it, or it is a print event (always written). Returns
    whether dbt's event manager was found.
    """
    try:
        from dbt import tracking
        from dbt_common.events import event_manager, logger
    except ImportError:
        return False
    # Events every logger writes, whatever its level (dbt_common's logger).
    always_written = frozenset(getattr(logger, "PRINT_EVENT_NAMES", ("PrintEvent",)))
    manager_class = getattr(event_manager, "EventManager", None)
    fire_event = getattr(manager_class, "fire_event", None)
    known_callbacks = {getattr(tracking, "track_behavior_change_warn", None)} - {None}
    if fire_event is None:
        return False

    def fire_written_event(
        self: Any,
        e: Any,
        level: Any = None,
        node: Any = None,
        force_warn_or_error_handling: bool = False,
    ) -> None:
        if (
            not force_warn_or_error_handling
            and (level.value if level is not None else e.level_tag().value) in UNWRITTEN_LEVELS
            and type(e).__name__ not in always_written
            and all(callback in known_callbacks for callback in self.callbacks)
            and all(
                getattr(each, "level", "debug") not in UNWRITTEN_LEVELS for each in self.loggers
            )
        ):
            return
        fire_event(self, e, level, node, force_warn_or_error_handling)

    manager_class.fire_event = fire_written_event
    return True


def run(argv: list[str]) -> int:
    """Run dbt with `argv`; write the results the CLI reads; return dbt's exit code."""
    from dbt.cli.main import dbtRunner

    gc.freeze()  # dbt's modules and classes: never garbage, never walked again
    skip_unwritten_events()

    cache_folder = os.environ.get(dbt_cache.CACHE_ENV)
    caches = dbt_cache.install(Path(cache_folder)) if cache_folder else None
    outcome = dbtRunner().invoke(argv)
    if caches is not None:
        caches.save()
    folder = os.environ.get(RESULTS_FOLDER_ENV)
    if folder and outcome.result is not None and hasattr(outcome.result, "results"):
        try:
            write_results(outcome.result, Path(folder))
        except OSError as exc:
            print(f"Error: could not write the run's results to {folder}: {exc}", file=sys.stderr)
            return 2
    if outcome.success:
        return 0
    if outcome.result is not None:
        return 1  # dbt ran, and a node failed
    if outcome.exception is not None:
        # dbt logs the errors of a run it started; this names one it could not start.
        print(f"Error: {outcome.exception}", file=sys.stderr)
    return 2


def write_results(result: Any, folder: Path) -> None:
    """dbt's run_results.json for `result` (a RunExecutionResult), and the error messages
    the failed tests declare."""
    folder.mkdir(parents=True, exist_ok=True)
    result.write(str(folder / RUN_RESULTS))
    messages = {}
    for node_result in result.results:
        node = getattr(node_result, "node", None)
        if node is None or str(node_result.status) not in ("fail", "error"):
            continue
        meta = getattr(getattr(node, "config", None), "meta", None) or {}
        message = meta.get("error_message")
        if message:
            messages[node.unique_id] = str(message)
    (folder / FAILED_TEST_MESSAGES).write_text(json.dumps(messages, indent=2), encoding="utf-8")


def await_request() -> list[str] | None:
    """Import dbt, then read what to run from standard input (`cli.launch`): one JSON line
    with `argv` (dbt's arguments), `env` (the whole environment) and `cwd`. None at end of
    input: the command did not need dbt."""
    import dbt.cli.main  # noqa: F401  (the import this process was started early for)

    line = sys.stdin.readline()
    if not line.strip():
        return None
    request = json.loads(line)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    return [str(arg) for arg in request["argv"]]


def keep_generated_code() -> dbt_cache.Kept | None:
    """Keep the code of the sources dbt's classes generate (cli.code_cache), unless
    `SEGMENTS_CODE_CACHE` is set empty."""
    folder = code_cache.folder_from_environment()
    return code_cache.keep(folder) if folder is not None else None


def main() -> None:
    tune_garbage_collector()
    compile_serializers_lazily()
    kept_code = keep_generated_code()
    if sys.argv[1:] == [AWAIT_ARGS]:
        argv = await_request()
        if argv is None:
            os._exit(0)
    else:
        argv = sys.argv[1:]
    code = run(argv)
    if kept_code is not None:
        code_cache.save(kept_code)
    # What normal interpreter exit would run first: dbt-duckdb closes its database.
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    main()
