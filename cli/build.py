"""`segments build`: run the dbt project on a transactions file and summarise the result."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from cli import __version__, console, dbt_runner, summary, validate
from cli.errors import SegmentsError
from cli.options import (
    FormatOption,
    GridOption,
    InputFormat,
    Scoring,
    ScoringOption,
    StrictOption,
    TransactionsOption,
    WorkdirOption,
)
from cli.project import Workdir, workdir


def build(
    transactions: TransactionsOption,
    customers: Annotated[
        Path | None,
        typer.Option("--customers", help="Customer attributes file (reserved: not used yet)."),
    ] = None,
    events: Annotated[
        Path | None,
        typer.Option("--events", help="Web/email events file (reserved: not used yet)."),
    ] = None,
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
    workdir_option: WorkdirOption = None,
) -> None:
    """Build the customer segments from a transactions file (runs dbt build).

    Example:

      segments build --transactions data/transactions.csv --as-of 2024-01-01 --workdir out
    """
    folder = workdir(workdir_option)
    dbt_vars = build_vars(transactions, grid, scoring, input_format)
    if as_of is not None:
        dbt_vars["as_of_date"] = as_of
    reserved = {"--customers": customers, "--events": events}
    for option, path in reserved.items():
        if path is not None:
            validate.input_file(path, option.removeprefix("--"))
    for option, path in reserved.items():
        if path is not None:
            console.note(f"note: {option} is reserved for future segments and not used yet")
    run_build(folder, dbt_vars, strict)


def run_build(folder: Workdir, dbt_vars: dict[str, Any], strict: bool) -> None:
    """Run `dbt build` with these vars, then print the summary (shared with backfill)."""
    folder.create()
    folder.last_build.unlink(missing_ok=True)
    with console.progress("dbt build: starting") as shown:
        run = dbt_runner.run_dbt(
            "build", folder, dbt_vars, on_node=lambda node: shown.update(f"dbt build {node}")
        )
    if not run.ok:
        raise SegmentsError(dbt_runner.failure_message(run))
    _save_last_build(folder, dbt_vars)
    result = summary.read_summary(folder.database)
    summary.show(result)
    if result.rows_rejected:
        rejected = f"{result.rows_rejected:,} row{'s' if result.rows_rejected > 1 else ''}"
        if strict:
            raise SegmentsError(
                f"{rejected} rejected (see rejected_transactions); failing because of --strict"
            )
        console.note(f"warning: {rejected} rejected (see rejected_transactions)")


def build_vars(
    transactions: Path,
    grid: Path | None,
    scoring: Scoring,
    input_format: InputFormat | None,
) -> dict[str, Any]:
    """The dbt vars common to build and backfill, with every path validated."""
    dbt_vars: dict[str, Any] = {
        "transactions_path": validate.transactions_path(transactions),
        "scoring_method": scoring.value,
    }
    if input_format is not None:
        dbt_vars["transactions_format"] = input_format.value
    if grid is not None:
        dbt_vars["segment_grid_path"] = str(validate.input_file(grid, "grid"))
    return dbt_vars


def _save_last_build(folder: Workdir, dbt_vars: dict[str, Any]) -> None:
    record = {"segments_version": __version__, "vars": dbt_vars}
    folder.last_build.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


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
