"""Segment history: builds at several as-of dates, backfill, transitions and the
`segments history` command, on real builds."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from cli.backfill import Every, as_of_dates
from cli.errors import SegmentsError
from tests.test_end_to_end import build, clean_rows, segments, write_csv

HISTORY = (
    "select customer_id, as_of_date, recency_days, frequency, monetary, r_score, f_score,"
    " m_score, fm_score, rfm_cell, segment, previous_as_of_date, previous_segment,"
    " segment_since from segment_history order by as_of_date, customer_id"
)


def rows(workdir: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(workdir / "segments.duckdb"), read_only=True) as con:
        return con.sql(sql).fetchall()


@pytest.fixture(scope="module")
def two_dates(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tuple]]:
    """A workdir built as of 1998-01-01, then 1998-07-01, then 1998-07-01 again."""
    workdir = tmp_path_factory.mktemp("two-dates")
    tx = write_csv(workdir / "tx.csv", clean_rows(customers=60))
    for as_of in ["1998-01-01", "1998-07-01"]:
        result = build(workdir, "--transactions", str(tx), "--as-of", as_of)
        assert result.returncode == 0, result.stderr + result.stdout
    before_rebuild = rows(workdir, HISTORY)
    again = build(workdir, "--transactions", str(tx), "--as-of", "1998-07-01")
    assert again.returncode == 0, again.stderr + again.stdout
    return workdir, before_rebuild


def test_history_holds_both_dates(two_dates) -> None:
    workdir, _ = two_dates
    per_date = rows(workdir, "select as_of_date, count(*) from segment_history group by 1")
    assert sorted(d for d, _ in per_date) == [date(1998, 1, 1), date(1998, 7, 1)]
    current = rows(workdir, "select count(*) from customer_segments")[0][0]
    assert dict(per_date)[date(1998, 7, 1)] == current


def test_rebuilding_a_date_leaves_history_unchanged(two_dates) -> None:
    workdir, before_rebuild = two_dates
    assert rows(workdir, HISTORY) == before_rebuild


def test_previous_segment_is_filled_for_customers_scored_at_both_dates(two_dates) -> None:
    workdir, _ = two_dates
    joined = rows(
        workdir,
        "select c.customer_id, c.previous_segment, c.previous_as_of_date, h.segment,"
        " c.segment, c.segment_since"
        " from customer_segments as c left join segment_history as h"
        " on h.customer_id = c.customer_id and h.as_of_date = date '1998-01-01'",
    )
    both = [r for r in joined if r[3] is not None]
    assert both, "some customers must be scored at both dates"
    for _, previous, previous_date, earlier, now, since in joined:
        assert previous == earlier
        if earlier is None:
            assert previous_date is None and since == date(1998, 7, 1)
        else:
            assert previous_date == date(1998, 1, 1)
            assert since == (date(1998, 1, 1) if earlier == now else date(1998, 7, 1))


def test_transitions_add_up_to_customers_at_either_date(two_dates) -> None:
    workdir, _ = two_dates
    moved = rows(workdir, "select sum(customers) from segment_transitions")[0][0]
    either = rows(workdir, "select count(distinct customer_id) from segment_history")[0][0]
    assert moved == either
    entered = rows(
        workdir, "select sum(customers) from segment_transitions where transition_type = 'entered'"
    )[0][0]
    first_scored_later = rows(
        workdir,
        "select count(*) from segment_history h where as_of_date = date '1998-07-01' and not"
        " exists (select 1 from segment_history e where e.customer_id = h.customer_id"
        " and e.as_of_date = date '1998-01-01')",
    )[0][0]
    assert entered == first_scored_later > 0
    latest = rows(
        workdir, "select distinct from_as_of_date, to_as_of_date from segment_migration_latest"
    )
    assert latest == [(date(1998, 1, 1), date(1998, 7, 1))]


def test_history_command_prints_paths_and_sizes(two_dates) -> None:
    workdir, _ = two_dates
    customer = rows(workdir, "select customer_id from customer_segments order by 1 limit 1")[0][0]
    shown = segments("history", "--workdir", str(workdir), "--customer", customer, cwd=workdir)
    assert shown.returncode == 0, shown.stderr
    assert f"history of customer {customer}" in shown.stdout
    assert "1998-07-01" in shown.stdout
    sizes = segments("history", "--workdir", str(workdir), cwd=workdir)
    assert sizes.returncode == 0, sizes.stderr
    assert "1998-01-01" in sizes.stdout and "Champions" in sizes.stdout
    unknown = segments("history", "--workdir", str(workdir), "--customer", "nobody", cwd=workdir)
    assert unknown.returncode == 1
    assert unknown.stderr.strip() == "error: customer 'nobody' has no history"
    bad = segments("history", "--workdir", str(workdir), "--segment", "x'; drop", cwd=workdir)
    assert bad.returncode == 1
    assert bad.stderr.startswith("error: unknown segment 'x'; drop'; known: Champions")


def test_backfill_equals_separate_builds(tmp_path: Path) -> None:
    tx = tmp_path / "tx.csv"
    generated = segments("generate", "--customers", "300", "--out", str(tx), cwd=tmp_path)
    assert generated.returncode == 0, generated.stderr
    dates = ["1998-01-01", "1998-02-01", "1998-03-01", "1998-04-01"]

    backfilled = tmp_path / "backfilled"
    backfilled.mkdir()
    result = segments(
        "backfill", "--workdir", str(backfilled), "--transactions", str(tx),
        "--from", dates[0], "--to", dates[-1], "--every", "month", cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr + result.stdout
    assert "backfill: 4 as-of dates from 1998-01-01 to 1998-04-01" in result.stderr

    separate = tmp_path / "separate"
    separate.mkdir()
    for as_of in dates:
        one = build(separate, "--transactions", str(tx), "--as-of", as_of)
        assert one.returncode == 0, one.stderr + one.stdout

    backfill_rows = rows(backfilled, HISTORY)
    assert len({r[1] for r in backfill_rows}) == 4
    assert backfill_rows == rows(separate, HISTORY)
    current = "select * from customer_segments order by customer_id"
    assert rows(backfilled, current) == rows(separate, current)
    transitions = "select * from segment_transitions order by all"
    assert rows(backfilled, transitions) == rows(separate, transitions)

    # Dates built out of order: a date built before a loaded one writes the later dates
    # again, so the stays come out as if built in order.
    shuffled = tmp_path / "shuffled"
    shuffled.mkdir()
    for as_of in [dates[3], dates[0], dates[2], dates[1]]:
        one = build(shuffled, "--transactions", str(tx), "--as-of", as_of)
        assert one.returncode == 0, one.stderr + one.stdout
    assert rows(shuffled, HISTORY) == backfill_rows
    assert rows(shuffled, transitions) == rows(separate, transitions)

    # A history written before the stays and the purchase figures were stored gets the
    # stays on the next build; the purchase figures of its older dates stay unknown.
    purchases = ("first_purchase_at", "last_purchase_at", "avg_order_value")
    with duckdb.connect(str(shuffled / "segments.duckdb")) as con:
        for column in ("previous_as_of_date", "previous_segment", "segment_since", *purchases):
            con.execute(f"alter table segment_history drop column {column}")
    again = build(shuffled, "--transactions", str(tx), "--as-of", dates[3])
    assert again.returncode == 0, again.stderr + again.stdout
    assert rows(shuffled, HISTORY) == backfill_rows
    known = "select strftime(as_of_date, '%Y-%m-%d'), count(avg_order_value) > 0"
    known += " from segment_history group by all order by 1"
    assert rows(shuffled, known) == [(d, d == dates[3]) for d in dates]

    # The purchase figures are stored at every date, and customer_segments shows the
    # current date's.
    stored = "select customer_id, as_of_date, " + ", ".join(purchases)
    assert rows(backfilled, stored + " from segment_history order by all") == rows(
        separate, stored + " from segment_history order by all"
    )
    assert rows(backfilled, stored + " from customer_segments order by all") == rows(
        backfilled, stored + f" from segment_history where as_of_date = '{dates[3]}' order by all"
    )
    nulls = "select count(*) from segment_history where avg_order_value is null"
    assert rows(backfilled, nulls) == [(0,)]
    assert rows(backfilled, "select count(avg_order_value) from customer_segments")[0][0] > 100


def test_backfill_rejects_bad_ranges(tmp_path: Path) -> None:
    tx = write_csv(tmp_path / "tx.csv", clean_rows(customers=5))
    reversed_range = segments(
        "backfill", "--transactions", str(tx), "--from", "1998-05-01", "--to", "1998-01-01",
        cwd=tmp_path,
    )  # fmt: skip
    assert reversed_range.returncode == 1
    assert reversed_range.stderr.strip() == "error: --from 1998-05-01 is after --to 1998-01-01"
    bad_date = segments(
        "backfill", "--transactions", str(tx), "--from", "1998-02-30", "--to", "1998-03-01",
        cwd=tmp_path,
    )  # fmt: skip
    assert bad_date.returncode == 2
    assert "not a calendar date" in bad_date.stderr
    assert "Traceback" not in bad_date.stderr


@pytest.mark.parametrize(
    ("start", "end", "every", "expected"),
    [
        ("1997-04-01", "1998-07-01", Every.month, 16),
        ("2024-01-31", "2024-04-30", Every.month, 4),
        ("1998-01-01", "1998-01-29", Every.week, 5),
        ("1998-01-01", "1998-01-01", Every.day, 1),
    ],
)
def test_as_of_schedule(start: str, end: str, every: Every, expected: int) -> None:
    dates = as_of_dates(date.fromisoformat(start), date.fromisoformat(end), every)
    assert len(dates) == expected
    assert dates[0] == date.fromisoformat(start)
    assert dates == sorted(set(dates))
    assert dates[-1] <= date.fromisoformat(end)


def test_monthly_schedule_clamps_to_month_end() -> None:
    dates = as_of_dates(date(2024, 1, 31), date(2024, 4, 30), Every.month)
    assert dates == [date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 31), date(2024, 4, 30)]


def test_schedule_refuses_too_many_dates() -> None:
    with pytest.raises(SegmentsError, match="more than 1000 as-of dates"):
        as_of_dates(date(1990, 1, 1), date(2030, 1, 1), Every.day)
