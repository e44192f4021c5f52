"""`segments build`: run the dbt project on a transactions file and summarise the result."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from cli import (
    __version__,
    appending,
    console,
    dbt_runner,
    dynamic_segments,
    postgres,
    serving,
    spark,
    summary,
    validate,
)
from cli.database import connect
from cli.errors import SegmentsError
from cli.export import PROFILE_MARTS
from cli.options import (
    AllTestsOption,
    CustomersOption,
    EventsOption,
    FormatOption,
    FullRefreshOption,
    GridOption,
    InputFormat,
    ProfilesOption,
    Scoring,
    ScoringOption,
    SegmentsFileOption,
    StrictOption,
    Target,
    TargetOption,
    TransactionsOption,
    WorkdirOption,
)
from cli.project import Workdir, workdir


def build(
    transactions: TransactionsOption,
    customers: CustomersOption = None,
    events: EventsOption = None,
    segments_file: SegmentsFileOption = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="YYYY-MM-DD",
            callback=validate.as_of_date,
            show_default="the day after the latest transaction",
            help="Score as of this date; only transactions strictly before it count.",
        ),
    ] = None,
    strict: StrictOption = False,
    grid: GridOption = None,
    scoring: ScoringOption = Scoring.quintile,
    input_format: FormatOption = None,
    profiles: ProfilesOption = None,
    all_tests: AllTestsOption = False,
    full_refresh: FullRefreshOption = False,
    target: TargetOption = Target.duckdb,
    workdir_option: WorkdirOption = None,
) -> None:
    """Build the customer segments from a transactions file, and the profiles from optional
    customers and events files (runs dbt build).

    Given a glob (a folder of daily files), a later build reads only the files added since
    the last build, as long as the earlier ones are unchanged.

    Examples:

      segments build --transactions data/transactions.csv --as-of 2024-01-01 --workdir out

      segments build --transactions 'exports/day-*.parquet'

      segments build --transactions tx.csv --customers c.csv --events e.csv --segments-file s.yml
    """
    folder = workdir(workdir_option)
    dbt_vars = build_vars(
        transactions,
        grid,
        scoring,
        input_format,
        customers=customers,
        events=events,
        segments_file=segments_file,
    )
    if as_of is not None:
        dbt_vars["as_of_date"] = as_of
    scope = BuildScope.choose(profiles, dbt_vars, target, all_tests)
    run_build(folder, dbt_vars, strict, target, scope, full_refresh=full_refresh)


@dataclass(frozen=True)
class BuildScope:
    """What a build runs: with or without the profile models, all data tests or the guards."""

    profiles: bool = True
    all_tests: bool = False

    @classmethod
    def choose(
        cls,
        profiles: bool | None,
        dbt_vars: dict[str, Any],
        target: Target,
        all_tests: bool = False,
    ) -> BuildScope:
        """--profiles/--no-profiles when given; else on when a customers, events or segments
        file is given. PostgreSQL and Spark builds always include the profiles."""
        if target is not Target.duckdb:
            return cls(profiles=True, all_tests=all_tests)
        if profiles is None:
            profiles = any(
                dbt_vars.get(name) for name in ("customers_path", "events_path", "dynamic_segments")
            )
        return cls(profiles=profiles, all_tests=all_tests)

    def selection(self) -> list[str]:
        """dbt's selection arguments for `dbt build`."""
        chosen = [] if self.all_tests else list(dbt_runner.GUARD_TESTS_ONLY)
        if not self.profiles:
            chosen += dbt_runner.WITHOUT_PROFILES
        return chosen


def run_build(
    folder: Workdir,
    dbt_vars: dict[str, Any],
    strict: bool,
    target: Target = Target.duckdb,
    scope: BuildScope | None = None,
    *,
    full_refresh: bool = False,
) -> None:
    """Run `dbt build` with these vars, then print the summary (shared with backfill).

    On the postgres target the input files are loaded into the server first, and the
    summary is read from it. On the spark target the tables Spark wrote are then exposed
    in the working folder's DuckDB file (views over their Parquet files), read as usual.
    A build without the profiles removes the profile marts an earlier build left, so no
    mart is older than the others. On DuckDB a build at the latest date records the
    transactions files it read, so that the next one can read only new files (appending).
    """
    scope = scope or BuildScope()
    keeps_state = target is Target.duckdb and not _as_of_dates_given(dbt_vars)
    load = appending.plan(
        folder,
        dbt_vars,
        _previous_build(folder),
        can_append=keeps_state and not scope.profiles,
        full_refresh=full_refresh,
    )
    if target is Target.spark:
        spark.check_installed()
        spark.check_database(folder)
    folder.create()
    if target is Target.spark:
        spark.prepare(folder)
    # Removed before dbt starts, so a failed build leaves no state to append to.
    folder.last_build.unlink(missing_ok=True)
    if load.message():
        console.note(load.message())
    settings = postgres.Settings.from_env() if target is Target.postgres else None
    with console.progress("dbt build: starting") as shown:
        if settings is not None:
            postgres.load_inputs(
                dbt_vars, folder, settings, on_file=lambda path: shown.update(f"loading {path}")
            )
        run = dbt_runner.run_dbt(
            "build",
            folder,
            dbt_vars,
            on_node=lambda node: shown.update(f"dbt build {node}"),
            target=target.value,
            selection=scope.selection(),
            env=load.dbt_env(),
        )
    if not run.ok:
        raise SegmentsError(dbt_runner.failure_message(run))
    if target is Target.spark:
        spark.publish(folder)
    if target is Target.duckdb and not scope.profiles:
        _drop_profile_marts(folder)
    _save_last_build(folder, dbt_vars, scope, load if keeps_state else None)
    if settings is not None:
        result = postgres.read_summary(settings)
    else:
        result = summary.read_summary(folder.database, scope.profiles)
    summary.show(result)
    if result.rows_rejected:
        rejected = f"{result.rows_rejected:,} row{'s' if result.rows_rejected > 1 else ''}"
        see = ", ".join(result.rejected_marts)
        if strict:
            raise SegmentsError(f"{rejected} rejected (see {see}); failing because of --strict")
        console.note(f"warning: {rejected} rejected (see {see})")
    if settings is None:  # a PostgreSQL server serves its own tables
        # A DuckDB build's mart views read other marts; a Spark build's read its warehouse.
        published = serving.publish(folder, views_read_marts=target is Target.duckdb)
        typer.echo(published.summary_line())


def build_vars(
    transactions: Path,
    grid: Path | None,
    scoring: Scoring,
    input_format: InputFormat | None,
    *,
    customers: Path | None = None,
    events: Path | None = None,
    segments_file: Path | None = None,
) -> dict[str, Any]:
    """The dbt vars common to build and backfill, with every path and the dynamic segment
    definitions validated."""
    dbt_vars: dict[str, Any] = {
        "transactions_path": validate.transactions_path(transactions),
        "scoring_method": scoring.value,
    }
    if input_format is not None:
        dbt_vars["transactions_format"] = input_format.value
    if grid is not None:
        dbt_vars["segment_grid_path"] = str(validate.input_file(grid, "grid"))
    if customers is not None:
        dbt_vars["customers_path"] = validate.input_path(customers, "customers")
    if events is not None:
        dbt_vars["events_path"] = validate.input_path(events, "events")
    if segments_file is not None:
        path = validate.input_file(segments_file, "segments")
        dbt_vars["dynamic_segments"] = dynamic_segments.load(path)
    return dbt_vars


def _drop_profile_marts(folder: Workdir) -> None:
    with connect(folder.database, read_only=False) as con:
        for mart in PROFILE_MARTS:
            con.execute(f"drop table if exists main.{mart}")


def _as_of_dates_given(dbt_vars: dict[str, Any]) -> bool:
    return bool(dbt_vars.get("as_of_date") or dbt_vars.get("as_of_dates"))


def _save_last_build(
    folder: Workdir,
    dbt_vars: dict[str, Any],
    scope: BuildScope,
    load: appending.LoadPlan | None,
) -> None:
    """Record the build: its vars (read by test, export and report), whether it made the
    profile marts, and the transactions files it left loaded (for the next build to
    append to; none after a build at given as-of dates)."""
    record: dict[str, Any] = {
        "segments_version": __version__,
        "vars": dbt_vars,
        "profiles": scope.profiles,
    }
    if load is not None:
        record["transactions_files"] = load.state_record()
    folder.last_build.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


def _previous_build(folder: Workdir) -> dict[str, Any] | None:
    """The last successful build's record, or None."""
    try:
        record = json.loads(folder.last_build.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def last_build_had_profiles(folder: Workdir) -> bool:
    """Whether the last successful build made the profile marts (builds recorded before
    the choice existed always did)."""
    try:
        record = json.loads(folder.last_build.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return True
    return not isinstance(record, dict) or record.get("profiles", True) is not False


def load_last_build(folder: Workdir) -> dict[str, Any]:
    """The dbt vars of the last successful build in a working folder."""
    try:
        record = json.loads(folder.last_build.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SegmentsError(
            f"no successful build found in {folder.root}: run segments build first"
        ) from None
    except ValueError as exc:
        raise SegmentsError(f"{folder.last_build} is not valid JSON: {exc}") from exc
    dbt_vars = record.get("vars") if isinstance(record, dict) else None
    if not isinstance(dbt_vars, dict):
        raise SegmentsError(f"{folder.last_build} holds no build vars: run segments build")
    return {str(key): value for key, value in dbt_vars.items()}
