"""`segments export`: write the marts of the last build to files."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import duckdb
import typer

from cli import console, postgres
from cli.database import connect
from cli.errors import SegmentsError
from cli.options import Target, TargetOption, WorkdirOption
from cli.project import workdir
from cli.validate import check_path_text

MARTS = (
    "customer_segments",
    "segment_summary",
    "rejected_transactions",
    "segment_history",
    "segment_transitions",
    "segment_migration_latest",
    "customer_profiles",
    "customer_recommendations",
    "dynamic_segments",
    "dynamic_segment_members",
    "rejected_customers",
    "rejected_events",
)
# The marts of the models tagged profiles: built only when asked for (segments build
# --profiles, or a customers, events or segments file), absent otherwise.
PROFILE_MARTS = (
    "customer_profiles",
    "customer_recommendations",
    "dynamic_segments",
    "dynamic_segment_members",
    "rejected_customers",
    "rejected_events",
)
# With --segment: the condition on each mart (every `?` is bound to the segment name).
SEGMENT_FILTERS = {
    "customer_segments": "segment = ?",
    "segment_summary": "segment = ?",
    "segment_history": "segment = ?",
    "segment_transitions": "(from_segment = ? or to_segment = ?)",
    "segment_migration_latest": "(from_segment = ? or to_segment = ?)",
    "customer_profiles": "segment = ?",
    "customer_recommendations": "segment = ?",
    "dynamic_segment_members": (
        "customer_id in (select customer_id from main.customer_segments where segment = ?)"
    ),
}
# With --segment naming a dynamic segment: only these marts are written, filtered so.
_MEMBERS = "customer_id in (select customer_id from main.dynamic_segment_members"
DYNAMIC_SEGMENT_FILTERS = {
    "customer_profiles": f"{_MEMBERS} where dynamic_segment = ?)",
    "customer_segments": f"{_MEMBERS} where dynamic_segment = ?)",
    "customer_recommendations": f"{_MEMBERS} where dynamic_segment = ?)",
    "dynamic_segments": "dynamic_segment = ?",
    "dynamic_segment_members": "dynamic_segment = ?",
}
# With --hash-emails: SHA-256 (hex) of the trimmed, lower-cased address; empty stays null.
HASHED_EMAIL = "sha256(nullif(lower(trim(email)), ''))"


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
            "history and the transitions from or to it. A dynamic segment's name exports its "
            "members' profiles, RFM rows and recommendations.",
        ),
    ] = None,
    hash_emails: Annotated[
        bool,
        typer.Option(
            "--hash-emails",
            help="Write the SHA-256 of each trimmed, lower-cased email instead of the email.",
        ),
    ] = False,
    target: TargetOption = Target.duckdb,
    workdir_option: WorkdirOption = None,
) -> None:
    """Export the marts, one file per mart named after it (e.g. OUT/customer_segments.csv):
    customer_segments, segment_summary, rejected_transactions, segment_history,
    segment_transitions, segment_migration_latest, customer_profiles,
    customer_recommendations, dynamic_segments, dynamic_segment_members,
    rejected_customers and rejected_events.

    Examples:

      segments export --out exports --format parquet --segment Champions

      segments export --out exports --segment at_risk_id_clickers --hash-emails
    """
    folder = workdir(workdir_option)
    if target is Target.postgres:
        marts = postgres.marts_in_duckdb(postgres.Settings.from_env(), MARTS, folder)
    else:
        marts = connect(folder.require_database())
    out_dir = _output_folder(out)
    written: list[tuple[Path, int]] = []
    skipped: list[str] = []
    with marts as con:
        filters = _check_segment(con, segment) if segment is not None else {}
        present = _present_marts(con)
        for mart in MARTS:
            if segment is not None and filters is DYNAMIC_SEGMENT_FILTERS and mart not in filters:
                continue
            target = out_dir / f"{mart}.{export_format.value}"
            if mart in PROFILE_MARTS and mart not in present:
                # Not built (segments build without --profiles): a file an earlier export
                # wrote would be older than the others, so it goes too.
                skipped.append(mart)
                target.unlink(missing_ok=True)
                continue
            query = f"select {_columns(con, mart, hash_emails)} from main.{mart}"
            params: list[str] = []
            condition = filters.get(mart)
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
    if skipped:
        console.note(
            f"not built, so not exported: {', '.join(skipped)}"
            " (segments build --profiles builds them)"
        )


def _present_marts(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute(
        "select table_name from information_schema.tables where table_schema = 'main'"
    ).fetchall()
    return {str(row[0]) for row in rows}


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


def _check_segment(con: duckdb.DuckDBPyConnection, segment: str) -> dict[str, str]:
    """The filters for `segment`: an RFM segment's, else a dynamic segment's, else an error."""
    rows = con.execute(
        "select segment from main.segment_summary order by segment_order, segment"
    ).fetchall()
    known = [str(row[0]) for row in rows]
    if segment in known:
        return SEGMENT_FILTERS
    try:
        dynamic = [
            str(row[0])
            for row in con.execute(
                "select dynamic_segment from main.dynamic_segments order by definition_order"
            ).fetchall()
        ]
    except duckdb.CatalogException:  # a database built before dynamic segments existed
        dynamic = []
    if segment in dynamic:
        return DYNAMIC_SEGMENT_FILTERS
    also = f"; dynamic: {', '.join(dynamic)}" if dynamic else ""
    raise SegmentsError(f"unknown segment '{segment}'; known: {', '.join(known)}{also}")


def _columns(con: duckdb.DuckDBPyConnection, mart: str, hash_emails: bool) -> str:
    """The select list of a mart: all columns, with `email` hashed when asked to."""
    if not hash_emails:
        return "*"
    columns = {str(row[0]) for row in con.execute(f"describe main.{mart}").fetchall()}
    return f"* replace ({HASHED_EMAIL} as email)" if "email" in columns else "*"


def _sql_string(path: Path) -> str:
    """A SQL string literal for a validated path (single quotes doubled)."""
    return "'" + str(path).replace("'", "''") + "'"
