"""`segments export`: write the marts of the last build to files."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import duckdb
import typer

from cli.database import connect
from cli.errors import SegmentsError
from cli.options import WorkdirOption
from cli.project import workdir
from cli.validate import check_path_text

MARTS = (
    "customer_segments",
    "segment_summary",
    "rejected_transactions",
    "segment_history",
    "segment_transitions",
    "segment_migration_latest",
)
# With --segment: the condition on each mart (every `?` is bound to the segment name).
SEGMENT_FILTERS = {
    "customer_segments": "segment = ?",
    "segment_summary": "segment = ?",
    "segment_history": "segment = ?",
    "segment_transitions": "(from_segment = ? or to_segment = ?)",
    "segment_migration_latest": "(from_segment = ? or to_segment = ?)",
}


class ExportFormat(StrEnum):
    csv = "csv"
    parquet = "parquet"
    json = "json"


_COPY_OPTIONS = {
    ExportFormat.csv: "format csv, header true",
    ExportFormat.parquet: "format parquet",
    ExportFormat.json: "format json, array true",
}


def export(
    out: Annotated[Path, typer.Option("--out", help="Folder to write the files into.")],
    export_format: Annotated[
        ExportFormat, typer.Option("--format", help="File format.")
    ] = ExportFormat.csv,
    segment: Annotated[
        str | None,
        typer.Option(
            "--segment",
            help="Only this segment (exact name, e.g. Champions): its customers, summary, "
            "history and the transitions from or to it.",
        ),
    ] = None,
    workdir_option: WorkdirOption = None,
) -> None:
    """Export the marts, one file per mart named after it (e.g. OUT/customer_segments.csv):
    customer_segments, segment_summary, rejected_transactions, segment_history,
    segment_transitions and segment_migration_latest.

    Example:

      segments export --out exports --format parquet --segment Champions
    """
    folder = workdir(workdir_option)
    database = folder.require_database()
    out_dir = _output_folder(out)
    written: list[tuple[Path, int]] = []
    with connect(database) as con:
        if segment is not None:
            _check_segment(con, segment)
        for mart in MARTS:
            target = out_dir / f"{mart}.{export_format.value}"
            query = f"select * from main.{mart}"
            params: list[str] = []
            condition = SEGMENT_FILTERS.get(mart) if segment is not None else None
            if condition is not None and segment is not None:
                query += f" where {condition}"
                params.extend([segment] * condition.count("?"))
            row = con.execute(
                f"copy ({query}) to {_sql_string(target)} ({_COPY_OPTIONS[export_format]})",
                params,
            ).fetchone()
            written.append((target, int(row[0]) if row else 0))
    for target, rows in written:
        typer.echo(f"wrote {target} ({rows:,} {'row' if rows == 1 else 'rows'})")


def _output_folder(out: Path) -> Path:
    check_path_text(str(out), "--out")
    folder = Path(os.path.abspath(out.expanduser()))
    if folder.exists() and not folder.is_dir():
        raise SegmentsError(f"--out {folder} exists and is not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SegmentsError(f"cannot create {folder}: {exc.strerror or exc}") from exc
    return folder


def _check_segment(con: duckdb.DuckDBPyConnection, segment: str) -> None:
    rows = con.execute(
        "select segment from main.segment_summary order by segment_order, segment"
    ).fetchall()
    known = [str(row[0]) for row in rows]
    if segment not in known:
        raise SegmentsError(f"unknown segment '{segment}'; known: {', '.join(known)}")


def _sql_string(path: Path) -> str:
    """A SQL string literal for a validated path (single quotes doubled)."""
    return "'" + str(path).replace("'", "''") + "'"
