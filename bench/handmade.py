"""PRODUCT.md's RFM rules as one hand-made DuckDB query: the practical limit for the build.

One statement reads the file, scores every customer and writes the result, with DuckDB's
defaults except the memory cap and spill folder, taken from the same environment variables
as the build's profile (`SEGMENTS_MEMORY_LIMIT`, `SEGMENTS_TEMP_DIR`) when they are set.
No input validation: see bench/common.py.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from bench import common


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def reader(path: Path, file_format: str) -> str:
    """The file as a relation. CSV columns get the contract's types, not guessed ones (a
    guessed double would make money sums inexact)."""
    if file_format == "parquet":
        return f"read_parquet({literal(str(path))})"
    return (
        f"read_csv({literal(str(path))}, header = true, types = {{"
        "'customer_id': 'varchar', 'transaction_at': 'timestamp',"
        " 'amount': 'decimal(18, 4)', 'status': 'varchar'})"
    )


def query(path: Path, file_format: str, source: str | None = None) -> str:
    """The whole job as one SELECT, over `source` (a relation with the file's columns;
    default the file as read by `reader`)."""
    grid = ",\n            ".join(
        f"({r}, {fm}, {literal(name)})" for r, fm, name in common.grid_cells()
    )
    return f"""
with

transactions as (
    select
        customer_id,
        transaction_at,
        amount,
        coalesce(nullif(lower(trim(status)), ''), 'paid') as status
    from {source or reader(path, file_format)}
),

as_of as (
    -- Default as-of date: the day after the latest transaction (any status).
    select cast(max(transaction_at) as date) + 1 as as_of_date
    from transactions
),

counted as (
    -- Strictly before the as-of date; failed rows never count; a refund is a refunded
    -- status or a negative amount; every other row is paid.
    select
        customer_id,
        transaction_at,
        amount,
        status <> 'refunded' and amount >= 0 as is_paid
    from transactions, as_of
    where transaction_at < as_of.as_of_date and status <> 'failed'
),

customers as (
    select
        customer_id,
        count(*) filter (where is_paid) as frequency,
        coalesce(sum(amount) filter (where is_paid), 0)
            - coalesce(sum(abs(amount)) filter (where not is_paid), 0) as monetary,
        cast(max(transaction_at) filter (where is_paid) as date) as last_purchase_date
    from counted
    group by customer_id
    having count(*) filter (where is_paid) > 0
),

scored as (
    select
        customer_id,
        as_of.as_of_date - last_purchase_date as recency_days,
        frequency,
        monetary,
        1 + 5 * (rank() over (order by recency_days desc) - 1) // count(*) over () as r_score,
        1 + 5 * (rank() over (order by frequency) - 1) // count(*) over () as f_score,
        1 + 5 * (rank() over (order by monetary) - 1) // count(*) over () as m_score
    from customers, as_of
),

grid (r_score, fm_score, segment) as (
    values
            {grid}
)

select
    scored.customer_id,
    scored.recency_days,
    scored.frequency,
    scored.monetary,
    scored.r_score,
    scored.f_score,
    scored.m_score,
    (scored.f_score + scored.m_score + 1) // 2 as fm_score,
    grid.segment
from scored
inner join grid
    on scored.r_score = grid.r_score
    and (scored.f_score + scored.m_score + 1) // 2 = grid.fm_score
"""


def run(path: Path, out: Path, file_format: str, source: str | None = None) -> int:
    con = duckdb.connect(":memory:")
    try:
        if os.environ.get("SEGMENTS_MEMORY_LIMIT"):
            con.execute(f"set memory_limit = {literal(os.environ['SEGMENTS_MEMORY_LIMIT'])}")
        if os.environ.get("SEGMENTS_TEMP_DIR"):
            con.execute(f"set temp_directory = {literal(os.environ['SEGMENTS_TEMP_DIR'])}")
        copy = f"copy ({query(path, file_format, source)}) to {literal(str(out))} (format parquet)"
        written = con.execute(copy).fetchone()
    finally:
        con.close()
    return int(written[0]) if written else 0


if __name__ == "__main__":
    common.main(run)
