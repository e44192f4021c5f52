"""The `segments` console script: start dbt's process early, then run the CLI.

A command that runs dbt (build, backfill, test) spends its first seconds in the dbt
process importing dbt (2 to 3 s here), and the CLI spends its first 0.3 to 0.5 s starting
itself (typer, rich, DuckDB, the commands) and checking the options before it starts that
process. So the console script starts the dbt process first, as
`python -P -m cli.dbt_child --await-args`: it imports dbt while the CLI starts, then
waits for its arguments, environment and folder on standard input, which the first dbt
run of the command sends (`cli.dbt_runner.run_dbt`). A command that ends without running
dbt (a bad option, `--help`, a file that does not exist) kills it.

Only the console script (and `python -m cli.launch`) does this; `cli.main` run in-process,
as the tests of the command surface do, starts dbt when it needs it.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Sequence

from cli import dbt_child

# The commands whose first step is a dbt run of the bundled project.
DBT_COMMANDS = frozenset({"build", "backfill", "test"})

_prestarted: subprocess.Popen[str] | None = None


def runs_dbt(argv: Sequence[str]) -> bool:
    """Whether `segments ARGV` is a command that starts by running dbt.

    The command is the first argument that is not an option (the root options, --debug
    and --version, take no value). Help never runs dbt.
    """
    if any(arg in ("--help", "-h", "--version") for arg in argv):
        return False
    command = next((arg for arg in argv if not arg.startswith("-")), None)
    return command in DBT_COMMANDS


def prestart() -> None:
    """Start the dbt process that waits for its arguments (at most one per command)."""
    global _prestarted
    if _prestarted is not None:
        return
    # Read when the interpreter starts, so set now; the dbt run's whole environment is sent
    # with its arguments (cli.dbt_runner.dbt_environment) and replaces this one.
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    try:
        _prestarted = dbt_child.start([dbt_child.AWAIT_ARGS], stdin=subprocess.PIPE, env=env)
    except OSError:
        _prestarted = None  # the CLI starts dbt itself when it needs it


def take() -> subprocess.Popen[str] | None:
    """The waiting dbt process, if one was started and is still alive; only once."""
    global _prestarted
    process, _prestarted = _prestarted, None
    if process is not None and process.poll() is not None:
        _reap(process)
        return None
    return process


def discard() -> None:
    """Kill the waiting dbt process if the command did not use it."""
    process = take()
    if process is not None:
        process.kill()
        _reap(process)


def _reap(process: subprocess.Popen[str]) -> None:
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()
    process.wait()


def main() -> None:
    """Entry point of the `segments` console script."""
    if runs_dbt(sys.argv[1:]):
        prestart()
    try:
        from cli.main import main as run_cli

        run_cli()
    finally:
        discard()


if __name__ == "__main__":
    main()
