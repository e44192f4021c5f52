"""The hand-made query with the input contract's repeated-id rule: a floor for the build.

PRODUCT.md: "The first occurrence of a repeated transaction_id is kept; later ones are
rejected as duplicates." A build that honours the contract cannot count a later occurrence,
so it must know the repeated ids. This competitor is `bench.handmade` over the file with
that rule applied the cheapest exact way, as the build applies it: when every id is greater
than the one read before it, no id is repeated and nothing is grouped; otherwise the ids
seen more than once are grouped and every row but each one's first is dropped. A Parquet
file's ids are compared in parts, one per DuckDB thread, as the build compares them. Nothing
else of the validation (no typing of raw text, no rejected rows written). Its time is a
lower bound of the work any build meeting the contract does, on the same engine.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import duckdb

from bench import common, handmade


def deduplicated(path: Path, file_format: str) -> str:
    """The file's rows without the later occurrences of a repeated transaction_id; the
    first occurrence is the one with the lowest row number in the file. The ids are
    grouped only when one of them is not greater than the one read before it. A Parquet
    file is read twice (the ids alone, then the rows); a CSV file is read once, numbered
    and kept (reading it twice took 12.3 s at 10M, once 8.7 s)."""
    if file_format == "parquet":
        numbered = f"read_parquet({handmade.literal(str(path))}, file_row_number = true)"
        prefix, number, shared = "", "file_row_number", split_rows(path)
    else:
        numbered, number, shared = "numbered", "row_number", []
        prefix = (
            "with numbered as materialized (select *, row_number() over () as row_number"
            f" from {handmade.reader(path, 'csv')})"
        )
    return f"""(
    {prefix}
    select numbered.* exclude ({number})
    from {numbered} as numbered
    anti join (
        select transaction_id, min({number}) as first_row
        from {numbered} as repeated
        where {_ids_out_of_order(numbered, number, shared)}
        group by transaction_id
        having count(*) > 1
    ) as repeated
        on numbered.transaction_id = repeated.transaction_id
        and numbered.{number} > repeated.first_row
)"""


def split_rows(path: Path) -> list[int]:
    """The 0-based rows at which a Parquet file's ids are compared in parts, one part per
    DuckDB thread, each row shared by two parts: the build's split
    (macros/segments/read_order_window.sql) on file_row_number."""
    with duckdb.connect(":memory:") as con:
        rows, threads = con.execute(
            "select count(*), current_setting('threads')"
            f" from read_parquet({handmade.literal(str(path))})"
        ).fetchall()[0]
    parts = min(int(threads), int(rows) - 1)
    return [part * (int(rows) - 1) // parts for part in range(1, parts)]


def _ids_out_of_order(numbered: str, number: str, shared: list[int]) -> str:
    """A condition true when the ids are not shown to increase as read. Without shared
    rows, one pass; with them, one part between each two (compared at once), where each
    part's row numbers must increase too and each shared row be read by both its parts."""
    bounds = [None, *shared, None]
    row_steps = f", {number}, lag({number}) over () as previous_row" if shared else ""
    parts = []
    for low, high in itertools.pairwise(bounds):
        where = ["transaction_id is not null"]
        if low is not None:
            where.append(f"{number} >= {low}")
        if high is not None:
            where.append(f"{number} <= {high}")
        parts.append(
            f"select transaction_id, lag(transaction_id) over () as previous_id{row_steps}"
            f" from {numbered} as read_in_order where {' and '.join(where)}"
        )
    out_of_order = "transaction_id <= previous_id"
    shared_check = ""
    if shared:
        out_of_order += f" or {number} <= previous_row"
        shared_check = (
            f" or count(case when {number} in ({', '.join(map(str, shared))}) then 1 end)"
            f" <> {2 * len(shared)}"
        )
    return f"""(
            select count(case when {out_of_order} then 1 end) > 0{shared_check}
            from ({" union all ".join(parts)}) as steps
        )"""


def run(path: Path, out: Path, file_format: str) -> int:
    return handmade.run(path, out, file_format, deduplicated(path, file_format))


if __name__ == "__main__":
    common.main(run)
