"""Real `segments` runs (generate, build, export) on real files, checked against a
plain-Python hand computation of the RFM rules."""

from __future__ import annotations

import csv
import random
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
import yaml

from cli.project import project_dir
from tests.rfm_reference import SPEC_GRID, expected_segments

AS_OF = date(1998, 7, 1)
HEADER = ["transaction_id", "customer_id", "transaction_at", "amount", "status", "category"]


def segments(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli.launch", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )


def build(workdir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = segments("build", "--workdir", str(workdir), *args, cwd=workdir)
    return result


def mart(workdir: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(workdir / "segments.duckdb"), read_only=True) as con:
        return con.sql(sql).fetchall()


def clean_rows(customers: int = 40, seed: int = 7) -> list[list[str]]:
    """A small, valid transactions table with ties, refunds and failed payments."""
    rng = random.Random(seed)
    rows = []
    n = 0
    for c in range(1, customers + 1):
        for _ in range(rng.choice([1, 1, 1, 2, 3, 5])):
            n += 1
            day = date(1997, 1, 1).toordinal() + rng.randrange(0, 546)
            status = rng.choice(["paid", "paid", "paid", "", "refunded", "failed"])
            amount = Decimal(rng.choice([10, 25, 40, 99])) + Decimal(rng.randrange(100)) / 100
            rows.append(
                [
                    f"T{n:05d}",
                    f"C{c:03d}",
                    date.fromordinal(day).isoformat() + " 10:30:00",
                    str(amount),
                    status,
                    rng.choice(["Books", "Music", "Video"]),
                ]
            )
    return rows


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_parquet(path: Path, csv_file: Path) -> Path:
    """The CSV file's rows, every column as text, as a Parquet file."""
    with duckdb.connect() as con:
        con.execute(
            f"copy (select * from read_csv('{csv_file}', all_varchar = true))"
            f" to '{path}' (format parquet)"
        )
    return path


def customer_figures(workdir: Path) -> dict[str, tuple]:
    rows = mart(
        workdir,
        "select customer_id, recency_days, frequency, monetary, r_score, f_score, m_score,"
        " fm_score, rfm_cell, segment from customer_segments",
    )
    return {row[0]: row[1:] for row in rows}


def assert_matches_reference(workdir: Path, source: Path, as_of: date) -> None:
    expected = expected_segments(source, as_of)
    actual = customer_figures(workdir)
    assert set(actual) == set(expected)
    for customer_id, exp in expected.items():
        got = actual[customer_id]
        assert got[:3] == (exp.recency_days, exp.frequency, exp.monetary), customer_id
        assert got[3:7] == (exp.r_score, exp.f_score, exp.m_score, exp.fm_score), customer_id
        assert got[7] == f"{exp.r_score}{exp.f_score}{exp.m_score}", customer_id
        assert got[8] == exp.segment, customer_id


def test_generated_file_matches_hand_computation(tmp_path: Path) -> None:
    tx = tmp_path / "tx.csv"
    gen = segments("generate", "--customers", "400", "--out", str(tx), cwd=tmp_path)
    assert gen.returncode == 0, gen.stderr
    result = build(tmp_path, "--transactions", str(tx), "--as-of", AS_OF.isoformat())
    assert result.returncode == 0, result.stderr + result.stdout
    assert_matches_reference(tmp_path, tx, AS_OF)

    out = tmp_path / "out"
    exported = segments("export", "--workdir", str(tmp_path), "--out", str(out), cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    with (out / "customer_segments.csv").open(newline="") as handle:
        exported_rows = {row["customer_id"]: row for row in csv.DictReader(handle)}
    expected = expected_segments(tx, AS_OF)
    assert set(exported_rows) == set(expected)
    for customer_id, exp in expected.items():
        row = exported_rows[customer_id]
        assert int(row["recency_days"]) == exp.recency_days
        assert int(row["frequency"]) == exp.frequency
        assert Decimal(row["monetary"]) == exp.monetary
        assert (int(row["r_score"]), int(row["f_score"]), int(row["m_score"])) == (
            exp.r_score,
            exp.f_score,
            exp.m_score,
        )
        assert int(row["fm_score"]) == exp.fm_score
        assert row["segment"] == exp.segment
        assert row["as_of_date"] == AS_OF.isoformat()


def test_default_as_of_is_day_after_latest_transaction(tmp_path: Path) -> None:
    rows = clean_rows(customers=15)
    tx = write_csv(tmp_path / "tx.csv", rows)
    latest = max(date.fromisoformat(r[2][:10]) for r in rows)
    as_of = date.fromordinal(latest.toordinal() + 1)
    result = build(tmp_path, "--transactions", str(tx))
    assert result.returncode == 0, result.stderr + result.stdout
    assert mart(tmp_path, "select distinct as_of_date from customer_segments") == [(as_of,)]
    assert_matches_reference(tmp_path, tx, as_of)


def test_segment_history_is_made_with_its_declared_columns(tmp_path: Path) -> None:
    """On DuckDB segment_history's YAML columns are enforced: the table has the declared
    types, and customer_id is stored uncompressed while the segment keeps DuckDB's
    compression (docs/decisions.md)."""
    tx = write_csv(tmp_path / "tx.csv", clean_rows(customers=15))
    result = build(tmp_path, "--transactions", str(tx))
    assert result.returncode == 0, result.stderr + result.stdout
    declared = {
        column["name"]: column["data_type"]
        for column in yaml.safe_load(
            (project_dir() / "models" / "marts" / "segment_history.yml").read_text(encoding="utf-8")
        )["models"][0]["columns"]
    }
    columns = mart(
        tmp_path,
        "select column_name, lower(data_type) from information_schema.columns"
        " where table_name = 'segment_history' order by ordinal_position",
    )
    assert {name: kind.replace(" ", "") for name, kind in columns} == declared
    storage = dict(
        mart(
            tmp_path,
            "select column_name, string_agg(distinct compression, ',')"
            " from pragma_storage_info('segment_history')"
            " where segment_type <> 'VALIDITY' and column_name in ('customer_id', 'segment')"
            " group by column_name",
        )
    )
    assert storage["customer_id"] == "Uncompressed"
    assert storage["segment"] != "Uncompressed"


def test_messy_csv_rejects_each_bad_row_once_and_keeps_the_rest(tmp_path: Path) -> None:
    rows = clean_rows()
    clean_dir, messy_dir = tmp_path / "clean", tmp_path / "messy"
    clean_dir.mkdir()
    messy_dir.mkdir()
    clean = write_csv(clean_dir / "tx.csv", rows)
    assert build(clean_dir, "--transactions", str(clean), "--as-of", "1998-07-01").returncode == 0

    # Bad rows use existing customers (or none), so every customer's figures must stay equal.
    bad = [
        (["T90001", "C001", "1998-02-30", "10", "paid", "Books"], "invalid transaction_at"),
        (["T90002", "C002", "not a date", "10", "paid", "Books"], "invalid transaction_at"),
        (["T90003", "C003", "", "10", "paid", "Books"], "missing transaction_at"),
        (["T90004", "C004", "1998-01-01", "ten", "paid", "Books"], "invalid amount"),
        (["T90005", "C005", "1998-01-01", "NaN", "paid", "Books"], "invalid amount"),
        (["T90006", "C006", "1998-01-01", "", "paid", "Books"], "missing amount"),
        (["T90007", "", "1998-01-01", "10", "paid", "Books"], "missing customer_id"),
        (["T90008", "   ", "1998-01-01", "10", "paid", "Books"], "missing customer_id"),
        (["T90009", "C007", "1998-01-01", "10", "pending", "Books"], "unknown status"),
        ([rows[0][0], "C008", "1998-06-01", "500", "paid", "Books"], "duplicate transaction_id"),
        ([rows[5][0], rows[5][1], rows[5][2], rows[5][3], "paid", "x"], "duplicate transaction_id"),
        (["", "C009", "1998-01-01", "10", "paid", "Books"], "missing transaction_id"),
    ]
    # Header in another order and case, padded names, an extra column, quoted commas
    # and newlines, a UTF-8 byte order mark and CRLF line ends.
    header = [" Amount", "CUSTOMER_ID ", "Transaction_At", "note", "transaction_id", "Status"]
    table = [[r[3], r[1], r[2], 'a "quoted", note\nover two lines', r[0], r[4]] for r in rows]
    for position, (row, _reason) in enumerate(bad):
        table.insert(3 + 4 * position, [row[3], row[1], row[2], "bad, row", row[0], row[4]])
    messy = messy_dir / "tx.csv"
    with messy.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(table)

    result = build(messy_dir, "--transactions", str(messy), "--as-of", "1998-07-01")
    assert result.returncode == 0, result.stderr + result.stdout
    assert "12 rows rejected" in result.stdout + result.stderr

    assert customer_figures(messy_dir) == customer_figures(clean_dir)
    rejected = mart(
        messy_dir,
        "select transaction_id, customer_id, transaction_at, amount, rejection_reason"
        " from rejected_transactions order by source_row_number",
    )
    assert len(rejected) == len(bad)
    for (row, reason), got in zip(bad, rejected, strict=True):
        assert got[4] == reason
        assert (got[3] or "") == row[3]  # the raw value is kept as read (empty reads as null)
    counts = mart(
        messy_dir,
        "select (select count(*) from stg_input__raw_transactions),"
        " (select count(*) from stg_input__transactions),"
        " (select count(*) from rejected_transactions)",
    )[0]
    assert counts == (len(rows) + len(bad), len(rows), len(bad))


def test_parquet_and_glob_inputs_give_the_same_marts(tmp_path: Path) -> None:
    rows = clean_rows(customers=25)
    base = tmp_path / "base"
    base.mkdir()
    tx = write_csv(base / "tx.csv", rows)
    assert build(base, "--transactions", str(tx), "--as-of", "1998-07-01").returncode == 0

    parts = tmp_path / "parts"
    parts.mkdir()
    write_csv(parts / "tx_1.csv", rows[: len(rows) // 2])
    write_csv(parts / "tx_2.csv", rows[len(rows) // 2 :])
    globbed = tmp_path / "globbed"
    globbed.mkdir()
    result = build(globbed, "--transactions", str(parts / "tx_*.csv"), "--as-of", "1998-07-01")
    assert result.returncode == 0, result.stderr + result.stdout
    assert customer_figures(globbed) == customer_figures(base)

    pq = write_parquet(tmp_path / "tx.parquet", tx)
    typed = tmp_path / "typed"
    typed.mkdir()
    result = build(typed, "--transactions", str(pq), "--as-of", "1998-07-01")
    assert result.returncode == 0, result.stderr + result.stdout
    assert customer_figures(typed) == customer_figures(base)


def last_dbt_invocation_log(workdir: Path) -> str:
    """dbt's debug log of the last dbt run in the working folder."""
    log = (workdir / ".segments" / "logs" / "dbt.log").read_text(encoding="utf-8")
    return log.rsplit("Running with dbt=", 1)[-1]


def test_builds_of_other_files_in_one_folder_reparse_only_what_reads_them(
    tmp_path: Path,
) -> None:
    """The CLI passes a build's vars in the environment (segments.build_var): a build of
    another file, format or as-of date in the same folder re-parses only the models that
    read them, not the whole project, and its marts are the new input's."""
    workdir = tmp_path / "work"
    workdir.mkdir()
    first = write_csv(tmp_path / "first.csv", clean_rows(customers=30, seed=3))
    result = build(workdir, "--transactions", str(first), "--as-of", "1998-07-01")
    assert result.returncode == 0, result.stderr + result.stdout
    assert_matches_reference(workdir, first, date(1998, 7, 1))

    second = write_csv(tmp_path / "second.csv", clean_rows(customers=45, seed=5))
    parquet = write_parquet(tmp_path / "second.parquet", second)
    # With --debug, dbt's log file names each file it parses again.
    result = segments(
        "--debug", "build", "--workdir", str(workdir), "--transactions", str(parquet),
        "--as-of", "1998-07-01", cwd=workdir,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr + result.stdout
    assert_matches_reference(workdir, second, date(1998, 7, 1))
    log = last_dbt_invocation_log(workdir)
    assert "Unable to do partial parsing" not in log
    assert "Partial parsing: updated file: segments://models/staging/input/base/" in log
    assert "On model.segments.int_customer_totals: " in log  # the queries, at debug level

    third = clean_rows(customers=35, seed=9)
    parts = tmp_path / "parts"
    parts.mkdir()
    write_csv(parts / "tx_1.csv", third[: len(third) // 2])
    write_csv(parts / "tx_2.csv", third[len(third) // 2 :])
    result = build(workdir, "--transactions", str(parts / "tx_*.csv"), "--as-of", "1998-03-01")
    assert result.returncode == 0, result.stderr + result.stdout
    assert_matches_reference(workdir, write_csv(tmp_path / "third.csv", third), date(1998, 3, 1))
    log = last_dbt_invocation_log(workdir)
    assert "Unable to do partial parsing" not in log
    assert "Partial parsing: updated file" not in log  # without --debug: dbt's run only
    assert "Completed successfully" in log


def test_repeats_across_the_parts_of_a_parquet_file_are_found(tmp_path: Path) -> None:
    """One Parquet file's ids are compared in parts, one per DuckDB thread, which share
    their first and last rows. Here the shared rows have blank ids and each part's ids
    increase, starting again from T00001: ids repeat across the parts, and the build must
    find every repeat (first occurrence in row order kept) and keep the right totals."""
    rows = clean_rows(customers=60)
    with duckdb.connect() as con:
        threads = int(con.execute("select current_setting('threads')").fetchall()[0][0])
    parts = min(threads, len(rows) - 1)
    shared = [1 + part * (len(rows) - 1) // parts for part in range(1, parts)]
    number = 0
    for position, row in enumerate(rows, start=1):
        if position in shared:
            row[0], number = "", 0
            continue
        number += 1
        row[0] = f"T{number:05d}"
    assert shared or threads == 1
    first_seen: dict[str, int] = {}
    later = []
    for position, row in enumerate(rows, start=1):
        if row[0] and row[0] in first_seen:
            later.append(position)
        first_seen.setdefault(row[0], position)
    assert later or not shared
    accepted = [
        row for position, row in enumerate(rows, start=1) if row[0] and position not in later
    ]

    tx = write_csv(tmp_path / "tx.csv", rows)
    pq = write_parquet(tmp_path / "tx.parquet", tx)
    reference_dir = tmp_path / "reference"
    reference_dir.mkdir()
    reference = write_csv(reference_dir / "accepted.csv", accepted)
    built = build(reference_dir, "--transactions", str(reference), "--as-of", "1998-07-01")
    assert built.returncode == 0, built.stderr + built.stdout

    workdir = tmp_path / "build"
    workdir.mkdir()
    result = build(workdir, "--transactions", str(pq), "--as-of", "1998-07-01")
    assert result.returncode == 0, result.stderr + result.stdout
    rejected = mart(
        workdir,
        "select source_row_number, rejection_reason from rejected_transactions"
        " order by source_row_number",
    )
    assert rejected == sorted(
        [(position, "duplicate transaction_id") for position in later]
        + [(position, "missing transaction_id") for position in shared]
    )
    assert customer_figures(workdir) == customer_figures(reference_dir)


def test_missing_required_column_fails_with_one_line(tmp_path: Path) -> None:
    tx = tmp_path / "tx.csv"
    tx.write_text("transaction_id,customer_id,transaction_at\nT1,C1,1998-01-01\n")
    result = build(tmp_path, "--transactions", str(tx))
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "missing required column(s): amount" in lines[0]
    assert "Traceback" not in result.stderr


def test_file_without_a_valid_row_fails(tmp_path: Path) -> None:
    tx = write_csv(tmp_path / "tx.csv", [["T1", "C1", "yesterday", "10", "paid", "Books"]])
    result = build(tmp_path, "--transactions", str(tx))
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "no valid transaction" in lines[0]


def test_custom_grid_file_replaces_the_default(tmp_path: Path) -> None:
    tx = write_csv(tmp_path / "tx.csv", clean_rows(customers=20))
    grid = tmp_path / "grid.csv"
    cells = [(r, fm) for r in range(1, 6) for fm in range(1, 6)]
    grid.write_text(
        "R_Score,FM_Score,Segment\n"
        + "".join(f"{r},{fm},{'Active' if r >= 3 else 'Inactive'}\n" for r, fm in cells)
    )
    result = build(
        tmp_path, "--transactions", str(tx), "--as-of", "1998-07-01", "--grid", str(grid)
    )
    assert result.returncode == 0, result.stderr + result.stdout
    segments_by_r = mart(tmp_path, "select distinct r_score >= 3, segment from customer_segments")
    assert sorted(segments_by_r) == [(False, "Inactive"), (True, "Active")]
    summary = mart(tmp_path, "select segment, customers from segment_summary order by segment")
    assert [s for s, _ in summary] == ["Active", "Inactive"]
    scored = mart(tmp_path, "select count(*) from customer_segments")[0][0]
    assert scored == len(expected_segments(tx, AS_OF))
    assert sum(c for _, c in summary) == scored


def test_incomplete_grid_file_fails_the_build(tmp_path: Path) -> None:
    tx = write_csv(tmp_path / "tx.csv", clean_rows(customers=10))
    grid = tmp_path / "grid.csv"
    grid.write_text("r_score,fm_score,segment\n5,5,Champions\n5,5,Also Champions\n")
    result = build(tmp_path, "--transactions", str(tx), "--grid", str(grid))
    assert result.returncode != 0
    assert len([line for line in result.stderr.splitlines() if line.strip()]) == 1
    assert "complete_rfm_grid" in result.stderr


def test_threshold_scoring_uses_fixed_cut_offs(tmp_path: Path) -> None:
    tx = write_csv(tmp_path / "tx.csv", clean_rows(customers=30))
    result = build(
        tmp_path, "--transactions", str(tx), "--as-of", "1998-07-01", "--scoring", "thresholds"
    )
    assert result.returncode == 0, result.stderr + result.stdout

    def cut(value: float, cutoffs: list[float], lower_is_better: bool) -> int:
        if lower_is_better:
            return next((5 - i for i, c in enumerate(cutoffs) if value <= c), 1)
        return next((5 - i for i, c in enumerate(reversed(cutoffs)) if value >= c), 1)

    expected = expected_segments(tx, AS_OF)
    for customer_id, got in customer_figures(tmp_path).items():
        exp = expected[customer_id]
        r = cut(exp.recency_days, [30, 90, 180, 365], True)
        f = cut(exp.frequency, [2, 3, 5, 10], False)
        m = cut(float(exp.monetary), [50, 150, 500, 1500], False)
        assert got[3:6] == (r, f, m), customer_id
        assert got[8] == SPEC_GRID[r][(f + m + 1) // 2 - 1]


@pytest.mark.parametrize("as_of", ["1998-07-01", "1997-06-15"])
def test_as_of_date_excludes_later_transactions(tmp_path: Path, as_of: str) -> None:
    tx = write_csv(tmp_path / "tx.csv", clean_rows(customers=30))
    result = build(tmp_path, "--transactions", str(tx), "--as-of", as_of)
    assert result.returncode == 0, result.stderr + result.stdout
    assert_matches_reference(tmp_path, tx, date.fromisoformat(as_of))
