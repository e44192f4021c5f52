"""The command surface of `segments`, without running dbt.

Commands run in-process through `cli.main.main` (the console-script entry point), so the
one-line error handling is what is tested. dbt itself is replaced by a fake where a test
needs a finished build; tests/test_cli_e2e.py runs the real thing.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from cli import dbt_runner
from cli.errors import SegmentsError
from cli.main import main
from cli.project import Workdir, project_dir


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str


@pytest.fixture
def segments(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """Run `segments ARGS...` in tmp_path; return its exit code and output."""
    monkeypatch.delenv("SEGMENTS_WORKDIR", raising=False)
    monkeypatch.chdir(tmp_path)

    def run(*args: str) -> Result:
        monkeypatch.setattr(sys, "argv", ["segments", *args])
        with pytest.raises(SystemExit) as exited:
            main()
        out, err = capsys.readouterr()
        code = exited.value.code
        return Result(code if isinstance(code, int) else 1, out, err)

    return run


def make_database(path: Path, rejected: int = 0) -> None:
    """A DuckDB file shaped like a finished build: the three marts and the raw rows."""
    con = duckdb.connect(str(path))
    try:
        con.execute(
            "create table segment_summary as select * from (values"
            " ('Champions', 1, 2, 0.5, 0.8, date '1998-07-01'),"
            " ('Loyal Customers', 2, 0, 0.0, 0.0, date '1998-07-01'),"
            " ('Can''t Lose Them', 3, 0, 0.0, 0.0, date '1998-07-01'),"
            " ('Lost', 4, 2, 0.5, 0.2, date '1998-07-01'))"
            " as t(segment, segment_order, customers, share_of_customers,"
            " share_of_revenue, as_of_date)"
        )
        con.execute(
            "create table customer_segments as select * from (values"
            " ('C1', 'Champions'), ('C2', 'Champions'), ('C3', 'Lost'), ('C4', 'Lost'))"
            " as t(customer_id, segment)"
        )
        con.execute(
            "create table rejected_transactions as"
            " select 't.csv' as source_file, i + 1 as source_row_number,"
            " 'invalid amount' as rejection_reason, 'abc' as amount"
            f" from range({rejected}) as r(i)"
        )
        con.execute(
            "create table int_as_of_dates_resolved as select"
            f" {6 + rejected} as input_rows, 6 as accepted_rows"
        )
        con.execute(
            "create table segment_history as select * from (values"
            " ('C1', date '1998-06-01', 'Lost'), ('C1', date '1998-07-01', 'Champions'),"
            " ('C3', date '1998-07-01', 'Lost')) as t(customer_id, as_of_date, segment)"
        )
        con.execute(
            "create table segment_transitions as select * from (values"
            " ('Lost', 'Champions', 1), (null, 'Lost', 1))"
            " as t(from_segment, to_segment, customers)"
        )
        con.execute("create table segment_migration_latest as select * from segment_transitions")
        con.execute(
            "create table customer_profiles as select * from (values"
            " ('C1', 'returning', 'Champions', ' Ann@Example.com '),"
            " ('C3', 'churned', 'Lost', null), ('P1', 'prospect', null, 'p1@example.com'))"
            " as t(customer_id, lifecycle_stage, segment, email)"
        )
        con.execute(
            "create table customer_recommendations as select * from (values"
            " ('C1', 1, 'Music', 'Champions')) as t(customer_id, rank, category, segment)"
        )
        con.execute(
            "create table dynamic_segments as select * from (values"
            " ('lapsed_vips', 1, 1)) as t(dynamic_segment, definition_order, customers)"
        )
        con.execute(
            "create table dynamic_segment_members as select * from (values"
            " ('lapsed_vips', 'C3')) as t(dynamic_segment, customer_id)"
        )
        con.execute(
            "create table rejected_customers as select * from (values"
            " ('c.csv', 2, 'duplicate customer_id', 'C1', ' X@Example.com'))"
            " as t(source_file, source_row_number, rejection_reason, customer_id, email)"
            " where false"
        )
        con.execute(
            "create table rejected_events as select 'e.csv' as source_file,"
            " 1 as source_row_number, 'unknown event_type' as rejection_reason where false"
        )
    finally:
        con.close()


@pytest.fixture
def built(tmp_path: Path) -> Path:
    """A working folder holding a finished build."""
    make_database(tmp_path / "segments.duckdb")
    return tmp_path


@pytest.fixture
def transactions(tmp_path: Path) -> Path:
    path = tmp_path / "transactions.csv"
    path.write_text("transaction_id,customer_id,transaction_at,amount\nT1,C1,1998-01-01,10\n")
    return path


@pytest.fixture
def fake_dbt(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict[str, str]]]:
    """Replace dbt by a stand-in that writes a build with 2 rejected rows; record calls."""
    calls: list[tuple[str, dict[str, str]]] = []

    def run_dbt(command, workdir: Workdir, dbt_vars, on_node=None, **_) -> dbt_runner.DbtRun:
        calls.append((command, dict(dbt_vars)))
        workdir.create()
        if command == "build":
            workdir.database.unlink(missing_ok=True)
            make_database(workdir.database, rejected=2)
        return dbt_runner.DbtRun(command, 0, "", [{"status": "pass"}], workdir)

    monkeypatch.setattr(dbt_runner, "run_dbt", run_dbt)
    return calls


def one_line(text: str) -> str:
    lines = text.splitlines()
    assert len(lines) == 1, f"expected one line, got: {text!r}"
    assert "Traceback" not in text
    return lines[0]


# --help


def test_help_lists_every_command(segments) -> None:
    result = segments("--help")
    assert result.code == 0
    for command in ("build", "test", "export", "generate"):
        assert command in result.stdout


def test_no_arguments_shows_help(segments) -> None:
    result = segments()
    assert result.code == 0
    assert "build" in result.stdout and "export" in result.stdout


@pytest.mark.parametrize("command", ["build", "test", "export"])
def test_command_help_has_an_example(segments, command: str) -> None:
    result = segments(command, "--help")
    assert result.code == 0
    assert "Example" in result.stdout
    assert f"segments {command} " in result.stdout
    assert "--workdir" in result.stdout


def test_build_help_describes_the_optional_inputs(segments) -> None:
    result = segments("build", "--help")
    for option in ("--customers", "--events", "--segments-file"):
        assert option in result.stdout
    assert "reserved" not in result.stdout


def test_version(segments) -> None:
    result = segments("--version")
    assert result.code == 0
    assert result.stdout.startswith("segments ")


# build: checks made before dbt runs


def test_build_requires_transactions(segments) -> None:
    result = segments("build")
    assert result.code == 2
    assert one_line(result.stderr) == "error: Missing option '--transactions'. (see --help)"


def test_build_missing_transactions_file(segments, tmp_path: Path, fake_dbt) -> None:
    result = segments("build", "--transactions", "nowhere.csv")
    assert result.code == 1
    missing = tmp_path / "nowhere.csv"
    assert one_line(result.stderr) == f"error: transactions file not found: {missing}"
    assert fake_dbt == []
    assert not (tmp_path / "segments.duckdb").exists()


def test_build_glob_matching_nothing(segments, tmp_path: Path, fake_dbt) -> None:
    result = segments("build", "--transactions", "tx_*.parquet")
    assert result.code == 1
    pattern = tmp_path / "tx_*.parquet"
    assert one_line(result.stderr) == f"error: no transactions file matches {pattern}"
    assert fake_dbt == []


def test_build_accepts_a_glob(segments, tmp_path: Path, fake_dbt) -> None:
    (tmp_path / "tx_1.csv").write_text("transaction_id\n")
    result = segments("build", "--transactions", "tx_*.csv")
    assert result.code == 0, result.stderr
    assert fake_dbt[0][1]["transactions_path"] == str(tmp_path / "tx_*.csv")


def test_build_transactions_folder(segments, tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    result = segments("build", "--transactions", "data")
    assert result.code == 1
    assert (
        one_line(result.stderr)
        == f"error: transactions path {tmp_path / 'data'} is a folder, not a file"
    )


def test_build_rejects_newline_in_path(segments, fake_dbt) -> None:
    result = segments("build", "--transactions", "a\nb.csv")
    assert result.code == 1
    assert (
        one_line(result.stderr)
        == "error: transactions path must not contain NUL or newline characters"
    )


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("1998-02-30", "is not a calendar date"),
        ("1998-13-01", "is not a calendar date"),
        ("1998/02/03", "is not a date in YYYY-MM-DD form"),
        ("98-2-3", "is not a date in YYYY-MM-DD form"),
        ("yesterday", "is not a date in YYYY-MM-DD form"),
    ],
)
def test_build_bad_as_of(segments, transactions: Path, fake_dbt, value: str, reason: str) -> None:
    result = segments("build", "--transactions", str(transactions), "--as-of", value)
    assert result.code == 2
    expected = f"error: Invalid value for '--as-of': '{value}' {reason} (see --help)"
    assert one_line(result.stderr) == expected
    assert fake_dbt == []


def test_build_missing_grid(segments, tmp_path: Path, transactions: Path, fake_dbt) -> None:
    result = segments("build", "--transactions", str(transactions), "--grid", "grid.csv")
    assert result.code == 1
    assert one_line(result.stderr) == f"error: grid file not found: {tmp_path / 'grid.csv'}"
    assert fake_dbt == []


@pytest.mark.parametrize("option", ["--customers", "--events", "--segments-file"])
def test_build_missing_optional_input(segments, tmp_path, transactions, option, fake_dbt) -> None:
    result = segments("build", "--transactions", str(transactions), option, "x.csv")
    assert result.code == 1
    what = option.removeprefix("--").removesuffix("-file")
    assert one_line(result.stderr) == f"error: {what} file not found: {tmp_path / 'x.csv'}"
    assert fake_dbt == []


@pytest.mark.parametrize("command", ["build", "backfill"])
def test_optional_inputs_become_vars(segments, tmp_path, transactions, fake_dbt, command) -> None:
    (tmp_path / "c.csv").write_text("customer_id\nC1\n")
    (tmp_path / "ev_1.csv").write_text("customer_id,event_at,event_type\n")
    (tmp_path / "segments.yml").write_text(
        "segments:\n"
        "  - name: lapsed_vips\n"
        "    conditions:\n"
        "      - {column: segment, operator: in, value: [Champions, At Risk]}\n"
        "      - {column: last_purchase_at, operator: '<', value: 1998-01-01}\n"
    )
    extra = ["--from", "1998-01-01", "--to", "1998-02-01"] if command == "backfill" else []
    result = segments(
        command,
        "--transactions",
        str(transactions),
        "--customers",
        "c.csv",
        "--events",
        "ev_*.csv",
        "--segments-file",
        "segments.yml",
        *extra,
    )
    assert result.code == 0, result.stderr
    dbt_vars = fake_dbt[0][1]
    assert dbt_vars["customers_path"] == str(tmp_path / "c.csv")
    assert dbt_vars["events_path"] == str(tmp_path / "ev_*.csv")
    assert dbt_vars["dynamic_segments"] == [
        {
            "name": "lapsed_vips",
            "conditions": [
                {"column": "segment", "operator": "in", "value": ["Champions", "At Risk"]},
                {"column": "last_purchase_at", "operator": "<", "value": "1998-01-01"},
            ],
        }
    ]


def test_build_bad_segments_file_is_one_line_before_dbt(segments, tmp_path, transactions, fake_dbt):
    (tmp_path / "segments.yml").write_text(
        "segments:\n  - name: x\n    conditions: [{column: contry, operator: '=', value: ID}]\n"
    )
    result = segments(
        "build", "--transactions", str(transactions), "--segments-file", "segments.yml"
    )
    assert result.code == 1
    line = one_line(result.stderr)
    assert line.startswith(
        f"error: segments file {tmp_path / 'segments.yml'}: dynamic segment 'x' condition 1:"
        " unknown column 'contry' (customer_profiles has customer_id, lifecycle_stage,"
    )
    assert fake_dbt == []


@pytest.mark.parametrize(("option", "value"), [("--format", "xlsx"), ("--scoring", "deciles")])
def test_build_unknown_choice(segments, transactions: Path, option: str, value: str) -> None:
    result = segments("build", "--transactions", str(transactions), option, value)
    assert result.code == 2
    line = one_line(result.stderr)
    assert line.startswith(f"error: Invalid value for '{option}'")
    assert f"'{value}' is not one of" in line


def test_debug_shows_the_traceback(segments) -> None:
    with pytest.raises(SegmentsError, match="transactions file not found"):
        segments("--debug", "build", "--transactions", "nowhere.csv")


# build with dbt replaced


def test_build_passes_vars_to_dbt(segments, tmp_path: Path, transactions: Path, fake_dbt):
    grid = tmp_path / "grid.csv"
    grid.write_text("r_score,fm_score,segment\n")
    result = segments(
        "build",
        "--transactions",
        "transactions.csv",
        "--as-of",
        "1998-07-01",
        "--grid",
        "grid.csv",
        "--scoring",
        "thresholds",
        "--format",
        "csv",
    )
    assert result.code == 0, result.stderr
    expected = {
        "transactions_path": str(transactions),
        "transactions_format": "csv",
        "as_of_date": "1998-07-01",
        "segment_grid_path": str(grid),
        "scoring_method": "thresholds",
    }
    assert fake_dbt == [("build", expected)]
    saved = json.loads((tmp_path / ".segments" / "last_build.json").read_text())
    assert saved["vars"] == expected


def test_build_omits_unset_vars(segments, transactions: Path, fake_dbt) -> None:
    assert segments("build", "--transactions", str(transactions)).code == 0
    assert fake_dbt[0][1] == {
        "transactions_path": str(transactions),
        "scoring_method": "quintile",
    }


def test_build_summary_and_rejection_warning(segments, tmp_path, transactions, fake_dbt):
    result = segments("build", "--transactions", str(transactions), "--profiles")
    assert result.code == 0
    assert one_line(result.stderr) == "warning: 2 rows rejected (see rejected_transactions)"
    assert "as-of date:        1998-07-01" in result.stdout
    assert "rows read:         8" in result.stdout
    assert "customers scored:  4" in result.stdout
    assert "profiles:          3 (1 prospect)" in result.stdout
    assert "rows rejected:     2 (invalid amount: 2)" in result.stdout
    table = [line.split("  ") for line in result.stdout.splitlines()]
    rows = [[cell.strip() for cell in row if cell.strip()] for row in table]
    assert ["segment", "customers", "share", "revenue share"] in rows
    assert ["Champions", "2", "50.0%", "80.0%"] in rows
    assert ["Loyal Customers", "0", "0.0%", "0.0%"] in rows
    assert f"database: {tmp_path / 'segments.duckdb'}" in result.stdout
    assert "\x1b[" not in result.stdout  # plain text when not a terminal
    # The summary's connection is closed: the file can be opened for writing again.
    duckdb.connect(str(tmp_path / "segments.duckdb")).close()


def test_build_strict_fails_on_rejected_rows(segments, tmp_path, transactions, fake_dbt):
    result = segments("build", "--transactions", str(transactions), "--strict")
    assert result.code == 1
    assert one_line(result.stderr) == (
        "error: 2 rows rejected (see rejected_transactions); failing because of --strict"
    )


def test_build_workdir_option_and_env(segments, monkeypatch, tmp_path, transactions, fake_dbt):
    assert segments("build", "--transactions", str(transactions), "--workdir", "a/b").code == 0
    assert (tmp_path / "a" / "b" / "segments.duckdb").is_file()
    monkeypatch.setenv("SEGMENTS_WORKDIR", str(tmp_path / "env"))
    assert segments("build", "--transactions", str(transactions)).code == 0
    assert (tmp_path / "env" / "segments.duckdb").is_file()


def test_build_dbt_failure_is_one_line(segments, monkeypatch, tmp_path, transactions) -> None:
    output = (
        "12:00:00  Compilation Error in model stg_input__raw_transactions (models/x.sql)\n"
        "  segments: transactions file /x/t.csv is missing required column(s): amount\n"
        "  \n  > in macro read_transactions (macros/input/read_transactions.sql)\n"
    )

    def failing(command, workdir, dbt_vars, on_node=None, **_):
        return dbt_runner.DbtRun(command, 1, output, [], workdir)

    monkeypatch.setattr(dbt_runner, "run_dbt", failing)
    result = segments("build", "--transactions", str(transactions))
    assert result.code == 1
    log = tmp_path / ".segments" / "logs" / "last_dbt_output.log"
    assert one_line(result.stderr) == (
        "error: segments: transactions file /x/t.csv is missing required column(s): amount"
        f" (details: {log})"
    )
    assert not (tmp_path / ".segments" / "last_build.json").exists()


# test


def test_test_without_build(segments, tmp_path: Path) -> None:
    result = segments("test")
    assert result.code == 1
    expected = f"error: no successful build found in {tmp_path}: run segments build first"
    assert one_line(result.stderr) == expected


def test_test_reuses_the_last_build_vars(segments, transactions: Path, fake_dbt) -> None:
    assert segments("build", "--transactions", str(transactions), "--as-of", "1998-07-01").code == 0
    result = segments("test")
    assert result.code == 0
    assert result.stdout.splitlines()[-1] == "tests: 1 passed, 0 failed"
    assert fake_dbt[1] == ("test", fake_dbt[0][1])


# export


def test_export_without_build(segments, tmp_path: Path) -> None:
    result = segments("export", "--out", "exports")
    assert result.code == 1
    assert (
        one_line(result.stderr) == f"error: no build found in {tmp_path}: run segments build first"
    )
    assert not (tmp_path / "exports").exists()


def test_export_unknown_format(segments, built: Path) -> None:
    result = segments("export", "--out", "exports", "--format", "xml")
    assert result.code == 2
    line = one_line(result.stderr)
    assert line.startswith("error: Invalid value for '--format'")
    assert "'xml' is not one of 'csv', 'parquet', 'json'" in line


@pytest.mark.parametrize("name", ["champions", "Champions ", "x' or '1'='1", "Nobody"])
def test_export_unknown_segment(segments, built: Path, name: str) -> None:
    result = segments("export", "--out", "exports", "--segment", name)
    assert result.code == 1
    assert one_line(result.stderr) == (
        f"error: unknown segment '{name}'; known: Champions, Loyal Customers, Can't Lose Them, Lost"
        "; dynamic: lapsed_vips"
    )
    assert not list((built / "exports").glob("*"))


@pytest.mark.parametrize("export_format", ["csv", "parquet", "json"])
def test_export_writes_one_file_per_mart(segments, built: Path, export_format: str) -> None:
    result = segments("export", "--out", "exports", "--format", export_format)
    assert result.code == 0, result.stderr
    counts = {
        "customer_segments": 4,
        "segment_summary": 4,
        "rejected_transactions": 0,
        "segment_history": 3,
        "segment_transitions": 2,
        "segment_migration_latest": 2,
    }
    for mart, rows in counts.items():
        path = built / "exports" / f"{mart}.{export_format}"
        assert path.is_file()
        assert f"wrote {path} ({rows} rows)" in result.stdout
        assert count_rows(path, export_format) == rows


def test_export_filters_by_segment(segments, built: Path) -> None:
    result = segments("export", "--out", "it's here", "--segment", "Lost")
    assert result.code == 0, result.stderr
    out = built / "it's here"
    quoted = str(out / "customer_segments.csv").replace("'", "''")
    written = duckdb.sql(f"select segment from read_csv('{quoted}')").fetchall()
    assert written == [("Lost",), ("Lost",)]
    assert count_rows(out / "segment_summary.csv", "csv") == 1
    assert count_rows(out / "segment_history.csv", "csv") == 2
    assert count_rows(out / "segment_transitions.csv", "csv") == 2
    champions = segments("export", "--out", "champions", "--segment", "Champions")
    assert champions.code == 0, champions.stderr
    assert count_rows(built / "champions" / "segment_history.csv", "csv") == 1
    assert count_rows(built / "champions" / "segment_transitions.csv", "csv") == 1


def test_export_rfm_segment_filters_profiles_and_members(segments, built: Path) -> None:
    assert segments("export", "--out", "lost", "--segment", "Lost").code == 0
    out = built / "lost"
    assert count_rows(out / "customer_profiles.csv", "csv") == 1
    assert count_rows(out / "dynamic_segment_members.csv", "csv") == 1
    assert count_rows(out / "customer_recommendations.csv", "csv") == 0
    assert count_rows(out / "rejected_transactions.csv", "csv") == 0


def test_export_dynamic_segment_writes_its_members_only(segments, built: Path) -> None:
    result = segments("export", "--out", "vips", "--segment", "lapsed_vips")
    assert result.code == 0, result.stderr
    out = built / "vips"
    assert sorted(path.name for path in out.iterdir()) == [
        "customer_profiles.csv",
        "customer_recommendations.csv",
        "customer_segments.csv",
        "dynamic_segment_members.csv",
        "dynamic_segments.csv",
    ]
    quoted = str(out / "customer_profiles.csv").replace("'", "''")
    assert duckdb.sql(f"select customer_id from read_csv('{quoted}')").fetchall() == [("C3",)]
    assert count_rows(out / "customer_segments.csv", "csv") == 1
    assert count_rows(out / "customer_recommendations.csv", "csv") == 0


def test_export_hash_emails(segments, built: Path) -> None:
    with duckdb.connect(str(built / "segments.duckdb")) as con:
        con.execute(
            "insert into rejected_customers values ('c.csv', 2, 'r', 'C1', ' X@Example.com')"
        )
    result = segments("export", "--out", "hashed", "--format", "json", "--hash-emails")
    assert result.code == 0, result.stderr
    profiles = json.loads((built / "hashed" / "customer_profiles.json").read_text())
    emails = {row["customer_id"]: row["email"] for row in profiles}
    assert emails == {
        "C1": hashlib.sha256(b"ann@example.com").hexdigest(),
        "C3": None,
        "P1": hashlib.sha256(b"p1@example.com").hexdigest(),
    }
    rejected = json.loads((built / "hashed" / "rejected_customers.json").read_text())
    assert [row["email"] for row in rejected] == [hashlib.sha256(b"x@example.com").hexdigest()]
    plain = segments("export", "--out", "plain", "--format", "json")
    assert plain.code == 0
    profiles = json.loads((built / "plain" / "customer_profiles.json").read_text())
    assert profiles[0]["email"] == " Ann@Example.com "


def test_export_segment_name_with_a_quote(segments, built: Path) -> None:
    result = segments("export", "--out", "out", "--format", "json", "--segment", "Can't Lose Them")
    assert result.code == 0, result.stderr
    summary = json.loads((built / "out" / "segment_summary.json").read_text())
    assert [row["segment"] for row in summary] == ["Can't Lose Them"]
    assert json.loads((built / "out" / "customer_segments.json").read_text()) == []


def test_export_out_is_a_file(segments, built: Path) -> None:
    (built / "taken").write_text("")
    result = segments("export", "--out", "taken")
    assert result.code == 1
    assert one_line(result.stderr) == f"error: --out {built / 'taken'} exists and is not a folder"


def test_export_incomplete_database(segments, tmp_path: Path) -> None:
    duckdb.connect(str(tmp_path / "segments.duckdb")).close()
    result = segments("export", "--out", "exports")
    assert result.code == 1
    line = one_line(result.stderr)
    assert line.startswith(f"error: {tmp_path / 'segments.duckdb'} has no complete build")
    assert line.endswith(": run segments build")


def count_rows(path: Path, export_format: str) -> int:
    if export_format == "json":
        return len(json.loads(path.read_text()))
    reader = "read_csv" if export_format == "csv" else "read_parquet"
    quoted = str(path).replace("'", "''")
    rows = duckdb.sql(f"select count(*) from {reader}('{quoted}')").fetchall()
    return int(rows[0][0])


# dbt runner


def test_project_dir_holds_the_dbt_project() -> None:
    assert (project_dir() / "dbt_project.yml").is_file()


def test_dbt_command_is_an_argument_list(tmp_path: Path) -> None:
    args = dbt_runner.dbt_command("build", Workdir(tmp_path), {"as_of_date": "1998-07-01"})
    assert args[:4] == [sys.executable, "-P", "-m", "cli.dbt_child"]
    assert args[4] == "build"
    assert "--no-write-json" in args  # the child writes the results the CLI reads
    flags = dict(zip(args[5::2], args[6::2], strict=False))
    assert flags["--project-dir"] == str(project_dir())
    assert flags["--profiles-dir"] == str(project_dir())
    assert flags["--target-path"] == str(tmp_path / ".segments" / "target")
    assert flags["--log-path"] == str(tmp_path / ".segments" / "logs")
    # A build's own vars go in the environment (var_environment), not in --vars.
    assert "--vars" not in args


def test_dbt_logs_every_query_to_its_file_only_with_debug(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each command sets it (an earlier in-process `segments --debug` leaves it set).
    monkeypatch.setattr(dbt_runner, "debug_log", False)
    args = dbt_runner.dbt_command("build", Workdir(tmp_path), {})
    assert args[args.index("--log-level-file") + 1] == "info"
    monkeypatch.setattr(dbt_runner, "debug_log", True)
    args = dbt_runner.dbt_command("build", Workdir(tmp_path), {})
    assert args[args.index("--log-level-file") + 1] == "debug"


def test_only_vars_the_project_reads_from_the_environment_go_in_vars(tmp_path: Path) -> None:
    dbt_vars = {
        "transactions_path": "/data/tx.csv",
        "as_of_dates": ["1998-01-01", "1998-02-01"],
        "lifecycle_new_days": 7,
    }
    args = dbt_runner.dbt_command("build", Workdir(tmp_path), dbt_vars)
    assert args[-2] == "--vars"
    assert json.loads(args[-1]) == {"lifecycle_new_days": 7}
    assert dbt_runner.var_environment(dbt_vars) == {
        "SEGMENTS_VAR_TRANSACTIONS_PATH": '"/data/tx.csv"',
        "SEGMENTS_VAR_AS_OF_DATES": '["1998-01-01", "1998-02-01"]',
    }


def test_dbt_environment_points_at_the_workdir_database(tmp_path: Path) -> None:
    env = dbt_runner.dbt_environment(Workdir(tmp_path))
    assert env["SEGMENTS_DUCKDB_PATH"] == str(tmp_path / "segments.duckdb")
    assert env["DBT_SEND_ANONYMOUS_USAGE_STATS"] == "false"
    assert env["DO_NOT_TRACK"] == "1"
    assert env["SEGMENTS_DBT_RESULTS"] == str(tmp_path / ".segments" / "target")


def test_dbt_environment_never_takes_a_build_var_from_the_shell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SEGMENTS_VAR_AS_OF_DATE", '"1998-01-01"')
    env = dbt_runner.dbt_environment(Workdir(tmp_path))
    assert "SEGMENTS_VAR_AS_OF_DATE" not in env
    given = {"SEGMENTS_VAR_TRANSACTIONS_PATH": '"/data/tx.csv"'}
    assert (
        dbt_runner.dbt_environment(Workdir(tmp_path), given)["SEGMENTS_VAR_TRANSACTIONS_PATH"]
        == '"/data/tx.csv"'
    )


@pytest.mark.parametrize(
    "args", [["build", "--project-dir", "no-such-project"], ["build", "--no-such-flag"]]
)
def test_the_dbt_child_exits_2_with_a_reason_when_dbt_cannot_run(
    tmp_path: Path, args: list[str]
) -> None:
    done = subprocess.run(
        [sys.executable, *dbt_runner.DBT_CHILD, *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("Error: "), done.stderr
    assert not (tmp_path / "target").exists()


def test_dbt_writes_its_own_artifacts_for_docs(tmp_path: Path) -> None:
    """`docs generate` needs dbt's manifest.json and catalog.json: dbt writes them."""
    args = dbt_runner.dbt_command("docs generate", Workdir(tmp_path), {})
    assert "--no-write-json" not in args
    env = dbt_runner.dbt_environment(Workdir(tmp_path), command="docs generate")
    assert "SEGMENTS_DBT_RESULTS" not in env


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "12:00:01  3 of 27 START sql table model main.customer_segments ..... [RUN]",
            "[3/27] model customer_segments",
        ),
        (
            "12:00:01  1 of 2 START seed file main.segment_grid ...... [RUN]",
            "[1/2] seed segment_grid",
        ),
        (
            "12:00:01  9 of 9 START test unique_customer_segments_customer_id  [RUN]",
            "[9/9] test unique_customer_segments_customer_id",
        ),
        ("12:00:01  1 of 27 OK created sql table model main.x ... [OK in 0.1s]", None),
        ("12:00:01  Found 10 models", None),
    ],
)
def test_node_started(line: str, expected: str | None) -> None:
    assert dbt_runner.node_started(line) == expected


def test_failure_message_uses_a_failed_test_meta(tmp_path: Path) -> None:
    workdir = Workdir(tmp_path)
    workdir.create()
    uid = "test.segments.shares_sum_to_one.abc123"
    messages = {uid: "shares must sum to 1"}
    (workdir.target_path / "failed_test_messages.json").write_text(json.dumps(messages))
    results = [
        {"unique_id": "model.segments.a", "status": "success"},
        {"unique_id": uid, "status": "fail", "failures": 3, "message": "Got 3 results"},
    ]
    run = dbt_runner.DbtRun("build", 1, "Completed with 1 error", results, workdir)
    assert dbt_runner.failure_message(run) == (
        f"shares must sum to 1 (3 failing rows) (details: {workdir.dbt_output_log})"
    )


def test_failure_message_names_the_failed_node(tmp_path: Path) -> None:
    workdir = Workdir(tmp_path)
    message = (
        "Runtime Error in model customer_segments (models/marts/customer_segments.sql)\n"
        "  Conversion Error: Could not convert string 'x' to INT32"
    )
    results = [
        {"unique_id": "model.segments.customer_segments", "status": "error", "message": message}
    ]
    run = dbt_runner.DbtRun("build", 1, "", results, workdir)
    assert dbt_runner.failure_message(run) == (
        "model customer_segments failed: Conversion Error: Could not convert string 'x' to INT32"
        f" (details: {workdir.dbt_output_log})"
    )


def test_failure_message_falls_back_to_dbt_output(tmp_path: Path) -> None:
    workdir = Workdir(tmp_path)
    output = "12:00:00  Running with dbt=1.11\n12:00:01  Encountered an Error:\nboom\n"
    run = dbt_runner.DbtRun("test", 2, output, [], workdir)
    assert dbt_runner.failure_message(run) == (
        f"Encountered an Error: (details: {workdir.dbt_output_log})"
    )


def test_build_scope_runs_guard_tests_and_leaves_out_profiles_unless_asked() -> None:
    from cli.build import BuildScope
    from cli.options import Target

    plain = BuildScope.choose(None, {"transactions_path": "t.csv"}, Target.duckdb)
    assert plain == BuildScope(profiles=False, all_tests=False)
    assert plain.selection() == [
        "--select",
        "resource_type:model resource_type:seed tag:guard",
        "--indirect-selection",
        "empty",
        "--exclude",
        "tag:profiles",
    ]
    for given in ("customers_path", "events_path", "dynamic_segments"):
        scope = BuildScope.choose(None, {given: "x"}, Target.duckdb)
        assert scope.profiles, given
    assert not BuildScope.choose(False, {"customers_path": "c.csv"}, Target.duckdb).profiles
    assert BuildScope.choose(True, {}, Target.duckdb).profiles
    # Every data test with --all-tests; PostgreSQL and Spark always build the profiles.
    assert BuildScope.choose(True, {}, Target.duckdb, all_tests=True).selection() == []
    assert BuildScope.choose(None, {}, Target.postgres).profiles
    assert BuildScope.choose(False, {}, Target.spark).profiles


def test_the_dbt_child_fails_in_one_line_when_it_cannot_write_the_results(
    tmp_path: Path,
) -> None:
    """A results folder that cannot be made (a file stands in its place) is a one-line error
    and exit code 2, never a traceback."""
    blocker = tmp_path / "target"
    blocker.write_text("not a folder", encoding="utf-8")
    project = str(project_dir())
    done = subprocess.run(
        [
            sys.executable, *dbt_runner.DBT_CHILD, "seed", "--select", "segment_grid",
            "--project-dir", project,
            "--profiles-dir", project, "--target-path", str(tmp_path / "dbt-target"),
            "--log-path", str(tmp_path / "logs"), "--vars",
            json.dumps({"transactions_path": str(tmp_path / "none.csv")}),
        ],
        cwd=tmp_path,
        env={**os.environ, "SEGMENTS_DBT_RESULTS": str(blocker / "inside"),
             "SEGMENTS_DUCKDB_PATH": str(tmp_path / "x.duckdb")},
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    assert done.returncode == 2, done.stdout[-2000:] + done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("Error: could not write the run's results"), done.stderr
