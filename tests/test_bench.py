"""The benchmark driver (`make bench`) on a tiny input.

The driver runs, writes its table between the doc's markers, and the hand-made DuckDB query
of bench/handmade.py gives exactly the build's customer_segments. pandas and polars are
not installed by `make test`: their agreement with the build is asserted by every
`make bench` run itself.
"""

from __future__ import annotations

import contextlib
import importlib
import re
from pathlib import Path

import duckdb
import pytest

from bench import handmade, handmade_dedup, report, run

NOTES = "Notes written by hand stay."
PLACEHOLDER = "| placeholder row |"


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """One round of build and hand-made query on ~20k generated transactions."""
    folder = tmp_path_factory.mktemp("bench")
    doc = folder / "benchmarks.md"
    doc.write_text(
        f"# Benchmarks\n\n{NOTES}\n\n<!-- bench:results start -->\n{PLACEHOLDER}\n"
        "<!-- bench:results end -->\n\nMore notes.\n",
        encoding="utf-8",
    )
    code = run.main(
        [
            "--sizes", "20k",
            "--csv-sizes", "",
            "--rounds", "1",
            "--competitors", "build,handmade",
            "--data-dir", str(folder / "data"),
            "--doc", str(doc),
        ]
    )  # fmt: skip
    assert code == 0
    return folder / "data" / "runs" / "20k-parquet", doc, doc.read_text(encoding="utf-8")


def test_bench_writes_its_table_between_the_markers(bench_run) -> None:
    _, _, text = bench_run
    assert NOTES in text and text.rstrip().endswith("More notes.")
    assert PLACEHOLDER not in text
    assert "| 20k parquet |" in text
    assert "| build |" in text and "| handmade |" in text
    assert "### Where the build's time goes: 20k parquet" in text


def test_bench_reports_the_fixed_cost_of_a_build(bench_run) -> None:
    _, _, text = bench_run
    fixed = text.split("### The fixed cost of a build", 1)[1]
    imported = re.search(r"Importing dbt .*?: (\d+\.\d+) s\.", fixed)
    assert imported is not None and float(imported.group(1)) > 0
    floor = re.search(r"`dbt run` of a project of one `select 1` model .*?: (\d+\.\d+) s", fixed)
    # Both are single timings on a shared machine: each must be there and measured, but
    # their order (a run imports dbt, so it usually takes longer) is not asserted.
    assert floor is not None and float(floor.group(1)) > 0
    small = re.search(
        r"A build of 20k parquet transactions takes ([\d.]+) s against ([\d.]+) s .*?"
        r"about (-?[\d.]+) s of every build",
        fixed,
    )
    assert small is not None
    build, handmade, fixed_cost = (float(value) for value in small.groups())
    assert abs(build - handmade - fixed_cost) < 0.1  # each figure is rounded


def test_handmade_query_equals_the_build(bench_run) -> None:
    base, _, text = bench_run
    assert "checked on the first round: 20k parquet: handmade." in text
    names = ["build", "handmade"]
    scored, checked = run.check_agreement(names, base, base / "build")
    assert checked == ["handmade"]
    database = base / "build" / "segments.duckdb"
    with contextlib.closing(duckdb.connect(str(database), read_only=True)) as con:
        customers = con.execute("select count(*) from customer_segments").fetchone()
    assert customers is not None and scored == customers[0] > 3000
    # The build run alone is counted too (its table says how many customers it scored).
    assert run.check_agreement(["build"], base, base / "build") == (scored, [])


def test_a_differing_result_fails_the_check(bench_run, tmp_path: Path) -> None:
    base, _, _ = bench_run
    changed = tmp_path / "runs"
    changed.mkdir()
    source = str(base / "handmade.parquet")
    with contextlib.closing(duckdb.connect()) as con:
        con.execute(
            "copy (select * replace ("
            " case when row_number() over (order by customer_id) = 1"
            " then monetary + 0.01 else monetary end as monetary)"
            f" from read_parquet('{source}')) to '{changed / 'handmade.parquet'}'"
        )
    with pytest.raises(run.BenchError, match="handmade disagrees with build: 2 differing rows"):
        run.check_agreement(["build", "handmade"], changed, base / "build")


def _history_database(path: Path, segments: list[str]) -> Path:
    with contextlib.closing(duckdb.connect(str(path))) as con:
        con.execute(
            "create table segment_history as select 'C' || i as customer_id,"
            " date '1998-01-01' + cast(31 * (i % 2) as integer) as as_of_date, 10 as recency_days,"
            " 1 as frequency, 9.5 as monetary, 3 as r_score, 1 as f_score, 2 as m_score,"
            " 2 as fm_score, '312' as rfm_cell, seg as segment"
            " from (select unnest(range(?)) as i, unnest(?) as seg)",
            [len(segments), segments],
        )
    return path


def test_history_check_accepts_equal_and_rejects_different_history(tmp_path: Path) -> None:
    same = ["Lost", "At Risk", "Lost"]
    once = _history_database(tmp_path / "once.duckdb", same)
    separate = _history_database(tmp_path / "separate.duckdb", same)
    assert run.check_history(once, separate, dates=2) == 3
    other = _history_database(tmp_path / "other.duckdb", ["Lost", "At Risk", "Champions"])
    with pytest.raises(run.BenchError, match="2 rows differ"):
        run.check_history(once, other, dates=2)


@pytest.mark.parametrize("competitor", ["handmade_dedup", "polars_dedup"])
@pytest.mark.parametrize(
    ("file_format", "layout"), [("parquet", "at_end"), ("csv", "at_end"), ("parquet", "adjacent")]
)
def test_the_dedup_query_drops_later_occurrences_of_a_repeated_id(
    bench_run, tmp_path: Path, file_format: str, layout: str, competitor: str
) -> None:
    """bench.handmade_dedup (and bench.polars_dedup, where the bench extra is installed:
    `make bench`) on a file whose first 40 rows are repeated (other customers, other
    amounts) at its end, or each right after its first occurrence (the ids still never
    decrease), gives the hand-made result of the file without them; on the file without
    them, whose ids increase, it gives that result too."""
    if competitor == "polars_dedup":
        pytest.importorskip("polars", reason="polars comes with the bench extra (make bench)")
        deduplicating = importlib.import_module("bench.polars_dedup")
    else:
        deduplicating = handmade_dedup
    base, _, _ = bench_run
    generated = str(base.parent.parent / "transactions_20k.parquet")
    original, repeated = tmp_path / f"original.{file_format}", tmp_path / f"repeated.{file_format}"
    options = "(format parquet)" if file_format == "parquet" else "(format csv, header true)"
    order = "part, file_row_number" if layout == "at_end" else "file_row_number, part"
    with contextlib.closing(duckdb.connect()) as con:
        rows = f"read_parquet('{generated}', file_row_number = true)"
        con.execute(
            f"copy (select * exclude (file_row_number) from {rows} order by file_row_number)"
            f" to '{original}' {options}"
        )
        con.execute(
            "copy (select * exclude (part, file_row_number) from ("
            f" select *, 0 as part from {rows}"
            " union all select * replace ('again-' || customer_id as customer_id,"
            f" amount * 10 + 1 as amount), 1 as part from {rows} where file_row_number < 40"
            f") order by {order}) to '{repeated}' {options}"
        )
    names = ("expected", "dedup", "plain", "clean")
    outs = {name: tmp_path / f"{name}.parquet" for name in names}
    assert handmade.run(original, outs["expected"], file_format) > 3000
    deduplicating.run(repeated, outs["dedup"], file_format)
    deduplicating.run(original, outs["clean"], file_format)
    handmade.run(repeated, outs["plain"], file_format)
    with contextlib.closing(duckdb.connect()) as con:
        expected = report.parquet_relation(outs["expected"])
        for name in ("dedup", "clean"):
            total, differing, _ = run.compare(con, expected, report.parquet_relation(outs[name]))
            assert total > 3000 and differing == 0
        _, differing, _ = run.compare(con, expected, report.parquet_relation(outs["plain"]))
        assert differing > 0  # the plain query counts the repeated rows


def _timed(name: str, seconds: float) -> run.Result:
    """A competitor's result of one run taking `seconds` (wall and CPU)."""
    return run.Result(name, [run.Run(seconds, seconds, 1024, 1.0)])


def test_the_floor_of_a_build_is_set_against_each_target() -> None:
    """At 10M Parquet the floor is dbt's one-model run plus the dedup query, less one
    Python start-up, against 1.5 x hand-made + 3 s."""

    case = run.Case("10M", "parquet", Path("tx.parquet"), 10_000_000, 10_000_000, 1)
    case.results = {
        name: _timed(name, s) for name, s in [("handmade", 3.0), ("handmade_dedup", 5.0)]
    }
    starts = report.StartUp(dbt_import=2.0, duckdb_import=0.5, dbt_floor=3.5)
    text = report.results_section([case], 1, None, report.machine(), starts)
    floors = text.split("### What a build that meets the input contract needs at least", 1)[1]
    assert (
        "= 8.00 s, against the target's 7.50 s (1.5 x hand-made + 3 s): the target cannot" in floors
    )
    starts.dbt_floor = 2.5
    text = report.results_section([case], 1, None, report.machine(), starts)
    assert (
        "= 7.00 s, against the target's 7.50 s (1.5 x hand-made + 3 s): this floor does not rule"
        " the target out." in text
    )


def test_the_floor_of_a_100m_build_is_set_against_polars_too() -> None:
    """At 100M the targets are 1.3 x hand-made and faster than polars (with and without
    the repeated-id rule) and pandas."""

    case = run.Case("100M", "parquet", Path("tx.parquet"), 100_000_000, 100_000_000, 1)
    runs = [("handmade", 60.0), ("handmade_dedup", 70.0), ("polars", 65.0)]
    runs.append(("polars_dedup", 80.0))
    case.results = {name: _timed(name, s) for name, s in runs}
    starts = report.StartUp(dbt_import=2.0, duckdb_import=0.5, dbt_floor=3.5)
    text = report.results_section([case], 1, None, report.machine(), starts)
    floors = text.split("### What a build that meets the input contract needs at least", 1)[1]
    assert "= 73.0 s, against the target's 78.0 s (1.3 x hand-made): this floor does not" in floors
    assert (
        "= 73.0 s, against the target's 65.0 s (faster than polars): the target cannot hold"
        in floors
    )
    assert (
        "= 73.0 s, against the target's 80.0 s (faster than polars with the repeated-id rule):"
        " this floor does not rule the target out." in floors
    )
    assert "faster than pandas" not in floors
