"""Deterministic, realistic sample transactions, generated in DuckDB SQL.

The generator behind `segments generate`. Every random draw is a pure function of the seed,
the customer number, the order number and a per-draw salt (see `_uniform`), never DuckDB's
`random()`, whose sequence depends on how the work is split between threads.

The shape of the data, per customer (all drawn from hashes of the customer number):

- a first-purchase day spread over the date range, weighted towards later dates (the
  business grows), so recent cohorts exist;
- a purchase count: half the customers buy once, the others follow a discrete Pareto-like
  (Lomax) tail with a few dozen orders for the heaviest buyers; customers who arrive late
  have less time to buy and buy a little less; about 4.5 orders per customer on average;
- a last-purchase day: many repeat buyers churn (their last order is long before the end
  date), the others keep buying until close to the end; heavy buyers churn less;
- a spending level (log-normal) that rises with the purchase count, a favourite category
  and a preferred channel.

Orders are spread in sequence between the first and the last purchase day, each with a
time of day (UTC). Amounts are log-normal with 2 decimals; about 3% of the rows are refunds
(most as `status = refunded` with a positive amount, a few as a negative amount with status
`paid` or empty), about 2% are `failed`, the rest are paid (some with an empty status).

How it scales and why the file is reproducible:

- Customers go to a temporary table (counts, profile, number of the first transaction as
  a running sum), in customer order; each is expanded into its orders with
  `unnest(range(orders))`. Memory follows the number of customers, never the number of
  rows, and DuckDB is capped at `MEMORY_LIMIT`, spilling to a temporary folder above it.
- Rows come out grouped by customer, in purchase order, numbered in that order (like the
  CDNOW export). The COPY has no ORDER BY: with `preserve_insertion_order` DuckDB writes
  the rows in the order of the customers table through the unnest and the projections,
  whatever the number of threads, so CSV output is identical byte for byte. A final sort
  would give the same order for much more time, and memory or spill growing with the rows.
- Parquet holds the same rows in the same order; its row-group layout (hence its bytes)
  can differ between a one-thread and a multi-thread run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from cli.errors import SegmentsError

FORMATS: tuple[str, ...] = ("csv", "parquet")
DEFAULT_SEED = 42
DEFAULT_START = dt.date(1995, 7, 1)
DEFAULT_END = dt.date(1998, 6, 30)
# About 450M rows (some 36 GB of CSV) at the top: far beyond the 100M-row benchmark.
MAX_CUSTOMERS = 100_000_000
MAX_SEED = 2**63 - 1
# A customer places at most this many orders (the tail of the purchase-count distribution).
MAX_ORDERS_PER_CUSTOMER = 250
PRODUCTS_PER_CATEGORY = 50
# DuckDB's memory cap while generating: enough for speed; above it, DuckDB spills to a
# temporary folder. Without it DuckDB keeps up to 80% of the RAM cached on large runs.
MEMORY_LIMIT = "2GB"
# Repeat buyers place 2 + floor(lomax(scale, shape)) orders (fewer when they arrive late):
# with half the customers buying once, about 4.5 orders per customer on average.
TAIL_SCALE = 10.0
TAIL_SHAPE = 1.9

COLUMNS: tuple[str, ...] = (
    "transaction_id",
    "customer_id",
    "transaction_at",
    "amount",
    "status",
    "currency",
    "quantity",
    "product_id",
    "category",
    "channel",
)

# (name, share of orders, price factor). Shares sum to 1.
CATEGORIES: tuple[tuple[str, float, float], ...] = (
    ("Books", 0.20, 0.7),
    ("Music", 0.14, 0.6),
    ("Electronics", 0.12, 3.0),
    ("Home & Kitchen", 0.14, 1.5),
    ("Clothing", 0.15, 1.2),
    ("Beauty", 0.08, 0.8),
    ("Sports & Outdoors", 0.09, 1.6),
    ("Toys & Games", 0.08, 0.9),
)
# (name, share of customers preferring it). Shares sum to 1.
CHANNELS: tuple[tuple[str, float], ...] = (
    ("web", 0.45),
    ("mobile", 0.30),
    ("store", 0.15),
    ("marketplace", 0.10),
)
# Share of orders with quantity 1, 2, 3, 4, 5.
QUANTITY_SHARES: tuple[float, ...] = (0.60, 0.22, 0.10, 0.05, 0.03)

_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_EXTENSIONS = {".csv": "csv", ".parquet": "parquet"}


@dataclass(frozen=True)
class SampleSpec:
    """What to generate: how many customers, from which seed, over which dates (inclusive)."""

    customers: int
    seed: int = DEFAULT_SEED
    start: dt.date = DEFAULT_START
    end: dt.date = DEFAULT_END


@dataclass(frozen=True)
class GenerateResult:
    """What was written."""

    path: Path
    file_format: str
    rows: int
    customers: int
    start: dt.date
    end: dt.date
    seconds: float


def parse_date(text: str, option: str) -> dt.date:
    """A YYYY-MM-DD string as a date, or a one-line SegmentsError naming `option`."""
    value = text.strip()
    if not _DATE_RE.fullmatch(value):
        raise SegmentsError(f"{option} must be a date as YYYY-MM-DD, got {text!r}")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise SegmentsError(f"{option} is not a real date: {text!r}") from None


def resolve_format(out: Path, file_format: str | None) -> str:
    """The output format: `file_format` when given, else guessed from the extension of `out`.

    A known extension that disagrees with an explicit format is an error, so a file named
    `.csv` never holds Parquet.
    """
    guessed = _EXTENSIONS.get(out.suffix.lower())
    if file_format is None:
        if guessed is None:
            raise SegmentsError(
                f"cannot tell the format of {out} from its extension; "
                "name it .csv or .parquet, or pass --format csv|parquet"
            )
        return guessed
    chosen = file_format.strip().lower()
    if chosen not in FORMATS:
        raise SegmentsError(f"unknown format {file_format!r} (expected csv or parquet)")
    if guessed is not None and guessed != chosen:
        raise SegmentsError(f"--format {chosen} does not match the extension of {out}")
    return chosen


def validate_spec(spec: SampleSpec) -> None:
    """Raise a one-line SegmentsError when `spec` cannot be generated."""
    if not 1 <= spec.customers <= MAX_CUSTOMERS:
        raise SegmentsError(
            f"--customers must be between 1 and {MAX_CUSTOMERS:,}, got {spec.customers:,}"
        )
    if not 0 <= spec.seed <= MAX_SEED:
        raise SegmentsError(f"--seed must be between 0 and {MAX_SEED}, got {spec.seed}")
    if spec.start >= spec.end:
        raise SegmentsError(
            f"--start ({spec.start.isoformat()}) must be before --end ({spec.end.isoformat()})"
        )


def _salt(salt: int) -> int:
    """A 64-bit constant for `salt` (splitmix64 increments), so every draw has its own."""
    return (0x632BE59BD9B4E019 + salt * 0x9E3779B97F4A7C15) % 2**64


def _uniform(key: str, salt: int) -> str:
    """SQL for a uniform float in [0, 1) from the hash column `key` and a salt.

    `key` is `hash(customer_num, [order_index,] seed)`. DuckDB's multi-argument `hash()`
    combines its arguments' hashes with a multiply and an xor, so draws that differ only in
    a last argument come out strongly correlated. Hashing `key xor salt` instead runs every
    draw through the full mixing of a single-value hash; the top 53 bits make the double.
    """
    return f"((hash(xor({key}, {_salt(salt)}::ubigint)) >> 11)::double / 9007199254740992.0)"


def _normal(u1: str, u2: str) -> str:
    """SQL for a standard normal draw from two uniform columns (Box-Muller)."""
    return f"(sqrt(-2.0 * ln(1.0 - {u1})) * cos(2.0 * pi() * {u2}))"


def _pick(u: str, shares: Sequence[float]) -> str:
    """SQL for a 1-based index drawn with the given shares from the uniform column `u`."""
    cuts: list[str] = []
    total = 0.0
    for share in shares[:-1]:
        total += share
        cuts.append(f"({u} >= {total:.6f})::int")
    return "(1 + " + " + ".join(cuts) + ")"


def _sql_list(values: Sequence[str | float]) -> str:
    items = (_sql_string(v) if isinstance(v, str) else repr(float(v)) for v in values)
    return "[" + ", ".join(items) + "]"


def customers_sql(spec: SampleSpec) -> str:
    """SQL selecting one row per customer with its purchase count and profile.

    Columns: customer_num, orders, first_day, last_day, favourite_category,
    preferred_channel, spend_level (day numbers count from `spec.start`).
    """
    days = (spec.end - spec.start).days + 1

    def u(salt: int) -> str:
        return _uniform("customer_key", salt)

    # The Pareto-like tail of repeat buyers: 2 + floor(lomax(scale, shape)). Customers who
    # arrive late have less time to buy, so their extra orders shrink with the time left.
    tail = (
        f"floor({TAIL_SCALE} * (pow(1.0 - {u(2)}, -1.0 / {TAIL_SHAPE}) - 1.0)"
        " * (0.3 + 0.7 * time_left))"
    )
    return f"""
        select
            customer_num,
            first_day,
            orders,
            -- Repeat buyers: many churn (last order long before the end), heavy buyers
            -- churn less; the others keep buying until close to the end date.
            case
                when orders = 1 then first_day
                when {u(4)} < 0.62 - 0.4 * least(orders, 30) / 30.0
                    then first_day + floor(({days} - 1 - first_day) * {u(5)} * 0.7)::integer
                else first_day
                    + floor(({days} - 1 - first_day) * (0.88 + 0.12 * {u(5)}))::integer
            end as last_day,
            {_pick(u(6), [share for _, share, _ in CATEGORIES])} as favourite_category,
            {_pick(u(7), [share for _, share in CHANNELS])} as preferred_channel,
            -- Log-normal spending level, higher for frequent buyers.
            ln(24.0) + 0.12 * ln(orders) + 0.45 * {_normal(u(8), u(9))} as spend_level,
        from (
            select
                customer_num,
                customer_key,
                first_day,
                case
                    when {u(1)} < 0.5 then 1
                    else least({MAX_ORDERS_PER_CUSTOMER}, 2 + {tail})::integer
                end as orders,
            from (
                select
                    customer_num,
                    customer_key,
                    -- Acquisition grows over time: more first purchases in later days.
                    floor({days} * pow({u(3)}, 0.8))::integer as first_day,
                    1.0 - first_day / {days}.0 as time_left,
                from (
                    select
                        range as customer_num,
                        hash(range, {spec.seed}::bigint) as customer_key,
                    from range(1, {spec.customers} + 1)
                )
            )
        )
    """


def _id_sql(prefix: str, number: str, width: int) -> str:
    """SQL for `prefix` + `number` zero-padded to `width` digits (faster than lpad)."""
    return f"concat('{prefix}', substr(({10**width} + {number})::varchar, 2))"


def _product_ids() -> list[str]:
    return [f"P{n:04d}" for n in range(1, len(CATEGORIES) * PRODUCTS_PER_CATEGORY + 1)]


def sample_customers_sql(spec: SampleSpec) -> str:
    """SQL selecting `customers_sql` in customer order, with each customer's id string and
    `first_transaction`, the number of its first transaction (a running sum of the counts).
    """
    customer_width = max(6, len(str(spec.customers)))
    return f"""
        select
            customer_num,
            {_id_sql("C", "customer_num", customer_width)} as customer_id,
            sum(orders) over (
                order by customer_num rows between unbounded preceding and current row
            ) - orders + 1 as first_transaction,
            orders::smallint as orders,
            first_day,
            last_day,
            favourite_category::utinyint as favourite_category,
            preferred_channel::utinyint as preferred_channel,
            spend_level,
        from ({customers_sql(spec)})
        order by customer_num
    """


def transactions_sql(spec: SampleSpec, customers_table: str, transaction_width: int) -> str:
    """SQL selecting the transactions, one row per order, in transaction-number order.

    `customers_table` holds the rows of `sample_customers_sql`, in customer order. The
    output keeps that order (customers expanded with `unnest`, then projections only), so
    it needs no sort when `preserve_insertion_order` is on.
    """

    def u(salt: int) -> str:
        return _uniform("row_key", salt)

    category_names = _sql_list([name for name, _, _ in CATEGORIES])
    price_factors = _sql_list([factor for _, _, factor in CATEGORIES])
    channel_names = _sql_list([name for name, _ in CHANNELS])
    product_ids = _sql_list(_product_ids())
    category_pick = _pick("u_category_pick", [share for _, share, _ in CATEGORIES])
    channel_pick = _pick("u_channel_pick", [share for _, share in CHANNELS])
    start_epoch = int(dt.datetime.combine(spec.start, dt.time(), dt.UTC).timestamp())
    return f"""
        select
            {_id_sql("T", "transaction_num", transaction_width)} as transaction_id,
            customer_id,
            make_timestamp(
                ({start_epoch} + order_day::bigint * 86400 + second_of_day) * 1000000
            ) as transaction_at,
            case
                when is_negative_refund then -amount_paid
                else amount_paid
            end as amount,
            case
                when u_status < 0.02 then 'failed'
                when u_status < 0.045 then 'refunded'
                when u_status_detail < 0.08 then null
                else 'paid'
            end as status,
            'USD' as currency,
            quantity,
            {product_ids}[
                (category - 1) * {PRODUCTS_PER_CATEGORY}
                + floor({PRODUCTS_PER_CATEGORY} * u_product * u_product)::integer + 1
            ] as product_id,
            {category_names}[category] as category,
            {channel_names}[channel] as channel,
        from (
            select
                *,
                greatest(
                    0.99,
                    {price_factors}[category] * quantity
                        * exp(spend_level + 0.4 * {_normal("u_price_1", "u_price_2")})
                )::decimal(12, 2) as amount_paid,
                -- A few refunds come as a negative amount on a paid (or blank) row, after
                -- the customer's first order.
                order_index > 0 and u_status >= 0.045 and u_status < 0.05 as is_negative_refund,
            from (
                select
                    customer_num,
                    customer_id,
                    order_index,
                    first_transaction + order_index as transaction_num,
                    spend_level,
                    -- Orders in sequence between the first and the last purchase day.
                    case
                        when order_index = 0 then first_day
                        else first_day + floor(
                            (last_day - first_day) * (order_index - 1 + {u(1)}) / (orders - 1)
                        )::integer
                    end as order_day,
                    -- Time of day (UTC) between 06:00 and 24:00, busiest mid-afternoon.
                    floor(21600 + 64800 * ({u(2)} + {u(3)}) / 2.0)::bigint as second_of_day,
                    case
                        when {u(4)} < 0.55 then favourite_category
                        else {category_pick}
                    end as category,
                    case
                        when {u(6)} < 0.75 then preferred_channel
                        else {channel_pick}
                    end as channel,
                    {_pick(u(7), QUANTITY_SHARES)} as quantity,
                    {u(8)} as u_product,
                    {u(9)} as u_price_1,
                    {u(10)} as u_price_2,
                    {u(11)} as u_status,
                    {u(12)} as u_status_detail,
                from (
                    select
                        *,
                        {u(5)} as u_category_pick,
                        {u(13)} as u_channel_pick,
                    from (
                        select
                            *,
                            hash(customer_num, order_index, {spec.seed}::bigint) as row_key,
                        from (
                            select *, unnest(range(orders)) as order_index
                            from {customers_table}
                        )
                    )
                )
            )
        )
    """


def _copy_options(file_format: str) -> str:
    if file_format == "csv":
        return "format csv, header true, timestampformat '%Y-%m-%d %H:%M:%S'"
    return "format parquet, compression zstd"


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _prepare_output(out: Path) -> Path:
    """Create the parent folder; return the temporary path written before the final rename."""
    if out.is_dir():
        raise SegmentsError(f"--out {out} is a folder; give a file name such as {out}/tx.csv")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SegmentsError(f"cannot create the folder {out.parent}: {exc.strerror}") from None
    # Keep the extension last so DuckDB's compression detection (e.g. .csv.gz) still works.
    return out.with_name(f".{out.stem}.partial-{os.getpid()}{out.suffix}")


def _run_with_progress(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    on_progress: Callable[[float], None],
) -> list[tuple[object, ...]]:
    """Run `sql` in a worker thread, reporting DuckDB's progress (0..100) while it runs."""
    result: list[list[tuple[object, ...]]] = []
    failure: list[BaseException] = []

    def work() -> None:
        try:
            result.append(con.execute(sql).fetchall())
        except BaseException as exc:  # re-raised in the caller's thread
            failure.append(exc)

    worker = threading.Thread(target=work, name="segments-generate", daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            worker.join(0.2)
            progress = con.query_progress()
            if progress >= 0:
                on_progress(min(progress, 100.0))
    except BaseException:
        con.interrupt()
        worker.join()
        raise
    if failure:
        raise failure[0]
    return result[0]


def write_transactions(
    spec: SampleSpec,
    out: Path,
    file_format: str,
    *,
    threads: int | None = None,
    on_progress: Callable[[float], None] | None = None,
) -> GenerateResult:
    """Write the sample transactions of `spec` to `out` as csv or parquet.

    The file is written next to `out` under a temporary name and renamed when complete, so
    an interrupted or failed run never leaves a half-written file behind. `threads` only
    changes the speed, never the rows. `on_progress` receives DuckDB's percentage while the
    file is written. DuckDB failures (disk full, ...) become a one-line SegmentsError and an
    interrupted query a KeyboardInterrupt.
    """
    validate_spec(spec)
    if file_format not in FORMATS:
        raise SegmentsError(f"unknown format {file_format!r} (expected csv or parquet)")
    began = time.perf_counter()
    partial = _prepare_output(out)
    try:
        rows = _write(spec, partial, file_format, threads, on_progress)
        partial.replace(out)
    except (duckdb.InterruptException, KeyboardInterrupt):
        raise KeyboardInterrupt from None
    except RuntimeError as exc:  # duckdb raises a plain RuntimeError when interrupted by ^C
        if "interrupted" in str(exc).lower():
            raise KeyboardInterrupt from None
        raise
    except duckdb.Error as exc:
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise SegmentsError(f"cannot write {out}: {message}") from exc
    except OSError as exc:
        raise SegmentsError(f"cannot write {out}: {exc.strerror or exc}") from exc
    finally:
        partial.unlink(missing_ok=True)
    return GenerateResult(
        path=out,
        file_format=file_format,
        rows=rows,
        customers=spec.customers,
        start=spec.start,
        end=spec.end,
        seconds=time.perf_counter() - began,
    )


def _write(
    spec: SampleSpec,
    path: Path,
    file_format: str,
    threads: int | None,
    on_progress: Callable[[float], None] | None,
) -> int:
    """Generate into `path` with a private in-memory DuckDB; return the rows written."""
    with (
        tempfile.TemporaryDirectory(prefix="segments-generate-") as spill,
        contextlib.closing(duckdb.connect(":memory:")) as con,
    ):
        con.execute(f"set temp_directory = {_sql_string(spill)}")
        con.execute(f"set memory_limit = '{MEMORY_LIMIT}'")
        con.execute("set preserve_insertion_order = true")
        if threads is not None:
            con.execute(f"set threads = {int(threads)}")
        # Progress is tracked only for `on_progress`, and never printed by DuckDB itself.
        con.execute(f"set enable_progress_bar = {str(on_progress is not None).lower()}")
        con.execute("set enable_progress_bar_print = false")
        con.execute(f"create temp table sample_customers as {sample_customers_sql(spec)}")
        total = con.execute("select sum(orders)::bigint from sample_customers").fetchone()
        rows_expected = int(total[0]) if total and total[0] is not None else 0
        transaction_width = max(8, len(str(rows_expected)))
        query = transactions_sql(spec, "sample_customers", transaction_width)
        copy = f"copy ({query}) to {_sql_string(str(path))} ({_copy_options(file_format)})"
        if on_progress is None:
            written = con.execute(copy).fetchall()
        else:
            written = _run_with_progress(con, copy, on_progress)
    return int(written[0][0])
