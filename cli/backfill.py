"""`segments backfill`: score many past as-of dates in one dbt run."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from enum import StrEnum
from typing import Annotated

import typer

from cli import console, validate
from cli.build import BuildScope, build_vars, run_build
from cli.errors import SegmentsError
from cli.options import (
    AllTestsOption,
    CustomersOption,
    EventsOption,
    FormatOption,
    GridOption,
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
from cli.project import workdir

MAX_DATES = 1000


class Every(StrEnum):
    day = "day"
    week = "week"
    month = "month"


def as_of_dates(start: date, end: date, every: Every) -> list[date]:
    """The as-of dates from start to end (both included when they fall on the schedule).

    Monthly dates keep the day of month of `start`, or the month's last day when it is
    shorter (from 2024-01-31: 2024-02-29, 2024-03-31, ...).
    """
    if start > end:
        raise SegmentsError(f"--from {start} is after --to {end}")
    dates: list[date] = []
    step = 0
    while True:
        if every is Every.month:
            month_index = start.month - 1 + step
            year, month = start.year + month_index // 12, month_index % 12 + 1
            day = min(start.day, calendar.monthrange(year, month)[1])
            current = date(year, month, day)
        else:
            current = start + timedelta(days=step * (7 if every is Every.week else 1))
        if current > end:
            return dates
        dates.append(current)
        if len(dates) > MAX_DATES:
            raise SegmentsError(
                f"{start} to {end} every {every.value} gives more than {MAX_DATES} as-of dates;"
                " choose a shorter range or a longer step"
            )
        step += 1


def backfill(
    transactions: TransactionsOption,
    from_date: Annotated[
        str,
        typer.Option(
            "--from",
            metavar="YYYY-MM-DD",
            callback=validate.as_of_date,
            help="First as-of date.",
        ),
    ],
    to_date: Annotated[
        str,
        typer.Option(
            "--to",
            metavar="YYYY-MM-DD",
            callback=validate.as_of_date,
            help="Last as-of date (included when it falls on the schedule).",
        ),
    ],
    every: Annotated[Every, typer.Option("--every", help="Step between as-of dates.")] = (
        Every.month
    ),
    customers: CustomersOption = None,
    events: EventsOption = None,
    segments_file: SegmentsFileOption = None,
    strict: StrictOption = False,
    grid: GridOption = None,
    scoring: ScoringOption = Scoring.quintile,
    input_format: FormatOption = None,
    profiles: ProfilesOption = None,
    all_tests: AllTestsOption = False,
    target: TargetOption = Target.duckdb,
    workdir_option: WorkdirOption = None,
) -> None:
    """Score past as-of dates in one dbt run and record them in segment_history.

    Each date is scored exactly as `segments build --as-of DATE` would score it (customers
    ranked among that date's customers only); dates built before are replaced, not
    duplicated. customer_segments, customer_profiles and the dynamic segments then show
    the last date.

    Example:

      segments backfill --transactions tx.csv --from 1997-04-01 --to 1998-07-01 --every month
    """
    folder = workdir(workdir_option)
    dates = as_of_dates(date.fromisoformat(from_date), date.fromisoformat(to_date), every)
    dbt_vars = build_vars(
        transactions,
        grid,
        scoring,
        input_format,
        customers=customers,
        events=events,
        segments_file=segments_file,
    )
    dbt_vars["as_of_dates"] = [d.isoformat() for d in dates]
    console.note(f"backfill: {len(dates)} as-of dates from {dates[0]} to {dates[-1]}")
    scope = BuildScope.choose(profiles, dbt_vars, target, all_tests)
    run_build(folder, dbt_vars, strict, target, scope)
