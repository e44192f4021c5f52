"""`segments test`: run the project's dbt tests against the last build."""

from __future__ import annotations

import typer

from cli import console, dbt_runner, spark
from cli.build import last_build_had_profiles, load_last_build
from cli.errors import SegmentsError
from cli.options import Target, TargetOption, WorkdirOption
from cli.project import workdir


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
            selection=[] if last_build_had_profiles(folder) else dbt_runner.WITHOUT_PROFILES,
        )
    if run.results:
        typer.echo(_counts_line(run))
    if not run.ok:
        raise SegmentsError(dbt_runner.failure_message(run))


def _counts_line(run: dbt_runner.DbtRun) -> str:
    passed = run.count("pass", "success")
    failed = run.count("fail", "error")
    extras = [
        f"{count} {label}"
        for label, count in (("warned", run.count("warn")), ("skipped", run.count("skipped")))
        if count
    ]
    return ", ".join([f"tests: {passed} passed", f"{failed} failed", *extras])
