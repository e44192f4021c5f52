"""The spark target's command-line side, without starting Spark (runs in `make test`).

Before a Spark build: one-line failures when dbt-spark, pyspark or Java is missing, or when
the working folder holds a DuckDB build. After it: the warehouse's Parquet tables exposed as
views in the working folder's DuckDB file. The Spark build itself is tested by
tests/test_spark.py (make test-spark).
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pytest

from cli import dbt_runner, spark
from cli.errors import SegmentsError
from cli.main import main
from cli.project import Workdir


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str


@pytest.fixture
def segments(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """Run `segments ARGS...` in-process in tmp_path; return its exit code and output."""
    monkeypatch.delenv("SEGMENTS_WORKDIR", raising=False)
    monkeypatch.chdir(tmp_path)

    def run(*args: str) -> Result:
        monkeypatch.setattr(sys, "argv", ["segments", *args])
        with pytest.raises(SystemExit) as exited:
            main()
        out, err = capsys.readouterr()
        code = exited.value.code
        return Result(code if isinstance(code, int) else 1, out, err)

    return run


@pytest.fixture
def transactions(tmp_path: Path) -> Path:
    path = tmp_path / "tx.csv"
    path.write_text("transaction_id,customer_id,transaction_at,amount\nT1,C1,1998-01-01,5\n")
    return path


def write_table(folder: Path, sql: str) -> None:
    """One Parquet file holding `sql`'s rows, as Spark writes a table's part file."""
    folder.mkdir(parents=True)
    duckdb.execute(f"copy ({sql}) to '{folder}/part-00000-x.c000.snappy.parquet' (format parquet)")


def test_spark_target_without_pyspark_fails_in_one_line(
    segments, transactions: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_find_spec = importlib.util.find_spec

    def find_spec(name: str, *args: object):
        return None if name == "pyspark" else real_find_spec(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    monkeypatch.setattr(
        dbt_runner, "run_dbt", lambda *args, **kwargs: pytest.fail("dbt must not start")
    )
    result = segments("build", "--transactions", str(transactions), "--target", "spark")
    assert result.code == 1
    assert result.stderr == ("error: --target spark needs pyspark: pip install 'segments[spark]'\n")


def test_spark_target_without_java_fails_in_one_line(
    segments, transactions: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *args: real_find_spec("json"))
    monkeypatch.setattr(spark.shutil, "which", lambda name: None)
    monkeypatch.delenv("JAVA_HOME", raising=False)
    result = segments("build", "--transactions", str(transactions), "--target", "spark")
    assert result.code == 1
    assert "needs Java 17" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_spark_build_refuses_a_folder_with_a_duckdb_build(tmp_path: Path) -> None:
    folder = Workdir(tmp_path)
    with duckdb.connect(str(folder.database)) as con:
        con.execute("create table segment_history as select 1 as customer_id")
    with pytest.raises(SegmentsError, match=r"holds a DuckDB build \(table segment_history\)"):
        spark.check_database(folder)


def test_publish_exposes_spark_tables_as_views(tmp_path: Path) -> None:
    folder = Workdir(tmp_path)
    tables = spark.tables_folder(folder)
    write_table(
        tables / "customer_segments",
        "select 'C1' as customer_id, timestamp '1998-01-01 10:00:00' as first_purchase_at",
    )
    write_table(
        tables / "segment_history" / "as_of_date=1998-07-01",
        "select 'C1' as customer_id, 'Champions' as segment",
    )
    (tables / "empty_partitioned_table").mkdir()  # no rows, hence no file: skipped

    assert spark.publish(folder) == ["customer_segments", "segment_history"]
    assert spark.publish(folder) == ["customer_segments", "segment_history"]  # again: replaced

    with duckdb.connect(str(folder.database), read_only=True) as con:
        kinds = con.execute(
            "select table_name, table_type from information_schema.tables order by table_name"
        ).fetchall()
        history = con.execute("select customer_id, segment, as_of_date from segment_history")
        assert history.fetchall() == [("C1", "Champions", date(1998, 7, 1))]
    assert kinds == [("customer_segments", "VIEW"), ("segment_history", "VIEW")]
    spark.check_database(folder)  # views only: a Spark build may replace them


def test_publish_without_a_warehouse_fails_in_one_line(tmp_path: Path) -> None:
    with pytest.raises(SegmentsError, match="the Spark build wrote no tables"):
        spark.publish(Workdir(tmp_path))


def test_dbt_sees_the_working_folder_spark_locations(tmp_path: Path) -> None:
    env = dbt_runner.dbt_environment(Workdir(tmp_path))
    assert env["SEGMENTS_SPARK_WAREHOUSE"] == str(tmp_path / "spark-warehouse")
    assert env["SEGMENTS_SPARK_METASTORE"] == str(tmp_path / ".segments" / "spark-metastore")
