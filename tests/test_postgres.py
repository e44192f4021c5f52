"""The postgres target: the same inputs give the same marts on PostgreSQL as on DuckDB,
row for row.

These tests need a PostgreSQL server. `make test-postgres` starts a throwaway one
(tests/with_postgres.sh) and sets SEGMENTS_PG_TEST=1, and then a missing or unusable
server fails the tests. `make test` deselects them (marker `postgres`, see pyproject.toml),
so it stays DuckDB-only; selected without SEGMENTS_PG_TEST (`pytest -m postgres`), they
skip. Every scenario builds into its own schema (SEGMENTS_PG_SCHEMA), dropped first.
"""

from __future__ import annotations

import csv
import json
import math
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from operator import itemgetter
from pathlib import Path
from typing import Any

import duckdb
import pytest

from cli.postgres import Settings, connect

pytestmark = pytest.mark.postgres

SERVER_REQUIRED = os.environ.get("SEGMENTS_PG_TEST") == "1"
AS_OF = "1998-07-01"

# Each mart with the columns that identify a row (rows are compared in this order).
MART_KEYS = {
    "customer_segments": ("customer_id",),
    "segment_summary": ("segment",),
    "rejected_transactions": ("source_file", "source_row_number"),
    "segment_history": ("as_of_date", "customer_id"),
    "segment_transitions": (
        "from_as_of_date",
        "to_as_of_date",
        "from_segment",
        "to_segment",
        "transition_type",
    ),
    "segment_migration_latest": (
        "from_as_of_date",
        "to_as_of_date",
        "from_segment",
        "to_segment",
        "transition_type",
    ),
    # Staging, for the parsed values of every input row.
    "stg_input__checked_transactions": ("source_file", "source_row_number"),
}


# --- fixtures and helpers -------------------------------------------------------------


@pytest.fixture(scope="module")
def server() -> Settings:
    """The server of SEGMENTS_PG_*; fails (not skips) under make test-postgres when unusable."""
    if not SERVER_REQUIRED:
        pytest.skip("needs a PostgreSQL server: run make test-postgres")
    settings = Settings.from_env()
    try:
        with connect(settings) as con, con.cursor() as cur:
            cur.execute("select version()")
    except Exception as exc:
        pytest.fail(f"SEGMENTS_PG_TEST=1 but PostgreSQL is unusable: {exc}", pytrace=False)
    return settings


def scenario(settings: Settings, schema: str) -> Settings:
    """Settings building into a fresh `schema` (and `<schema>_raw`), dropped first."""
    fresh = Settings(**{**settings.__dict__, "schema": schema})
    with connect(fresh) as con, con.cursor() as cur:
        cur.execute(f'drop schema if exists "{schema}" cascade')
        cur.execute(f'drop schema if exists "{schema}_raw" cascade')
        con.commit()
    return fresh


def segments(
    *args: str, cwd: Path, settings: Settings | None = None
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if settings is not None:
        env["SEGMENTS_PG_SCHEMA"] = settings.schema
    return subprocess.run(
        [sys.executable, "-m", "cli.launch", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def run_ok(*args: str, cwd: Path, settings: Settings | None = None) -> str:
    result = segments(*args, cwd=cwd, settings=settings)
    assert result.returncode == 0, f"segments {' '.join(args)}:\n{result.stderr}{result.stdout}"
    return result.stdout


def on_both(tmp: Path, settings: Settings, *args: str, name: str) -> tuple[Path, Settings]:
    """Run `segments <args>` on DuckDB (workdir tmp/name-duckdb) and on PostgreSQL (schema
    name, workdir tmp/name-postgres)."""
    duck_dir, pg_dir = tmp / f"{name}-duckdb", tmp / f"{name}-postgres"
    run_ok(*args, "--workdir", str(duck_dir), cwd=tmp)
    run_ok(*args, "--workdir", str(pg_dir), "--target", "postgres", cwd=tmp, settings=settings)
    return duck_dir, settings


def duckdb_table(workdir: Path, table: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    with duckdb.connect(str(workdir / "segments.duckdb"), read_only=True) as con:
        cursor = con.execute(f"select * from main.{table}")
        return [d[0] for d in cursor.description], cursor.fetchall()


def postgres_table(settings: Settings, table: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    with connect(settings) as con, con.cursor() as cur:
        cur.execute(f'select * from "{settings.schema}"."{table}"')
        return [d[0] for d in cur.description], list(cur.fetchall())


def same_value(left: Any, right: Any) -> bool:
    """Equal after normalising types: numbers by value (floats within 1e-9 relative),
    dates and timestamps as such, text exactly."""
    if left is None or right is None:
        return left is None and right is None
    if isinstance(left, float) or isinstance(right, float):
        return math.isclose(float(left), float(right), rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(left, int | Decimal) and isinstance(right, int | Decimal):
        return Decimal(left) == Decimal(right)
    if isinstance(left, datetime) and isinstance(right, datetime):
        return left.replace(tzinfo=None) == right.replace(tzinfo=None)
    if isinstance(left, date) and isinstance(right, date):
        return left == right
    return type(left) is type(right) and left == right


def sort_key(row: dict[str, Any], keys: Sequence[str]) -> tuple[tuple[bool, str], ...]:
    return tuple((row[k] is None, str(row[k])) for k in keys)


def assert_same_table(duck_dir: Path, settings: Settings, table: str) -> int:
    """The table is identical on both engines, row for row; returns its row count."""
    duck_columns, duck_rows = duckdb_table(duck_dir, table)
    pg_columns, pg_rows = postgres_table(settings, table)
    assert pg_columns == duck_columns, f"{table}: columns differ"
    keys = MART_KEYS[table]
    duck = sorted(
        (dict(zip(duck_columns, r, strict=True)) for r in duck_rows),
        key=lambda r: sort_key(r, keys),
    )
    pg = sorted(
        (dict(zip(pg_columns, r, strict=True)) for r in pg_rows), key=lambda r: sort_key(r, keys)
    )
    assert len(pg) == len(duck), f"{table}: {len(pg)} rows on PostgreSQL, {len(duck)} on DuckDB"
    for expected, actual in zip(duck, pg, strict=True):
        different = {
            column: (expected[column], actual[column])
            for column in duck_columns
            if not same_value(expected[column], actual[column])
        }
        assert not different, f"{table} row {[expected[k] for k in keys]}: {different}"
    return len(duck)


# --- inputs -----------------------------------------------------------------------------

MESSY_A = [
    # Header: mixed case and spaces, an extra column, no currency/quantity/... columns.
    [" Transaction_ID ", "CUSTOMER_ID", "transaction_at", "Amount", "status", "Notes"],
    ["T001", "C01", "1998-06-20", "100.00", "paid", "ok"],
    ["T002", "C01", "1998-05-01 10:00:00", "50.00", "", ""],
    ["T003", "C01", "1998-03-01T23:30:00-02:00", "75.5", "PAID", "crosses midnight UTC"],
    ["T004", "C02", "1997-01-15", "20", " refunded ", "refund by status"],
    ["T005", "C02", "1997-02-15", "-20.00", "paid", "refund by sign"],
    ["T006", "C02", "1997-03-15T10:00:00.123456+05:30", "+5", "paid", "offset, fraction"],
    ["T007", "C03", "1998/03/01", "1_000.5", "paid", "slashes, underscore"],
    ["T008", "C03", "1998-3-1 9:5", "12.34567", "paid", "short fields, rounding"],
    ["T009", "C03", "1998-03-01 24:00:00", ".5", "failed", "24:00 is next midnight"],
    ["T010", "C04", "1997-02-30", "10", "paid", "impossible date"],
    ["T011", "C04", "01/02/1997", "10", "paid", "ambiguous date"],
    ["T012", "C04", "yesterday", "10", "paid", "not a date"],
    ["T013", "C04", "", "10", "paid", "missing date"],
    ["T014", "C04", "1997-05-05", "NaN", "paid", "not a number"],
    ["T015", "C04", "1997-05-05", "inf", "paid", "infinite"],
    ["T016", "C04", "1997-05-05", "12,50", "paid", "decimal comma"],
    ["T017", "C04", "1997-05-05", "", "paid", "missing amount"],
    ["T018", "C04", "1997-05-05", "1e400", "paid", "out of range"],
    ["T019", "C04", "1997-05-05", "100000000000000", "paid", "out of decimal(18, 4)"],
    ["T001", "C05", "1998-01-01", "30", "paid", "duplicate in the same file"],
    ["", "C05", "1998-01-01", "30", "paid", "empty id"],
    ["   ", "C05", "1998-01-01", "30", "paid", "blank id"],
    ["T020", "", "1998-01-01", "30", "paid", "empty customer"],
    ["T021", "C05", "1998-01-01", "30", "pending", "unknown status"],
    ["T022", "C05", "1998-01-01 10:00:00 UTC", "30", "paid", 'a "quoted", multi\nline note'],
    ["T023", "C05", "1998-06-30T23:59:59.999999Z", "0.00005", "paid", "half a cent rounds up"],
    ["T024", "C06", "1998-06-30 23:00:00-01:00", "40", "paid", "after the as-of date in UTC"],
    ["T025", "C06", "1998-02-02 10:00:00 Europe/Paris", "40", "paid", "zone name"],
    ["T026", "C06", "1998-02-02T10:00:00+0100", "40", "paid", "compact offset"],
    ["T027", "C07", "1998-01-01", "-5", "refunded", "only a refund: not scored"],
]
MESSY_B = [
    # Other column order, with currency and quantity.
    ["quantity", "amount", "customer_id", "currency", "transaction_at", "transaction_id"],
    ["2", "10.10", "C01", "usd", "1998-06-01", "T101"],
    ["2.5", "20.20", "C06", "EUR", "1998-06-02", "T102"],
    ["x", "30.30", "C08", "", "1998-06-03", "T103"],
    ["1", "40.40", "C08", "USD", "1998-06-04", "T001"],  # duplicate of messy_a's T001
    ["", "50.50", "C09", "USD", "1997-07-07", "T104"],
]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


# --- tests ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample(
    server: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path, Path, Settings]]:
    """The generated sample (500 customers) backfilled at three dates, then built at its
    default as-of date, on both engines."""
    tmp = tmp_path_factory.mktemp("sample")
    settings = scenario(server, "segments_test_sample")
    run_ok("generate", "--customers", "500", "--out", str(tmp / "tx.csv"), cwd=tmp)
    backfill = ("--from", "1998-02-01", "--to", "1998-04-01", "--every", "month")
    on_both(tmp, settings, "backfill", "--transactions", str(tmp / "tx.csv"), *backfill, name="s")
    on_both(tmp, settings, "build", "--transactions", str(tmp / "tx.csv"), name="s")
    yield tmp, tmp / "s-duckdb", settings


@pytest.mark.parametrize("table", list(MART_KEYS))
def test_sample_marts_are_identical(sample, table: str) -> None:
    _, duck_dir, settings = sample
    rows = assert_same_table(duck_dir, settings, table)
    if table in ("customer_segments", "segment_summary", "segment_history"):
        assert rows > 0


def test_sample_history_has_every_date(sample) -> None:
    _, _, settings = sample
    _, rows = postgres_table(settings, "segment_history")
    assert len({row[1] for row in rows}) == 4  # three backfilled dates and the build's


def test_messy_csv_glob_is_parsed_and_rejected_identically(
    server: Settings, tmp_path: Path
) -> None:
    settings = scenario(server, "segments_test_messy")
    write_csv(tmp_path / "messy_a.csv", MESSY_A)
    write_csv(tmp_path / "messy_b.csv", MESSY_B)
    glob = str(tmp_path / "messy_*.csv")
    duck_dir, _ = on_both(
        tmp_path, settings, "build", "--transactions", glob, "--as-of", AS_OF, name="m"
    )
    for table in (
        "stg_input__checked_transactions",
        "rejected_transactions",
        "customer_segments",
        "segment_summary",
        "segment_history",
    ):
        assert assert_same_table(duck_dir, settings, table) > 0
    columns, rejected = postgres_table(settings, "rejected_transactions")
    reasons = Counter(row[columns.index("rejection_reason")] for row in rejected)
    assert reasons == {
        "invalid transaction_at": 3,
        "missing transaction_at": 1,
        "invalid amount": 5,
        "missing amount": 1,
        "duplicate transaction_id": 2,
        "missing transaction_id": 2,
        "missing customer_id": 1,
        "unknown status": 1,
    }


def test_parquet_input_gives_the_marts_of_the_csv(sample, server: Settings) -> None:
    tmp, duck_dir, _ = sample
    settings = scenario(server, "segments_test_parquet")
    run_ok("generate", "--customers", "500", "--out", str(tmp / "tx.parquet"), cwd=tmp)
    run_ok(
        "build",
        "--transactions",
        str(tmp / "tx.parquet"),
        "--workdir",
        str(tmp / "p-postgres"),
        "--target",
        "postgres",
        cwd=tmp,
        settings=settings,
    )
    # The CSV-built DuckDB marts at the same (default) as-of date; history aside.
    for table in ("customer_segments", "segment_summary"):
        duck_columns, duck_rows = duckdb_table(duck_dir, table)
        if table == "customer_segments":  # DuckDB's history had earlier dates
            drop = {"previous_segment", "previous_as_of_date", "segment_since"}
            keep = [i for i, c in enumerate(duck_columns) if c not in drop]
        else:
            keep = list(range(len(duck_columns)))
        pg_columns, pg_rows = postgres_table(settings, table)
        assert pg_columns == duck_columns
        key = 0
        duck_sorted = sorted(duck_rows, key=lambda r: r[key])
        pg_sorted = sorted(pg_rows, key=lambda r: r[key])
        assert len(pg_sorted) == len(duck_sorted)
        for expected, actual in zip(duck_sorted, pg_sorted, strict=True):
            assert all(same_value(expected[i], actual[i]) for i in keep), (expected, actual)


def test_export_and_test_commands_read_postgres(sample, tmp_path: Path) -> None:
    tmp, duck_dir, settings = sample
    pg_dir = tmp / "s-postgres"
    out = run_ok(
        "test", "--workdir", str(pg_dir), "--target", "postgres", cwd=tmp, settings=settings
    )
    assert "0 failed" in out
    for export_format in ("csv", "parquet", "json"):
        duck_out, pg_out = tmp_path / f"duck-{export_format}", tmp_path / f"pg-{export_format}"
        run_ok(
            "export",
            "--workdir",
            str(duck_dir),
            "--out",
            str(duck_out),
            "--format",
            export_format,
            cwd=tmp,
        )
        run_ok(
            "export",
            "--workdir",
            str(pg_dir),
            "--out",
            str(pg_out),
            "--format",
            export_format,
            "--target",
            "postgres",
            cwd=tmp,
            settings=settings,
        )
        for mart in ("customer_segments", "segment_summary", "segment_history"):
            query = f"select * from '{{}}/{mart}.{export_format}'"
            with duckdb.connect() as con:
                duck_result = con.execute(query.format(duck_out))
                duck_columns = [(d[0], str(d[1])) for d in duck_result.description]
                duck = duck_result.fetchall()
                pg_result = con.execute(query.format(pg_out))
                pg_columns = [(d[0], str(d[1])) for d in pg_result.description]
                pg = pg_result.fetchall()
            # Same columns, money in the same exact decimal type (integer widths may differ:
            # DuckDB's sums are 128-bit integers, which its Parquet writer makes doubles).
            assert [c for c, _ in pg_columns] == [c for c, _ in duck_columns]
            for (column, duck_type), (_, pg_type) in zip(duck_columns, pg_columns, strict=True):
                if duck_type.startswith("DECIMAL"):
                    assert pg_type == duck_type, (mart, export_format, column)
            assert len(pg) == len(duck) > 0
            names = [c for c, _ in duck_columns]
            key = itemgetter(*(names.index(k) for k in MART_KEYS[mart]))
            for expected, actual in zip(sorted(duck, key=key), sorted(pg, key=key), strict=True):
                assert all(map(same_value, expected, actual)), (mart, expected, actual)
    segment = run_ok(
        "export",
        "--workdir",
        str(pg_dir),
        "--out",
        str(tmp_path / "one"),
        "--segment",
        "Champions",
        "--format",
        "json",
        "--target",
        "postgres",
        cwd=tmp,
        settings=settings,
    )
    assert "customer_segments.json" in segment
    champions = json.loads((tmp_path / "one" / "segment_summary.json").read_text())
    assert [row["segment"] for row in champions] == ["Champions"]


def test_missing_required_column_fails_with_the_same_line(server: Settings, tmp_path: Path) -> None:
    settings = scenario(server, "segments_test_missing")
    tx = write_csv(
        tmp_path / "tx.csv",
        [["Transaction_ID", "customer_id", "Amount"], ["T1", "C1", "10"]],
    )
    results = [
        segments(
            "build",
            "--transactions",
            str(tx),
            "--workdir",
            str(tmp_path / name),
            *extra,
            cwd=tmp_path,
            settings=settings,
        )
        for name, extra in (("d", ()), ("p", ("--target", "postgres")))
    ]
    lines = []
    for result in results:
        assert result.returncode != 0
        (line,) = result.stderr.strip().splitlines()
        lines.append(line.split(" (details: ")[0])
    assert lines[0] == lines[1]
    assert (
        "missing required column(s): transaction_at (found: Transaction_ID, customer_id,"
        in lines[0]
    )


# Values cast by the PostgreSQL macros and by DuckDB's own casts; KNOWN_DIFFERENCES lists
# the values (outside the input contract) where they disagree, documented in
# macros/engines/postgres/. Each value is trimmed first, as staging does.
CAST_CORPUS = [
    # numbers
    "12",
    "12.5",
    "-3.25",
    "+5",
    ".5",
    "5.",
    "1e3",
    "1E-2",
    "-0",
    "1_000",
    "1_0.5_5",
    "1,5",
    "NaN",
    "nan",
    "inf",
    "-Infinity",
    "",
    "12.34565",
    "-12.34565",
    "0.00005",
    "1.5e",
    "e5",
    ".",
    "+",
    "--5",
    "1.2.3",
    "_1",
    "1__0",
    "12abc",
    "$12",
    "99999999999999.9999",
    "99999999999999.99995",
    "100000000000000",
    "1e13",
    "1e14",
    "1e0005",
    "1e400",
    "2147483647.4",
    "2147483647.5",
    "-2147483648.5",
    "0x10",
    # dates and timestamps
    "1997-01-01",
    "1997-01-01 10:00:00",
    "1997-01-01T10:00:00Z",
    "1997-01-01T10:00:00+02:00",
    "1997-01-01T10:00:00+0200",
    "1997-01-01T10:00:00+02",
    "1997-01-01 10:00",
    "1997-01-01 10",
    "1997-1-1",
    "97-01-01",
    "1997/01/01",
    "1997 01 01",
    "1997-01/01",
    "01/02/1997",
    "1997-02-29",
    "1996-02-29",
    "1900-02-29",
    "2000-02-29",
    "1997-13-01",
    "1997-01-32",
    "1997-01-01 24:00:00",
    "1997-01-01 24:00:01",
    "1997-01-01 23:59:60",
    "1997-01-01 23:60:00",
    "1997-01-01 10:00:00.1234567",
    "1997-01-01T10:00:00.5Z",
    "1997-01-01Z",
    "1997-01-01 10:00:00 +02:00",
    "1997-01-01 10:00:00-05",
    "1997-01-01 10:00:00+05:30:15",
    "1997-01-01 10:00:00+16:00",
    "1997-01-01 10:00:00+99:00",
    "1997-01-01 10:00:00+02:60",
    "1997-01-01T10:00:00+2",
    "1997-01-01 10:00:00z",
    "1997-01-01t10:00:00",
    "1997-01-01  10:00:00",
    "1997-01-01T 10:00",
    "1997-01-01 1:2:3",
    "1997-01-01 0010:00:00",
    "1997-01-01 10:00:00.",
    "1997-01-01 10:00:00,5",
    "Jan 1 1997",
    "19970101",
    "epoch",
    "Infinity",
    "-inf",
    "now",
    "today",
    "1997-01-01 10:00:00 UTC",
    "1997-01-01 10:00:00 utc",
    "1997-06-01 10:00:00 Europe/Paris",
    "1997-01-01 10:00:00 America/New_York",
    "1997-01-01 10:00:00 Mars/Base",
    "1997-01-01 10:00:00 localtime",
    "1997-01-01 UTC",
    "1999-12-31T23:30:00-01:00",
    "10000-01-01",
    "0001-01-01",
    # outside the contract, known to differ
    "0000-01-01",
    "1997-01-01 (BC)",
    "1997-01-01 10:00:00 PST",
    "1997-01-01 10:00:00 UTC+2",
    "1997-01-01 10:00:00 garbage",
    "1234567890123456789e-5",
    "1e-1000",
    "0b101",
]
KNOWN_DIFFERENCES = {
    "0x10": {"integer"},  # DuckDB reads hexadecimal integers
    "0b101": {"integer"},  # and binary ones
    "0000-01-01": {"timestamp", "date"},  # years before 1
    "1997-01-01 (BC)": {"timestamp", "date"},
    "1997-01-01 10:00:00 PST": {"timestamp"},  # abbreviations are not zone names
    "1997-01-01 10:00:00 UTC+2": {"timestamp"},
    "1997-01-01 10:00:00 +02:00": {"date"},  # DuckDB's date cast ignores what follows
    "1234567890123456789e-5": {"decimal"},  # 19 mantissa digits with an exponent
    "1e-1000": {"decimal", "integer"},  # exponents past 999
}


def test_casts_match_duckdb_on_a_corpus(server: Settings, tmp_path: Path) -> None:
    """The postgres__ cast macros agree with DuckDB's try_cast on every value of the corpus
    but the known differences."""
    from cli.project import project_dir

    expressions = {
        "decimal": "{{ segments.try_cast('trim(v)', 'decimal(18, 4)') }}",
        "integer": "{{ segments.try_cast('trim(v)', 'integer') }}",
        "timestamp": "{{ segments.try_cast_timestamp_utc('trim(v)') }}",
        "date": "{{ segments.try_cast('trim(v)', 'date') }}",
    }
    # Compared as text: epoch microseconds and day numbers (Python has no year 10000).
    as_text = {
        "decimal": "cast({} as text)",
        "integer": "cast({} as text)",
        "timestamp": "case when isfinite({0}) then cast(cast(extract(epoch from {0}) * 1000000"
        " as bigint) as text) else cast({0} as text) end",
        "date": "case when isfinite({0}) then cast({0} - date '1970-01-01' as text)"
        " else cast({0} as text) end",
    }
    inline = (
        "select id, "
        + ", ".join(f"{expression} as {name}" for name, expression in expressions.items())
        + " from segments_cast_corpus"
    )
    project = str(project_dir())
    compiled = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from dbt.cli.main import cli; sys.exit(cli())",
            "compile",
            "--project-dir",
            project,
            "--profiles-dir",
            project,
            "--target",
            "postgres",
            "--target-path",
            str(tmp_path / "target"),
            "--log-path",
            str(tmp_path / "logs"),
            "--vars",
            '{"transactions_path": "unused.csv"}',
            "--inline",
            inline,
            "--output",
            "json",
            "--quiet",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr
    sql = json.loads(compiled.stdout)["compiled"]
    columns = ", ".join(as_text[name].format(name) for name in expressions)
    with connect(server) as con, con.cursor() as cur:
        cur.execute("create temporary table segments_cast_corpus (id integer, v text)")
        cur.executemany(
            "insert into segments_cast_corpus values (%s, %s)", list(enumerate(CAST_CORPUS))
        )
        cur.execute(f"select id, {columns} from ({sql}) as cast_values order by id")
        postgres_values = {row[0]: row[1:] for row in cur.fetchall()}
        con.rollback()
    duck_sql = (
        "select try_cast(trim(v) as decimal(18, 4)) as decimal,"
        " try_cast(trim(v) as integer) as integer,"
        " timezone('UTC', try_cast(trim(v) as timestamptz)) as timestamp,"
        " try_cast(trim(v) as date) as date from (select ? as v)"
    )
    duck_as_text = {
        "decimal": "cast({} as varchar)",
        "integer": "cast({} as varchar)",
        "timestamp": "case when isfinite({0}) then cast(epoch_us({0}) as varchar)"
        " else cast({0} as varchar) end",
        "date": "case when isfinite({0}) then cast({0} - date '1970-01-01' as varchar)"
        " else cast({0} as varchar) end",
    }
    duck_columns = ", ".join(duck_as_text[name].format(name) for name in expressions)
    differences: dict[str, set[str]] = {}
    with duckdb.connect() as duck:
        duck.execute("set TimeZone = 'UTC'")
        for index, value in enumerate(CAST_CORPUS):
            expected = duck.execute(f"select {duck_columns} from ({duck_sql})", [value]).fetchone()
            for name, left, right in zip(
                expressions, expected, postgres_values[index], strict=True
            ):
                if name == "decimal" and left is not None and right is not None:
                    left, right = Decimal(left), Decimal(right)
                if left != right:
                    differences.setdefault(value, set()).add(name)
    assert differences == KNOWN_DIFFERENCES


def test_unreachable_server_is_one_line(tmp_path: Path) -> None:
    tx = write_csv(tmp_path / "tx.csv", MESSY_B)
    env = dict(os.environ, SEGMENTS_PG_HOST="127.0.0.1", SEGMENTS_PG_PORT="9")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "cli.main",
            "build",
            "--transactions",
            str(tx),
            "--workdir",
            str(tmp_path),
            "--target",
            "postgres",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("error: cannot connect to postgresql://")
