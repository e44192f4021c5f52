"""The benchmark driver: `segments build` against the same rules written by hand.

    python -m bench.run --sizes "1M 10M" --csv-sizes 10M --rounds 3     # make bench
    python -m bench.run --backfill                                      # make bench-backfill

For each size it generates the transactions with `segments generate` (cached in
`--data-dir`), then runs every competitor as its own process, `--rounds` times, rotating
their order each round: `segments build`, the hand-made DuckDB query (`bench.handmade`),
the same query with the contract's repeated-id rule (`bench.handmade_dedup`), pandas
(`bench.pandas_impl`), polars (`bench.polars_impl`) and polars with the repeated-id rule
(`bench.polars_dedup`). It reports the median wall time, the peak memory (see
`bench.measure`) and the ratio to the hand-made query, fails unless
every competitor's result equals the build's `customer_segments` row for row, and writes
the table into docs/benchmarks.md between its markers.

`--backfill` times `segments backfill` over 16 monthly as-of dates against 16 separate
`segments build --as-of` runs and fails unless both give the same `segment_history`.

`--append` splits the generated file into its history and its last day, builds the
history, then times a build that appends the day against one that reads every file
(`--full-refresh`), and fails unless both give the same marts.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from bench import report
from cli.dbt_runner import DBT_CHILD

ROOT = Path(__file__).resolve().parent.parent
COMPETITORS: dict[str, str | None] = {
    "build": None,  # the segments command itself
    "handmade": "bench.handmade",
    "handmade_dedup": "bench.handmade_dedup",
    "pandas": "bench.pandas_impl",
    "polars": "bench.polars_impl",
    "polars_dedup": "bench.polars_dedup",
}
# Mean transactions per customer of `segments generate` with its default dates (measured
# on 1M rows): turns a size in transactions into a --customers argument.
TRANSACTIONS_PER_CUSTOMER = 4.5
SEED = 42
_SIZE = re.compile(r"(\d+(?:\.\d+)?)([kKmM]?)")


class BenchError(Exception):
    """A benchmark run failed or the competitors disagree."""


@dataclass
class Run:
    seconds: float
    cpu_seconds: float
    max_rss_kb: int
    load: float


@dataclass
class Result:
    """One competitor on one input: all its runs."""

    competitor: str
    runs: list[Run] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(run.seconds for run in self.runs)

    @property
    def cpu_median(self) -> float:
        return statistics.median(run.cpu_seconds for run in self.runs)

    @property
    def peak_mb(self) -> float:
        return max(run.max_rss_kb for run in self.runs) / 1024


@dataclass
class Case:
    """One input file and every competitor's results on it."""

    label: str
    file_format: str
    path: Path
    target_rows: int
    rows: int
    customers: int
    scored: int = 0
    results: dict[str, Result] = field(default_factory=dict)
    dbt_nodes: report.DbtTimings | None = None
    checked: list[str] = field(default_factory=list)


def parse_size(text: str) -> int:
    """`20k`, `1M`, `10M`, `2.5M` or a plain number of transactions."""
    match = _SIZE.fullmatch(text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (examples: 20k, 1M, 100M)")
    number, unit = match.groups()
    factor = {"": 1, "k": 1_000, "m": 1_000_000}[unit.lower()]
    return int(float(number) * factor)


def size_label(n: int) -> str:
    for factor, unit in ((1_000_000, "M"), (1_000, "k")):
        if n >= factor and n % factor == 0:
            return f"{n // factor}{unit}"
    return str(n)


def sizes(text: str) -> list[int]:
    return [parse_size(part) for part in re.split(r"[\s,]+", text.strip()) if part]


def child_env(args: argparse.Namespace, spill: Path | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.update(DBT_SEND_ANONYMOUS_USAGE_STATS="false", DO_NOT_TRACK="1")
    if args.memory_limit:
        env["SEGMENTS_MEMORY_LIMIT"] = args.memory_limit
    if spill is not None:
        spill.mkdir(parents=True, exist_ok=True)
        env["SEGMENTS_TEMP_DIR"] = str(spill)
    return env


def segments_command() -> list[str]:
    script = Path(sys.executable).with_name("segments")
    if script.is_file():
        return [str(script)]
    found = shutil.which("segments")
    if found is None:
        raise BenchError("the segments command is not installed (run make install)")
    return [found]


def measure(command: list[str], log: Path, env: dict[str, str]) -> Run:
    """Run `command` under bench.measure; fail with the end of its log when it fails."""
    log.parent.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()[0]
    wrapper = [sys.executable, "-m", "bench.measure", str(log), "--", *command]
    done = subprocess.run(wrapper, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BenchError(f"measuring {command[0]} failed: {done.stderr.strip()}")
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    if outcome["returncode"] != 0:
        tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-15:]
        raise BenchError(
            f"{' '.join(command)} exited with {outcome['returncode']}:\n" + "\n".join(tail)
        )
    return Run(outcome["seconds"], outcome["cpu_seconds"], int(outcome["max_rss_kb"]), load)


def measure_import(args: argparse.Namespace, module: str) -> float:
    """Median seconds of `python -c "import MODULE"` (the same interpreter and packages as
    the build): for dbt.cli.main, what every dbt command pays before it reads the project;
    for duckdb, what a competitor pays before it reads the file."""
    log = args.data_dir / "runs" / f"import-{module}.log"
    command = [sys.executable, "-c", f"import {module}"]
    runs = [measure(command, log, child_env(args)) for _ in range(args.rounds)]
    return statistics.median(run.seconds for run in runs)


FLOOR_PROJECT = {
    "dbt_project.yml": "name: floor\nversion: '1.0'\nprofile: floor\n"
    "flags:\n  send_anonymous_usage_stats: false\n",
    "profiles.yml": "floor:\n  target: duckdb\n  outputs:\n    duckdb:\n      type: duckdb\n"
    '      path: "{folder}/floor.duckdb"\n      threads: 2\n',
    "models/one.sql": "select 1 as one\n",
}


def measure_dbt_floor(args: argparse.Namespace) -> float:
    """Median seconds of `dbt run` on a project of one `select 1` model on DuckDB, its parse
    cache kept (one untimed run first), started the way the CLI starts dbt (cli.dbt_child:
    no JSON artifacts, no teardown of dbt's modules): the least any dbt build takes on this
    machine."""
    folder = args.data_dir / "runs" / "dbt-floor"
    shutil.rmtree(folder, ignore_errors=True)
    for name, text in FLOOR_PROJECT.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text.replace("{folder}", str(folder)), encoding="utf-8")
    command = [sys.executable, *DBT_CHILD, "run", "--no-write-json"]
    command += ["--project-dir", str(folder), "--profiles-dir", str(folder)]
    env = {**child_env(args), "DBT_LOG_PATH": str(folder / "logs")}
    env["DBT_TARGET_PATH"] = str(folder / "target")
    measure(command, folder / "warm-up.log", env)
    runs = [measure(command, folder / "run.log", env) for _ in range(args.rounds)]
    return statistics.median(run.seconds for run in runs)


def generate(n: int, file_format: str, data_dir: Path, env: dict[str, str]) -> Case:
    """The generated file of about `n` transactions, made once and then reused."""
    label = size_label(n)
    customers = max(1, round(n / TRANSACTIONS_PER_CUSTOMER))
    path = data_dir / f"transactions_{label}.{file_format}"
    sidecar = path.with_suffix(path.suffix + ".json")
    wanted = {"customers": customers, "seed": SEED}
    info: dict[str, int] = {}
    if path.is_file() and sidecar.is_file():
        info = json.loads(sidecar.read_text(encoding="utf-8"))
    if {key: info.get(key) for key in wanted} != wanted:
        print(f"generating {label} transactions ({customers:,} customers) as {file_format}")
        command = [*segments_command(), "generate", "--customers", str(customers)]
        command += ["--seed", str(SEED), "--out", str(path)]
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise BenchError(f"segments generate failed: {done.stderr.strip()}")
        with contextlib.closing(duckdb.connect()) as con:
            reader = "read_parquet" if file_format == "parquet" else "read_csv"
            rows = con.execute(f"select count(*) from {reader}(?)", [str(path)]).fetchone()
        info = {**wanted, "rows": int(rows[0]) if rows else 0}
        sidecar.write_text(json.dumps(info) + "\n", encoding="utf-8")
    return Case(label, file_format, path, n, int(info["rows"]), customers)


def competitor_command(name: str, case: Case, out: Path, workdir: Path) -> list[str]:
    module = COMPETITORS[name]
    if module is None:
        return [*segments_command(), "build", "--workdir", str(workdir), "--transactions",
                str(case.path)]  # fmt: skip
    command = [sys.executable, "-m", module, "--transactions", str(case.path), "--out", str(out)]
    return [*command, "--format", case.file_format]


def remove_database(workdir: Path) -> None:
    """A fresh build each round: drop the database and its serving copy, keep dbt's parse
    cache (as for a user building again)."""
    for name in ("segments.duckdb", "segments.duckdb.wal"):
        (workdir / name).unlink(missing_ok=True)
    for name in ("segments.duckdb.tmp", "serving"):
        shutil.rmtree(workdir / name, ignore_errors=True)


def run_case(case: Case, args: argparse.Namespace) -> None:
    names = list(args.competitors)
    base = args.data_dir / "runs" / f"{case.label}-{case.file_format}"
    workdir = base / "build"
    for name in names:
        case.results[name] = Result(name)
    for round_index in range(args.rounds):
        shift = round_index % len(names)
        for name in names[shift:] + names[:shift]:
            out = base / f"{name}.parquet"
            out.unlink(missing_ok=True)
            if name == "build":
                remove_database(workdir)
            spill = base / "spill" / name
            shutil.rmtree(spill, ignore_errors=True)
            command = competitor_command(name, case, out, workdir)
            log = base / "logs" / f"{name}-{round_index + 1}.log"
            run = measure(command, log, child_env(args, spill))
            case.results[name].runs.append(run)
            print(
                f"  {case.label} {case.file_format:<7} round {round_index + 1}"
                f" {name:<9} {run.seconds:7.2f} s (CPU {run.cpu_seconds:7.2f} s)"
                f" {run.max_rss_kb / 1024:7.0f} MB"
                f"  (load {run.load:.2f})",
                flush=True,
            )
        if round_index == 0:
            case.scored, case.checked = check_agreement(names, base, workdir)
    if "build" in names:
        case.dbt_nodes = report.read_dbt_timings(workdir / ".segments" / "target")


RESULT_SQL = (
    "select customer_id, cast(recency_days as bigint) as recency_days,"
    " cast(frequency as bigint) as frequency,"
    " cast(round(monetary * 10000) as hugeint) as monetary_units,"
    " cast(r_score as integer) as r_score, cast(f_score as integer) as f_score,"
    " cast(m_score as integer) as m_score, cast(fm_score as integer) as fm_score, segment"
    " from {relation}"
)


def compare(con: duckdb.DuckDBPyConnection, expected: str, actual: str) -> tuple[int, int, list]:
    """(rows expected, rows differing in either direction, a few differing rows)."""
    left = RESULT_SQL.format(relation=expected)
    right = RESULT_SQL.format(relation=actual)
    diff = (
        f"(select 'only expected' as side, * from ({left} except all {right}))"
        f" union all (select 'only actual' as side, * from ({right} except all {left}))"
    )
    total = con.execute(f"select count(*) from ({left})").fetchone()
    differing = con.execute(f"select count(*) from ({diff})").fetchone()
    examples = con.execute(f"select * from ({diff}) order by customer_id, side limit 6").fetchall()
    return int(total[0]) if total else 0, int(differing[0]) if differing else 0, examples


def check_agreement(names: list[str], base: Path, workdir: Path) -> tuple[int, list[str]]:
    """Fail unless every competitor's result equals the reference row for row.

    The reference is the build's customer_segments, else the hand-made query's result.
    Returns the number of scored customers and the competitors checked.
    """
    with contextlib.closing(duckdb.connect()) as con:
        if "build" in names:
            database = str(workdir / "segments.duckdb").replace("'", "''")
            con.execute(f"attach '{database}' as build (read_only)")
            reference, expected = "build", "build.main.customer_segments"
        else:
            reference = names[0]
            expected = report.parquet_relation(base / f"{reference}.parquet")
        counted = con.execute(f"select count(*) from {expected}").fetchone()
        scored = int(counted[0]) if counted else 0
        checked = []
        for name in names:
            if name == reference:
                continue
            actual = report.parquet_relation(base / f"{name}.parquet")
            scored, differing, examples = compare(con, expected, actual)
            if differing or scored == 0:
                shown = "\n".join(f"    {row}" for row in examples)
                raise BenchError(
                    f"{name} disagrees with {reference}: {differing} differing rows"
                    f" of {scored:,}\n{shown}"
                )
            checked.append(name)
        if checked:
            print(f"  results agree: {', '.join(checked)} = {reference} ({scored:,} customers)")
        else:
            print(f"  {reference}: {scored:,} customers (no other competitor to compare with)")
        return scored, checked


def run_backfill(args: argparse.Namespace) -> report.BackfillResult:
    """`segments backfill` over the dates against one `segments build --as-of` per date."""
    from cli.backfill import Every, as_of_dates  # the schedule backfill itself uses

    env = child_env(args)
    case = generate(args.backfill_size, "parquet", args.data_dir, env)
    dates = as_of_dates(
        date.fromisoformat(args.date_from), date.fromisoformat(args.date_to), Every(args.every)
    )
    base = args.data_dir / "runs" / f"backfill-{case.label}"
    shutil.rmtree(base, ignore_errors=True)
    once, separate = base / "backfill", base / "separate"
    print(f"backfill: {len(dates)} as-of dates on {case.rows:,} transactions")
    command = [*segments_command(), "backfill", "--workdir", str(once)]
    command += ["--transactions", str(case.path), "--from", args.date_from]
    command += ["--to", args.date_to, "--every", args.every]
    backfill_run = measure(command, base / "logs" / "backfill.log", env)
    print(f"  backfill            {backfill_run.seconds:7.2f} s (load {backfill_run.load:.2f})")
    builds: list[Run] = []
    for as_of in dates:
        command = [*segments_command(), "build", "--workdir", str(separate)]
        command += ["--transactions", str(case.path), "--as-of", as_of.isoformat()]
        builds.append(measure(command, base / "logs" / f"build-{as_of}.log", env))
        print(f"  build --as-of {as_of} {builds[-1].seconds:7.2f} s (load {builds[-1].load:.2f})")
    rows = check_history(once / "segments.duckdb", separate / "segments.duckdb", len(dates))
    result = report.BackfillResult(
        rows=case.rows,
        customers=case.customers,
        dates=[d.isoformat() for d in dates],
        backfill_seconds=backfill_run.seconds,
        backfill_cpu_seconds=backfill_run.cpu_seconds,
        backfill_peak_mb=backfill_run.max_rss_kb / 1024,
        build_seconds=[run.seconds for run in builds],
        build_cpu_seconds=[run.cpu_seconds for run in builds],
        build_peak_mb=max(run.max_rss_kb for run in builds) / 1024,
        history_rows=rows,
        loads=[backfill_run.load, *(run.load for run in builds)],
    )
    print(
        f"  segment_history identical ({rows:,} rows); backfill {result.backfill_seconds:.1f} s,"
        f" {len(dates)} builds {result.builds_total:.1f} s"
        f" (backfill = {result.ratio:.2f} x the builds)"
    )
    return result


def run_append(args: argparse.Namespace) -> report.AppendResult:
    """A build appending the last day of transactions against a build reading them all."""
    env = child_env(args)
    case = generate(args.append_size, "parquet", args.data_dir, env)
    base = args.data_dir / "runs" / f"append-{case.label}"
    shutil.rmtree(base, ignore_errors=True)
    files = base / "files"
    files.mkdir(parents=True)
    with contextlib.closing(duckdb.connect()) as con:
        source = f"read_parquet('{str(case.path).replace(chr(39), chr(39) * 2)}')"
        row = con.execute(f"select cast(max(transaction_at) as date) from {source}").fetchone()
        assert row is not None
        last_day = row[0]
        for name, condition in (("1-history", "<"), ("2-day", ">=")):
            target = files / f"tx-{name}.parquet"
            con.execute(
                f"copy (select * from {source} where transaction_at {condition} ?)"
                f" to '{target}' (format parquet)",
                [last_day],
            )
        day = files / "tx-2-day.parquet"
        day_rows = con.execute(f"select count(*) from '{day}'").fetchone()
    held_back = base / day.name
    day.rename(held_back)
    pattern = str(files / "tx-*.parquet")
    workdirs = {"appended": base / "appended", "full": base / "full"}
    print(f"append: the {last_day} day of {case.rows:,} transactions")
    for name, workdir in workdirs.items():
        command = [*segments_command(), "build", "--workdir", str(workdir)]
        measure([*command, "--transactions", pattern], base / "logs" / f"{name}-history.log", env)
    shutil.copy2(held_back, day)
    runs: dict[str, Run] = {}
    for name, extra in (("appended", []), ("full", ["--full-refresh"])):
        command = [*segments_command(), "build", "--workdir", str(workdirs[name])]
        command += ["--transactions", pattern, *extra]
        runs[name] = measure(command, base / "logs" / f"{name}.log", env)
        print(f"  {name:<9} {runs[name].seconds:7.2f} s (load {runs[name].load:.2f})")
    log = (base / "logs" / "appended.log").read_text(encoding="utf-8", errors="replace")
    if "appending 1 new transactions file" not in log:
        raise BenchError("the second build did not append the new file")
    differing = check_marts(workdirs["appended"], workdirs["full"])
    return report.AppendResult(
        rows=case.rows,
        day_rows=int(day_rows[0]) if day_rows else 0,
        day=str(last_day),
        appended=runs["appended"].seconds,
        appended_cpu=runs["appended"].cpu_seconds,
        appended_peak_mb=runs["appended"].max_rss_kb / 1024,
        full=runs["full"].seconds,
        full_cpu=runs["full"].cpu_seconds,
        full_peak_mb=runs["full"].max_rss_kb / 1024,
        compared=differing,
        loads=[runs["appended"].load, runs["full"].load],
    )


APPEND_MARTS = ("customer_segments", "segment_summary", "rejected_transactions", "segment_history")


def check_marts(appended: Path, full: Path) -> int:
    """Fail unless both databases hold the same marts; return the rows compared."""
    total = 0
    with contextlib.closing(duckdb.connect()) as con:
        for alias, path in (("appended", appended), ("reread", full)):
            database = str(path / "segments.duckdb").replace(chr(39), chr(39) * 2)
            con.execute(f"attach '{database}' as {alias} (read_only)")
        for mart in APPEND_MARTS:
            left, right = f"appended.main.{mart}", f"reread.main.{mart}"
            counts = con.execute(
                f"select (select count(*) from {left}), (select count(*) from {right}),"
                f" (select count(*) from (from {left} except all from {right}))"
                f" + (select count(*) from (from {right} except all from {left}))"
            ).fetchone()
            assert counts is not None
            left_rows, right_rows, differing = (int(value) for value in counts)
            if differing or left_rows != right_rows:
                raise BenchError(f"{mart} differs: {differing:,} rows")
            total += left_rows
    return total


HISTORY_SQL = (
    "select customer_id, as_of_date, recency_days, frequency, monetary, r_score, f_score,"
    " m_score, fm_score, rfm_cell, segment from {db}.main.segment_history"
)


def check_history(backfilled: Path, separate: Path, dates: int) -> int:
    """Fail unless both databases hold the same segment_history; return its row count."""
    with contextlib.closing(duckdb.connect()) as con:
        for alias, path in (("once", backfilled), ("separate", separate)):
            con.execute(
                f"attach '{str(path).replace(chr(39), chr(39) * 2)}' as {alias} (read_only)"
            )
        left, right = HISTORY_SQL.format(db="once"), HISTORY_SQL.format(db="separate")
        counts = con.execute(
            f"select (select count(*) from ({left})), (select count(*) from ({right})),"
            f" (select count(distinct as_of_date) from ({left})),"
            f" (select count(*) from (({left}) except all ({right})))"
            f" + (select count(*) from (({right}) except all ({left})))"
        ).fetchone()
    assert counts is not None
    once_rows, separate_rows, once_dates, differing = (int(value) for value in counts)
    if differing or once_rows != separate_rows or once_dates != dates or once_rows == 0:
        raise BenchError(
            f"segment_history differs: backfill {once_rows:,} rows over {once_dates} dates,"
            f" separate builds {separate_rows:,} rows, {differing:,} rows differ"
        )
    return once_rows


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--sizes", type=sizes, default=sizes("1M 10M"),
                        help="Parquet sizes in transactions, e.g. '1M 10M 100M'")  # fmt: skip
    parser.add_argument("--csv-sizes", type=sizes, default=sizes("10M"),
                        help="CSV sizes (may be empty: '')")  # fmt: skip
    parser.add_argument("--rounds", type=int, default=3, help="runs per competitor (median)")
    parser.add_argument(
        "--competitors",
        type=lambda text: [name for name in re.split(r"[\s,]+", text.strip()) if name],
        default=list(COMPETITORS),
        help="comma-separated subset of: " + ", ".join(COMPETITORS),
    )
    parser.add_argument("--data-dir", type=Path, default=ROOT / "bench" / "data")
    parser.add_argument("--doc", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--no-doc", action="store_true", help="print only, write no doc")
    parser.add_argument("--memory-limit", default=os.environ.get("SEGMENTS_MEMORY_LIMIT"),
                        help="DuckDB memory cap for the build and the hand-made query")  # fmt: skip
    parser.add_argument("--backfill", action="store_true", help="run the backfill benchmark")
    parser.add_argument("--backfill-size", type=parse_size, default=parse_size("1M"))
    parser.add_argument("--append", action="store_true", help="run the append benchmark")
    parser.add_argument("--append-size", type=parse_size, default=parse_size("10M"))
    parser.add_argument("--from", dest="date_from", default="1997-04-01")
    parser.add_argument("--to", dest="date_to", default="1998-07-01")
    parser.add_argument("--every", default="month", choices=("day", "week", "month"))
    args = parser.parse_args(argv)
    unknown = [name for name in args.competitors if name not in COMPETITORS]
    if unknown or not args.competitors:
        parser.error(f"unknown competitors {unknown}; choose from {', '.join(COMPETITORS)}")
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    args.data_dir = args.data_dir.resolve()
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    args.data_dir.mkdir(parents=True, exist_ok=True)
    machine = report.machine()
    doc = None if args.no_doc else args.doc
    try:
        if args.append or args.backfill:
            if args.append:
                name, text = "append", report.append_section(run_append(args), machine)
            else:
                name, text = "backfill", report.backfill_section(run_backfill(args), machine)
            print(text)
            if doc is not None:
                report.write_section(doc, name, text)
            return 0
        cases = [(n, "parquet") for n in args.sizes] + [(n, "csv") for n in args.csv_sizes]
        done: list[Case] = []
        for n, file_format in cases:
            case = generate(n, file_format, args.data_dir, child_env(args))
            print(f"{case.label} {file_format}: {case.rows:,} transactions", flush=True)
            run_case(case, args)
            done.append(case)
        starts = report.StartUp(
            dbt_import=measure_import(args, "dbt.cli.main"),
            duckdb_import=measure_import(args, "duckdb"),
            dbt_floor=measure_dbt_floor(args),
        )
        limit = args.memory_limit
        profile = (ROOT / "profiles.yml").read_text(encoding="utf-8")
        if limit and "SEGMENTS_MEMORY_LIMIT" not in profile:
            limit += " for the hand-made query only (profiles.yml does not read it)"
        text = report.results_section(done, args.rounds, limit, machine, starts)
        print(text)
        if doc is not None:
            report.write_section(doc, "results", text)
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
