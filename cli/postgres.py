"""The PostgreSQL target: connection settings, loading input files, reading the marts.

PostgreSQL cannot read the user's files, so before dbt runs, each input file is read by
DuckDB with the same reader the DuckDB target uses (same CSV dialect, every column as text,
`source_file`) and streamed into a table of the raw schema with `COPY ... FROM STDIN`.
DuckDB writes CSV into a pipe and psycopg2 sends it as it comes, so memory stays bounded
whatever the file's size. An identity column numbers the rows in file order. The dbt
macros in macros/engines/postgres/ read these tables; `raw_table_name` and the
`postgres_input_relation` macro name them the same way.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from cli import summary
from cli.errors import SegmentsError
from cli.project import Workdir

if TYPE_CHECKING:
    from psycopg2.extensions import connection as PgConnection

# The input vars of the dbt project: (path var, format var); the grid is always CSV.
INPUT_VARS: tuple[tuple[str, str | None], ...] = (
    ("transactions_path", "transactions_format"),
    ("customers_path", "customers_format"),
    ("events_path", "events_format"),
    ("segment_grid_path", None),
)
ROW_INDEX_COLUMN = "source_row_index"
_PARQUET_SUFFIXES = (".parquet", ".parq", ".pq")
_CSV_SUFFIXES = (".csv", ".csv.gz", ".csv.zst", ".txt")
_COPY_CHUNK = 1 << 20


@dataclass(frozen=True)
class Settings:
    """Where the postgres target connects: the SEGMENTS_PG_* variables of profiles.yml."""

    host: str
    port: int
    user: str
    password: str
    dbname: str
    schema: str
    sslmode: str

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        port_text = env.get("SEGMENTS_PG_PORT") or "5432"
        if not port_text.isdigit():
            raise SegmentsError(f"SEGMENTS_PG_PORT must be a port number, got '{port_text}'")
        return cls(
            host=env.get("SEGMENTS_PG_HOST") or "127.0.0.1",
            port=int(port_text),
            user=env.get("SEGMENTS_PG_USER") or "postgres",
            password=env.get("SEGMENTS_PG_PASSWORD", ""),
            dbname=env.get("SEGMENTS_PG_DBNAME") or "segments",
            schema=env.get("SEGMENTS_PG_SCHEMA") or "segments",
            sslmode=env.get("SEGMENTS_PG_SSLMODE") or "prefer",
        )

    @property
    def raw_schema(self) -> str:
        return f"{self.schema}_raw"

    def __str__(self) -> str:
        return (
            f"postgresql://{self.user}@{self.host}:{self.port}/{self.dbname} (schema {self.schema})"
        )


@contextlib.contextmanager
def connect(settings: Settings) -> Iterator[PgConnection]:
    """A connection in UTC and ISO dates, closed on exit; failures become one line."""
    try:
        import psycopg2
    except ImportError:
        raise SegmentsError(
            "the postgres target needs dbt-postgres: pip install 'segments[postgres]'"
        ) from None
    try:
        con = psycopg2.connect(
            host=settings.host,
            port=settings.port,
            user=settings.user,
            password=settings.password,
            dbname=settings.dbname,
            sslmode=settings.sslmode,
            connect_timeout=10,
            application_name="segments",
            options="-c TimeZone=UTC -c DateStyle=ISO,YMD",
        )
    except psycopg2.Error as exc:
        raise SegmentsError(f"cannot connect to {settings}: {_first_line(exc)}") from None
    try:
        con.set_client_encoding("UTF8")
        yield con
    except psycopg2.Error as exc:
        raise SegmentsError(f"PostgreSQL at {settings}: {_first_line(exc)}") from exc
    finally:
        con.close()


def input_format(path: str, explicit: str | None) -> str | None:
    """The format the dbt project will read `path` with (macro input_file_format), or None
    when it cannot tell (dbt then fails with its own message)."""
    if explicit:
        return explicit if explicit in ("csv", "parquet") else None
    lowered = path.lower()
    if lowered.endswith(_PARQUET_SUFFIXES):
        return "parquet"
    if lowered.endswith(_CSV_SUFFIXES):
        return "csv"
    return None


def raw_table_name(path: str, file_format: str) -> str:
    """The raw table of an input file: the `postgres_input_relation` macro's name for it."""
    digest = hashlib.md5(f"{file_format}:{path}".encode(), usedforsecurity=False)
    return "input_" + digest.hexdigest()[:16]


def duckdb_reader(path: str, file_format: str) -> str:
    """DuckDB's relation for an input file: the duckdb__input_file_reader macro's."""
    literal = _sql_string(path)
    if file_format == "csv":
        return (
            f"read_csv({literal}, header = true, delim = ',', quote = '\"', escape = '\"',"
            " encoding = 'utf-8', all_varchar = true, union_by_name = true,"
            " filename = 'source_file')"
        )
    return f"read_parquet({literal}, union_by_name = true, filename = 'source_file')"


@dataclass(frozen=True)
class LoadedInput:
    path: str
    file_format: str
    table: str
    rows: int


def load_inputs(
    dbt_vars: Mapping[str, Any],
    folder: Workdir,
    settings: Settings,
    on_file: Callable[[str], None] | None = None,
) -> list[LoadedInput]:
    """Load every input file named in `dbt_vars` into the raw schema (replacing its table),
    then drop raw tables of files no longer used. Each file is one transaction."""
    wanted: list[tuple[str, str]] = []
    for path_var, format_var in INPUT_VARS:
        path = dbt_vars.get(path_var)
        if not path:
            continue
        explicit = "csv" if format_var is None else dbt_vars.get(format_var)
        file_format = input_format(str(path), explicit)
        if file_format is not None:
            wanted.append((str(path), file_format))
    loaded: list[LoadedInput] = []
    spill = folder.state / "tmp"
    spill.mkdir(parents=True, exist_ok=True)
    with connect(settings) as con:
        with con.cursor() as cur:
            cur.execute(f"create schema if not exists {_ident(settings.raw_schema)}")
        con.commit()
        for path, file_format in wanted:
            if on_file:
                on_file(path)
            loaded.append(_load_file(con, settings, path, file_format, spill))
        _drop_unused(con, settings, {item.table for item in loaded})
    return loaded


def _load_file(
    con: PgConnection, settings: Settings, path: str, file_format: str, spill: Path
) -> LoadedInput:
    table = raw_table_name(path, file_format)
    qualified = f"{_ident(settings.raw_schema)}.{_ident(table)}"
    with _duckdb(spill) as duck:
        reader = duckdb_reader(path, file_format)
        try:
            described = duck.execute(f"describe select * from {reader}").fetchall()
            columns = [str(row[0]) for row in described]
        except duckdb.Error as exc:
            raise SegmentsError(f"cannot read {path}: {_first_line(exc)}") from exc
        if ROW_INDEX_COLUMN in columns:
            raise SegmentsError(
                f"{path} has a column named {ROW_INDEX_COLUMN}, which the postgres target"
                " uses for row numbers; rename it"
            )
        names = ", ".join(_ident(name) for name in columns)
        text_columns = ", ".join(f"cast({_ident(name)} as varchar)" for name in columns)
        with con.cursor() as cur:
            cur.execute(f"drop table if exists {qualified}")
            cur.execute(
                f"create table {qualified} ("
                + ", ".join(f"{_ident(name)} text" for name in columns)
                + f", {ROW_INDEX_COLUMN} bigint generated always as identity)"
            )
            cur.execute(
                f"comment on table {qualified} is %s", [f"segments input ({file_format}): {path}"]
            )
            rows = _stream(
                duck,
                f"select {text_columns} from {reader}",
                cur,
                f"copy {qualified} ({names}) from stdin with (format csv)",
                path,
            )
    con.commit()
    return LoadedInput(path, file_format, table, rows)


def _stream(duck: duckdb.DuckDBPyConnection, query: str, cur: Any, copy_sql: str, path: str) -> int:
    """Pipe DuckDB's CSV output of `query` into PostgreSQL's COPY; return the rows copied."""
    read_fd, write_fd = os.pipe()
    failure: list[BaseException] = []

    def produce() -> None:
        try:
            duck.execute(f"copy ({query}) to '/dev/fd/{write_fd}' (format csv, header false)")
        except BaseException as exc:  # re-raised in the caller's thread
            failure.append(exc)
        finally:
            os.close(write_fd)

    producer = threading.Thread(target=produce, name="segments-load", daemon=True)
    producer.start()
    try:
        with os.fdopen(read_fd, "rb") as stream:
            cur.copy_expert(copy_sql, stream, size=_COPY_CHUNK)
    except BaseException:
        duck.interrupt()
        producer.join()
        raise
    producer.join()
    if failure:
        cur.connection.rollback()
        exc = failure[0]
        if isinstance(exc, duckdb.Error):
            raise SegmentsError(f"cannot read {path}: {_first_line(exc)}") from exc
        raise exc
    return int(cur.rowcount)


@contextlib.contextmanager
def _duckdb(spill: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory DuckDB set up like the duckdb target (UTC, file order kept)."""
    with contextlib.closing(duckdb.connect(":memory:")) as duck:
        duck.execute("set TimeZone = 'UTC'")
        duck.execute("set preserve_insertion_order = true")
        duck.execute("set enable_progress_bar = false")
        duck.execute(f"set temp_directory = {_sql_string(str(spill))}")
        yield duck


def _drop_unused(con: PgConnection, settings: Settings, keep: set[str]) -> None:
    with con.cursor() as cur:
        cur.execute(
            "select table_name from information_schema.tables"
            " where table_schema = %s and table_name like 'input\\_%%'",
            [settings.raw_schema],
        )
        for (name,) in cur.fetchall():
            if name not in keep:
                cur.execute(f"drop table {_ident(settings.raw_schema)}.{_ident(name)}")
    con.commit()


# --- reading the marts ----------------------------------------------------------------


def read_summary(settings: Settings) -> summary.BuildSummary:
    """The build summary, read from the models in the target schema."""
    with connect(settings) as con, con.cursor() as cur:

        def query(sql: str) -> list[tuple[Any, ...]]:
            cur.execute(sql)
            return list(cur.fetchall())

        try:
            return summary.summarise(query, _ident(settings.schema), str(settings))
        except _undefined_table() as exc:
            raise _no_build(settings, exc) from exc


@contextlib.contextmanager
def marts_in_duckdb(
    settings: Settings, marts: Sequence[str], folder: Workdir
) -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory DuckDB with a view `main.<mart>` for each mart of the target schema, so
    that exports are written by DuckDB as on the duckdb target: each mart is copied out of
    PostgreSQL as CSV into a temporary file (bounded memory) and read back with its
    PostgreSQL column types mapped to DuckDB's."""
    spill = folder.state / "tmp"
    spill.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory(prefix="segments-marts-", dir=spill) as staging,
        connect(settings) as con,
        _duckdb(spill) as duck,
    ):
        for mart in marts:
            relation = f"{_ident(settings.schema)}.{_ident(mart)}"
            try:
                columns = _duckdb_columns(con, relation)
            except _undefined_table() as exc:
                raise _no_build(settings, exc) from exc
            path = Path(staging) / f"{mart}.csv"
            with con.cursor() as cur, path.open("wb") as handle:
                cur.copy_expert(
                    f"copy (select * from {relation}) to stdout with (format csv, header true)",
                    handle,
                    size=_COPY_CHUNK,
                )
            types = ", ".join(f"{_sql_string(name)}: {_sql_string(kind)}" for name, kind in columns)
            duck.execute(
                f"create view main.{_ident(mart)} as select * from read_csv("
                f"{_sql_string(str(path))}, header = true, delim = ',', quote = '\"',"
                f" escape = '\"', allow_quoted_nulls = false, columns = {{{types}}})"
            )
        yield duck


def _duckdb_columns(con: PgConnection, relation: str) -> list[tuple[str, str]]:
    """The columns of a PostgreSQL relation with the DuckDB type that holds their values."""
    with con.cursor() as cur:
        cur.execute(
            "select attname, format_type(atttypid, atttypmod) from pg_attribute"
            " where attrelid = %s::regclass and attnum > 0 and not attisdropped"
            " order by attnum",
            [relation],
        )
        columns = [(str(name), str(kind)) for name, kind in cur.fetchall()]
        typed: list[tuple[str, str]] = []
        for name, kind in columns:
            # Unconstrained numeric: sums keep their inputs' scale (a decimal, as on DuckDB);
            # averages carry 16 or more digits (a double, as DuckDB's avg).
            if kind == "numeric":
                cur.execute(f"select max(scale({_ident(name)})) from {relation}")
                row = cur.fetchone()
                scale = int(row[0]) if row and row[0] is not None else 0
                typed.append((name, f"decimal(38, {scale})" if scale <= 10 else "double"))
            else:
                typed.append((name, _duckdb_type(kind)))
    return typed


def _duckdb_type(pg_type: str) -> str:
    numeric = re.fullmatch(r"numeric\((\d+),(\d+)\)", pg_type)
    if numeric:
        precision, scale = int(numeric.group(1)), int(numeric.group(2))
        return f"decimal({precision}, {scale})" if precision <= 38 else "double"
    if pg_type.startswith(("character varying", "character", "text")):
        return "varchar"
    return _PG_TO_DUCKDB.get(pg_type, "varchar")


_PG_TO_DUCKDB = {
    "smallint": "smallint",
    "integer": "integer",
    "bigint": "bigint",
    "real": "float",
    "double precision": "double",
    "boolean": "boolean",
    "date": "date",
    "timestamp without time zone": "timestamp",
    "timestamp with time zone": "timestamptz",
}


def _undefined_table() -> type[Exception]:
    import psycopg2.errors

    return psycopg2.errors.UndefinedTable


def _no_build(settings: Settings, exc: BaseException) -> SegmentsError:
    return SegmentsError(
        f"{settings} has no complete build ({_first_line(exc)}):"
        " run segments build --target postgres"
    )


def _ident(name: str) -> str:
    """A quoted PostgreSQL identifier (embedded double quotes doubled)."""
    return '"' + name.replace('"', '""') + '"'


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    text = re.sub(r"^ERROR:\s+", "", text)
    return text.splitlines()[0] if text else type(exc).__name__
