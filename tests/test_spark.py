"""Parity: the same models built on DuckDB and on Apache Spark give the same marts.

Both engines build the same inputs through the CLI, exactly as a user runs it: the
generated sample (2,000 customers) and a small messy CSV (bad dates and amounts, empty
ids, duplicates across and within files, offsets, quoted line breaks), read together as a
glob. The builds run twice, a backfill of three as-of dates and then a plain build of the
last one, so Spark's incremental insert_overwrite of segment_history runs as well as its
first create. customer_segments, segment_summary, rejected_transactions and segment_history
must then be identical row for row (types normalised: each engine picks its own decimal
precision, and averages are doubles on one and decimals on the other). Source row numbers
are checked against ids that encode the row, for CSV and for Parquet.

These tests are marked `spark`: deselected by default, selected by `make test-spark` (which
installs the spark extra). Selected without pyspark or Java they fail; they never skip.
"""

from __future__ import annotations

import csv
import importlib.util
import math
import os
import shutil
import subprocess
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

import cli

pytestmark = pytest.mark.spark

HEADER = [
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
]
# Rows breaking the input contract in every way the README lists, and valid rows in every
# accepted shape. (transaction_id, customer_id, transaction_at, amount, status, quantity,
# category). product_id is set to ROW<n>, the row's position in the file, so the source
# row numbers can be checked against it.
MESSY_ROWS = [
    ("M0001", "C000001", "1998-06-29", "10.00", "paid", "1", "Books"),
    ("", "C000002", "1998-01-01", "5", "paid", "1", "Books"),
    ("   ", "C000002", "1998-01-01", "5", "paid", "1", "Books"),
    ("T00000005", "C000004", "1998-01-01", "5", "paid", "1", "Books"),
    ("M0005", "C900001", "1998-02-01 10:00:00", "20", "paid", "1", "Music"),
    ("M0005", "C900002", "1998-02-02 10:00:00", "21", "paid", "1", "Music"),
    ("M0007", "", "1998-01-01", "5", "paid", "1", "Books"),
    ("M0008", "  C900003 ", "1998-03-01T10:00:00Z", "30", "PAID", "2", "Books"),
    ("M0009", "C900003", "", "5", "paid", "1", "Books"),
    ("M0010", "C900003", "  ", "5", "paid", "1", "Books"),
    ("M0011", "C900004", "1997-02-30", "5", "paid", "1", "Books"),
    ("M0012", "C900004", "01/02/1997", "5", "paid", "1", "Books"),
    ("M0013", "C900004", "1997", "5", "paid", "1", "Books"),
    ("M0014", "C900004", "1997-01", "5", "paid", "1", "Books"),
    ("M0015", "C900004", "1997-01-01 10", "5", "paid", "1", "Books"),
    ("M0016", "C900004", "+1997-01-01", "5", "paid", "1", "Books"),
    ("M0017", "C900004", "1997-01-01 10:00:00 +02:00", "5", "paid", "1", "Books"),
    ("M0018", "C900004", "1997-01-01t10:00:00", "5", "paid", "1", "Books"),
    ("M0019", "C900004", "1997-13-01", "5", "paid", "1", "Books"),
    ("M0020", "C900005", "not a date", "5", "paid", "1", "Books"),
    ("M0020", "C900005", "1998-01-20", "5", "paid", "1", "Books"),
    ("M0022", "C900005", "1998-01-01T23:30:00-02:00", "40", "paid", "1", "Books"),
    ("M0023", "C900005", "1998-01-01 10:00:00.123456", "1e2", "paid", "1.5", "Books"),
    ("M0024", "C900006", "1998-1-5", "+5", "paid", "abc", "Books"),
    ("M0025", "C900006", "1998-01-01 1:2:3", ".5", "paid", "2.5", "Books"),
    ("M0026", "C900006", "1998-03-01T10:00", "5.", "paid", "-1.5", "Books"),
    ("M0027", "C900006", "1998-01-01 10:00:00+0530", "1_000", "paid", "1", "Books"),
    ("M0028", "C900006", "1998-01-01 10:00:00+02", "12.34565", "paid", "1", "Books"),
    ("M0029", "C900006", "1998-02-01", "-12.5", "", "1", "Books"),
    ("M0030", "C900006", "1998-02-02", "12.5", " Refunded ", "1", "Books"),
    ("M0031", "C900006", "1998-02-03", "99", "failed", "1", "Books"),
    ("M0032", "C900007", "1998-02-03", "00012.5", "paid", "1", 'Books, "rare"\nand more'),
    ("M0033", "C900007", "1998-02-03", " 7 ", "paid", "1", "Books"),
    ("M0034", "C900007", "1998-02-03", "", "paid", "1", "Books"),
    ("M0035", "C900007", "1998-02-03", "abc", "paid", "1", "Books"),
    ("M0036", "C900007", "1998-02-03", "NaN", "paid", "1", "Books"),
    ("M0037", "C900007", "1998-02-03", "inf", "paid", "1", "Books"),
    ("M0038", "C900007", "1998-02-03", "-Infinity", "paid", "1", "Books"),
    ("M0039", "C900007", "1998-02-03", "1,5", "paid", "1", "Books"),
    ("M0040", "C900007", "1998-02-03", "$5", "paid", "1", "Books"),
    ("M0041", "C900007", "1998-02-03", "\u0661\u0662", "paid", "1", "Books"),
    ("M0042", "C900007", "1998-02-03", "1e400", "paid", "1", "Books"),
    ("M0043", "C900007", "1998-02-03", "100000000000000", "paid", "1", "Books"),
    ("M0044", "C900007", "1998-02-03", "5", "pending", "1", "Books"),
    ("M0045", "C\u00e9sar", "1998-04-04", "15", "paid", "1", "Books"),
]
BACKFILL = ["--from", "1998-05-01", "--to", "1998-07-01", "--every", "month"]
# Marts compared row for row, each in a stable order.
MARTS = {
    "customer_segments": "customer_id",
    "segment_summary": "segment",
    "rejected_transactions": "source_file, source_row_number",
    "segment_history": "as_of_date, customer_id",
}


def segments(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run `segments ARGS...` with the `cli` package these tests import."""
    env = {key: value for key, value in os.environ.items() if key != "SEGMENTS_WORKDIR"}
    package_root = str(Path(cli.__file__).absolute().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "cli.launch", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )


def succeed(*args: str, cwd: Path) -> str:
    result = segments(*args, cwd=cwd)
    assert result.returncode == 0, f"segments {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def write_messy_csv(path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for row_number, (tid, cid, at, amount, status, quantity, category) in enumerate(
            MESSY_ROWS, start=1
        ):
            writer.writerow(
                [tid, cid, at, amount, status, "usd", quantity, f"ROW{row_number}", category, "web"]
            )


def rows(workdir: Path, mart: str) -> tuple[list[str], list[tuple]]:
    """The columns and rows of a mart in a working folder's DuckDB file, in MARTS order."""
    with duckdb.connect(str(workdir / "segments.duckdb"), read_only=True) as con:
        result = con.execute(f"select * from main.{mart} order by {MARTS[mart]}")
        columns = [column[0] for column in result.description]
        return columns, result.fetchall()


def same_value(left: object, right: object) -> bool:
    """Equal, numbers within rounding: engines differ in decimal precision and in whether
    an average is a double or a decimal (1e-6 is the smallest step of avg_order_value)."""
    numbers = (int, float, Decimal)
    if isinstance(left, numbers) and isinstance(right, numbers):
        return math.isclose(float(left), float(right), rel_tol=1e-9, abs_tol=1e-6)
    if type(left) is not type(right) and not (left is None or right is None):
        return False
    return left == right


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same backfill then build, on DuckDB and on Spark: {engine: working folder}."""
    assert importlib.util.find_spec("pyspark"), "pyspark is missing: pip install -e '.[spark]'"
    assert shutil.which("java") or os.environ.get("JAVA_HOME"), "Spark needs Java 17"
    root = tmp_path_factory.mktemp("parity")
    inputs = root / "inputs"
    inputs.mkdir()
    succeed("generate", "--customers", "2000", "--out", str(inputs / "a_sample.csv"), cwd=root)
    write_messy_csv(inputs / "b_messy.csv")
    transactions = str(inputs / "*.csv")
    folders = {}
    for engine in ("duckdb", "spark"):
        folder = root / engine
        target = ("--target", engine, "--workdir", str(folder))
        succeed("backfill", "--transactions", transactions, *BACKFILL, *target, cwd=root)
        succeed("build", "--transactions", transactions, *target, cwd=root)
        folders[engine] = folder
    return folders


def test_spark_extra_is_installed() -> None:
    """Selected, these tests need the spark extra: a missing pyspark fails, never skips."""
    assert importlib.util.find_spec("pyspark"), "pyspark is missing: pip install -e '.[spark]'"
    assert importlib.util.find_spec("dbt.adapters.spark"), "dbt-spark is missing"


@pytest.mark.parametrize("mart", list(MARTS))
def test_marts_are_identical_on_duckdb_and_spark(builds: dict[str, Path], mart: str) -> None:
    duck_columns, duck_rows = rows(builds["duckdb"], mart)
    spark_columns, spark_rows = rows(builds["spark"], mart)
    assert sorted(spark_columns) == sorted(duck_columns)
    # Spark moves a partition column (segment_history's as_of_date) to the end.
    spark_rows = [
        tuple(row[spark_columns.index(column)] for column in duck_columns) for row in spark_rows
    ]
    assert len(duck_rows) > 0
    assert len(spark_rows) == len(duck_rows)
    for duck_row, spark_row in zip(duck_rows, spark_rows, strict=True):
        different = [
            f"{column}: duckdb {left!r}, spark {right!r}"
            for column, left, right in zip(duck_columns, duck_row, spark_row, strict=True)
            if not same_value(left, right)
        ]
        assert not different, f"{mart} row {duck_row[:2]}: " + "; ".join(different)


def test_every_kind_of_bad_row_is_rejected_on_spark(builds: dict[str, Path]) -> None:
    columns, rejected = rows(builds["spark"], "rejected_transactions")
    reasons = {row[columns.index("rejection_reason")] for row in rejected}
    assert reasons == {
        "missing transaction_id",
        "duplicate transaction_id",
        "missing customer_id",
        "missing transaction_at",
        "invalid transaction_at",
        "missing amount",
        "invalid amount",
        "unknown status",
    }


def test_spark_numbers_rows_in_file_order(builds: dict[str, Path]) -> None:
    """Each row's number is its position in its file: the sample's ids and the messy
    file's product ids encode it."""
    with duckdb.connect(str(builds["spark"] / "segments.duckdb"), read_only=True) as con:
        numbered = con.execute(
            "select source_file, source_row_number, transaction_id, product_id"
            " from main.stg_input__raw_transactions"
        ).fetchall()
    files = {Path(source_file).name for source_file, *_ in numbered}
    assert files == {"a_sample.csv", "b_messy.csv"}
    assert len(numbered) > 9000
    for source_file, number, transaction_id, product_id in numbered:
        encoded = transaction_id if source_file.endswith("a_sample.csv") else product_id
        expected = f"T{number:08d}" if source_file.endswith("a_sample.csv") else f"ROW{number}"
        assert encoded == expected, (source_file, number, transaction_id, product_id)


def test_spark_numbers_parquet_rows_in_file_order(tmp_path: Path) -> None:
    """Parquet takes the other path of the Spark reader (the file's own row index): two
    generated files, read as a glob by dbt directly, numbered in file order."""
    for name, customers in (("a.parquet", "300"), ("b.parquet", "200")):
        succeed("generate", "--customers", customers, "--out", str(tmp_path / name), cwd=tmp_path)
    project = str(Path(cli.__file__).absolute().parent.parent)
    env = dict(
        os.environ,
        SEGMENTS_SPARK_WAREHOUSE=str(tmp_path / "spark-warehouse"),
        SEGMENTS_SPARK_METASTORE=str(tmp_path / "spark-metastore"),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )
    (tmp_path / "spark-metastore").mkdir()
    dbt = [sys.executable, "-c", "import sys; from dbt.cli.main import cli; sys.exit(cli())"]
    run = subprocess.run(
        [
            *dbt,
            "run",
            "--project-dir",
            project,
            "--profiles-dir",
            project,
            "--target",
            "spark",
            "--target-path",
            str(tmp_path / "target"),
            "--log-path",
            str(tmp_path / "logs"),
            "--select",
            "base_input__transactions stg_input__raw_transactions",
            "--vars",
            f'{{transactions_path: "{tmp_path}/*.parquet"}}',
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert run.returncode == 0, run.stdout[-3000:]
    table = tmp_path / "spark-warehouse" / "segments.db" / "stg_input__raw_transactions"
    numbered = duckdb.sql(
        "select source_file, source_row_number, transaction_id"
        f" from read_parquet('{table}/*.parquet')"
    ).fetchall()
    assert {Path(source_file).name for source_file, _, _ in numbered} == {"a.parquet", "b.parquet"}
    assert len(numbered) > 2000
    for source_file, number, transaction_id in numbered:
        assert transaction_id == f"T{number:08d}", (source_file, number, transaction_id)


def test_spark_history_keeps_and_replaces_dates(builds: dict[str, Path]) -> None:
    """The backfill wrote three as-of dates; the build replaced the last, keeping the rest."""
    columns, history = rows(builds["spark"], "segment_history")
    dates = sorted({row[columns.index("as_of_date")] for row in history})
    assert dates == [date(1998, 5, 1), date(1998, 6, 1), date(1998, 7, 1)]
    as_of, customer = columns.index("as_of_date"), columns.index("customer_id")
    keys = [(row[as_of], row[customer]) for row in history]
    assert len(keys) == len(set(keys))


def test_spark_build_is_read_from_the_warehouse(builds: dict[str, Path]) -> None:
    """The Spark working folder's DuckDB file holds only views over Spark's Parquet files."""
    with duckdb.connect(str(builds["spark"] / "segments.duckdb"), read_only=True) as con:
        kinds = con.execute(
            "select table_type, count(*) from information_schema.tables"
            " where table_schema = 'main' group by table_type"
        ).fetchall()
        first = con.execute("select min(first_purchase_at) from main.customer_segments")
        first_purchase = first.fetchone()[0]
    assert dict(kinds).keys() == {"VIEW"}
    assert (builds["spark"] / "spark-warehouse" / "segments.db" / "customer_segments").is_dir()
    assert isinstance(first_purchase, datetime)
