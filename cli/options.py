"""Options shared by several commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.project import WORKDIR_ENV

WorkdirOption = Annotated[
    Path | None,
    typer.Option(
        "--workdir",
        envvar=WORKDIR_ENV,
        show_default="current folder",
        help="Working folder holding segments.duckdb and dbt's state (.segments/).",
    ),
]
