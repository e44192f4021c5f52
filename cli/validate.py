"""Checks on command-line values, made before dbt starts."""

from __future__ import annotations

import glob
import os
import re
from datetime import date
from pathlib import Path

import typer

from cli.errors import SegmentsError

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
GLOB_CHARS = ("*", "?", "[")


def as_of_date(value: str | None) -> str | None:
    """Typer callback: a real calendar date written YYYY-MM-DD (returned unchanged)."""
    if value is None:
        return None
    if not _ISO_DATE.match(value):
        raise typer.BadParameter(f"'{value}' is not a date in YYYY-MM-DD form")
    try:
        date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"'{value}' is not a calendar date") from None
    return value


def check_path_text(text: str, what: str) -> None:
    """Reject characters that cannot belong to a file name handed to SQL."""
    if any(char in text for char in ("\x00", "\n", "\r")):
        raise SegmentsError(f"{what} path must not contain NUL or newline characters")


def input_file(path: Path, what: str) -> Path:
    """An existing file, as an absolute path."""
    check_path_text(str(path), what)
    absolute = Path(os.path.abspath(path.expanduser()))
    if absolute.is_dir():
        raise SegmentsError(f"{what} path {absolute} is a folder, not a file")
    if not absolute.is_file():
        raise SegmentsError(f"{what} file not found: {absolute}")
    return absolute


def transactions_path(path: Path) -> str:
    """An existing file, or a glob matching at least one file, as an absolute path."""
    return input_path(path, "transactions")


def input_path(path: Path, what: str) -> str:
    """An existing `what` file, or a glob matching at least one file, as an absolute path."""
    text = str(path)
    check_path_text(text, what)
    if not any(char in text for char in GLOB_CHARS):
        return str(input_file(path, what))
    pattern = os.path.abspath(os.path.expanduser(text))
    if not any(os.path.isfile(match) for match in glob.iglob(pattern, recursive=True)):
        raise SegmentsError(f"no {what} file matches {pattern}")
    return pattern
