"""Appending new transaction files: a build that reads only the files added since the last
build gives the same marts as one that reads every file again, on real builds."""

from __future__ import annotations

import csv
import json
import os
import shutil
from pathlib import Path

import duckdb
import pytest

from cli import appending
from cli.export import MARTS, PROFILE_MARTS
from tests.test_end_to_end import build, clean_rows, mart, segments, write_csv

# Every mart a build without profiles makes, and the tables kept between builds.
COMPARED = [
    *(mart for mart in MARTS if mart not in PROFILE_MARTS),
    "int_customer_totals",
    "int_transaction_files_counted",
    "int_as_of_dates_resolved",
]


def table_rows(workdir: Path, table: str) -> list[tuple]:
    with duckdb.connect(str(workdir / "segments.duckdb"), read_only=True) as con:
        return con.sql(f"select * from main.{table} order by all").fetchall()


def split_files(folder: Path) -> tuple[list[Path], list[list[str]]]:
    """Two loaded files (one with a bad amount) and the rows of a third, new one, which
    repeats an id of the first file, repeats its own id, has a bad date, refunds an
    earlier purchase and brings a new customer."""
    rows = sorted(clean_rows(customers=60, seed=11), key=lambda row: row[2])
    first = [row for row in rows if row[2] < "1997-09-01"]
    second = [row for row in rows if "1997-09-01" <= row[2] < "1998-03-01"]
    new = [row for row in rows if row[2] >= "1998-03-01"]
    assert first and second and new
    first.append(["B00001", "C001", "1997-05-01 10:00:00", "abc", "paid", "Books"])
    paid_earlier = next(row for row in second if row[4] in ("paid", ""))
    new += [
        [first[0][0], "C002", "1998-05-01 10:00:00", "80.00", "paid", "Books"],
        ["N00001", "C003", "1998-05-02 10:00:00", "20.00", "paid", "Music"],
        ["N00001", "C004", "1998-05-03 10:00:00", "30.00", "paid", "Music"],
        ["N00002", "C005", "1998-13-40 10:00:00", "30.00", "paid", "Music"],
        ["N00003", paid_earlier[1], "1998-05-04 10:00:00", "-15.00", "paid", "Video"],
        ["N00004", "C999", "1998-05-05 10:00:00", "45.00", "paid", "Video"],
    ]
    loaded = [
        write_csv(folder / "tx-1997-a.csv", first),
        write_csv(folder / "tx-1997-b.csv", second),
    ]
    return loaded, new


@pytest.fixture(scope="module")
def appended_and_full(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two working folders built on the same two files; a third file is added, then one
    folder appends it and the other reads every file again (--full-refresh)."""
    root = tmp_path_factory.mktemp("appending")
    data = root / "data"
    data.mkdir()
    _, new = split_files(data)
    pattern = str(data / "tx-*.csv")
    folders = {"appended": root / "appended", "full": root / "full"}
    for folder in folders.values():
        folder.mkdir()
        first = build(folder, "--transactions", pattern)
        assert first.returncode == 0, first.stderr + first.stdout
    write_csv(data / "tx-1998.csv", new)
    appended = build(folders["appended"], "--transactions", pattern)
    assert appended.returncode == 0, appended.stderr + appended.stdout
    assert "appending 1 new transactions file to the 2 loaded before" in appended.stderr
    # The new files reach dbt outside its vars, so dbt keeps its parse of the project.
    dbt_output = (folders["appended"] / ".segments" / "logs" / "last_dbt_output.log").read_text()
    assert "Running with dbt" in dbt_output
    assert "Unable to do partial parsing" not in dbt_output
    full = build(folders["full"], "--transactions", pattern, "--full-refresh")
    assert full.returncode == 0, full.stderr + full.stdout
    assert "reading every transactions file: --full-refresh given" in full.stderr
    return {**folders, "data": data}


@pytest.mark.parametrize("table", COMPARED)
def test_appending_gives_the_marts_of_a_full_build(appended_and_full, table: str) -> None:
    rows = table_rows(appended_and_full["appended"], table)
    assert rows, f"{table} is empty"
    assert rows == table_rows(appended_and_full["full"], table)


def test_appending_reads_only_the_new_file(appended_and_full) -> None:
    data = appended_and_full["data"]
    read = table_rows(appended_and_full["appended"], "stg_input__raw_transactions")
    assert {row[0] for row in read} == {str(data / "tx-1998.csv")}
    everything = table_rows(appended_and_full["full"], "stg_input__raw_transactions")
    assert len({row[0] for row in everything}) == 3


def test_every_data_test_passes_after_appending(appended_and_full) -> None:
    """`segments test` checks a database whose staging models read only the new file."""
    workdir = appended_and_full["appended"]
    result = segments("test", "--workdir", str(workdir), cwd=workdir)
    assert result.returncode == 0, result.stderr + result.stdout
    assert ", 0 failed" in result.stdout + result.stderr


def test_appended_rows_are_checked_against_the_loaded_files(appended_and_full) -> None:
    assert _repeated_ids_looked_up(appended_and_full["appended"])
    rejected = table_rows(appended_and_full["appended"], "rejected_transactions")
    reasons = sorted((Path(row[0]).name, row[2], row[3]) for row in rejected)
    assert ("tx-1997-a.csv", "invalid amount", "B00001") in reasons
    assert ("tx-1998.csv", "invalid transaction_at", "N00002") in reasons
    assert ("tx-1998.csv", "duplicate transaction_id", "N00001") in reasons
    repeated_old = [r for r in reasons if r[0] == "tx-1998.csv" and r[2].startswith("T")]
    assert [r[1] for r in repeated_old] == ["duplicate transaction_id"]
    resolved = table_rows(appended_and_full["appended"], "int_as_of_dates_resolved")
    counted = table_rows(appended_and_full["full"], "int_transaction_files_counted")
    assert resolved[0][1] == sum(row[1] for row in counted)


def test_a_changed_loaded_file_makes_the_build_read_every_file(
    appended_and_full, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    shutil.copytree(appended_and_full["data"], data)
    workdir = tmp_path / "work"
    shutil.copytree(appended_and_full["appended"], workdir)
    record = json.loads((workdir / ".segments" / "last_build.json").read_text())
    pattern = str(data / "tx-*.csv")
    record["vars"]["transactions_path"] = pattern
    for file in record["transactions_files"]:
        moved = data / Path(file["path"]).name
        file["path"] = str(moved)
        os.utime(moved, ns=(file["modified_ns"], file["modified_ns"]))
    (workdir / ".segments" / "last_build.json").write_text(json.dumps(record))
    with (data / "tx-1997-b.csv").open("a", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerow(["L00001", "C998", "1997-12-31 10:00:00", "12.5", "", "Books"])
    result = build(workdir, "--transactions", pattern)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "tx-1997-b.csv changed since the last build" in result.stderr
    read = table_rows(workdir, "stg_input__raw_transactions")
    assert len({row[0] for row in read}) == 3
    assert ("C998",) in [row[:1] for row in table_rows(workdir, "int_customer_totals")]
    # Rebuilt from every file, not added to the state left by the appending build.
    counted = {Path(f).name: n for f, n in table_rows(workdir, "int_transaction_files_counted")}
    before = table_rows(appended_and_full["full"], "int_transaction_files_counted")
    assert counted == {Path(f).name: n + (f.endswith("b.csv")) for f, n in before}
    frequency = sum(row[3] for row in table_rows(workdir, "int_customer_totals"))
    full_frequency = sum(
        row[3] for row in table_rows(appended_and_full["full"], "int_customer_totals")
    )
    assert frequency == full_frequency + 1


def _compiled(workdir: Path, model: str) -> str:
    """A model's SQL as the last build compiled it (when the model ran)."""
    models = workdir / ".segments" / "target" / "compiled" / "segments" / "models"
    return next(models.rglob(f"{model}.sql")).read_text(encoding="utf-8")


def _rejected_model_reads_the_files(workdir: Path) -> bool:
    """Whether the last build's rejected_transactions read the input."""
    sql = _compiled(workdir, "rejected_transactions")
    assert ("where not is_accepted" in sql) != ("where false" in sql), sql
    return "where not is_accepted" in sql


def _repeated_ids_looked_up(workdir: Path) -> bool:
    """Whether the last build's checked rows look their ids up in the repeated ids."""
    sql = _compiled(workdir, "stg_input__checked_transactions")
    looked_up = "left join repeated_rows" in sql
    assert looked_up != ("no id is repeated" in sql), sql
    return looked_up


def test_rejected_rows_are_looked_for_only_when_some_row_was_not_accepted(
    tmp_path: Path,
) -> None:
    """A build whose accepted rows are as many as the files' rows writes no rejected row
    without reading the files again; a file with a bad row makes it read them, also when
    appended, and totals written before they counted their rows make it read them too."""
    data = tmp_path / "data"
    data.mkdir()
    workdir = tmp_path / "work"
    workdir.mkdir()
    rows = sorted(clean_rows(customers=30, seed=5), key=lambda row: row[2])
    half = len(rows) // 2
    write_csv(data / "tx-1.csv", rows[:half])
    pattern = str(data / "tx-*.csv")

    clean = build(workdir, "--transactions", pattern)
    assert clean.returncode == 0, clean.stderr + clean.stdout
    assert not _rejected_model_reads_the_files(workdir)
    assert not _repeated_ids_looked_up(workdir)
    assert table_rows(workdir, "rejected_transactions") == []

    write_csv(
        data / "tx-2.csv",
        [*rows[half:], ["B00001", "C001", "1998-05-01 10:00:00", "abc", "paid", "Books"]],
    )
    appended = build(workdir, "--transactions", pattern)
    assert appended.returncode == 0, appended.stderr + appended.stdout
    assert "appending 1 new transactions file" in appended.stderr
    assert _rejected_model_reads_the_files(workdir)
    rejected = table_rows(workdir, "rejected_transactions")
    assert [(Path(row[0]).name, row[2], row[3]) for row in rejected] == [
        ("tx-2.csv", "invalid amount", "B00001")
    ]
    accepted = mart(workdir, "select sum(accepted_rows) from int_customer_totals")[0][0]
    assert accepted == len(rows)

    with duckdb.connect(str(workdir / "segments.duckdb")) as con:
        con.execute("alter table main.int_customer_totals drop column accepted_rows")
    write_csv(
        data / "tx-3.csv",
        [
            ["N00001", "C003", "1998-06-02 10:00:00", "20.00", "paid", "Music"],
            ["B00002", "C002", "", "10.00", "paid", "Books"],
        ],
    )
    older = build(workdir, "--transactions", pattern)
    assert older.returncode == 0, older.stderr + older.stdout
    assert "appending 1 new transactions file" in older.stderr
    assert _rejected_model_reads_the_files(workdir)
    reasons = sorted(row[2] for row in table_rows(workdir, "rejected_transactions"))
    assert reasons == ["invalid amount", "missing transaction_at"]


def _file(folder: Path, name: str, text: str = "transaction_id\n") -> appending.InputFile:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return appending.InputFile.of(str(path))


def test_plan_appends_only_files_sorting_after_the_loaded_ones(tmp_path: Path) -> None:
    from cli.project import Workdir

    folder = Workdir(tmp_path / "work")
    data = tmp_path / "data"
    data.mkdir()
    loaded = [_file(data, "b-1.csv"), _file(data, "b-2.csv")]
    dbt_vars = {"transactions_path": str(data / "*.csv"), "scoring_method": "quintile"}
    previous = {"vars": dict(dbt_vars), "transactions_files": [f.as_record() for f in loaded]}

    def plan(**kwargs) -> appending.LoadPlan:
        options = {"can_append": True, **kwargs}
        return appending.plan(folder, dbt_vars, previous, **options)

    assert plan().reason == "no new file since the last build"
    _file(data, "a-0.csv")
    assert "a-0.csv sorts before a file loaded earlier" in plan().reason
    (data / "a-0.csv").unlink()
    _file(data, "c-3.csv")
    assert plan().reason.endswith("segments.duckdb is missing")  # state checked last
    assert plan(can_append=False) == appending.LoadPlan(plan().files)
    assert plan(full_refresh=True).reason == "--full-refresh given"
    other_vars = {**dbt_vars, "scoring_method": "threshold"}
    assert "options differ" in appending.plan(folder, other_vars, previous, can_append=True).reason
    _file(data, "b-2.csv", "transaction_id\nT1\n")
    assert "b-2.csv changed since the last build" in plan().reason
    (data / "b-1.csv").unlink()
    assert "b-1.csv was loaded before and is gone" in plan().reason
    assert appending.plan(folder, dbt_vars, None, can_append=True).reason == ""
    single = {**dbt_vars, "transactions_path": str(data / "c-3.csv")}
    previous_single = {**previous, "vars": single}
    assert appending.plan(folder, single, previous_single, can_append=True).message() == ""


def _relations(workdir: Path) -> dict[str, str]:
    """Every table and view of a build database's main schema, with its kind; fails when a
    view does not read (a view over a relation the database does not hold)."""
    with duckdb.connect(str(workdir / "segments.duckdb"), read_only=True) as con:
        kinds = dict(
            con.execute(
                "select table_name, table_type from information_schema.tables"
                " where table_schema = 'main'"
            ).fetchall()
        )
        for name, kind in kinds.items():
            if kind == "VIEW":
                con.execute(f'select * from main."{name}" limit 0').fetchall()
    return kinds


def test_a_single_file_build_keeps_no_customer_totals(appended_and_full, tmp_path: Path) -> None:
    """A file is always read whole, so a build of one file keeps the customer totals (and
    the views over them) only for its dbt run. Built in a folder a glob build left them
    in, it drops them: no stale totals to append to and no view over a missing table.
    The marts are those of the glob build of the same rows, and `segments test` passes."""
    workdir = tmp_path / "work"
    shutil.copytree(appended_and_full["full"], workdir)
    kept = _relations(workdir)
    assert {kept[model] for model in appending.IN_MEMORY_MODELS} == {"BASE TABLE", "VIEW"}

    files = sorted(appended_and_full["data"].glob("tx-*.csv"))
    rows = [row for file in files for row in list(csv.reader(file.open(encoding="utf-8")))[1:]]
    single = write_csv(tmp_path / "all.csv", rows)
    result = build(workdir, "--transactions", str(single))
    assert result.returncode == 0, result.stderr + result.stdout

    left = _relations(workdir)
    assert not set(appending.IN_MEMORY_MODELS) & set(left)
    assert "segment_history" in left and "int_transaction_files_counted" in left
    for table in ("customer_segments", "segment_summary"):
        assert table_rows(workdir, table) == table_rows(appended_and_full["full"], table)
    tested = segments("test", "--workdir", str(workdir), cwd=workdir)
    assert tested.returncode == 0, tested.stderr + tested.stdout
    assert ", 0 failed" in tested.stdout + tested.stderr

    again = build(workdir, "--transactions", str(appended_and_full["data"] / "tx-*.csv"))
    assert again.returncode == 0, again.stderr + again.stdout
    assert {_relations(workdir)[model] for model in appending.IN_MEMORY_MODELS} == {
        "BASE TABLE",
        "VIEW",
    }
