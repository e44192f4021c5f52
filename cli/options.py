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

FullRefreshOption = Annotated[
    bool,
    typer.Option(
        "--full-refresh",
        help="Read every transactions file again, even when only new files were added.",
    ),
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


class Target(StrEnum):
    duckdb = "duckdb"
    postgres = "postgres"
    spark = "spark"


TargetOption = Annotated[
    Target,
    typer.Option(
        "--target",
        help="Where the models are built: duckdb (segments.duckdb in the working folder), "
        "postgres (the server named by the SEGMENTS_PG_* environment variables; needs "
        "pip install 'segments\\[postgres]') or spark (a local Apache Spark, tables in "
        "spark-warehouse/ in the working folder; needs Java 17 and "
        "pip install 'segments\\[spark]').",
    ),
]


CustomersOption = Annotated[
    Path | None,
    typer.Option(
        "--customers",
        show_default="none: customer attributes stay empty",
        help="Customers file (CSV or Parquet, or a quoted glob): customer_id, and optionally "
        "email, birth_date, gender, education, city, region, country, acquisition_source, "
        "signed_up_at, preferred_channel.",
    ),
]

EventsOption = Annotated[
    Path | None,
    typer.Option(
        "--events",
        show_default="none: engagement stays empty",
        help="Events file (CSV or Parquet, or a quoted glob): customer_id, event_at, "
        "event_type (page_view, email_open, email_click, cart_add).",
    ),
]

SegmentsFileOption = Annotated[
    Path | None,
    typer.Option(
        "--segments-file",
        help="YAML file of dynamic segments (name, description, conditions over "
        "customer_profiles columns); their members go to dynamic_segment_members.",
    ),
]

ProfilesOption = Annotated[
    bool | None,
    typer.Option(
        "--profiles/--no-profiles",
        show_default="on when a customers, events or segments file is given",
        help="Also build customer_profiles, customer_recommendations and the dynamic "
        "segments (the models tagged profiles). Without them a build makes the RFM and "
        "history marts only, and removes profile marts left by an earlier build.",
    ),
]

AllTestsOption = Annotated[
    bool,
    typer.Option(
        "--all-tests",
        help="Run every data test during the build (dbt build), not only the checks a "
        "build always runs; `segments test` runs them on the last build.",
    ),
]
