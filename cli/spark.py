"""The spark target: a local Apache Spark (pyspark) run by dbt-spark's session method.

dbt starts Spark inside its own process; tables are Parquet files under
`<workdir>/spark-warehouse/<schema>.db/<table>/` and the table catalog an embedded Derby
metastore under `<workdir>/.segments/spark-metastore/` (profiles.yml reads both locations
from the environment that dbt_runner sets). After a build, `publish` exposes every table of
the warehouse in the working folder's DuckDB file as a view over its Parquet files, so the
summary, `segments export`, `history` and `report` read a Spark build as they read a DuckDB
one, without starting Spark again.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

import duckdb

from cli.errors import SegmentsError
from cli.project import Workdir

# The schema of the `spark` output in profiles.yml: its tables are in `<schema>.db/`.
SCHEMA = "segments"
INSTALL_HINT = "pip install 'segments[spark]'"


def check_installed() -> None:
    """Fail with one line when dbt-spark, pyspark or Java is missing."""
    for module, what in (("pyspark", "pyspark"), ("dbt.adapters.spark", "dbt-spark")):
        try:
            found = importlib.util.find_spec(module) is not None
        except ModuleNotFoundError:
            found = False
        if not found:
            raise SegmentsError(f"--target spark needs {what}: {INSTALL_HINT}")
    java_home = os.environ.get("JAVA_HOME")
    if not shutil.which("java") and not (java_home and (Path(java_home) / "bin/java").is_file()):
        raise SegmentsError("--target spark needs Java 17 (java on PATH, or JAVA_HOME)")


def prepare(folder: Workdir) -> None:
    """Create the metastore folder: Derby writes its log there from Spark's first second."""
    try:
        folder.spark_metastore.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SegmentsError(f"cannot create {folder.spark_metastore}: {exc.strerror}") from exc


def tables_folder(folder: Workdir) -> Path:
    return folder.spark_warehouse / f"{SCHEMA}.db"


def check_database(folder: Workdir) -> None:
    """Fail when the working folder's DuckDB file holds a DuckDB build (tables).

    A Spark build replaces the file's relations with views; it must not drop the tables
    (segment_history above all) of a DuckDB build.
    """
    if not folder.database.is_file():
        return
    try:
        with duckdb.connect(str(folder.database), read_only=True) as con:
            row = con.execute(
                "select table_name from information_schema.tables"
                " where table_schema = 'main' and table_type = 'BASE TABLE'"
                " order by table_name limit 1"
            ).fetchone()
    except duckdb.Error as exc:
        raise SegmentsError(f"cannot open {folder.database}: {_first_line(exc)}") from exc
    if row is not None:
        raise SegmentsError(
            f"{folder.database} holds a DuckDB build (table {row[0]}); build with "
            "--target spark in another --workdir"
        )


def publish(folder: Workdir) -> list[str]:
    """Expose the Spark warehouse's tables in the working folder's DuckDB file as views.

    Each view reads its table's Parquet files (hive partitions included, e.g.
    segment_history's as_of_date=...). Returns the names of the views, sorted.
    """
    tables = tables_folder(folder)
    if not tables.is_dir():
        raise SegmentsError(f"the Spark build wrote no tables ({tables} is missing)")
    names: list[str] = []
    try:
        with duckdb.connect(str(folder.database)) as con:
            for table in sorted(path for path in tables.iterdir() if path.is_dir()):
                if not any(table.rglob("*.parquet")):
                    continue  # a partitioned table without rows has no file to read
                partitioned = any(child.is_dir() for child in table.iterdir())
                files = _sql_string(f"{table}/**/*.parquet")
                con.execute(
                    f"create or replace view main.{_identifier(table.name)} as select *"
                    f" from read_parquet({files}, hive_partitioning = {str(partitioned).lower()})"
                )
                names.append(table.name)
    except duckdb.Error as exc:
        raise SegmentsError(
            f"exposing the Spark tables in {folder.database} failed: {_first_line(exc)}"
        ) from exc
    return names


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
