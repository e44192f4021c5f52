"""`segments test`: run the project's dbt tests against the last build."""

from __future__ import annotations

from typing import Any

import typer

from cli import appending, console, dbt_runner, spark
from cli.build import last_build_had_profiles, load_last_build
from cli.errors import SegmentsError
from cli.options import Target, TargetOption, WorkdirOption
from cli.project import Workdir, workdir


def test(target: TargetOption = Target.duckdb, workdir_option: WorkdirOption = None) -> None:
    """Run every data test (dbt test) on the last build, with its inputs; the profile
    models' tests only when that build made them.

    Example:

      segments test --workdir out
    """
    folder = workdir(workdir_option)
    dbt_vars = load_last_build(folder)
    if target is Target.duckdb:
        folder.require_database()
    if target is Target.spark:
        spark.check_installed()
    with console.progress("dbt test: starting") as shown:
        run = dbt_runner.run_dbt(
            "test",
            folder,
            dbt_vars,
            on_node=lambda node: shown.update(f"dbt test {node}"),
            target=target.value,
            selection=_selection(folder, dbt_vars, target),
        )
    if run.results:
        typer.echo(_counts_line(run))
    if not run.ok:
        raise SegmentsError(dbt_runner.failure_message(run))


def _selection(folder: Workdir, dbt_vars: dict[str, Any], target: Target) -> list[str]:
    """Every test, but the profile models' when the last build did not make them, and the
    tests of the models a DuckDB build of a single file kept only for its run."""
    excluded = [] if last_build_had_profiles(folder) else [dbt_runner.PROFILES]
    if target is Target.duckdb and not appending.is_glob(
        str(dbt_vars.get("transactions_path") or "")
    ):
        excluded += appending.IN_MEMORY_MODELS
    return ["--exclude", *excluded] if excluded else []


def _counts_line(run: dbt_runner.DbtRun) -> str:
    passed = run.count("pass", "success")
    failed = run.count("fail", "error")
    extras = [
        f"{count} {label}"
        for label, count in (("warned", run.count("warn")), ("skipped", run.count("skipped")))
        if count
    ]
    return ", ".join([f"tests: {passed} passed", f"{failed} failed", *extras])
