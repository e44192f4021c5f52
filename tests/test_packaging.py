"""The installed package: a wheel carries the dbt project, and `segments` works from an
empty folder without writing into the installed package."""

from __future__ import annotations

import csv
import site
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(args: list[str | Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=900
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    built = run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            dist,
            ROOT,
        ],
        cwd=dist,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    (found,) = dist.glob("segments-*.whl")
    return found


def test_wheel_ships_the_dbt_project(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in [
        "cli/main.py",
        "cli/dbt_project/dbt_project.yml",
        "cli/dbt_project/profiles.yml",
        "cli/dbt_project/models/marts/customer_segments.sql",
        "cli/dbt_project/models/marts/customer_segments.yml",
        "cli/dbt_project/macros/segments/quintile_score.sql",
        "cli/dbt_project/seeds/segment_grid.csv",
        "cli/dbt_project/tests/data/assert_raw_rows_are_staged_or_rejected.sql",
    ]:
        assert name in names, name


def test_installed_command_builds_and_exports_from_an_empty_folder(
    wheel: Path, tmp_path: Path
) -> None:
    venv = tmp_path / "venv"
    assert run([sys.executable, "-m", "venv", venv], cwd=tmp_path).returncode == 0
    # Dependencies come from the test environment; the package itself only from the wheel.
    new_site = Path(sysconfig.get_path("purelib", vars={"base": str(venv), "platbase": str(venv)}))
    deps = [p for p in site.getsitepackages() if Path(p).is_dir()]
    (new_site / "_segments_test_deps.pth").write_text("\n".join(deps) + "\n")
    installed = run([venv / "bin" / "pip", "install", "--no-deps", "--quiet", wheel], cwd=tmp_path)
    assert installed.returncode == 0, installed.stderr[-2000:]

    folder = tmp_path / "empty"
    folder.mkdir()
    command = venv / "bin" / "segments"
    located = run([venv / "bin" / "python", "-c", "import cli; print(cli.__file__)"], cwd=folder)
    package = Path(located.stdout.strip()).parent
    assert package.is_relative_to(venv), located.stdout

    steps = [
        [command, "generate", "--customers", "200", "--out", "tx.csv"],
        [command, "build", "--transactions", "tx.csv", "--as-of", "1998-07-01"],
        [command, "export", "--out", "out", "--format", "csv"],
    ]
    for step in steps:
        done = run(step, cwd=folder)
        assert done.returncode == 0, (step, done.stderr[-2000:])

    with (folder / "out" / "customer_segments.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) > 100
    assert {row["as_of_date"] for row in rows} == {"1998-07-01"}
    assert (folder / "segments.duckdb").is_file()
    assert not (package / "dbt_project" / "target").exists()
    assert not (package / "dbt_project" / "logs").exists()
