"""The serving copy: the marts of the last successful build, for BI tools and notebooks.

DuckDB lets one process write a database file or many processes read it, and never waits
for a lock. A BI tool holding the build database would make the next `dbt build` fail, and
a reader opening it during a build would fail. So after each successful build the marts are
published to `<workdir>/serving/`: a DuckDB file, `segments.duckdb`, and one Parquet file
per mart, `parquet/<mart>.parquet`. Each file is written aside under a hidden temporary
name in the same folder and swapped in with an atomic `os.replace`: a reader opens either
the previous complete file or the new one, never a half-written one, and a reader holding
the previous file (even open) never blocks the next publication.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Iterable
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


def publish(folder: Workdir, marts: Iterable[str] = MARTS) -> Publication:
    """Copy the marts of the build database to the serving copy, one atomic swap per file.

    On any failure the temporary files are removed and the previous serving copy is left
    as it was.
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
        rows = _write_copies(folder.database, temp_database, temp_parquet)
        for path in temp_parquet.values():
            _fsync(path)
        _fsync(temp_database)
        for mart, path in temp_parquet.items():
            os.replace(path, paths.parquet(mart))
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
    return Publication(paths, rows, time.monotonic() - started)


def _write_copies(
    build_database: Path, temp_database: Path, temp_parquet: dict[str, Path]
) -> dict[str, int]:
    """Write every mart to the temporary DuckDB file and its temporary Parquet file.

    The build database is attached read-only to an in-memory DuckDB, so publishing never
    takes the build's write lock; the connection is closed before anything is swapped in.
    """
    rows: dict[str, int] = {}
    with duckdb.connect(":memory:") as con:
        con.execute(f"attach {_sql_string(build_database)} as build (read_only)")
        con.execute(f"attach {_sql_string(temp_database)} as serving")
        for mart, parquet in temp_parquet.items():
            con.execute(f"create table serving.main.{mart} as select * from build.main.{mart}")
            copied = con.execute(
                f"copy serving.main.{mart} to {_sql_string(parquet)} (format parquet)"
            ).fetchone()
            rows[mart] = int(copied[0]) if copied else 0
        # Detaching checkpoints the new file: no WAL is left beside it.
        con.execute("detach serving")
        con.execute("detach build")
    return rows


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


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
