"""`segments generate --customers-out --events-out`: deterministic sample customers and
events that follow the input contract and agree with the sample transactions."""

from __future__ import annotations

import csv
import hashlib
from collections import Counter, defaultdict
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest
import typer
from typer.testing import CliRunner

from cli import sample_data, sample_profiles
from cli.generate import generate

CUSTOMERS = 1600


def run(*args: str):
    app = typer.Typer(add_completion=False)
    app.command()(generate)
    return CliRunner().invoke(app, list(args))


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("profiles")
    paths = {name: folder / f"{name}.csv" for name in ("tx", "customers", "events")}
    result = run(
        "--customers",
        str(CUSTOMERS),
        "--out",
        str(paths["tx"]),
        "--customers-out",
        str(paths["customers"]),
        "--events-out",
        str(paths["events"]),
    )
    assert result.exit_code == 0, f"{result.output}\n{result.exception!r}"
    prospects = CUSTOMERS // sample_profiles.PROSPECT_EVERY
    assert f"Wrote {CUSTOMERS + prospects:,} customers ({prospects} prospects)" in result.stdout
    assert "events to" in result.stdout
    return paths


def test_same_arguments_give_identical_files(tmp_path: Path, sample: dict[str, Path]) -> None:
    spec = sample_data.SampleSpec(customers=CUSTOMERS)
    for threads in (1, 3):
        customers, events = tmp_path / f"c{threads}.csv", tmp_path / f"e{threads}.csv"
        sample_profiles.write_profiles(spec, customers, events, threads=threads)
        assert sha256(customers) == sha256(sample["customers"])
        assert sha256(events) == sha256(sample["events"])


def test_another_seed_gives_other_files(tmp_path: Path, sample: dict[str, Path]) -> None:
    spec = sample_data.SampleSpec(customers=CUSTOMERS, seed=7)
    customers = tmp_path / "c.csv"
    sample_profiles.write_profiles(spec, customers, None)
    assert sha256(customers) != sha256(sample["customers"])
    assert not (tmp_path / "e.csv").exists()


def test_customers_follow_the_contract(sample: dict[str, Path]) -> None:
    rows = read_rows(sample["customers"])
    assert list(rows[0]) == list(sample_profiles.CUSTOMER_COLUMNS)
    ids = [row["customer_id"] for row in rows]
    assert len(ids) == len(set(ids))
    for row in rows:
        if row["birth_date"]:
            born = date.fromisoformat(row["birth_date"])
            assert date(1917, 1, 1) < born < date(1981, 1, 1), row
        datetime.fromisoformat(row["signed_up_at"])
        assert row["email"] in ("", row["customer_id"].lower() + "@example.com")
    shares = Counter(row["country"] for row in rows)
    assert set(shares) == {country for _, _, country, _ in sample_profiles.LOCATIONS}
    assert 0.02 < sum(1 for row in rows if not row["birth_date"]) / len(rows) < 0.1


def test_buyers_sign_up_before_buying_and_prospects_never_buy(sample: dict[str, Path]) -> None:
    first_purchase: dict[str, datetime] = {}
    for row in read_rows(sample["tx"]):
        at = datetime.fromisoformat(row["transaction_at"])
        first_purchase[row["customer_id"]] = min(at, first_purchase.get(row["customer_id"], at))
    customers = {row["customer_id"]: row for row in read_rows(sample["customers"])}
    assert set(first_purchase) <= set(customers)
    prospects = set(customers) - set(first_purchase)
    assert len(prospects) == CUSTOMERS // sample_profiles.PROSPECT_EVERY
    for customer_id, at in first_purchase.items():
        assert datetime.fromisoformat(customers[customer_id]["signed_up_at"]) <= at


def test_events_follow_the_contract_in_time_order(sample: dict[str, Path]) -> None:
    rows = read_rows(sample["events"])
    assert list(rows[0]) == list(sample_profiles.EVENT_COLUMNS)
    types = Counter(row["event_type"] for row in rows)
    assert set(types) == {name for name, _ in sample_profiles.EVENT_TYPES}
    signed_up = {
        row["customer_id"]: datetime.fromisoformat(row["signed_up_at"])
        for row in read_rows(sample["customers"])
    }
    by_customer: dict[str, list[datetime]] = defaultdict(list)
    for row in rows:
        by_customer[row["customer_id"]].append(datetime.fromisoformat(row["event_at"]))
    assert set(by_customer) <= set(signed_up)
    for customer_id, times in by_customer.items():
        assert times == sorted(times), customer_id
        assert times[0].date() >= signed_up[customer_id].date(), customer_id
        assert times[-1] < datetime(1998, 7, 1), customer_id
    # Rows are grouped by customer.
    order = [row["customer_id"] for row in rows]
    assert order == sorted(order)


def test_parquet_holds_the_same_rows(tmp_path: Path, sample: dict[str, Path]) -> None:
    spec = sample_data.SampleSpec(customers=CUSTOMERS)
    events = tmp_path / "e.parquet"
    sample_profiles.write_profiles(spec, None, events, events_format="parquet")
    quoted = str(events).replace("'", "''")
    count = duckdb.sql(f"select count(*) from read_parquet('{quoted}')").fetchall()[0][0]
    assert count == len(read_rows(sample["events"]))


def test_bad_output_paths_are_one_line_errors(tmp_path: Path) -> None:
    (tmp_path / "folder.csv").mkdir()
    out = tmp_path / "t.csv"
    result = run(
        "--customers", "10", "--out", str(out), "--events-out", str(tmp_path / "folder.csv")
    )
    assert result.exit_code != 0
    assert "--events-out" in str(result.exception) and "is a folder" in str(result.exception)
    assert not out.exists()  # checked before anything is written
    result = run("--customers", "10", "--out", str(tmp_path / "t.csv"), "--customers-out", "c.xlsx")
    assert result.exit_code != 0
    assert "cannot tell the format of c.xlsx" in str(result.exception)
