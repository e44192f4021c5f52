"""Whether a build appends new transaction files to the last build, or reads every file.

A build keeps three tables between runs on DuckDB: each customer's totals
(int_customer_totals), the rejected rows (rejected_transactions) and the rows per file
(int_transaction_files_counted). When the transactions glob matches every file the last
build loaded, unchanged (same size and modification time), plus new files that sort after
them, the build reads only the new files and adds to those tables; segment scores are then
worked out again over every customer, as they are relative to all customers. Anything else
reads every file again (docs/decisions.md, "Appending new files").
"""

from __future__ import annotations

import glob
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from cli.project import Workdir
from cli.validate import GLOB_CHARS

# The tables an appending build adds to; all must be there.
STATE_TABLES = ("int_customer_totals", "int_transaction_files_counted", "rejected_transactions")
# The new files reach dbt in this environment variable (JSON), not in --vars: a change of
# vars makes dbt parse the whole project again (seconds), an environment variable only the
# models that read it. Linux caps one variable at 128 KiB.
NEW_FILES_ENV = "SEGMENTS_NEW_TRANSACTIONS_FILES"
MAX_NEW_FILES_JSON = 64 * 1024
# The models a DuckDB build of a single file writes to its dbt run's in-memory database
# (segments.customer_totals_database): no later build appends to its totals, so they are
# not kept, and they are gone once the build ends.
IN_MEMORY_MODELS = (
    "int_customer_totals",
    "int_customers_aggregated",
    "int_customers_scored",
    "int_customers_segmented",
)


@dataclass(frozen=True)
class InputFile:
    """One transactions file as it was before the build read it."""

    path: str
    size: int
    modified_ns: int

    @classmethod
    def of(cls, path: str) -> InputFile:
        stat = os.stat(path)
        return cls(path=path, size=stat.st_size, modified_ns=stat.st_mtime_ns)

    def as_record(self) -> dict[str, Any]:
        return {"path": self.path, "size": self.size, "modified_ns": self.modified_ns}

    @classmethod
    def from_record(cls, record: Any) -> InputFile | None:
        if not isinstance(record, Mapping):
            return None
        path, size, modified = (record.get(key) for key in ("path", "size", "modified_ns"))
        if not isinstance(path, str) or not isinstance(size, int) or not isinstance(modified, int):
            return None
        return cls(path=path, size=size, modified_ns=modified)


def is_glob(pattern: str) -> bool:
    """Whether a transactions path is a glob: only a glob's files can be appended to, so
    only a DuckDB build of a glob keeps the customer totals after its run
    (segments.customer_totals_database, IN_MEMORY_MODELS)."""
    return any(char in pattern for char in GLOB_CHARS)


def list_input_files(pattern: str) -> list[InputFile]:
    """Every file a transactions path names (a file, or a glob), in the order DuckDB reads
    and numbers them (sorted by path)."""
    if not is_glob(pattern):
        return [InputFile.of(pattern)]
    paths = sorted(path for path in glob.iglob(pattern, recursive=True) if os.path.isfile(path))
    return [InputFile.of(path) for path in paths]


@dataclass(frozen=True)
class LoadPlan:
    """The files a build reads: all of them, or only the new ones (appending)."""

    files: tuple[InputFile, ...]
    new_files: tuple[str, ...] = ()
    # Why every file is read again although an earlier build's state exists; empty when
    # there is nothing to say (a first build, another engine).
    reason: str = ""

    @property
    def appending(self) -> bool:
        return bool(self.new_files)

    def dbt_env(self) -> dict[str, str]:
        """The environment that makes dbt read the new files only, or every file."""
        return {NEW_FILES_ENV: json.dumps(list(self.new_files)) if self.appending else ""}

    def message(self) -> str:
        """One line for the user, or empty."""
        if self.appending:
            count = len(self.new_files)
            loaded = len(self.files) - count
            return (
                f"appending {count} new transactions file{'s' if count > 1 else ''} "
                f"to the {loaded:,} loaded before"
            )
        if self.reason:
            return f"reading every transactions file: {self.reason}"
        return ""

    def state_record(self) -> list[dict[str, Any]]:
        return [file.as_record() for file in self.files]


def plan(
    folder: Workdir,
    dbt_vars: Mapping[str, Any],
    previous: Mapping[str, Any] | None,
    *,
    can_append: bool,
    full_refresh: bool = False,
) -> LoadPlan:
    """Append when the transactions path is a glob, the last build's files are all still
    there, unchanged, and every other file sorts after them; else read every file.
    `previous` is the last successful build's record (None when there is none);
    `can_append` is false on engines other than DuckDB, at given as-of dates and with the
    profile models (those read every transaction)."""
    pattern = str(dbt_vars["transactions_path"])
    files = tuple(list_input_files(pattern))
    if not can_append or previous is None or not is_glob(pattern):
        return LoadPlan(files)  # a single file is always read whole: nothing to say
    loaded = _loaded_files(previous)
    if loaded is None:
        return LoadPlan(files)
    if full_refresh:
        return LoadPlan(files, reason="--full-refresh given")
    if previous.get("vars") != dict(dbt_vars):
        return LoadPlan(files, reason="the input or options differ from the last build")
    reason = _unchanged_prefix_problem(loaded, files)
    if reason:
        return LoadPlan(files, reason=reason)
    new_files = tuple(file.path for file in files[len(loaded) :])
    if not new_files:
        return LoadPlan(files, reason="no new file since the last build")
    if len(json.dumps(new_files)) > MAX_NEW_FILES_JSON:
        return LoadPlan(files, reason=f"{len(new_files):,} new files are too many to list")
    reason = _state_problem(folder.database, loaded)
    if reason:
        return LoadPlan(files, reason=reason)
    return LoadPlan(files, new_files=new_files)


def _loaded_files(previous: Mapping[str, Any]) -> list[InputFile] | None:
    records = previous.get("transactions_files")
    if not isinstance(records, list) or not records:
        return None
    files = [InputFile.from_record(record) for record in records]
    if any(file is None for file in files):
        return None
    return [file for file in files if file is not None]


def _unchanged_prefix_problem(loaded: Sequence[InputFile], files: Sequence[InputFile]) -> str:
    """Why the files now matched are not the loaded ones followed by new ones, or ''."""
    current = {file.path: file for file in files}
    for file in loaded:
        now = current.get(file.path)
        if now is None:
            return f"{file.path} was loaded before and is gone"
        if now != file:
            return f"{file.path} changed since the last build"
    if list(files[: len(loaded)]) != list(loaded):
        newer = next(file.path for file in files if file.path not in {f.path for f in loaded})
        return f"the new file {newer} sorts before a file loaded earlier"
    return ""


def _state_problem(database: Path, loaded: Sequence[InputFile]) -> str:
    """Why the database cannot be appended to (its state tables are missing or were built
    from other files), or ''."""
    if not database.is_file():
        return f"{database} is missing"
    try:
        con = duckdb.connect(str(database), read_only=True)
    except duckdb.Error:
        return f"{database} cannot be opened"
    try:
        present = {
            row[0]
            for row in con.execute(
                "select table_name from information_schema.tables where table_schema = 'main'"
            ).fetchall()
        }
        missing = [table for table in STATE_TABLES if table not in present]
        if missing:
            return f"{database} has no {missing[0]} table"
        counted = {
            row[0]
            for row in con.execute(
                "select source_file from main.int_transaction_files_counted"
            ).fetchall()
        }
    except duckdb.Error:
        return f"{database} cannot be read"
    finally:
        con.close()
    if counted != {file.path for file in loaded}:
        return "the database holds other files than the last build recorded"
    return ""
