"""PRODUCT.md's RFM rules as one lazy polars query.

Money is summed as integers of 1/10,000 (see `common.MONEY_UNITS`); `rank("min")` is SQL
`rank()`. No input validation: see bench/common.py.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from bench import common


def scan(path: Path, file_format: str) -> pl.LazyFrame:
    """The columns the rules need."""
    return scan_all(path, file_format).select(common.INPUT_COLUMNS)


def scan_all(path: Path, file_format: str) -> pl.LazyFrame:
    """Every column of the file, the rules' columns typed as the contract says."""
    if file_format == "parquet":
        frame = pl.scan_parquet(path)
    else:
        frame = pl.scan_csv(
            path,
            schema_overrides={
                "transaction_id": pl.String,
                "customer_id": pl.String,
                "transaction_at": pl.Datetime("us"),
                "amount": pl.Float64,
                "status": pl.String,
            },
        )
    return frame


def score(column: str, descending: bool = False) -> pl.Expr:
    rank = pl.col(column).rank("min", descending=descending).cast(pl.Int64)
    return 1 + (5 * (rank - 1)) // pl.len()


def run(path: Path, out: Path, file_format: str, frame: pl.LazyFrame | None = None) -> int:
    """Score the transactions of `path` (or `frame`, the same rows prepared otherwise)."""
    status = pl.col("status").str.strip_chars().str.to_lowercase()
    is_refund = (pl.col("status") == "refunded") | (pl.col("units") < 0)
    grid = pl.LazyFrame(
        common.grid_cells(),
        schema={"r_score": pl.Int64, "fm_score": pl.Int64, "segment": pl.String},
        orient="row",
    )
    result = (
        (scan(path, file_format) if frame is None else frame)
        .with_columns(
            status=pl.when(status.is_null() | (status == ""))
            .then(pl.lit("paid"))
            .otherwise(status),
            units=(pl.col("amount").cast(pl.Float64) * common.MONEY_UNITS).round().cast(pl.Int64),
            # Default as-of date: the day after the latest transaction (any status).
            as_of_date=pl.col("transaction_at").max().dt.date() + pl.duration(days=1),
        )
        .filter(
            (pl.col("transaction_at") < pl.col("as_of_date").cast(pl.Datetime("us")))
            & (pl.col("status") != "failed")
        )
        .group_by("customer_id")
        .agg(
            frequency=(~is_refund).sum().cast(pl.Int64),
            monetary_units=pl.col("units").filter(~is_refund).sum()
            - pl.col("units").filter(is_refund).abs().sum(),
            last_purchase_date=pl.col("transaction_at").filter(~is_refund).max().dt.date(),
            as_of_date=pl.col("as_of_date").first(),
        )
        .filter(pl.col("frequency") > 0)
        .with_columns(
            recency_days=(pl.col("as_of_date") - pl.col("last_purchase_date")).dt.total_days(),
        )
        .with_columns(
            r_score=score("recency_days", descending=True),
            f_score=score("frequency"),
            m_score=score("monetary_units"),
        )
        .with_columns(fm_score=(pl.col("f_score") + pl.col("m_score") + 1) // 2)
        .join(grid, on=["r_score", "fm_score"], how="left")
        .select(
            "customer_id",
            pl.col("recency_days").cast(pl.Int64),
            "frequency",
            monetary=pl.col("monetary_units") / common.MONEY_UNITS,
            r_score="r_score",
            f_score="f_score",
            m_score="m_score",
            fm_score="fm_score",
            segment="segment",
        )
        .collect()
    )
    result.write_parquet(out)
    return result.height


if __name__ == "__main__":
    common.main(run)
