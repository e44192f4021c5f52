"""What every competitor shares: its command line, the segment grid and the result schema.

Each competitor (`bench.handmade`, `bench.pandas_impl`, `bench.polars_impl`) is run as its
own process by the driver:

    python -m bench.handmade --transactions tx.parquet --out result.parquet

It reads a transactions file written by `segments generate` (CSV or Parquet), applies
PRODUCT.md's RFM rules and writes one row per scored customer to `--out` (Parquet) with the
columns of `RESULT_COLUMNS`. Its last line on stdout is JSON: `{"seconds": ..., "customers": ...}`
(time from start of reading to the result written, without interpreter start-up).

The competitors skip the input validation of the models (rejected rows, duplicate ids,
unparseable values; bench.handmade_dedup and bench.polars_dedup apply the repeated-id
rule only): generated data has no bad rows, so validation would reject nothing and the
rules give the same result. They do apply the same normalisation of clean values:
status trimmed and lower-cased, empty status meaning `paid`.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path

# The default segment grid, as PRODUCT.md states it: R score -> segment per FM score 1..5.
# Written out again here, independently of seeds/segment_grid.csv, so that agreement with
# the build also checks the seed.
GRID: dict[int, tuple[str, str, str, str, str]] = {
    5: ("New Customers", "Potential Loyalists", "Potential Loyalists", "Champions", "Champions"),
    4: ("Promising", "Potential Loyalists", "Loyal Customers", "Champions", "Champions"),
    3: ("Promising", "About to Sleep", "Need Attention", "Loyal Customers", "Loyal Customers"),
    2: ("Hibernating", "About to Sleep", "At Risk", "At Risk", "Can't Lose Them"),
    1: ("Lost", "Hibernating", "At Risk", "Can't Lose Them", "Can't Lose Them"),
}

# Columns of every competitor's result (and of customer_segments, which has more).
RESULT_COLUMNS: tuple[str, ...] = (
    "customer_id",
    "recency_days",
    "frequency",
    "monetary",
    "r_score",
    "f_score",
    "m_score",
    "fm_score",
    "segment",
)

# The columns the rules need; the others are never read.
INPUT_COLUMNS: tuple[str, ...] = ("customer_id", "transaction_at", "amount", "status")

# pandas and polars sum money as integers of 1/10,000 (the models' decimal(18, 4)): a
# floating-point sum depends on the order of addition and could break a rank tie.
MONEY_UNITS = 10_000


def grid_cells() -> list[tuple[int, int, str]]:
    """The grid as (r_score, fm_score, segment) rows."""
    return [(r, fm, name) for r, names in GRID.items() for fm, name in enumerate(names, 1)]


def input_format(path: Path, given: str | None) -> str:
    """csv or parquet: `given`, else from the extension of `path`."""
    if given:
        return given
    return "parquet" if path.suffix.lower() in (".parquet", ".parq", ".pq") else "csv"


def main(run: Callable[[Path, Path, str], int], argv: Sequence[str] | None = None) -> None:
    """Parse a competitor's command line, call `run(transactions, out, format)`, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transactions", type=Path, required=True, help="CSV or Parquet file")
    parser.add_argument("--out", type=Path, required=True, help="Parquet file to write")
    parser.add_argument("--format", choices=("csv", "parquet"), default=None)
    args = parser.parse_args(argv)
    began = time.perf_counter()
    customers = run(args.transactions, args.out, input_format(args.transactions, args.format))
    seconds = time.perf_counter() - began
    print(json.dumps({"seconds": round(seconds, 4), "customers": customers}))
