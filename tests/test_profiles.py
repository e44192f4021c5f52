"""Real `segments` runs with customers and events files: customer_profiles against a hand
computation on small handwritten files, dynamic segments from a YAML file, cross-sell on
generated files, and builds without the optional files."""

from __future__ import annotations

import csv
import hashlib
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from cli.export import PROFILE_MARTS

AS_OF = date(1998, 7, 1)

TRANSACTIONS = [
    ["transaction_id", "customer_id", "transaction_at", "amount", "status", "category", "channel"],
    ["T1", "C1", "1998-06-20 10:00:00", "100", "paid", "Books", "web"],
    ["T2", "C1", "1998-05-01 10:00:00", "50", "paid", "Music", "web"],
    ["T3", "C1", "1998-06-25 10:00:00", "30", "paid", "Music", "store"],
    ["T4", "C2", "1998-06-15 10:00:00", "200", "paid", "Electronics", "mobile"],
    ["T5", "C3", "1998-03-01 10:00:00", "40", "paid", "Books", "store"],
    ["T6", "C3", "1998-02-01 10:00:00", "20", "paid", "Toys", "store"],
    ["T7", "C4", "1997-01-10 10:00:00", "80", "paid", "Books", "web"],
    ["T8", "C5", "1998-05-15 10:00:00", "70", "", "Toys", "Web"],
    ["T9", "C6", "1998-06-01 10:00:00", "25", "refunded", "Books", "web"],
]
CUSTOMERS = [
    [
        "customer_id",
        "email",
        "birth_date",
        "gender",
        "education",
        "city",
        "region",
        "country",
        "acquisition_source",
        "signed_up_at",
        "preferred_channel",
    ],
    # Turns 18 on the as-of date.
    [
        "C1",
        " Ann@Example.com ",
        "1980-07-01",
        "Female",
        "Master",
        "Jakarta",
        "Jakarta",
        "id",
        "Paid_Search",
        "1997-12-01",
        "Email",
    ],
    # Turns 18 the day after.
    [
        "C2",
        "bob@example.com",
        "1980-07-02",
        "male",
        "",
        "Austin",
        "Texas",
        "US",
        "referral",
        "",
        "",
    ],
    # A 29 February birthday.
    ["C3", "", "1960-02-29", "", "", "", "", "", "", "", ""],
    # A duplicate: the first row of C1 is kept.
    ["C1", "other@example.com", "1970-01-01", "", "", "", "", "GB", "", "", ""],
    ["C5", "", "", "", "", "", "", "", "", "", ""],
    # A prospect, 65 on the as-of date.
    [
        "C7",
        "C7@example.com",
        "1933-07-01",
        "female",
        "doctorate",
        "Surabaya",
        "East Java",
        "ID",
        "social",
        "1998-06-30T20:00:00Z",
        "sms",
    ],
    # Signed up on the as-of date: not known yet.
    ["C9", "c9@example.com", "", "", "", "", "", "ID", "", "1998-07-01 00:00:00", ""],
    # Rejected: 30 February.
    ["C10", "c10@example.com", "1980-02-30", "", "", "", "", "ID", "", "", ""],
]
EVENTS = [
    ["customer_id", "event_at", "event_type"],
    ["C1", "1998-06-30 10:00:00", "email_open"],
    ["C1", "1998-06-01 09:00:00", "email_click"],  # 30 days before the as-of date
    ["C1", "1998-05-31 09:00:00", "email_click"],  # 31 days
    ["C1", "1998-06-29 08:00:00", "page_view"],
    ["C1", "1998-06-29 09:00:00", "page_view"],  # same day: one visit
    ["C1", "1998-06-20 09:00:00", "page_view"],
    ["C1", "1998-07-01 00:00:00", "page_view"],  # on the as-of date: does not count
    ["C2", "1998-04-15 12:00:00", "email_open"],
    ["C7", "1998-06-25 12:00:00", "Email Click"],
    ["C8", "1998-03-01 12:00:00", "page_view"],
    ["C3", "1998-06-10 12:00:00", "sms_sent"],  # rejected: unknown event_type
]

# The hand computation, as of 1998-07-01 with the default vars.
EXPECTED = {
    "C1": {
        "lifecycle_stage": "returning",
        "frequency": 3,
        "aov_tier": "medium",  # 180 / 3 = 60
        "frequency_tier": "medium",
        "tenure_days": 61,
        "tenure_band": "under 90 days",
        "favourite_category": "Music",
        "preferred_channel": "web",
        "email": "Ann@Example.com",
        "age": 18,
        "age_band": "18-24",
        "gender": "female",
        "education": "master",
        "city": "Jakarta",
        "country": "ID",
        "acquisition_source": "paid_search",
        "declared_preferred_channel": "email",
        "email_opens_30d": 1,
        "email_clicks_30d": 1,
        "email_clicks_90d": 2,
        "site_visits_30d": 2,
        "site_visits_90d": 2,
        "days_since_last_activity": 1,
        "engagement_level": "engaged",
        "has_customer_record": True,
        "has_transactions": True,
        "has_events": True,
    },
    "C2": {
        "lifecycle_stage": "new",
        "frequency": 1,
        "aov_tier": "high",
        "frequency_tier": "low",
        "tenure_days": 16,
        "tenure_band": "under 90 days",
        "favourite_category": "Electronics",
        "preferred_channel": "mobile",
        "email": "bob@example.com",
        "age": 17,
        "age_band": "under 18",
        "gender": "male",
        "education": None,
        "city": "Austin",
        "country": "US",
        "acquisition_source": "referral",
        "declared_preferred_channel": None,
        "email_opens_30d": 0,
        "email_clicks_30d": 0,
        "email_clicks_90d": 0,
        "site_visits_30d": 0,
        "site_visits_90d": 0,
        "days_since_last_activity": 77,
        "engagement_level": "cooling",
        "has_customer_record": True,
        "has_transactions": True,
        "has_events": True,
    },
    "C3": {
        "lifecycle_stage": "lapsing",  # last purchase 122 days ago
        "frequency": 2,
        "aov_tier": "low",
        "frequency_tier": "medium",
        "tenure_days": 150,
        "tenure_band": "90-364 days",
        "favourite_category": "Books",  # tie on count, higher amount
        "preferred_channel": "store",
        "email": None,
        "age": 38,
        "age_band": "35-44",
        "gender": None,
        "education": None,
        "city": None,
        "country": None,
        "acquisition_source": None,
        "declared_preferred_channel": None,
        "email_opens_30d": 0,
        "email_clicks_30d": 0,
        "email_clicks_90d": 0,
        "site_visits_30d": 0,
        "site_visits_90d": 0,
        "days_since_last_activity": None,
        "engagement_level": "dormant",
        "has_customer_record": True,
        "has_transactions": True,
        "has_events": False,
    },
    "C4": {
        "lifecycle_stage": "churned",
        "frequency": 1,
        "aov_tier": "medium",
        "frequency_tier": "low",
        "tenure_days": 537,
        "tenure_band": "365-729 days",
        "favourite_category": "Books",
        "preferred_channel": "web",
        "email": None,
        "age": None,
        "age_band": None,
        "gender": None,
        "education": None,
        "city": None,
        "country": None,
        "acquisition_source": None,
        "declared_preferred_channel": None,
        "email_opens_30d": 0,
        "email_clicks_30d": 0,
        "email_clicks_90d": 0,
        "site_visits_30d": 0,
        "site_visits_90d": 0,
        "days_since_last_activity": None,
        "engagement_level": "dormant",
        "has_customer_record": False,
        "has_transactions": True,
        "has_events": False,
    },
    "C5": {
        "lifecycle_stage": "one_time",  # one purchase 47 days ago
        "frequency": 1,
        "aov_tier": "medium",
        "frequency_tier": "low",
        "tenure_days": 47,
        "tenure_band": "under 90 days",
        "favourite_category": "Toys",
        "preferred_channel": "web",
        "email": None,
        "age": None,
        "age_band": None,
        "gender": None,
        "education": None,
        "city": None,
        "country": None,
        "acquisition_source": None,
        "declared_preferred_channel": None,
        "email_opens_30d": 0,
        "email_clicks_30d": 0,
        "email_clicks_90d": 0,
        "site_visits_30d": 0,
        "site_visits_90d": 0,
        "days_since_last_activity": None,
        "engagement_level": "dormant",
        "has_customer_record": True,
        "has_transactions": True,
        "has_events": False,
    },
}
PROSPECTS = {
    # A refund only: known from transactions, never paid.
    "C6": {
        "country": None,
        "age_band": None,
        "has_customer_record": False,
        "has_transactions": True,
        "has_events": False,
        "email_clicks_30d": 0,
        "engagement_level": "dormant",
    },
    "C7": {
        "country": "ID",
        "age_band": "65+",
        "has_customer_record": True,
        "has_transactions": False,
        "has_events": True,
        "email_clicks_30d": 1,
        "engagement_level": "engaged",
    },
    # Known from events only; last event 122 days ago.
    "C8": {
        "country": None,
        "age_band": None,
        "has_customer_record": False,
        "has_transactions": False,
        "has_events": True,
        "email_clicks_30d": 0,
        "engagement_level": "dormant",
    },
}
SEGMENTS_FILE = """\
segments:
  - name: engaged_buyers
    description: New or returning buyers who engaged in the last 30 days
    conditions:
      - {column: lifecycle_stage, operator: in, value: [new, returning]}
      - {column: engagement_level, operator: "=", value: engaged}
  - name: indonesian_prospects
    description: Prospects in Indonesia (they're the next campaign)
    conditions:
      - {column: country, operator: "=", value: ID}
      - {column: lifecycle_stage, operator: "=", value: prospect}
  - name: recent_clickers
    conditions:
      - {column: email_clicks_90d, operator: ">", value: 0}
      - {column: signed_up_at, operator: ">=", value: 1997-01-01}
"""


def segments(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli.launch", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=900,
    )


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def query(workdir: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(workdir / "segments.duckdb"), read_only=True) as con:
        return con.sql(sql).fetchall()


def profiles(workdir: Path) -> dict[str, dict[str, object]]:
    with duckdb.connect(str(workdir / "segments.duckdb"), read_only=True) as con:
        result = con.sql("select * from customer_profiles")
        columns = result.columns
        return {row[0]: dict(zip(columns, row, strict=True)) for row in result.fetchall()}


def one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    assert "Traceback" not in text
    return lines[0]


@pytest.fixture(scope="module")
def handwritten(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build of the handwritten files with three dynamic segments."""
    folder = tmp_path_factory.mktemp("handwritten")
    write_csv(folder / "t.csv", TRANSACTIONS)
    write_csv(folder / "c.csv", CUSTOMERS)
    write_csv(folder / "e.csv", EVENTS)
    (folder / "segments.yml").write_text(SEGMENTS_FILE)
    result = segments(
        "build",
        "--workdir",
        str(folder),
        "--transactions",
        "t.csv",
        "--customers",
        "c.csv",
        "--events",
        "e.csv",
        "--segments-file",
        "segments.yml",
        "--as-of",
        AS_OF.isoformat(),
        cwd=folder,
    )
    assert result.returncode == 0, result.stderr + result.stdout[-3000:]
    assert "warning: 3 rows rejected" in result.stderr
    assert "profiles:          8 (3 prospects)" in result.stdout
    return folder


def test_profiles_match_the_hand_computation(handwritten: Path) -> None:
    got = profiles(handwritten)
    assert set(got) == set(EXPECTED) | set(PROSPECTS)
    for customer_id, expected in EXPECTED.items():
        row = got[customer_id]
        assert {key: row[key] for key in expected} == expected, customer_id
    for customer_id, expected in PROSPECTS.items():
        row = got[customer_id]
        assert row["lifecycle_stage"] == "prospect", customer_id
        for column in ("segment", "frequency", "aov_tier", "tenure_band", "favourite_category"):
            assert row[column] is None, (customer_id, column)
        assert {key: row[key] for key in expected} == expected, customer_id
    assert all(row["as_of_date"] == AS_OF for row in got.values())


def test_profiles_carry_the_rfm_segment(handwritten: Path) -> None:
    scored = dict(query(handwritten, "select customer_id, segment from customer_segments"))
    got = profiles(handwritten)
    assert scored == {c: got[c]["segment"] for c in got if got[c]["segment"] is not None}
    assert set(scored) == set(EXPECTED)


def test_rejected_customers_and_events_keep_their_raw_values(handwritten: Path) -> None:
    assert query(
        handwritten,
        "select source_row_number, rejection_reason, customer_id, email"
        " from rejected_customers order by source_row_number",
    ) == [
        (4, "duplicate customer_id", "C1", "other@example.com"),
        (8, "invalid birth_date", "C10", "c10@example.com"),
    ]
    assert query(
        handwritten, "select rejection_reason, customer_id, event_type from rejected_events"
    ) == [("unknown event_type", "C3", "sms_sent")]


def test_three_dynamic_segments_build_their_members(handwritten: Path) -> None:
    members = query(
        handwritten,
        "select dynamic_segment, customer_id from dynamic_segment_members order by all",
    )
    assert members == [
        ("engaged_buyers", "C1"),
        ("indonesian_prospects", "C7"),
        ("recent_clickers", "C1"),
        ("recent_clickers", "C7"),
    ]
    assert query(
        handwritten,
        "select dynamic_segment, description, customers from dynamic_segments"
        " order by definition_order",
    ) == [
        ("engaged_buyers", "New or returning buyers who engaged in the last 30 days", 1),
        ("indonesian_prospects", "Prospects in Indonesia (they're the next campaign)", 1),
        ("recent_clickers", None, 2),
    ]


def test_export_a_dynamic_segment_with_hashed_emails(handwritten: Path) -> None:
    out = handwritten / "out"
    result = segments(
        "export",
        "--workdir",
        str(handwritten),
        "--out",
        str(out),
        "--segment",
        "recent_clickers",
        "--hash-emails",
        cwd=handwritten,
    )
    assert result.returncode == 0, result.stderr
    with (out / "customer_profiles.csv").open(newline="") as handle:
        rows = {row["customer_id"]: row for row in csv.DictReader(handle)}
    assert set(rows) == {"C1", "C7"}
    assert rows["C1"]["email"] == hashlib.sha256(b"ann@example.com").hexdigest()
    assert rows["C7"]["email"] == hashlib.sha256(b"c7@example.com").hexdigest()
    assert not (out / "segment_summary.csv").exists()


def test_bad_definitions_fail_with_one_line_and_touch_nothing(handwritten: Path) -> None:
    database = handwritten / "segments.duckdb"
    before = database.stat().st_mtime_ns
    cases = {
        "unknown.yml": (
            "segments:\n  - name: x\n    conditions:\n"
            "      - {column: contry, operator: '=', value: ID}\n",
            "dynamic segment 'x' condition 1: unknown column 'contry'",
        ),
        "injection.yml": (
            "segments:\n  - name: x\n    conditions:\n"
            "      - {column: email_clicks_90d, operator: '>', value: '0 or 1=1'}\n",
            "dynamic segment 'x' condition 1: value of email_clicks_90d must be a number,"
            " got '0 or 1=1'",
        ),
    }
    for name, (text, expected) in cases.items():
        (handwritten / name).write_text(text)
        result = segments(
            "build",
            "--workdir",
            str(handwritten),
            "--transactions",
            "t.csv",
            "--segments-file",
            name,
            cwd=handwritten,
        )
        assert result.returncode == 1
        line = one_line(result.stderr)
        assert line.startswith(f"error: segments file {handwritten / name}: {expected}")
    assert database.stat().st_mtime_ns == before


def test_a_quote_in_a_text_value_is_bound_as_a_literal(tmp_path: Path) -> None:
    write_csv(tmp_path / "t.csv", TRANSACTIONS)
    write_csv(tmp_path / "c.csv", CUSTOMERS)
    (tmp_path / "segments.yml").write_text(
        "segments:\n"
        "  - name: quoted\n"
        "    conditions:\n"
        "      - {column: country, operator: '=', value: \"ID' or '1'='1\"}\n"
        "  - name: indonesia\n"
        "    conditions:\n"
        "      - {column: country, operator: '=', value: ID}\n"
    )
    result = segments(
        "build",
        "--workdir",
        str(tmp_path),
        "--transactions",
        "t.csv",
        "--customers",
        "c.csv",
        "--segments-file",
        "segments.yml",
        "--as-of",
        AS_OF.isoformat(),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr + result.stdout[-3000:]
    assert query(tmp_path, "select dynamic_segment, customers from dynamic_segments") == [
        ("quoted", 0),
        ("indonesia", 2),
    ]
    # Without an events file the engagement columns are null, not zero.
    assert query(
        tmp_path, "select count(*) from customer_profiles where engagement_level is not null"
    ) == [(0,)]


def test_without_customers_and_events_everything_else_builds(tmp_path: Path) -> None:
    write_csv(tmp_path / "t.csv", TRANSACTIONS)
    result = segments(
        "build",
        "--workdir",
        str(tmp_path),
        "--transactions",
        "t.csv",
        "--as-of",
        AS_OF.isoformat(),
        "--profiles",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr + result.stdout[-3000:]
    assert "profiles:          6 (1 prospect)" in result.stdout
    got = profiles(tmp_path)
    assert set(got) == {"C1", "C2", "C3", "C4", "C5", "C6"}
    for customer_id, expected in EXPECTED.items():
        assert got[customer_id]["lifecycle_stage"] == expected["lifecycle_stage"]
        assert got[customer_id]["favourite_category"] == expected["favourite_category"]
        for column in ("email", "country", "age_band", "email_clicks_90d", "engagement_level"):
            assert got[customer_id][column] is None, (customer_id, column)
    for table in ("rejected_customers", "rejected_events", "dynamic_segment_members"):
        assert query(tmp_path, f"select count(*) from {table}") == [(0,)]
    tested = segments("test", "--workdir", str(tmp_path), cwd=tmp_path)
    assert tested.returncode == 0, tested.stderr + tested.stdout[-3000:]


def test_a_build_without_profiles_leaves_no_profile_mart_behind(tmp_path: Path) -> None:
    """Profiles are built on request (or with a customers, events or segments file); a
    later build without them removes the profile marts rather than leave them older than
    the rest, and export, test and the summary work without them."""
    write_csv(tmp_path / "t.csv", TRANSACTIONS)
    write_csv(tmp_path / "c.csv", CUSTOMERS)
    common = ["--workdir", str(tmp_path), "--transactions", "t.csv", "--as-of", AS_OF.isoformat()]
    with_profiles = segments("build", *common, "--customers", "c.csv", cwd=tmp_path)
    assert with_profiles.returncode == 0, with_profiles.stderr + with_profiles.stdout[-3000:]
    assert "profiles:" in with_profiles.stdout
    exported = segments("export", "--workdir", str(tmp_path), "--out", "out", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert (tmp_path / "out" / "customer_profiles.csv").is_file()

    rfm_only = segments("build", *common, cwd=tmp_path)
    assert rfm_only.returncode == 0, rfm_only.stderr + rfm_only.stdout[-3000:]
    assert "profiles:" not in rfm_only.stdout
    tables = {row[0] for row in query(tmp_path, "select table_name from information_schema.tables")}
    assert "customer_segments" in tables
    for mart in PROFILE_MARTS:
        assert mart not in tables, mart
    exported = segments("export", "--workdir", str(tmp_path), "--out", "out", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert "not built, so not exported: customer_profiles" in exported.stderr
    assert (tmp_path / "out" / "customer_segments.csv").is_file()
    assert not (tmp_path / "out" / "customer_profiles.csv").exists()
    tested = segments("test", "--workdir", str(tmp_path), cwd=tmp_path)
    assert tested.returncode == 0, tested.stderr + tested.stdout[-3000:]


# Generated files: the whole pipeline against a plain-Python reference.


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def reference_profiles(tx: Path, customers: Path, events: Path, as_of: date) -> dict[str, dict]:
    """Lifecycle, favourite category, email clicks and engagement, by hand."""
    cutoff = datetime(as_of.year, as_of.month, as_of.day)
    known: set[str] = {
        row["customer_id"]
        for row in read_rows(customers)
        if datetime.fromisoformat(row["signed_up_at"]) < cutoff
    }
    paid: dict[str, list[tuple[datetime, str, float]]] = defaultdict(list)
    for row in read_rows(tx):
        at = datetime.fromisoformat(row["transaction_at"])
        if at >= cutoff:
            continue
        known.add(row["customer_id"])
        amount = float(row["amount"])
        if row["status"] in ("", "paid") and amount >= 0:
            paid[row["customer_id"]].append((at, row["category"], amount))
    last_event: dict[str, date] = {}
    clicks: Counter[str] = Counter()
    for row in read_rows(events):
        at = datetime.fromisoformat(row["event_at"])
        if at >= cutoff:
            continue
        known.add(row["customer_id"])
        day = at.date()
        last_event[row["customer_id"]] = max(day, last_event.get(row["customer_id"], day))
        if row["event_type"] == "email_click" and (as_of - day).days <= 90:
            clicks[row["customer_id"]] += 1
    expected = {}
    for customer_id in known:
        purchases = paid.get(customer_id, [])
        if not purchases:
            stage = "prospect"
            favourite = None
        else:
            first = min(at for at, _, _ in purchases).date()
            recency = (as_of - max(at for at, _, _ in purchases).date()).days
            if recency > 365:
                stage = "churned"
            elif recency > 90:
                stage = "lapsing"
            elif (as_of - first).days <= 30:
                stage = "new"
            else:
                stage = "returning" if len(purchases) >= 2 else "one_time"
            counts: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
            for _, category, amount in purchases:
                counts[category][0] += 1
                counts[category][1] += amount
            favourite = min(counts, key=lambda c: (-counts[c][0], -counts[c][1], c))
        quiet = (as_of - last_event[customer_id]).days if customer_id in last_event else None
        level = (
            "dormant" if quiet is None or quiet > 90 else ("engaged" if quiet <= 30 else "cooling")
        )
        expected[customer_id] = {
            "lifecycle_stage": stage,
            "favourite_category": favourite,
            "email_clicks_90d": clicks[customer_id],
            "engagement_level": level,
        }
    return expected


def test_generated_files_build_profiles_and_recommendations(tmp_path: Path) -> None:
    tx, customers, events = tmp_path / "tx.csv", tmp_path / "c.csv", tmp_path / "e.csv"
    generated = segments(
        "generate",
        "--customers",
        "600",
        "--out",
        str(tx),
        "--customers-out",
        str(customers),
        "--events-out",
        str(events),
        cwd=tmp_path,
    )
    assert generated.returncode == 0, generated.stderr
    assert "Wrote 675 customers (75 prospects)" in generated.stdout
    built = segments(
        "build",
        "--workdir",
        str(tmp_path),
        "--transactions",
        str(tx),
        "--customers",
        str(customers),
        "--events",
        str(events),
        "--strict",
        cwd=tmp_path,
    )
    assert built.returncode == 0, built.stderr + built.stdout[-3000:]
    as_of = query(tmp_path, "select max(as_of_date) from customer_profiles")[0][0]
    latest = max(date.fromisoformat(row["transaction_at"][:10]) for row in read_rows(tx))
    assert as_of == latest + timedelta(days=1)
    expected = reference_profiles(tx, customers, events, as_of)
    got = profiles(tmp_path)
    assert set(got) == set(expected)
    # Every buyer has a customers-file row: the file adds prospects only.
    assert {row["customer_id"] for row in read_rows(tx)} <= {
        row["customer_id"] for row in read_rows(customers)
    }
    for customer_id, values in expected.items():
        assert {key: got[customer_id][key] for key in values} == values, customer_id
    stages = Counter(row["lifecycle_stage"] for row in got.values())
    assert stages["prospect"] >= 75 and all(stages[s] for s in ("new", "returning", "churned"))
    # Recommendations: at most three per customer, never a category the customer bought.
    recommended = query(
        tmp_path, "select customer_id, rank, category, lift from customer_recommendations"
    )
    assert recommended
    bought = {
        (row["customer_id"], row["category"])
        for row in read_rows(tx)
        if row["status"] in ("", "paid") and float(row["amount"]) >= 0
    }
    assert all((customer_id, category) not in bought for customer_id, _, category, _ in recommended)
    assert all(1 <= rank <= 3 and lift > 1 for _, rank, _, lift in recommended)
