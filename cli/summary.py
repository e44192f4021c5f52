"""The build summary: read from the DuckDB file, shown as a table or plain lines."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typer

from cli import console
from cli.database import connect


@dataclass(frozen=True)
class SegmentSize:
    segment: str
    customers: int
    share_of_customers: float | None
    share_of_revenue: float | None


@dataclass(frozen=True)
class BuildSummary:
    database: Path | str
    as_of_date: str
    rows_read: int
    customers: int
    rejected_by_reason: list[tuple[str, int]]
    segments: list[SegmentSize]
    # Known customers in customer_profiles, and how many of them are prospects.
    profiles: int | None = None
    prospects: int | None = None

    @property
    def rows_rejected(self) -> int:
        return sum(count for _, count in self.rejected_by_reason)

    @property
    def rejected_marts(self) -> list[str]:
        """The marts holding the rejected rows (rejected_transactions, rejected_events, ...)."""
        marts: list[str] = []
        for reason, _ in self.rejected_by_reason:
            what = reason.split(" file: ")[0] if " file: " in reason else "transactions"
            if f"rejected_{what}" not in marts:
                marts.append(f"rejected_{what}")
        return marts


def read_summary(database: Path, profiles: bool = True) -> BuildSummary:
    """Read the figures of the last build (read-only connection, closed right after);
    `profiles`: whether it made the profile marts."""
    with connect(database) as con:
        return summarise(lambda sql: con.execute(sql).fetchall(), "main", database, profiles)


def summarise(
    query: Callable[[str], Sequence[Sequence[Any]]],
    schema: str,
    database: Path | str,
    profiles: bool = True,
) -> BuildSummary:
    """The figures of the last build, read with `query` from the models in `schema`."""
    # Counted during the build: the staging models may be views over the input file.
    rows_read = _scalar(query(f"select max(input_rows) from {schema}.int_as_of_dates_resolved"))
    customers = _scalar(query(f"select count(*) from {schema}.customer_segments"))
    rejected = [
        (reason, count)
        for reason, count in query(
            f"select rejection_reason, count(*) from {schema}.rejected_transactions"
            " group by rejection_reason order by count(*) desc, rejection_reason"
        )
    ]
    # Rows of the optional customers and events files count as rejected rows too (so
    # --strict fails on them), their reasons named after the file.
    for what in ("customers", "events") if profiles else ():
        rejected += [
            (f"{what} file: {reason}", count)
            for reason, count in query(
                f"select rejection_reason, count(*) from {schema}.rejected_{what}"
                " group by rejection_reason order by count(*) desc, rejection_reason"
            )
        ]
    known = (
        query(
            "select count(*), coalesce(sum(case when lifecycle_stage = 'prospect' then 1 else 0"
            f" end), 0) from {schema}.customer_profiles"
        )
        if profiles
        else []
    )
    segment_rows = query(
        "select segment, customers, share_of_customers, share_of_revenue, as_of_date"
        f" from {schema}.segment_summary order by segment_order, segment"
    )
    as_of = str(segment_rows[0][4]) if segment_rows else "unknown"
    return BuildSummary(
        database=database,
        as_of_date=as_of,
        rows_read=rows_read,
        customers=customers,
        rejected_by_reason=[(str(reason), int(count)) for reason, count in rejected],
        segments=[
            SegmentSize(str(name), int(count or 0), _float(share), _float(revenue_share))
            for name, count, share, revenue_share, _ in segment_rows
        ],
        profiles=int(known[0][0]) if known else None,
        prospects=int(known[0][1]) if known else None,
    )


def _scalar(rows: Sequence[Sequence[Any]]) -> int:
    return int(rows[0][0]) if rows else 0


def _float(value: float | None) -> float | None:
    return None if value is None else float(value)


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def _rejected_line(summary: BuildSummary) -> str:
    if not summary.rows_rejected:
        return "0"
    reasons = ", ".join(f"{reason}: {count:,}" for reason, count in summary.rejected_by_reason)
    return f"{summary.rows_rejected:,} ({reasons})"


def show(summary: BuildSummary) -> None:
    """Print the summary: a rich table on a terminal, plain aligned lines otherwise."""
    facts = [
        ("as-of date", summary.as_of_date),
        ("rows read", f"{summary.rows_read:,}"),
        ("customers scored", f"{summary.customers:,}"),
        ("rows rejected", _rejected_line(summary)),
    ]
    if summary.profiles is not None:
        prospects = summary.prospects or 0
        facts.append(
            ("profiles", f"{summary.profiles:,} ({prospects:,} prospect{'s' * (prospects != 1)})")
        )
    headers = ("segment", "customers", "share", "revenue share")
    rows = [
        (
            s.segment,
            f"{s.customers:,}",
            _percent(s.share_of_customers),
            _percent(s.share_of_revenue),
        )
        for s in summary.segments
    ]
    width = max(len(label) for label, _ in facts) + 2
    for label, value in facts:
        typer.echo(f"{label + ':':<{width}} {value}")
    console.table("segments", headers, rows)
    typer.echo(f"database: {summary.database}")
