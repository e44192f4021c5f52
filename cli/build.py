"""`segments build`: run the dbt project on a transactions file and summarise the result."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cli import __version__, console, dbt_runner, summary, validate
from cli.errors import SegmentsError
from cli.options import WorkdirOption
from cli.project import Workdir, workdir


class InputFormat(StrEnum):
    csv = "csv"
    parquet = "parquet"


class Scoring(StrEnum):
    quintile = "quintile"
    thresholds = "thresholds"


def build(
    transactions: Annotated[
        Path,
        typer.Option(
            "--transactions",
            help="Transactions file (CSV or Parquet) or a quoted glob such as 'data/tx_*.parquet'.",
        ),
    ],
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
    strict: Annotated[
        bool, typer.Option("--strict", help="Fail when any input row is rejected.")
    ] = False,
    grid: Annotated[
        Path | None,
        typer.Option(
            "--grid",
            show_default="the bundled grid",
            help="Segment grid CSV (r_score, fm_score, segment) replacing the bundled one.",
        ),
    ] = None,
    scoring: Annotated[
        Scoring, typer.Option("--scoring", help="How R, F and M scores are computed.")
    ] = Scoring.quintile,
    input_format: Annotated[
        InputFormat | None,
        typer.Option(
            "--format",
            show_default="from the file extension",
            help="Format of the transactions file.",
        ),
    ] = None,
    workdir_option: WorkdirOption = None,
) -> None:
    """Build the customer segments from a transactions file (runs dbt build).

    Example:

      segments build --transactions data/transactions.csv --as-of 2024-01-01 --workdir out
    """
    folder = workdir(workdir_option)
    dbt_vars = _dbt_vars(transactions, as_of, grid, scoring, input_format)
    reserved = {"--customers": customers, "--events": events}
    for option, path in reserved.items():
        if path is not None:
            validate.input_file(path, option.removeprefix("--"))
    for option, path in reserved.items():
        if path is not None:
            console.note(f"note: {option} is reserved for future segments and not used yet")
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


def _dbt_vars(
    transactions: Path,
    as_of: str | None,
    grid: Path | None,
    scoring: Scoring,
    input_format: InputFormat | None,
) -> dict[str, str]:
    dbt_vars = {
        "transactions_path": validate.transactions_path(transactions),
        "scoring_method": scoring.value,
    }
    if input_format is not None:
        dbt_vars["transactions_format"] = input_format.value
    if as_of is not None:
        dbt_vars["as_of_date"] = as_of
    if grid is not None:
        dbt_vars["segment_grid_path"] = str(validate.input_file(grid, "grid"))
    return dbt_vars


def _save_last_build(folder: Workdir, dbt_vars: dict[str, str]) -> None:
    record = {"segments_version": __version__, "vars": dbt_vars}
    folder.last_build.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


def load_last_build(folder: Workdir) -> dict[str, str]:
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
    return {str(key): str(value) for key, value in dbt_vars.items()}
