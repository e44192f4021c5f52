"""Real `segments` runs (dbt included) on small handwritten CSVs: build, test, export.

Each command runs as a subprocess, exactly as a user types it; the CSVs are written here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

import cli
from cli import dbt_runner
from cli.export import MARTS

HEADER = "transaction_id,customer_id,transaction_at,amount,status,currency\n"
# Eight customers with distinct histories; C8 only has a refund, so it is not scored.
CLEAN_ROWS = """\
T01,C1,1998-06-20,100.00,paid,USD
T02,C1,1998-05-01 10:00:00,50.00,,USD
T03,C1,1998-03-03T12:00:00Z,75.50,paid,USD
T04,C2,1997-01-15,20.00,paid,USD
T05,C3,1998-03-03,300.00,paid,USD
T06,C3,1997-11-11,120.00,paid,USD
T07,C4,1997-06-01,15.00,paid,USD
T08,C4,1997-06-02,-15.00,refunded,USD
T09,C5,1998-06-30,60.00,paid,EUR
T10,C6,1997-09-09,35.00,failed,USD
T11,C6,1997-09-10,35.00,paid,USD
T12,C7,1998-01-20,80.00,paid,USD
T13,C7,1998-02-20,80.00,paid,USD
T14,C8,1998-02-01,-10.00,refunded,USD
"""
SCORED_CUSTOMERS = 7
AS_OF = "1998-07-01"


def segments(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `segments ARGS...` as the console script does (cli.launch), with the same `cli`
    package these tests import."""
    env = {
        **{key: value for key, value in os.environ.items() if key != "SEGMENTS_WORKDIR"},
        **(env or {}),
    }
    package_root = str(Path(cli.__file__).absolute().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "cli.launch", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def query(database: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess]:
    """One real build of the clean CSV, shared by the tests reading its results."""
    folder = tmp_path_factory.mktemp("built")
    (folder / "transactions.csv").write_text(HEADER + CLEAN_ROWS, encoding="utf-8")
    result = segments(
        "build", "--transactions", "transactions.csv", "--as-of", AS_OF, "--workdir", "work",
        "--profiles",
        cwd=folder,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return folder / "work", result


def test_build_summarises_the_result(built) -> None:
    workdir, result = built
    assert result.stderr == ""
    assert f"as-of date:        {AS_OF}" in result.stdout
    assert "rows read:         14" in result.stdout
    assert f"customers scored:  {SCORED_CUSTOMERS}" in result.stdout
    assert "rows rejected:     0" in result.stdout
    assert "Champions" in result.stdout and "Can't Lose Them" in result.stdout
    assert f"database: {workdir / 'segments.duckdb'}" in result.stdout


def test_build_writes_its_state_in_the_workdir(built) -> None:
    workdir, _ = built
    state = workdir / ".segments"
    assert (state / "target" / "run_results.json").is_file()
    assert (state / "logs" / "last_dbt_output.log").is_file()
    saved = json.loads((state / "last_build.json").read_text())
    assert saved["vars"]["as_of_date"] == AS_OF
    assert saved["vars"]["transactions_path"] == str(workdir.parent / "transactions.csv")
    assert query(workdir / "segments.duckdb", "select distinct as_of_date from customer_segments")
    [(as_of,)] = query(
        workdir / "segments.duckdb", "select distinct as_of_date from segment_summary"
    )
    assert str(as_of) == AS_OF
    # No lock is left behind: the file opens for writing once segments has exited.
    duckdb.connect(str(workdir / "segments.duckdb")).close()


def test_segments_test_passes_after_a_build(built) -> None:
    workdir, _ = built
    result = segments("test", "--workdir", str(workdir), cwd=workdir.parent)
    assert result.returncode == 0, result.stderr
    counts = result.stdout.strip().splitlines()[-1]
    assert counts.startswith("tests: ")
    assert counts.endswith(" passed, 0 failed")
    assert int(counts.split()[1]) > 10


@pytest.mark.parametrize("export_format", ["csv", "parquet", "json"])
def test_export_writes_each_mart(built, export_format: str) -> None:
    workdir, _ = built
    out = workdir.parent / f"exports-{export_format}"
    result = segments(
        "export", "--out", str(out), "--format", export_format, "--workdir", str(workdir),
        cwd=workdir.parent,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert sorted(path.name for path in out.iterdir()) == sorted(
        f"{mart}.{export_format}" for mart in MARTS
    )
    segments_in_summary = len(
        query(workdir / "segments.duckdb", "select segment from segment_summary")
    )
    assert segments_in_summary == 11
    expected = {
        "customer_segments": SCORED_CUSTOMERS,
        "segment_summary": segments_in_summary,
        "rejected_transactions": 0,
        "segment_history": SCORED_CUSTOMERS,
        "segment_transitions": 0,
        "segment_migration_latest": 0,
    }
    for mart, rows in expected.items():
        path = out / f"{mart}.{export_format}"
        assert f"wrote {path}" in result.stdout
        assert count_rows(path, export_format) == rows


def test_export_one_segment(built) -> None:
    workdir, _ = built
    [(segment, customers)] = query(
        workdir / "segments.duckdb",
        "select segment, customers from segment_summary"
        " where customers > 0 order by segment_order limit 1",
    )
    out = workdir.parent / "one-segment"
    result = segments(
        "export", "--out", str(out), "--format", "json", "--segment", segment,
        "--workdir", str(workdir), cwd=workdir.parent,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    exported = json.loads((out / "customer_segments.json").read_text())
    assert len(exported) == customers
    assert {row["segment"] for row in exported} == {segment}
    summary = json.loads((out / "segment_summary.json").read_text())
    assert [row["segment"] for row in summary] == [segment]


def test_strict_fails_when_a_row_is_rejected(tmp_path: Path) -> None:
    bad = HEADER + CLEAN_ROWS + "T15,C9,1998-01-01,not-a-number,paid,USD\n"
    (tmp_path / "transactions.csv").write_text(bad, encoding="utf-8")
    result = segments("build", "--transactions", "transactions.csv", "--strict", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "error: 1 row rejected (see rejected_transactions); failing because of --strict"
    ]
    assert "rows rejected:     1 (" in result.stdout
    rejected = query(
        tmp_path / "segments.duckdb",
        "select source_row_number, transaction_id, amount from rejected_transactions",
    )
    assert rejected == [(15, "T15", "not-a-number")]


def test_missing_required_column_fails_in_one_line(tmp_path: Path) -> None:
    rows = "transaction_id,customer_id,transaction_at\nT1,C1,1998-01-01\n"
    (tmp_path / "transactions.csv").write_text(rows, encoding="utf-8")
    result = segments("build", "--transactions", "transactions.csv", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    [line] = result.stderr.splitlines()
    log = tmp_path / ".segments" / "logs" / "last_dbt_output.log"
    assert line.startswith(f"error: segments: transactions file {tmp_path / 'transactions.csv'}")
    assert "is missing required column(s): amount" in line
    assert line.endswith(f"(details: {log})")
    assert log.is_file()
    assert not (tmp_path / ".segments" / "last_build.json").exists()


def count_rows(path: Path, export_format: str) -> int:
    if export_format == "json":
        return len(json.loads(path.read_text()))
    reader = "read_csv" if export_format == "csv" else "read_parquet"
    quoted = str(path).replace("'", "''")
    return int(duckdb.sql(f"select count(*) from {reader}('{quoted}')").fetchall()[0][0])


def test_memory_limit_and_spill_folder_come_from_the_environment(tmp_path: Path) -> None:
    """SEGMENTS_MEMORY_LIMIT and SEGMENTS_TEMP_DIR reach DuckDB when dbt opens the database
    (profiles.yml's config_options): DuckDB reports the values it was given, and a build
    under a small cap works on both dbt threads."""
    (tmp_path / "transactions.csv").write_text(HEADER + CLEAN_ROWS, encoding="utf-8")
    spill = tmp_path / "spill"
    env = {"SEGMENTS_MEMORY_LIMIT": "200MB", "SEGMENTS_TEMP_DIR": str(spill)}
    result = segments(
        "build", "--transactions", "transactions.csv", "--as-of", AS_OF, "--workdir", "work",
        cwd=tmp_path, env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    project = str(Path(cli.__file__).absolute().parent.parent)
    shown = subprocess.run(
        [
            sys.executable, *dbt_runner.DBT_CHILD, "show", "--inline",
            "select current_setting('memory_limit') as memory_limit,"
            " current_setting('temp_directory') as temp_directory",
            "--project-dir", project, "--profiles-dir", project, "--target", "duckdb",
            "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs"),
            "--output", "json",
            "--vars", json.dumps({"transactions_path": str(tmp_path / "transactions.csv")}),
        ],
        cwd=tmp_path,
        env={**os.environ, **env, "SEGMENTS_DUCKDB_PATH": str(tmp_path / "probe.duckdb")},
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    assert shown.returncode == 0, shown.stdout[-2000:]
    assert "190.7 MiB" in shown.stdout  # 200 MB, as DuckDB prints it
    assert str(spill) in shown.stdout
