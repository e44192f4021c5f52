"""The serving copy: the marts of the last successful build, for BI tools and notebooks.

DuckDB lets one process write a database file or many processes read it, and never waits
for a lock. A BI tool holding the build database would make the next `dbt build` fail, and
a reader opening it during a build would fail. So after each successful build the marts in
the build database are published to `<workdir>/serving/`: a DuckDB file, `segments.duckdb`,
and one Parquet file per mart, `parquet/<mart>.parquet` (a mart the build did not make is
in neither). Each file is written aside under a hidden temporary name in the same folder
and swapped in with an atomic `os.replace`: a reader opens either the previous complete
file or the new one, never a half-written one, and a reader holding the previous file
(even open) never blocks the next publication.
"""

from __future__ import annotations

import os
import secrets
import shutil
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb

from cli.errors import SegmentsError
from cli.export import MARTS
from cli.project import DATABASE_NAME, Workdir

SERVING_FOLDER = "serving"
PARQUET_FOLDER = "parquet"
TEMP_SUFFIX = ".tmp"
# A temporary file older than this was left by an interrupted publication.
STALE_TEMP_SECONDS = 3600
# The Parquet writer's options. A column with more distinct values in a row group than
# the dictionary limit is written plain. Under DuckDB's much larger default, the writer
# collects thousands of values of every unique column (customer_id, amounts,
# timestamps) in each row group before it gives their dictionary up; the marts' columns
# of few values (segments, scores, cells, day counts, dates) stay well under 4,096, so
# they keep their dictionaries and the files are the same size (measured at 2.2M
# customers: publishing 2.63 s -> 2.39 s, CPU 3.99 s -> 3.60 s).
PARQUET_OPTIONS = "format parquet, dictionary_size_limit 4096"


@dataclass(frozen=True)
class ServingPaths:
    """Where a working folder's serving copy lives."""

    folder: Path

    @property
    def database(self) -> Path:
        return self.folder / DATABASE_NAME

    @property
    def parquet_folder(self) -> Path:
        return self.folder / PARQUET_FOLDER

    def parquet(self, mart: str) -> Path:
        return self.parquet_folder / f"{mart}.parquet"

    def exists(self) -> bool:
        return self.database.is_file()


@dataclass(frozen=True)
class Publication:
    """What one publication wrote."""

    paths: ServingPaths
    rows: dict[str, int]
    seconds: float

    def summary_line(self) -> str:
        customers = self.rows.get("customer_segments", 0)
        return (
            f"serving copy: {self.paths.database} and {self.paths.parquet_folder}/"
            f" ({len(self.rows)} marts, {customers:,} customers;"
            " `segments serve-info` shows how to connect BI tools)"
        )


def serving_paths(folder: Workdir) -> ServingPaths:
    return ServingPaths(folder.root / SERVING_FOLDER)


def publish(
    folder: Workdir, marts: Iterable[str] = MARTS, *, views_read_marts: bool = True
) -> Publication:
    """Copy the marts of the build database to the serving copy, one atomic swap per file.

    Only the marts the build database holds are published; a mart it does not hold (a
    build that skipped it) is left out of the new DuckDB file and its Parquet file is
    removed once the new files are in place. `views_read_marts` says that a mart which is
    a view reads only other marts (customer_segments after a DuckDB build): it is kept as
    a view in the DuckDB file. Otherwise (a Spark build's marts are views over its
    warehouse files) every mart is written as a table. On any failure the temporary files
    are removed and the previous serving copy is left as it was.
    """
    started = time.monotonic()
    paths = serving_paths(folder)
    marts = tuple(marts)
    try:
        paths.parquet_folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SegmentsError(f"cannot create {paths.parquet_folder}: {exc.strerror or exc}") from exc
    _remove_stale_temp_files(paths)
    token = f"{os.getpid()}-{secrets.token_hex(4)}"
    temp_database = paths.folder / f".{DATABASE_NAME}.{token}{TEMP_SUFFIX}"
    temp_parquet = {
        mart: paths.parquet_folder / f".{mart}.parquet.{token}{TEMP_SUFFIX}" for mart in marts
    }
    temporary = [temp_database, Path(f"{temp_database}.wal"), *temp_parquet.values()]
    try:
        rows = _write_copies(folder.database, temp_database, temp_parquet, views_read_marts)
        for mart in rows:
            os.replace(temp_parquet[mart], paths.parquet(mart))
        os.replace(temp_database, paths.database)
        _fsync_folder(paths.parquet_folder)
        _fsync_folder(paths.folder)
    except duckdb.Error as exc:
        _remove(temporary)
        raise SegmentsError(
            f"publishing the serving copy failed ({_first_line(exc)}); "
            f"the previous copy in {paths.folder} is unchanged"
        ) from exc
    except OSError as exc:
        _remove(temporary)
        raise SegmentsError(
            f"publishing the serving copy failed ({exc.strerror or exc}); "
            f"the previous copy in {paths.folder} is unchanged"
        ) from exc
    except BaseException:
        _remove(temporary)
        raise
    _remove_unpublished(paths, [mart for mart in marts if mart not in rows])
    return Publication(paths, rows, time.monotonic() - started)


def _write_copies(
    build_database: Path,
    temp_database: Path,
    temp_parquet: dict[str, Path],
    views_read_marts: bool,
) -> dict[str, int]:
    """Write the marts the build database holds to the temporary DuckDB file and to their
    temporary Parquet files (flushed to disk); return the rows of each mart written.

    The build database is attached read-only to an in-memory DuckDB, so publishing never
    takes the build's write lock; the connection is closed before anything is swapped in.
    The Parquet files are written from the build database on a second cursor, in a second
    thread, while the first makes the DuckDB file: the two copies share the cores instead
    of following each other. Every file is flushed to disk (fsync) before this returns,
    each while the next is written (at 10M transactions each large file takes 0.1 to
    0.15 s to flush, waiting on the disk, not on the cores). When every mart is a table of
    the build database, or a view reading other marts (always after a DuckDB build), the
    DuckDB file is a copy of the build database's file with everything but the marts
    dropped (`_copy_database`); otherwise (a Spark build's marts are views over its
    warehouse) each mart is written as a new table.
    """
    with duckdb.connect(":memory:") as con:
        con.execute(f"attach {_sql_string(build_database)} as build (read_only)")
        present, copy_file = _marts_in_build(con, tuple(temp_parquet), views_read_marts)
        parquet = {mart: temp_parquet[mart] for mart in present}
        cursor = con.cursor()
        try:
            # Row order is not part of any mart (no mart is sorted), and a Parquet writer
            # that need not keep it does less work.
            cursor.execute("set session preserve_insertion_order = false")
            with (
                ThreadPoolExecutor(max_workers=1) as pool,
                # One flush per Parquet file at once (at least one worker: a pool of none
                # cannot be made, and a build may hold no mart).
                ThreadPoolExecutor(max_workers=max(1, len(parquet))) as flushes,
            ):
                written = pool.submit(_write_parquet, cursor, parquet, flushes)
                try:
                    if copy_file:
                        _copy_database(build_database, temp_database, present)
                    else:
                        _write_database(con, temp_database, present)
                    _fsync(temp_database)
                    rows = written.result()
                except BaseException:
                    cursor.interrupt()  # do not wait for Parquet files about to be removed
                    raise
        finally:
            cursor.close()
        con.execute("detach build")
    return rows


def _marts_in_build(
    con: duckdb.DuckDBPyConnection, marts: tuple[str, ...], views_read_marts: bool
) -> tuple[list[str], bool]:
    """The marts the attached build database holds, in the order given, and whether its
    file can be copied: every mart a table, or a view when views read only marts."""
    kinds = {
        str(name).lower(): kind
        for name, kind in con.execute(
            "select table_name, table_type from information_schema.tables"
            " where table_catalog = 'build' and table_schema = 'main'"
        ).fetchall()
    }
    present = [mart for mart in marts if mart.lower() in kinds]
    copyable = {"BASE TABLE", "VIEW"} if views_read_marts else {"BASE TABLE"}
    return present, all(kinds[mart.lower()] in copyable for mart in present)


def _copy_database(build_database: Path, path: Path, marts: list[str]) -> None:
    """Copy the build database's file (and its WAL, if dbt left one) to `path`, then drop
    every view and table but the marts and every other schema from the copy; a mart that
    is a view must still read in the copy (it reads only other marts), or the copy fails.

    A file copy takes a fraction of a second where writing the marts again took seconds
    (about 3 s for 2.2M customers and their history). The copy keeps the space the dropped
    tables used, so the serving file is about the size of the build database.
    """
    shutil.copyfile(build_database, path)
    wal = Path(f"{build_database}.wal")
    if wal.exists():
        shutil.copyfile(wal, Path(f"{path}.wal"))
    keep = {mart.lower() for mart in marts}
    with duckdb.connect(str(path)) as con:
        views = con.execute(
            "select schema_name, view_name from duckdb_views()"
            " where not internal and database_name = current_database()"
        ).fetchall()
        kept_views = []
        for schema, name in views:
            if schema == "main" and str(name).lower() in keep:
                kept_views.append(name)
            else:
                con.execute(f"drop view {_identifier(schema)}.{_identifier(name)}")
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables()"
            " where database_name = current_database()"
        ).fetchall()
        for schema, name in tables:
            if schema != "main" or str(name).lower() not in keep:
                con.execute(f"drop table {_identifier(schema)}.{_identifier(name)}")
        schemas = con.execute(
            "select schema_name from duckdb_schemas()"
            " where not internal and database_name = current_database()"
            " and schema_name <> 'main'"
        ).fetchall()
        for (schema,) in schemas:
            con.execute(f"drop schema {_identifier(schema)} cascade")
        for name in kept_views:
            # Binds the view's query: fails when it reads anything the copy dropped.
            con.execute(f"select * from main.{_identifier(name)} limit 0").fetchall()
        con.execute("checkpoint")


def _write_database(con: duckdb.DuckDBPyConnection, path: Path, marts: list[str]) -> None:
    con.execute(f"attach {_sql_string(path)} as serving")
    for mart in marts:
        name = _identifier(mart)
        con.execute(f"create table serving.main.{name} as select * from build.main.{name}")
    # Detaching checkpoints the new file: no WAL is left beside it.
    con.execute("detach serving")


def _write_parquet(
    cursor: duckdb.DuckDBPyConnection, parquet: dict[str, Path], flushes: ThreadPoolExecutor
) -> dict[str, int]:
    """Write each mart's Parquet file; each is flushed to disk in `flushes` while the next
    is written, and all are flushed when this returns."""
    rows: dict[str, int] = {}
    flushed = []
    for mart, path in parquet.items():
        copied = cursor.execute(
            f"copy build.main.{_identifier(mart)} to {_sql_string(path)} ({PARQUET_OPTIONS})"
        ).fetchone()
        rows[mart] = int(copied[0]) if copied else 0
        flushed.append(flushes.submit(_fsync, path))
    for flush in flushed:
        flush.result()
    return rows


def _remove_unpublished(paths: ServingPaths, marts: list[str]) -> None:
    """Remove the Parquet files of marts the build did not make: the previous build's files
    must not pass for this build's."""
    removed = False
    for mart in marts:
        path = paths.parquet(mart)
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise SegmentsError(
                f"the serving copy was published, but {path} (from an earlier build; this "
                f"build did not make {mart}) could not be removed: {exc.strerror or exc}"
            ) from exc
        removed = True
    if removed:
        _fsync_folder(paths.parquet_folder)


def _remove_stale_temp_files(paths: ServingPaths) -> None:
    """Remove temporary files an interrupted publication left behind (older than an hour)."""
    now = time.time()
    for folder in (paths.folder, paths.parquet_folder):
        for path in folder.glob(f".*{TEMP_SUFFIX}*"):
            try:
                if now - path.stat().st_mtime > STALE_TEMP_SECONDS:
                    path.unlink()
            except OSError:
                continue


def _remove(paths: Iterable[Path]) -> None:
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            continue


def _fsync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def _fsync_folder(folder: Path) -> None:
    """Make the renames durable (a no-op where folders cannot be opened)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _sql_string(path: Path) -> str:
    """A SQL string literal for a path (single quotes doubled)."""
    return "'" + str(path).replace("'", "''") + "'"


def _identifier(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
