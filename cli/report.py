"""`segments report`: one self-contained HTML page about the last build.

Every figure on the page is read from the marts with SQL (one read-only connection); Python
only lays them out. The page itself is written by `cli.report_html`.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import duckdb
import typer

from cli import __version__
from cli.build import load_last_build
from cli.database import connect
from cli.errors import SegmentsError
from cli.options import WorkdirOption
from cli.project import workdir
from cli.validate import check_path_text

# Histogram bars: about this many between the minimum and the 95th percentile; values
# above the last edge share one overflow bar, so one huge customer does not flatten the rest.
TARGET_BINS = 20
TAIL_QUANTILE = 0.95
MAX_BARS = 40
MEASURES = (
    ("recency_days", "Recency", "days since the last purchase", True),
    ("frequency", "Frequency", "paid orders", True),
    ("monetary", "Monetary", "net revenue per customer", False),
)


@dataclass(frozen=True)
class SegmentRow:
    segment: str
    description: str | None
    recommended_action: str | None
    customers: int
    share_of_customers: float
    revenue: float
    share_of_revenue: float | None


@dataclass(frozen=True)
class GridCell:
    r_score: int
    fm_score: int
    segment: str | None
    customers: int
    revenue: float


@dataclass(frozen=True)
class Bin:
    low: float
    high: float | None  # None: the overflow bar (values >= low)
    customers: int


@dataclass(frozen=True)
class Histogram:
    measure: str
    title: str
    unit: str
    bins: list[Bin]
    median: float
    mean: float
    maximum: float


@dataclass(frozen=True)
class Move:
    from_segment: str | None  # None: entered (not scored at the earlier date)
    to_segment: str | None  # None: left (not scored at the later date)
    customers: int
    share_of_from_segment: float | None


@dataclass(frozen=True)
class Migration:
    from_date: str
    to_date: str
    moves: list[Move]


@dataclass(frozen=True)
class Quality:
    rows_read: int
    rows_staged: int
    rejected: list[tuple[str, int]]

    @property
    def rows_rejected(self) -> int:
        return sum(count for _, count in self.rejected)


@dataclass(frozen=True)
class ReportData:
    as_of_date: str
    built_at: str
    inputs: list[tuple[str, str]]
    customers: int
    revenue: float
    segments: list[SegmentRow]
    grid: list[GridCell]
    histograms: list[Histogram]
    history_dates: int
    migration: Migration | None
    quality: Quality
    version: str = __version__


def report(
    out: Annotated[Path, typer.Option("--out", help="HTML file to write, e.g. report.html.")],
    workdir_option: WorkdirOption = None,
) -> None:
    """Write a self-contained HTML report of the last build: the RFM grid, segment sizes and
    revenue, distributions, migration since the previous as-of date and data quality.

    The page needs no network (inline SVG and CSS) and prints well.

    Example:

      segments report --out report.html --workdir out
    """
    from cli import report_html  # here: report_html imports this module's data classes

    folder = workdir(workdir_option)
    database = folder.require_database()
    dbt_vars = load_last_build(folder)
    target = _output_file(out)
    data = read_report(database, dbt_vars)
    page = report_html.render(data)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(page, encoding="utf-8")
        os.replace(temporary, target)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise SegmentsError(f"cannot write {target}: {exc.strerror or exc}") from exc
    typer.echo(f"wrote {target} ({data.customers:,} customers, as of {data.as_of_date})")


def read_report(database: Path, dbt_vars: dict[str, Any]) -> ReportData:
    """Read every figure of the report from the marts (one read-only connection)."""
    with connect(database) as con:
        segments = _segments(con)
        customers, revenue, as_of = _one(
            con,
            "select count(*), coalesce(sum(monetary), 0), max(as_of_date)"
            " from main.customer_segments",
        )
        if as_of is None:
            as_of = _one(con, "select max(as_of_date) from main.segment_summary")[0]
        grid = _grid(con)
        histograms = [_histogram(con, *measure) for measure in MEASURES]
        history_dates = int(
            _one(con, "select count(distinct as_of_date) from main.segment_history")[0]
        )
        migration = _migration(con)
        quality = _quality(con)
    return ReportData(
        as_of_date=str(as_of) if as_of is not None else "unknown",
        built_at=_built_at(database),
        inputs=_inputs(dbt_vars),
        customers=int(customers),
        revenue=float(revenue),
        segments=segments,
        grid=grid,
        histograms=histograms,
        history_dates=history_dates,
        migration=migration,
        quality=quality,
    )


def _one(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> tuple:
    row = con.execute(sql, params or []).fetchone()
    assert row is not None
    return row


def _segments(con: duckdb.DuckDBPyConnection) -> list[SegmentRow]:
    rows = con.execute(
        """
        select segment, description, recommended_action, customers, share_of_customers,
            revenue, share_of_revenue
        from main.segment_summary
        order by segment_order nulls last, segment
        """
    ).fetchall()
    return [
        SegmentRow(
            segment=str(name),
            description=description,
            recommended_action=action,
            customers=int(customers or 0),
            share_of_customers=float(share or 0),
            revenue=float(revenue or 0),
            share_of_revenue=None if revenue_share is None else float(revenue_share),
        )
        for name, description, action, customers, share, revenue, revenue_share in rows
    ]


_GRID_COUNTS = """
    with cells as (
        select r.r_score, fm.fm_score
        from range(1, 6) as r (r_score) cross join range(1, 6) as fm (fm_score)
    ),
    counts as (
        select r_score, fm_score, count(*) as customers, sum(monetary) as revenue
        from main.customer_segments
        group by r_score, fm_score
    )
    select cells.r_score, cells.fm_score, coalesce(counts.customers, 0),
        coalesce(counts.revenue, 0)
    from cells
    left join counts on counts.r_score = cells.r_score and counts.fm_score = cells.fm_score
    order by cells.r_score desc, cells.fm_score
"""


def _grid(con: duckdb.DuckDBPyConnection) -> list[GridCell]:
    """The 25 cells, R 5 to 1 then FM 1 to 5: customers and revenue from customer_segments,
    the segment from the grid in use (or, if it cannot be read, from the customers)."""
    counts = con.execute(_GRID_COUNTS).fetchall()
    try:
        named = con.execute(
            "select r_score, fm_score, segment from main.stg_seeds__segment_grid"
        ).fetchall()
    except duckdb.Error:  # a user grid file moved since the build: name the cells in use
        named = con.execute(
            "select r_score, fm_score, min(segment) from main.customer_segments"
            " group by r_score, fm_score"
        ).fetchall()
    names = {(int(r), int(fm)): segment for r, fm, segment in named if r is not None}
    return [
        GridCell(int(r), int(fm), names.get((int(r), int(fm))), int(n), float(revenue))
        for r, fm, n, revenue in counts
    ]


def _histogram(
    con: duckdb.DuckDBPyConnection, column: str, title: str, unit: str, integral: bool
) -> Histogram:
    low, high, tail, median, mean = _one(
        con,
        f"select min({column}), max({column}), quantile_disc({column}, {TAIL_QUANTILE}),"
        f" median({column}), avg({column}) from main.customer_segments",
    )
    if low is None:
        return Histogram(column, title, unit, [], 0.0, 0.0, 0.0)
    start, width, count = bin_layout(float(low), float(tail), integral)
    rows = con.execute(
        f"""
        select least(greatest(floor(({column} - ?) / ?), 0), ?) as bin, count(*)
        from main.customer_segments
        group by bin
        """,
        [start, width, count],
    ).fetchall()
    by_bin = {int(index): int(n) for index, n in rows}
    bins = [Bin(start + i * width, start + (i + 1) * width, by_bin.get(i, 0)) for i in range(count)]
    if count in by_bin:
        bins.append(Bin(start + count * width, None, by_bin[count]))
    return Histogram(column, title, unit, bins, float(median), float(mean), float(high))


def bin_layout(low: float, tail: float, integral: bool) -> tuple[float, float, int]:
    """(first edge, width, number of bars) covering low..tail: one bar per value for a
    short range of whole numbers, else round edges."""
    span = max(tail - low, 0.0)
    if integral and span < MAX_BARS:
        return low, 1.0, int(span) + 1
    raw = span / TARGET_BINS if span else 1.0
    magnitude = 10 ** math.floor(math.log10(raw))
    width = next(step * magnitude for step in (1, 2, 2.5, 5, 10) if step * magnitude >= raw)
    if integral:
        width = max(1.0, float(math.ceil(width)))
    start = math.floor(low / width) * width
    count = max(1, math.floor((tail - start) / width) + 1)
    return start, width, count


def _migration(con: duckdb.DuckDBPyConnection) -> Migration | None:
    rows = con.execute(
        """
        select from_as_of_date, to_as_of_date, from_segment, to_segment, customers,
            share_of_from_segment
        from main.segment_migration_latest
        """
    ).fetchall()
    if not rows:
        return None
    moves = [
        Move(from_segment, to_segment, int(n), None if share is None else float(share))
        for _, _, from_segment, to_segment, n, share in rows
    ]
    return Migration(str(rows[0][0]), str(rows[0][1]), moves)


def _quality(con: duckdb.DuckDBPyConnection) -> Quality:
    # Counted by the build (int_as_of_dates_resolved): the staging models are views over
    # the input file, which may have moved since.
    (read,) = _one(con, "select max(input_rows) from main.int_as_of_dates_resolved")
    rejected = con.execute(
        "select rejection_reason, count(*) from main.rejected_transactions"
        " group by rejection_reason order by count(*) desc, rejection_reason"
    ).fetchall()
    # Every row read is accepted or rejected (a data test proves it).
    staged = int(read) - sum(int(n) for _, n in rejected)
    return Quality(int(read), staged, [(str(r), int(n)) for r, n in rejected])


def _inputs(dbt_vars: dict[str, Any]) -> list[tuple[str, str]]:
    dates = dbt_vars.get("as_of_dates")
    as_of = (
        f"{len(dates)} dates, {dates[0]} to {dates[-1]}"
        if isinstance(dates, list) and dates
        else str(dbt_vars.get("as_of_date") or "the day after the latest transaction")
    )
    return [
        ("transactions", str(dbt_vars.get("transactions_path") or "unknown")),
        ("segment grid", str(dbt_vars.get("segment_grid_path") or "bundled grid")),
        ("scoring", str(dbt_vars.get("scoring_method") or "quintile")),
        ("as-of date asked", as_of),
    ]


def _built_at(database: Path) -> str:
    try:
        moment = datetime.fromtimestamp(database.stat().st_mtime, tz=UTC)
    except OSError:
        moment = datetime.now(tz=UTC)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _output_file(out: Path) -> Path:
    check_path_text(str(out), "--out")
    target = Path(os.path.abspath(out.expanduser()))
    if target.is_dir():
        raise SegmentsError(f"--out {target} is a folder; give a file name such as report.html")
    if not target.parent.is_dir():
        raise SegmentsError(f"--out folder {target.parent} does not exist")
    return target
