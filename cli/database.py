"""Access to a working folder's DuckDB file (read-only unless asked)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from cli.errors import SegmentsError


@contextmanager
def connect(database: Path, read_only: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection (read-only by default), closed on exit; missing marts become one-line
    errors."""
    try:
        con = duckdb.connect(str(database), read_only=read_only)
    except duckdb.Error as exc:
        raise SegmentsError(f"cannot open {database}: {_first_line(exc)}") from exc
    try:
        yield con
    except duckdb.CatalogException as exc:
        raise SegmentsError(
            f"{database} has no complete build ({_first_line(exc)}): run segments build"
        ) from exc
    except duckdb.Error as exc:
        raise SegmentsError(f"reading {database} failed: {_first_line(exc)}") from exc
    finally:
        con.close()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
