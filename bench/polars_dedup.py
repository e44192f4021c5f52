"""The polars query with the input contract's repeated-id rule: polars doing that part of
the build's job too.

PRODUCT.md: "The first occurrence of a repeated transaction_id is kept; later ones are
rejected as duplicates." Like `bench.handmade_dedup` for the hand-made query, this is
`bench.polars_impl` over the file with that rule applied the way the build applies it
(when every id is greater than the one before it, none is repeated and nothing is grouped;
otherwise every transaction id is grouped and each repeated id's later rows dropped) and
nothing else of the validation. Set against the build at 100M, where the target is
"faster than polars doing the same job".
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from bench import common, polars_impl

ROW = "__row"


def deduplicated(path: Path, file_format: str) -> pl.LazyFrame:
    """The file's rows (the columns the rules need) without the later occurrences of a
    repeated transaction_id; the first occurrence is the one earliest in the file. The ids
    are grouped only when one of them is not greater than the one before it."""
    ids = polars_impl.scan_all(path, file_format).select("transaction_id").drop_nulls()
    out_of_order = (
        ids.select((pl.col("transaction_id") <= pl.col("transaction_id").shift(1)).sum())
        .collect()
        .item()
    )
    if not out_of_order:
        return polars_impl.scan(path, file_format)
    rows = polars_impl.scan_all(path, file_format).with_row_index(ROW)
    later = (
        rows.select("transaction_id", ROW)
        .group_by("transaction_id")
        .agg(first_row=pl.col(ROW).min(), occurrences=pl.len())
        .filter(pl.col("occurrences") > 1)
        .join(rows.select("transaction_id", ROW), on="transaction_id")
        .filter(pl.col(ROW) > pl.col("first_row"))
        .select(ROW)
    )
    return rows.join(later, on=ROW, how="anti").select(common.INPUT_COLUMNS)


def run(path: Path, out: Path, file_format: str) -> int:
    return polars_impl.run(path, out, file_format, deduplicated(path, file_format))


if __name__ == "__main__":
    common.main(run)
