"""Where the dbt project is and where a working folder keeps its state."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import cli
from cli.errors import SegmentsError

WORKDIR_ENV = "SEGMENTS_WORKDIR"
DATABASE_NAME = "segments.duckdb"


def project_dir() -> Path:
    """The dbt project: bundled in the installed package, else the source checkout."""
    package = Path(cli.__file__).resolve().parent
    for candidate in (package / "dbt_project", package.parent):
        if (candidate / "dbt_project.yml").is_file():
            return candidate
    raise SegmentsError(
        f"dbt project not found (looked for dbt_project.yml in {package / 'dbt_project'} "
        f"and {package.parent}); reinstall segments"
    )


@dataclass(frozen=True)
class Workdir:
    """The files a working folder holds: the DuckDB database and dbt's state."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / DATABASE_NAME

    @property
    def state(self) -> Path:
        return self.root / ".segments"

    @property
    def target_path(self) -> Path:
        return self.state / "target"

    @property
    def log_path(self) -> Path:
        return self.state / "logs"

    @property
    def dbt_output_log(self) -> Path:
        return self.log_path / "last_dbt_output.log"

    @property
    def last_build(self) -> Path:
        return self.state / "last_build.json"

    @property
    def spark_warehouse(self) -> Path:
        """Where a Spark build writes its tables (Parquet), one folder per table."""
        return self.root / "spark-warehouse"

    @property
    def spark_metastore(self) -> Path:
        """Spark's table catalog (an embedded Derby database) and its log."""
        return self.state / "spark-metastore"

    def create(self) -> None:
        """Create the folder and its state folders (for a build)."""
        if self.root.exists() and not self.root.is_dir():
            raise SegmentsError(f"workdir {self.root} exists and is not a folder")
        for folder in (self.target_path, self.log_path):
            folder.mkdir(parents=True, exist_ok=True)

    def require_database(self) -> Path:
        """The database path, or an error when no build ever ran here."""
        if not self.database.is_file():
            raise SegmentsError(f"no build found in {self.root}: run segments build first")
        return self.database


def workdir(option: Path | None) -> Workdir:
    """The working folder: --workdir, else $SEGMENTS_WORKDIR, else the current folder."""
    if option is None:
        option = Path(os.environ.get(WORKDIR_ENV) or ".")
    text = str(option)
    if "\x00" in text or "\n" in text or "\r" in text:
        raise SegmentsError("workdir path must not contain NUL or newline characters")
    return Workdir(Path(os.path.abspath(option.expanduser())))
