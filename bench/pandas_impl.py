"""PRODUCT.md's RFM rules in vectorised pandas: what an analyst would write.

Reads only the four columns the rules need (pyarrow), sums money as integers of 1/10,000
(see `common.MONEY_UNITS`) and ranks with `rank(method="min")`, which is SQL `rank()`.
No input validation: see bench/common.py.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from bench import common


def read(path: Path, file_format: str) -> pd.DataFrame:
    columns = list(common.INPUT_COLUMNS)
    if file_format == "parquet":
        # Decimal amounts arrive as Python objects by default; keep them in Arrow instead.
        frame = pd.read_parquet(path, columns=columns, dtype_backend="pyarrow")
        frame["transaction_at"] = frame["transaction_at"].astype("datetime64[us]")
    else:
        frame = pd.read_csv(
            path,
            usecols=columns,
            dtype={"customer_id": "str", "status": "str", "amount": "float64"},
            parse_dates=["transaction_at"],
            engine="pyarrow",
        )
    frame["amount"] = frame["amount"].astype("float64")
    return frame


def score(rank: pd.Series, n: int) -> np.ndarray:
    return 1 + (5 * (rank.to_numpy(dtype="int64") - 1)) // n


def run(path: Path, out: Path, file_format: str) -> int:
    tx = read(path, file_format)
    status = tx["status"].fillna("").astype("str").str.strip().str.lower()
    status = status.mask(status == "", "paid")
    # Default as-of date: the day after the latest transaction (any status).
    as_of = tx["transaction_at"].max().normalize() + pd.Timedelta(days=1)
    counted = (tx["transaction_at"] < as_of) & (status != "failed")
    units = np.rint(tx["amount"].to_numpy() * common.MONEY_UNITS).astype("int64")
    is_refund = (status == "refunded").to_numpy() | (units < 0)
    is_paid = counted.to_numpy() & ~is_refund
    is_refund &= counted.to_numpy()

    paid = pd.DataFrame(
        {
            "customer_id": tx["customer_id"].to_numpy()[is_paid],
            "transaction_at": tx["transaction_at"].to_numpy()[is_paid],
            "units": units[is_paid],
        }
    )
    customers = paid.groupby("customer_id", sort=False).agg(
        frequency=("units", "size"),
        paid_units=("units", "sum"),
        last_purchase_at=("transaction_at", "max"),
    )
    refunds = (
        pd.Series(np.abs(units[is_refund]), index=tx["customer_id"].to_numpy()[is_refund])
        .groupby(level=0, sort=False)
        .sum()
    )
    monetary_units = customers["paid_units"] - refunds.reindex(customers.index, fill_value=0)
    recency_days = (as_of - customers["last_purchase_at"].dt.normalize()).dt.days

    n = len(customers)
    r_score = score(recency_days.rank(method="min", ascending=False), n)
    f_score = score(customers["frequency"].rank(method="min"), n)
    m_score = score(monetary_units.rank(method="min"), n)
    fm_score = (f_score + m_score + 1) // 2
    names = np.array([name for _, _, name in common.grid_cells()], dtype=object)
    segment = names[(5 - r_score) * 5 + (fm_score - 1)]

    result = pd.DataFrame(
        {
            "customer_id": customers.index.to_numpy(),
            "recency_days": recency_days.to_numpy(dtype="int64"),
            "frequency": customers["frequency"].to_numpy(dtype="int64"),
            "monetary": monetary_units.to_numpy() / common.MONEY_UNITS,
            "r_score": r_score,
            "f_score": f_score,
            "m_score": m_score,
            "fm_score": fm_score,
            "segment": segment,
        }
    )
    result.to_parquet(out, index=False)
    return n


if __name__ == "__main__":
    common.main(run)
