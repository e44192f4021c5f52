"""The build summary: read from the DuckDB file, shown as a table or plain lines."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
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
    database: Path
    as_of_date: str
    rows_read: int
    customers: int
    rejected_by_reason: list[tuple[str, int]]
    segments: list[SegmentSize]

    @property
    def rows_rejected(self) -> int:
        return sum(count for _, count in self.rejected_by_reason)


def read_summary(database: Path) -> BuildSummary:
    """Read the figures of the last build (read-only connection, closed right after)."""
    with connect(database) as con:
        rows_read = _scalar(con, "select count(*) from main.stg_input__raw_transactions")
        customers = _scalar(con, "select count(*) from main.customer_segments")
        rejected = con.execute(
            "select rejection_reason, count(*) from main.rejected_transactions"
            " group by rejection_reason order by count(*) desc, rejection_reason"
        ).fetchall()
        segment_rows = con.execute(
            "select segment, customers, share_of_customers, share_of_revenue, as_of_date"
            " from main.segment_summary order by segment_order, segment"
        ).fetchall()
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
    )


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row else 0


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
