"""`segments generate`: deterministic, realistic sample transactions that follow the contract.

The command is tested on a local typer app (the `generate` function alone), so these tests
need neither dbt nor the other commands; one test goes through `cli.main` for the one-line
error on stderr.
"""

from __future__ import annotations

import csv
import hashlib
import re
import sys
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
import typer
from typer.testing import CliRunner

from cli import sample_data
from cli.errors import SegmentsError
from cli.generate import generate

CUSTOMERS = 2000
START, END = date(1995, 7, 1), date(1998, 6, 30)
STATUSES = {"", "paid", "refunded", "failed"}


def run(*args: str):
    app = typer.Typer(add_completion=False)
    app.command()(generate)
    return CliRunner().invoke(app, list(args))


def generate_file(path: Path, *args: str) -> str:
    """Run the command and return its stdout; fail the test on any error."""
    result = run("--out", str(path), *args)
    assert result.exit_code == 0, f"{result.output}\n{result.exception!r}"
    return result.stdout


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2,000 customers with the default seed and dates, as CSV."""
    path = tmp_path_factory.mktemp("sample") / "transactions.csv"
    generate_file(path, "--customers", str(CUSTOMERS))
    return path


@pytest.fixture(scope="module")
def rows(sample: Path) -> list[dict[str, str]]:
    return read_rows(sample)


@pytest.fixture(scope="module")
def orders_per_customer(rows: list[dict[str, str]]) -> Counter[str]:
    return Counter(row["customer_id"] for row in rows)


# Determinism


def test_same_arguments_give_identical_bytes(tmp_path: Path, sample: Path) -> None:
    again = tmp_path / "again.csv"
    generate_file(again, "--customers", str(CUSTOMERS), "--seed", "42")
    assert sha256(again) == sha256(sample)


def test_output_does_not_depend_on_the_thread_count(tmp_path: Path) -> None:
    spec = sample_data.SampleSpec(customers=30_000, seed=3)
    digests = set()
    for threads in (1, 2, 4):
        path = tmp_path / f"threads-{threads}.csv"
        sample_data.write_transactions(spec, path, "csv", threads=threads)
        digests.add(sha256(path))
    assert len(digests) == 1


def test_progress_reporting_does_not_change_the_output(tmp_path: Path, sample: Path) -> None:
    reported: list[float] = []
    path = tmp_path / "with-progress.csv"
    spec = sample_data.SampleSpec(customers=CUSTOMERS)
    sample_data.write_transactions(spec, path, "csv", on_progress=reported.append)
    assert sha256(path) == sha256(sample)
    assert all(0 <= percent <= 100 for percent in reported)


def test_terminal_run_shows_a_spinner_and_the_summary(
    tmp_path: Path, sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("cli.generate.console.stderr_is_tty", lambda: True)
    path = tmp_path / "tty.csv"
    stdout = generate_file(path, "--customers", str(CUSTOMERS))
    assert stdout.startswith("Wrote ") and sha256(path) == sha256(sample)


def test_another_seed_gives_another_file(tmp_path: Path, sample: Path) -> None:
    other = tmp_path / "other.csv"
    generate_file(other, "--customers", str(CUSTOMERS), "--seed", "43")
    assert sha256(other) != sha256(sample)
    amounts = {row["transaction_id"]: row["amount"] for row in read_rows(other)}
    reference = {row["transaction_id"]: row["amount"] for row in read_rows(sample)}
    shared = amounts.keys() & reference.keys()
    same = sum(amounts[key] == reference[key] for key in shared)
    assert same < 0.05 * len(shared), "another seed should draw other amounts"


# Size and summary


def test_row_count_is_about_four_and_a_half_per_customer(rows: list[dict[str, str]]) -> None:
    assert 7_000 <= len(rows) <= 11_000


def test_summary_line_states_rows_customers_dates_and_path(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "tx.csv"
    stdout = generate_file(path, "--customers", "50")
    written = len(read_rows(path))
    lines = stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"Wrote {written:,} transactions for 50 customers ")
    assert "(1995-07-01 to 1998-06-30)" in lines[0] and str(path) in lines[0]
    assert [p.name for p in path.parent.iterdir()] == ["tx.csv"], "no partial file left"


# The input contract


def test_every_row_follows_the_input_contract(sample: Path, rows: list[dict[str, str]]) -> None:
    with sample.open(newline="", encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == list(sample_data.COLUMNS)
    first, last = datetime(1995, 7, 1), datetime(1998, 6, 30, 23, 59, 59)
    categories = {name for name, _, _ in sample_data.CATEGORIES}
    channels = {name for name, _ in sample_data.CHANNELS}
    ids = [row["transaction_id"] for row in rows]
    assert len(set(ids)) == len(ids)
    assert ids == sorted(ids), "rows are written in transaction order"
    for row in rows:
        assert re.fullmatch(r"T\d{8}", row["transaction_id"]), row
        assert re.fullmatch(r"C\d{6}", row["customer_id"]), row
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", row["transaction_at"]), row
        assert first <= datetime.fromisoformat(row["transaction_at"]) <= last, row
        assert re.fullmatch(r"-?\d+\.\d{2}", row["amount"]), row
        amount = Decimal(row["amount"])
        assert amount.is_finite() and amount != 0, row
        assert row["status"] in STATUSES, row
        if amount < 0:
            assert row["status"] in {"", "paid"}, "a negative amount is a refund row"
        assert row["currency"] == "USD"
        assert 1 <= int(row["quantity"]) <= 5, row
        assert re.fullmatch(r"P\d{4}", row["product_id"]), row
        assert row["category"] in categories and row["channel"] in channels, row


def test_dates_follow_start_and_end(tmp_path: Path) -> None:
    path = tmp_path / "january.csv"
    generate_file(
        path, "--customers", "300", "--start", "2024-01-01", "--end", "2024-01-31", "--seed", "9"
    )
    days = {datetime.fromisoformat(row["transaction_at"]).date() for row in read_rows(path)}
    assert min(days) >= date(2024, 1, 1) and max(days) <= date(2024, 1, 31)
    assert len(days) > 20, "orders spread over the month"


# Realism


def test_about_half_the_customers_buy_once(orders_per_customer: Counter[str]) -> None:
    assert len(orders_per_customer) == CUSTOMERS
    once = sum(1 for n in orders_per_customer.values() if n == 1)
    assert 0.42 <= once / CUSTOMERS <= 0.58
    assert max(orders_per_customer.values()) >= 24, "a long tail of heavy buyers"
    assert sum(1 for n in orders_per_customer.values() if n >= 10) >= 0.03 * CUSTOMERS


def test_status_mix_has_refunds_failures_and_blanks(rows: list[dict[str, str]]) -> None:
    statuses = Counter(row["status"] for row in rows)
    negatives = sum(1 for row in rows if row["amount"].startswith("-"))
    assert 0.015 <= (statuses["refunded"] + negatives) / len(rows) <= 0.045
    assert 0.01 <= statuses["failed"] / len(rows) <= 0.03
    assert negatives > 0 and statuses[""] > 0
    assert statuses["paid"] > 0.8 * len(rows)


def test_amounts_are_typical_order_values(rows: list[dict[str, str]]) -> None:
    amounts = sorted(abs(Decimal(row["amount"])) for row in rows)
    median = amounts[len(amounts) // 2]
    assert 20 <= median <= 100
    in_band = sum(1 for a in amounts if 10 <= a <= 300)
    assert in_band >= 0.75 * len(amounts)
    assert amounts[-1] > 500, "some larger orders"


def test_frequent_buyers_spend_more_per_order(
    rows: list[dict[str, str]], orders_per_customer: Counter[str]
) -> None:
    spend: dict[bool, list[Decimal]] = defaultdict(list)
    for row in rows:
        spend[orders_per_customer[row["customer_id"]] >= 5].append(abs(Decimal(row["amount"])))
    mean = {key: sum(values) / len(values) for key, values in spend.items()}
    assert mean[True] > mean[False]


def test_customers_have_cohorts_and_churn(rows: list[dict[str, str]]) -> None:
    dates: dict[str, list[datetime]] = defaultdict(list)
    for row in rows:  # in transaction order: each customer's orders in sequence
        dates[row["customer_id"]].append(datetime.fromisoformat(row["transaction_at"]))
    for history in dates.values():
        days = [moment.date() for moment in history]
        assert days == sorted(days), "a customer's orders follow its first purchase"
    end = datetime(1998, 7, 1)
    repeat = [history for history in dates.values() if len(history) > 1]
    churned = sum(1 for history in repeat if end - history[-1] > timedelta(days=365))
    active = sum(1 for history in repeat if end - history[-1] < timedelta(days=60))
    recent_cohort = sum(1 for history in dates.values() if end - history[0] < timedelta(days=90))
    first_year = sum(1 for history in dates.values() if history[0] < datetime(1996, 7, 1))
    assert churned > 0.1 * len(repeat) and active > 0.1 * len(repeat)
    assert recent_cohort > 0.03 * CUSTOMERS and first_year > 0.1 * CUSTOMERS


def test_draws_are_independent(rows: list[dict[str, str]]) -> None:
    """Correlated hash draws show up as gaps: a time of day uses two draws, the product
    index and the quantity one each."""
    hours = Counter(datetime.fromisoformat(row["transaction_at"]).hour for row in rows)
    assert set(hours) == set(range(6, 24)), "orders between 06:00 and 24:00 UTC"
    assert max(hours, key=hours.__getitem__) in range(12, 19), "busiest in the afternoon"
    pairs = Counter((row["quantity"], row["product_id"][-1]) for row in rows)
    assert len(pairs) == 50, "every quantity meets every product digit"


def test_customers_prefer_some_categories(rows: list[dict[str, str]]) -> None:
    by_customer: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        by_customer[row["customer_id"]][row["category"]] += 1
    regulars = [counts for counts in by_customer.values() if counts.total() >= 8]
    top_share = sum(max(c.values()) / c.total() for c in regulars) / len(regulars)
    assert top_share > 0.45, "a favourite category, not a uniform pick out of eight"


# Parquet


def test_parquet_holds_the_same_rows_as_csv(tmp_path: Path, sample: Path) -> None:
    path = tmp_path / "transactions.parquet"
    generate_file(path, "--customers", str(CUSTOMERS))
    with duckdb.connect() as con:
        types = dict(
            con.execute(f"select column_name, column_type from (describe '{path}')").fetchall()
        )
        assert types["transaction_at"] == "TIMESTAMP"
        assert types["amount"].startswith("DECIMAL")
        as_text = (
            "select transaction_id, customer_id,"
            " strftime(transaction_at, '%Y-%m-%d %H:%M:%S') as transaction_at,"
            " amount::varchar as amount, coalesce(status, '') as status, currency,"
            " quantity::varchar as quantity, product_id, category, channel"
        )
        parquet_rows = con.execute(f"{as_text} from read_parquet('{path}')").fetchall()
    csv_rows = [tuple(row[column] for column in sample_data.COLUMNS) for row in read_rows(sample)]
    assert parquet_rows == csv_rows


def test_format_option_overrides_an_unknown_extension(tmp_path: Path) -> None:
    path = tmp_path / "transactions.data"
    generate_file(path, "--customers", "20", "--format", "parquet")
    assert path.read_bytes()[:4] == b"PAR1"


# Bad arguments


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--customers", "0"], "--customers must be between 1 and"),
        (["--customers", "-3"], "--customers must be between 1 and"),
        (["--customers", "100000001"], "--customers must be between 1 and"),
        (["--customers", "5", "--seed", "-1"], "--seed must be between 0 and"),
        (["--customers", "5", "--start", "1997/01/01"], "--start must be a date as YYYY-MM-DD"),
        (["--customers", "5", "--end", "1998-02-30"], "--end is not a real date"),
        (["--customers", "5", "--start", "1998-06-30"], "must be before --end"),
        (["--customers", "5", "--start", "1999-01-01"], "must be before --end"),
        (["--customers", "5", "--format", "json"], "unknown format 'json'"),
        (["--customers", "5", "--format", "parquet"], "does not match the extension"),
    ],
)
def test_bad_arguments_fail_with_one_clear_line(
    tmp_path: Path, args: list[str], message: str
) -> None:
    result = run("--out", str(tmp_path / "out" / "tx.csv"), *args)
    assert result.exit_code != 0
    assert isinstance(result.exception, SegmentsError), result.exception
    text = str(result.exception)
    assert message in text and "\n" not in text
    assert not (tmp_path / "out").exists(), "nothing written on bad arguments"


def test_unknown_extension_without_format_fails(tmp_path: Path) -> None:
    result = run("--customers", "5", "--out", str(tmp_path / "tx.json"))
    assert isinstance(result.exception, SegmentsError)
    assert "cannot tell the format" in str(result.exception)
    assert "--format" in str(result.exception)


def test_out_pointing_to_a_folder_fails(tmp_path: Path) -> None:
    folder = tmp_path / "data.csv"
    folder.mkdir()
    result = run("--customers", "5", "--out", str(folder))
    assert isinstance(result.exception, SegmentsError)
    assert "is a folder" in str(result.exception)


def test_errors_reach_stderr_as_one_line_through_the_entry_point(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    main = pytest.importorskip("cli.main").main
    monkeypatch.setattr(
        sys, "argv", ["segments", "generate", "--customers", "0", "--out", str(tmp_path / "t.csv")]
    )
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("error: --customers must be between 1 and") and err.count("\n") == 1


def test_help_shows_the_options_and_an_example() -> None:
    result = run("--help")
    assert result.exit_code == 0
    for option in ("--customers", "--out", "--seed", "--start", "--end", "--format"):
        assert option in result.stdout
    assert "segments generate --customers 5000 --out" in result.stdout
