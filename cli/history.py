"""`segments history`: how customers moved between segments over the built as-of dates."""

from __future__ import annotations

from typing import Annotated

import duckdb
import typer

from cli import console
from cli.database import connect
from cli.errors import SegmentsError
from cli.options import WorkdirOption
from cli.project import workdir

MAX_DATE_COLUMNS = 8


def history(
    customer: Annotated[
        str | None, typer.Option("--customer", help="Show one customer's segment over time.")
    ] = None,
    segment: Annotated[
        str | None,
        typer.Option("--segment", help="Show one segment's size over time (exact name)."),
    ] = None,
    workdir_option: WorkdirOption = None,
) -> None:
    """Print segment history: segment sizes per as-of date, one customer's path, or one
    segment over time.

    Examples:

      segments history

      segments history --customer C000042

      segments history --segment "At Risk"
    """
    folder = workdir(workdir_option)
    database = folder.require_database()
    with connect(database) as con:
        if segment is not None:
            _check_segment(con, segment)
        if customer is not None:
            headers, rows, title = _customer_path(con, customer, segment)
        elif segment is not None:
            headers, rows, title = _segment_over_time(con, segment)
        else:
            headers, rows, title = _sizes_by_date(con)
    console.table(title, headers, rows)


def _check_segment(con: duckdb.DuckDBPyConnection, segment: str) -> None:
    known = [
        str(row[0])
        for row in con.execute(
            "select segment from main.segment_summary order by segment_order, segment"
        ).fetchall()
    ]
    if segment not in known:
        raise SegmentsError(f"unknown segment '{segment}'; known: {', '.join(known)}")


def _customer_path(
    con: duckdb.DuckDBPyConnection, customer: str, segment: str | None
) -> tuple[list[str], list[list[str]], str]:
    query = (
        "select as_of_date, segment, rfm_cell, recency_days, frequency, monetary"
        " from main.segment_history where customer_id = ?"
    )
    params = [customer]
    if segment is not None:
        query += " and segment = ?"
        params.append(segment)
    rows = con.execute(query + " order by as_of_date", params).fetchall()
    if not rows:
        where = f" in segment '{segment}'" if segment is not None else ""
        raise SegmentsError(f"customer '{customer}' has no history{where}")
    headers = ["as-of date", "segment", "rfm", "recency days", "frequency", "monetary"]
    return headers, [_cells(row) for row in rows], f"history of customer {customer}"


def _segment_over_time(
    con: duckdb.DuckDBPyConnection, segment: str
) -> tuple[list[str], list[list[str]], str]:
    rows = con.execute(
        """
        select
            dates.as_of_date,
            count(history.customer_id) as customers,
            coalesce(sum(history.monetary), 0) as revenue,
            count(history.customer_id) / any_value(totals.customers) as share
        from (select distinct as_of_date from main.segment_history) as dates
        left join main.segment_history as history
            on history.as_of_date = dates.as_of_date and history.segment = ?
        inner join (
            select as_of_date, count(*) as customers from main.segment_history group by 1
        ) as totals on totals.as_of_date = dates.as_of_date
        group by dates.as_of_date
        order by dates.as_of_date
        """,
        [segment],
    ).fetchall()
    cells = [[str(d), f"{c:,}", f"{r:,.2f}", f"{s:.1%}"] for d, c, r, s in rows]
    return ["as-of date", "customers", "revenue", "share"], cells, f"segment {segment}"


def _sizes_by_date(con: duckdb.DuckDBPyConnection) -> tuple[list[str], list[list[str]], str]:
    dates = [
        row[0]
        for row in con.execute(
            "select distinct as_of_date from main.segment_history"
            f" order by as_of_date desc limit {MAX_DATE_COLUMNS}"
        ).fetchall()
    ][::-1]
    if not dates:
        raise SegmentsError("segment_history is empty: run segments build or segments backfill")
    counts = con.execute(
        """
        select summary.segment, history.as_of_date, count(history.customer_id)
        from main.segment_summary as summary
        left join main.segment_history as history on history.segment = summary.segment
        group by summary.segment, summary.segment_order, history.as_of_date
        order by summary.segment_order, summary.segment
        """
    ).fetchall()
    order: list[str] = []
    table: dict[str, dict[object, int]] = {}
    for name, as_of, count in counts:
        if name not in table:
            order.append(name)
            table[name] = {}
        table[name][as_of] = int(count)
    rows = [[name, *(f"{table[name].get(d, 0):,}" for d in dates)] for name in order]
    title = "customers per segment and as-of date"
    if len(dates) == MAX_DATE_COLUMNS:
        title += f" (last {MAX_DATE_COLUMNS} dates)"
    return ["segment", *(str(d) for d in dates)], rows, title


def _cells(row: tuple) -> list[str]:
    return [f"{value:,}" if isinstance(value, int) else str(value) for value in row]
