"""Deterministic sample customers and events matching the sample transactions.

`segments generate --customers-out PATH --events-out PATH` writes them next to the
transactions of `cli.sample_data`, from the same seed and the same per-customer hash draws
(see `sample_data._uniform`), so the files agree: customer C000042 of the customers file
is the customer C000042 of the transactions, signed up on or before its first purchase.

- Customers: every buyer of the transactions, plus one prospect (signed up, never bought)
  for every `PROSPECT_EVERY` buyers, numbered after them. Attributes are drawn with fixed
  shares; a few optional values are left empty, as in real exports.
- Events: page views, email opens and clicks and cart additions between the signup and the
  end of the customer's activity. Most buyers stay active until some weeks after their
  last purchase, so customers who stopped buying also go quiet; three in ten keep reading
  emails and browsing to the end; prospects drift away at a random point. Events come
  out grouped by customer, in time order, with no sort (like the transactions), so CSV
  output is identical byte for byte for the same arguments.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from cli.errors import SegmentsError
from cli.sample_data import (
    FORMATS,
    MEMORY_LIMIT,
    SampleSpec,
    _copy_options,
    _id_sql,
    _pick,
    _sql_list,
    _sql_string,
    _uniform,
    customers_sql,
    validate_spec,
)

# One prospect (in the customers file, no transaction) for this many buyers.
PROSPECT_EVERY = 8
MAX_EVENTS_PER_CUSTOMER = 400

# (value, share) tables; shares sum to 1. None leaves the value empty.
GENDERS: tuple[tuple[str | None, float], ...] = (
    ("female", 0.49),
    ("male", 0.46),
    ("non-binary", 0.02),
    (None, 0.03),
)
EDUCATION: tuple[tuple[str | None, float], ...] = (
    ("high school", 0.30),
    ("bachelor", 0.38),
    ("master", 0.20),
    ("doctorate", 0.05),
    (None, 0.07),
)
# (city, region, country, share)
LOCATIONS: tuple[tuple[str, str, str, float], ...] = (
    ("Jakarta", "Jakarta", "ID", 0.12),
    ("Surabaya", "East Java", "ID", 0.06),
    ("Bandung", "West Java", "ID", 0.04),
    ("New York", "New York", "US", 0.12),
    ("Austin", "Texas", "US", 0.07),
    ("Seattle", "Washington", "US", 0.05),
    ("London", "England", "GB", 0.10),
    ("Manchester", "England", "GB", 0.04),
    ("Berlin", "Berlin", "DE", 0.08),
    ("Munich", "Bavaria", "DE", 0.04),
    ("Paris", "Île-de-France", "FR", 0.08),
    ("São Paulo", "São Paulo", "BR", 0.07),
    ("Sydney", "New South Wales", "AU", 0.07),
    ("Toronto", "Ontario", "CA", 0.06),
)
SOURCES: tuple[tuple[str, float], ...] = (
    ("organic_search", 0.28),
    ("paid_search", 0.20),
    ("social", 0.18),
    ("email", 0.10),
    ("referral", 0.12),
    ("direct", 0.12),
)
CONTACT_CHANNELS: tuple[tuple[str | None, float], ...] = (
    ("email", 0.58),
    ("sms", 0.22),
    ("push", 0.14),
    (None, 0.06),
)
EVENT_TYPES: tuple[tuple[str, float], ...] = (
    ("page_view", 0.50),
    ("email_open", 0.28),
    ("email_click", 0.09),
    ("cart_add", 0.13),
)

CUSTOMER_COLUMNS: tuple[str, ...] = (
    "customer_id",
    "email",
    "birth_date",
    "gender",
    "education",
    "city",
    "region",
    "country",
    "acquisition_source",
    "signed_up_at",
    "preferred_channel",
)
EVENT_COLUMNS: tuple[str, ...] = ("customer_id", "event_at", "event_type")


@dataclass(frozen=True)
class ProfilesResult:
    """What was written (a path is None when that file was not asked for)."""

    customers_path: Path | None
    customers: int
    prospects: int
    events_path: Path | None
    events: int


def prospect_count(spec: SampleSpec) -> int:
    return spec.customers // PROSPECT_EVERY


def _choice(u: str, table: Sequence[tuple[str | None, float]]) -> str:
    """SQL picking a value of `table` (value, share) with the uniform column `u`."""
    values = [value for value, _ in table]
    index = _pick(u, [share for _, share in table])
    if all(value is not None for value in values):
        return f"{_sql_list([str(v) for v in values])}[{index}]"
    cases = " ".join(
        f"when {position} then {_sql_string(value) if value is not None else 'null'}"
        for position, value in enumerate(values, start=1)
    )
    return f"case {index} {cases} end"


def profiles_sql(spec: SampleSpec) -> str:
    """SQL selecting one row per sample customer (buyers, then prospects) with the draws
    both files need: customer_num, customer_id, is_prospect, signup_day, active_until_day,
    first_day, activity (0..1) and purchase count (day numbers count from `spec.start`)."""
    days = (spec.end - spec.start).days + 1
    buyers = spec.customers
    width = max(6, len(str(buyers)))
    prospect_width = max(6, len(str(buyers + prospect_count(spec))))

    def u(salt: int) -> str:
        return _uniform("customer_key", salt)

    return f"""
        select
            customer_num,
            customer_id,
            is_prospect,
            signup_day,
            first_day,
            active_until_day,
            orders,
            activity,
        from (
            select
                customer_num,
                {_id_sql("C", "customer_num", width)} as customer_id,
                false as is_prospect,
                -- Signed up before the first purchase: the day before, or up to 60 days
                -- earlier (on the same day only for purchases on the first day).
                greatest(0, first_day - 1 - floor(60 * {u(21)} * {u(22)})::integer)
                    as signup_day,
                first_day,
                -- Active (browsing, reading emails) until a few weeks after the last order;
                -- three in ten keep reading and browsing until the end without buying.
                case
                    when {u(25)} < 0.3 then {days} - 1
                    else least({days} - 1, last_day + floor(75 * {u(23)})::integer)
                end as active_until_day,
                orders,
                {u(24)} as activity,
            from (
                select *, hash(customer_num, {spec.seed}::bigint) as customer_key,
                from ({customers_sql(spec)})
            )
            union all
            select
                customer_num,
                {_id_sql("C", "customer_num", prospect_width)} as customer_id,
                true as is_prospect,
                signup_day,
                null::integer as first_day,
                signup_day + floor(({days} - 1 - signup_day) * {u(23)})::integer
                    as active_until_day,
                0 as orders,
                {u(24)} * 0.6 as activity,
            from (
                select
                    customer_num,
                    customer_key,
                    floor({days} * pow({u(3)}, 0.8))::integer as signup_day,
                from (
                    select range as customer_num, hash(range, {spec.seed}::bigint) as customer_key,
                    from range({buyers} + 1, {buyers} + {prospect_count(spec)} + 1)
                )
            )
        )
        order by customer_num
    """


def customers_file_sql(spec: SampleSpec, table: str) -> str:
    """SQL selecting the customers file from the rows of `profiles_sql` in `table`."""
    end_epoch = int(dt.datetime.combine(spec.end, dt.time(), dt.UTC).timestamp())
    start_epoch = int(dt.datetime.combine(spec.start, dt.time(), dt.UTC).timestamp())

    def u(salt: int) -> str:
        return _uniform("customer_key", salt)

    location_index = _pick(u(33), [share for *_, share in LOCATIONS])
    return f"""
        select
            customer_id,
            case when {u(30)} < 0.04 then null else lower(customer_id) || '@example.com' end
                as email,
            -- Aged 18 to 80 at the end date; a few birth dates are unknown.
            case
                when {u(31)} < 0.05 then null
                else cast(make_timestamp(
                    ({end_epoch} - floor((18 + 62 * pow({u(32)}, 1.4)) * 31557600)::bigint)
                    * 1000000
                ) as date)
            end as birth_date,
            {_choice(u(34), GENDERS)} as gender,
            {_choice(u(35), EDUCATION)} as education,
            {_sql_list([city for city, *_ in LOCATIONS])}[{location_index}] as city,
            {_sql_list([region for _, region, *_ in LOCATIONS])}[{location_index}] as region,
            {_sql_list([country for *_, country, _ in LOCATIONS])}[{location_index}] as country,
            {_choice(u(36), SOURCES)} as acquisition_source,
            -- Sample purchases happen from 06:00: a signup on the day of the first purchase
            -- is before 06:00, others at any time of day.
            make_timestamp(
                ({start_epoch} + signup_day::bigint * 86400 + floor(
                    case when signup_day = first_day then 21600 else 86400 end * {u(37)}
                )::bigint) * 1000000
            ) as signed_up_at,
            {_choice(u(38), CONTACT_CHANNELS)} as preferred_channel,
        from (
            select *, hash(customer_num, {spec.seed}::bigint) as customer_key,
            from {table}
        )
    """


def events_file_sql(spec: SampleSpec, table: str) -> str:
    """SQL selecting the events file from the rows of `profiles_sql` in `table`, grouped by
    customer and in time order within each customer, without a sort."""
    start_epoch = int(dt.datetime.combine(spec.start, dt.time(), dt.UTC).timestamp())

    def u(salt: int) -> str:
        return _uniform("event_key", salt)

    type_names = _sql_list([name for name, _ in EVENT_TYPES])
    type_index = _pick(u(2), [share for _, share in EVENT_TYPES])
    return f"""
        select
            customer_id,
            -- Strictly increasing with event_index: events come out in time order.
            make_timestamp(
                ({start_epoch} + signup_day::bigint * 86400 + floor(
                    86400.0 * (active_until_day - signup_day + 1) * (event_index + {u(1)})
                    / events
                )::bigint) * 1000000
            ) as event_at,
            {type_names}[{type_index}] as event_type,
        from (
            select
                *,
                hash(customer_num, event_index, {spec.seed}::bigint) as event_key,
            from (
                select *, unnest(range(events)) as event_index
                from (
                    select
                        *,
                        least(
                            {MAX_EVENTS_PER_CUSTOMER},
                            floor((3 + 4 * orders) * (0.2 + 1.6 * activity))
                        )::integer as events,
                    from {table}
                )
            )
        )
    """


def write_profiles(
    spec: SampleSpec,
    customers_out: Path | None,
    events_out: Path | None,
    customers_format: str = "csv",
    events_format: str = "csv",
    *,
    threads: int | None = None,
) -> ProfilesResult:
    """Write the sample customers and/or events of `spec` (each file under a temporary name,
    renamed when complete); DuckDB failures become a one-line SegmentsError."""
    validate_spec(spec)
    for file_format in (customers_format, events_format):
        if file_format not in FORMATS:
            raise SegmentsError(f"unknown format {file_format!r} (expected csv or parquet)")
    outputs = [
        (out, file_format, option)
        for out, file_format, option in (
            (customers_out, customers_format, "--customers-out"),
            (events_out, events_format, "--events-out"),
        )
        if out is not None
    ]
    partials = {out: _prepare(out, option) for out, _, option in outputs}
    counts: dict[str, int] = {}
    try:
        with (
            tempfile.TemporaryDirectory(prefix="segments-generate-") as spill,
            contextlib.closing(duckdb.connect(":memory:")) as con,
        ):
            con.execute(f"set temp_directory = {_sql_string(spill)}")
            con.execute(f"set memory_limit = '{MEMORY_LIMIT}'")
            con.execute("set preserve_insertion_order = true")
            if threads is not None:
                con.execute(f"set threads = {int(threads)}")
            con.execute(f"create temp table sample_profiles as {profiles_sql(spec)}")
            queries = {
                customers_out: customers_file_sql(spec, "sample_profiles"),
                events_out: events_file_sql(spec, "sample_profiles"),
            }
            for out, file_format, _ in outputs:
                copy = (
                    f"copy ({queries[out]}) to {_sql_string(str(partials[out]))}"
                    f" ({_copy_options(file_format)})"
                )
                written = con.execute(copy).fetchall()
                counts[str(out)] = int(written[0][0])
        for out, partial in partials.items():
            partial.replace(out)
    except duckdb.Error as exc:
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise SegmentsError(f"cannot write the sample customers or events: {message}") from exc
    except OSError as exc:
        raise SegmentsError(f"cannot write the sample customers or events: {exc}") from exc
    finally:
        for partial in partials.values():
            partial.unlink(missing_ok=True)
    return ProfilesResult(
        customers_path=customers_out,
        customers=counts.get(str(customers_out), 0),
        prospects=prospect_count(spec) if customers_out is not None else 0,
        events_path=events_out,
        events=counts.get(str(events_out), 0),
    )


def _prepare(out: Path, option: str) -> Path:
    if out.is_dir():
        raise SegmentsError(f"{option} {out} is a folder; give a file name such as {out}/x.csv")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SegmentsError(f"cannot create the folder {out.parent}: {exc.strerror}") from None
    return out.with_name(f".{out.stem}.partial-{os.getpid()}{out.suffix}")
