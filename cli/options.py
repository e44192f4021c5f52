"""Options shared by several commands."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cli.project import WORKDIR_ENV


class InputFormat(StrEnum):
    csv = "csv"
    parquet = "parquet"


class Scoring(StrEnum):
    quintile = "quintile"
    thresholds = "thresholds"


WorkdirOption = Annotated[
    Path | None,
    typer.Option(
        "--workdir",
        envvar=WORKDIR_ENV,
        show_default="current folder",
        help="Working folder holding segments.duckdb and dbt's state (.segments/).",
    ),
]

TransactionsOption = Annotated[
    Path,
    typer.Option(
        "--transactions",
        help="Transactions file (CSV or Parquet) or a quoted glob such as 'data/tx_*.parquet'.",
    ),
]

StrictOption = Annotated[
    bool, typer.Option("--strict", help="Fail when any input row is rejected.")
]

GridOption = Annotated[
    Path | None,
    typer.Option(
        "--grid",
        show_default="the bundled grid",
        help="Segment grid CSV (r_score, fm_score, segment) replacing the bundled one.",
    ),
]

ScoringOption = Annotated[
    Scoring, typer.Option("--scoring", help="How R, F and M scores are computed.")
]

FormatOption = Annotated[
    InputFormat | None,
    typer.Option(
        "--format",
        show_default="from the file extension",
        help="Format of the transactions file.",
    ),
]
