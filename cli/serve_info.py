"""`segments serve-info`: how to connect BI tools and notebooks to the serving copy."""

from __future__ import annotations

import shlex
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import typer

from cli.errors import SegmentsError
from cli.export import MARTS
from cli.options import WorkdirOption
from cli.project import workdir
from cli.serving import ServingPaths, serving_paths


def serve_info(workdir_option: WorkdirOption = None) -> None:
    """Print how to read the serving copy of the marts from the DuckDB CLI, Python,
    Metabase, Superset and Evidence, with this working folder's paths.

    Every successful build publishes the marts to <workdir>/serving/ (a DuckDB file and one
    Parquet file per mart), swapping each file in atomically: readers never block a build
    and never see a half-written mart.

    Example:

      segments serve-info --workdir out
    """
    folder = workdir(workdir_option)
    paths = serving_paths(folder)
    if not paths.exists():
        raise SegmentsError(
            f"no serving copy in {paths.folder}: run segments build first (every successful "
            "build publishes one)"
        )
    typer.echo(text(paths, folder.database))


def text(paths: ServingPaths, build_database: Path) -> str:
    """The connection guide for one serving copy (absolute paths written out)."""
    database = str(paths.database)
    published = datetime.fromtimestamp(paths.database.stat().st_mtime, tz=UTC)
    present = [mart for mart in MARTS if paths.parquet(mart).is_file()]
    views = "\n".join(
        f"    create or replace view {mart} as"
        f" select * from read_parquet({_sql(paths.parquet(mart))});"
        for mart in present
    )
    marts = textwrap.fill(
        ", ".join(present), width=90, initial_indent=" " * 16, subsequent_indent=" " * 16
    ).strip()
    summary = _sql(paths.parquet("segment_summary"))
    customers = paths.parquet("customer_segments")
    return f"""\
Serving copy (published {published:%Y-%m-%d %H:%M} UTC, replaced after every successful build)
  DuckDB file:  {database}
  Parquet:      {paths.parquet_folder}/<mart>.parquet
  Marts:        {marts}

Open it read-only and briefly: each build swaps in new files, and an open connection keeps
seeing the copy it opened until it reconnects. Do not point BI tools at the build database
({build_database}): a reader holding it makes the next build fail. DuckDB's read_parquet
opens a file twice in one query, so a query over a Parquet file can fail when a build swaps
that file in at the same moment; run it again (the DuckDB file has no such window).

DuckDB CLI
  duckdb -readonly {shlex.quote(database)} -c 'select * from segment_summary'

Python
  import duckdb
  with duckdb.connect({database!r}, read_only=True) as con:
      summary = con.sql("select * from segment_summary").df()  # pandas
  # or one mart straight from its Parquet file:
  customers = duckdb.read_parquet({str(customers)!r}).df()

Metabase (DuckDB driver: Admin > Databases > Add database > DuckDB)
  Database file:  :memory:
  Init SQL (views over the Parquet files, so every query reads the latest copy):
{views}

Superset (pip install duckdb-engine; Settings > Database connections > + Database)
  SQLAlchemy URI:     duckdb:///{database}
  Engine parameters:  {{"connect_args": {{"read_only": true}}}}
  (Superset opens a connection per query, so dashboards follow each new copy.)

Evidence (a source folder such as sources/segments/)
  connection.yaml:
    name: segments
    type: duckdb
    options:
      filename: ":memory:"
  segment_summary.sql (one .sql file per mart you need):
    select * from read_parquet({summary})
"""


def _sql(path: Path) -> str:
    """A SQL string literal (single quotes doubled)."""
    return "'" + str(path).replace("'", "''") + "'"
