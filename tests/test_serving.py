"""The serving copy under real concurrency: readers never fail and never block builds.

Builds run as `segments build` subprocesses; readers are separate Python processes using
short-lived read-only DuckDB connections, as a BI tool or a notebook would.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from cli import serving
from cli.errors import SegmentsError
from cli.export import MARTS
from cli.project import Workdir
from tests.test_end_to_end import build, clean_rows, segments, write_csv

AS_OF = "1998-07-01"
BUILDS = 10
READERS = 3

# One reader: until the stop file appears, open the serving DuckDB file read-only, read
# the marts, close; then read the Parquet files. Every outcome is recorded. Reads of the
# DuckDB file are never retried.
READER = """
import json, os, sys, time
import duckdb

serving, stop, out = sys.argv[1:4]
database = os.path.join(serving, "segments.duckdb")
parquet = os.path.join(serving, "parquet")
reads, errors, retried = [], [], []


def read_parquet(sql, name):
    # DuckDB's read_parquet opens the file by its path twice in one query (footer, then
    # data), so a swap landing in between fails that query; it is run again, at most
    # twice, as the connection guide advises. Every retry is recorded.
    for attempt in range(3):
        try:
            with duckdb.connect(":memory:", config={"threads": 1}) as con:
                return con.execute(sql, [os.path.join(parquet, name)]).fetchone()[0]
        except duckdb.Error as exc:
            if attempt == 2:
                raise
            retried.append(f"{type(exc).__name__}: {exc}")


while not os.path.exists(stop):
    try:
        with duckdb.connect(database, read_only=True, config={"threads": 1}) as con:
            customers = con.execute("select count(*) from customer_segments").fetchone()[0]
            summed = con.execute("select sum(customers) from segment_summary").fetchone()[0]
            history = con.execute(
                "select count(*) from segment_history where as_of_date = ?", [sys.argv[4]]
            ).fetchone()[0]
        file_customers = read_parquet(
            "select count(*) from read_parquet(?)", "customer_segments.parquet"
        )
        file_summed = read_parquet(
            "select sum(customers) from read_parquet(?)", "segment_summary.parquet"
        )
        reads.append([customers, int(summed), history, file_customers, int(file_summed)])
    except Exception as exc:
        errors.append(f"{type(exc).__name__}: {exc}")
    time.sleep(0.05)
with open(out, "w") as handle:
    json.dump({"reads": reads, "errors": errors, "retried": retried}, handle)
"""


def serving_files(workdir: Path) -> dict[str, bytes]:
    folder = workdir / "serving"
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def scored(workdir: Path) -> int:
    with duckdb.connect(str(workdir / "segments.duckdb"), read_only=True) as con:
        row = con.execute("select count(*) from customer_segments").fetchone()
    assert row is not None
    return int(row[0])


def test_readers_never_fail_nor_block_builds(tmp_path: Path) -> None:
    inputs = [
        write_csv(tmp_path / f"tx{i}.csv", clean_rows(customers=30 + 7 * i, seed=i))
        for i in range(BUILDS + 1)
    ]
    first = build(tmp_path, "--transactions", str(inputs[0]), "--as-of", AS_OF)
    assert first.returncode == 0, first.stderr + first.stdout
    assert f"serving copy: {tmp_path / 'serving' / 'segments.duckdb'}" in first.stdout
    expected = {scored(tmp_path)}

    stop = tmp_path / "stop"
    readers = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                READER,
                str(tmp_path / "serving"),
                str(stop),
                str(tmp_path / f"reader{i}.json"),
                AS_OF,
            ]
        )
        for i in range(READERS)
    ]
    failures = []
    try:
        time.sleep(1)
        for tx in inputs[1:]:
            result = build(tmp_path, "--transactions", str(tx), "--as-of", AS_OF)
            if result.returncode != 0:
                failures.append(result.stderr)
            else:
                expected.add(scored(tmp_path))
        time.sleep(1)
    finally:
        stop.touch()
        for reader in readers:
            reader.wait(timeout=60)

    assert failures == []
    assert len(expected) > 5  # the builds differ, so a mix of snapshots would show
    seen: set[int] = set()
    for i in range(READERS):
        outcome = json.loads((tmp_path / f"reader{i}.json").read_text())
        assert outcome["errors"] == []
        assert len(outcome["reads"]) > 20
        # A Parquet query that a swap lands inside may need its one retry; rarely.
        assert len(outcome["retried"]) <= len(outcome["reads"]) // 10, outcome["retried"]
        for customers, summed, history, file_customers, file_summed in outcome["reads"]:
            # One snapshot per connection: a complete customer_segments of one build,
            # and the summary and history of that same build.
            assert customers in expected
            assert summed == customers
            assert history == customers
            # Each Parquet file is a complete mart of one build.
            assert file_customers in expected
            assert file_summed in expected
            seen.add(customers)
    assert len(seen) > 1  # readers saw copies swapped under them
    assert scored(tmp_path) == json.loads((tmp_path / "reader0.json").read_text())["reads"][-1][0]
    leftovers = [p.name for p in (tmp_path / "serving").rglob(".*")]
    assert leftovers == []


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    workdir = tmp_path_factory.mktemp("serving")
    tx = write_csv(workdir / "tx.csv", clean_rows(customers=40))
    # With the profile marts, so every mart of MARTS is published.
    result = build(workdir, "--transactions", str(tx), "--as-of", AS_OF, "--profiles")
    assert result.returncode == 0, result.stderr + result.stdout
    return workdir


def test_failed_builds_leave_the_serving_copy_untouched(built: Path) -> None:
    before = serving_files(built)
    customers_before = scored(built)
    published = set(serving_tables(built))
    assert "customer_segments" in published and published <= set(MARTS)
    assert set(before) == {"segments.duckdb"} | {f"parquet/{mart}.parquet" for mart in published}

    rows = clean_rows(customers=25, seed=3)
    missing_column = write_csv(
        built / "no_amount.csv",
        [row[:3] + row[4:] for row in rows],
        ["transaction_id", "customer_id", "transaction_at", "status", "category"],
    )
    failed = build(built, "--transactions", str(missing_column), "--as-of", AS_OF)
    assert failed.returncode == 1
    assert "amount" in failed.stderr
    assert serving_files(built) == before

    # dbt succeeds, then --strict fails the command because of a rejected row.
    rejected = write_csv(built / "rejected.csv", [*rows, ["T99999", "C001", "x", "1", "", ""]])
    strict = build(
        built, "--transactions", str(rejected), "--as-of", AS_OF, "--strict", "--profiles"
    )
    assert strict.returncode == 1
    assert "--strict" in strict.stderr
    assert scored(built) != customers_before  # the build database did change
    assert serving_files(built) == before


PROFILE_MARTS = (
    "customer_profiles",
    "customer_recommendations",
    "dynamic_segments",
    "dynamic_segment_members",
    "rejected_customers",
    "rejected_events",
)


def serving_tables(workdir: Path) -> dict[str, int]:
    """The marts of the serving DuckDB file (tables, and views reading them) and their rows."""
    with duckdb.connect(str(workdir / "serving" / "segments.duckdb"), read_only=True) as con:
        tables = con.execute("select table_name from information_schema.tables").fetchall()
        return {
            name: con.execute(f"select count(*) from {name}").fetchall()[0][0] for (name,) in tables
        }


def parquet_rows(workdir: Path, mart: str) -> int:
    path = workdir / "serving" / "parquet" / f"{mart}.parquet"
    with duckdb.connect(":memory:") as con:
        row = con.execute("select count(*) from read_parquet(?)", [str(path)]).fetchone()
    assert row is not None
    return int(row[0])


def copy_of_build(built: Path, workdir: Path) -> Workdir:
    """A working folder holding a copy of the built database, published once."""
    workdir.mkdir()
    shutil.copyfile(built / "segments.duckdb", workdir / "segments.duckdb")
    folder = Workdir(workdir)
    serving.publish(folder)
    return folder


def test_marts_missing_from_the_build_are_left_out_of_the_serving_copy(
    built: Path, tmp_path: Path
) -> None:
    folder = copy_of_build(built, tmp_path / "work")
    assert set(serving_tables(folder.root)) == set(MARTS)
    with duckdb.connect(str(folder.database)) as con:
        for mart in PROFILE_MARTS:
            con.execute(f"drop table {mart}")
        # A Spark build exposes its marts as views over its warehouse: they are
        # published as tables.
        con.execute("alter table segment_summary rename to summary_table")
        con.execute("create view segment_summary as select * from summary_table")
        customers = con.execute("select count(*) from customer_segments").fetchone()

    publication = serving.publish(folder, views_read_marts=False)

    kept = [mart for mart in MARTS if mart not in PROFILE_MARTS]
    assert list(publication.rows) == kept
    assert f"({len(kept)} marts," in publication.summary_line()
    tables = serving_tables(folder.root)
    assert set(tables) == set(kept)
    assert tables["customer_segments"] == publication.rows["customer_segments"] == customers[0]
    files = {path.name for path in (folder.root / "serving" / "parquet").iterdir()}
    assert files == {f"{mart}.parquet" for mart in kept}
    for mart in kept:
        assert parquet_rows(folder.root, mart) == tables[mart]
    leftovers = [p.name for p in (folder.root / "serving").rglob(".*")]
    assert leftovers == []


def test_the_serving_database_holds_the_marts_only_and_equals_the_build(
    built: Path, tmp_path: Path
) -> None:
    """After a DuckDB build the serving file is a copy of the build database's file with
    everything but the marts dropped: no other view, no intermediate table, no other
    schema. customer_segments stays a view: it reads segment_history alone, so it reads
    in the copy, wherever the file is moved and whatever name it is attached under."""
    folder = copy_of_build(built, tmp_path / "work")
    expected = [
        ("main", mart, "VIEW" if mart == "customer_segments" else "BASE TABLE") for mart in MARTS
    ]
    moved = tmp_path / "elsewhere" / "copy.duckdb"
    moved.parent.mkdir()
    shutil.copyfile(folder.root / "serving" / "segments.duckdb", moved)
    with duckdb.connect(":memory:") as con:
        con.execute(f"attach '{moved}' as served (read_only)")
        moved_rows = con.execute("select count(*) from served.main.customer_segments").fetchone()
    with duckdb.connect(str(folder.root / "serving" / "segments.duckdb"), read_only=True) as con:
        relations = con.execute(
            "select table_schema, table_name, table_type from information_schema.tables"
        ).fetchall()
        assert sorted(relations) == sorted(expected)
        assert moved_rows == con.execute("select count(*) from customer_segments").fetchone()
        con.execute(f"attach '{folder.database}' as build (read_only)")
        for mart in MARTS:
            for left, right in ((mart, f"build.main.{mart}"), (f"build.main.{mart}", mart)):
                missing = con.execute(
                    f"select count(*) from (from {left} except all from {right})"
                ).fetchone()
                assert missing == (0,), (mart, left)


def test_the_parquet_files_keep_counts_as_integers(built: Path) -> None:
    """frequency is a count: a 64-bit integer in the Parquet files, not the floating-point
    number a 128-bit DuckDB sum would become there."""
    folder = built / "serving" / "parquet"
    with duckdb.connect(":memory:") as con:
        for mart in ("customer_segments", "segment_history"):
            path = str(folder / f"{mart}.parquet")
            kinds = dict(
                con.execute(
                    "select name, type from parquet_schema(?) where name in ('frequency',"
                    " 'recency_days', 'r_score')",
                    [path],
                ).fetchall()
            )
            assert kinds == {"frequency": "INT64", "recency_days": "INT64", "r_score": "INT64"}
            (total,) = con.execute("select sum(frequency) from read_parquet(?)", [path]).fetchone()
            assert isinstance(total, int) and total > 0


def test_parquet_dictionaries_stop_at_the_writers_limit(tmp_path: Path) -> None:
    """A column with more distinct values in a row group than PARQUET_OPTIONS' dictionary
    limit is written plain (8,000 customers, 5 rows each: DuckDB's default limit would
    keep their dictionary); a column of few values keeps its dictionary."""
    folder = Workdir(tmp_path)
    with duckdb.connect(str(folder.database)) as con:
        con.execute(
            "create table segment_summary as"
            " select 'C' || lpad(cast(i % 8000 as varchar), 7, '0') as customer_id,"
            " ['Champions', 'Lost'][1 + i % 2] as segment"
            " from range(40000) as t(i)"
        )
    serving.publish(folder, ["segment_summary"])
    path = str(tmp_path / "serving" / "parquet" / "segment_summary.parquet")
    with duckdb.connect(":memory:") as con:
        encodings = dict(
            con.execute(
                "select path_in_schema, string_agg(distinct encodings, ',')"
                " from parquet_metadata(?) group by path_in_schema",
                [path],
            ).fetchall()
        )
        customers = con.execute(
            "select count(distinct customer_id) from read_parquet(?)", [path]
        ).fetchone()
    assert encodings == {"customer_id": "PLAIN", "segment": "PLAIN_DICTIONARY"}
    assert customers == (8000,)


def test_a_build_database_with_a_wal_is_published_with_it(built: Path, tmp_path: Path) -> None:
    """Changes still in the build database's WAL (not yet checkpointed) are published."""
    folder = copy_of_build(built, tmp_path / "work")
    with duckdb.connect(str(folder.database)) as con:
        con.execute("pragma disable_checkpoint_on_shutdown")
        customers = con.execute("select count(*) from customer_segments").fetchone()
        # customer_segments is a view over segment_history's current date.
        con.execute(
            "delete from segment_history"
            " where customer_id = (select min(customer_id) from customer_segments)"
            " and as_of_date = (select max(as_of_date) from customer_segments)"
        )
    assert Path(f"{folder.database}.wal").exists()

    serving.publish(folder)

    assert customers is not None
    assert serving_tables(folder.root)["customer_segments"] == customers[0] - 1
    assert parquet_rows(folder.root, "customer_segments") == customers[0] - 1
    assert [p.name for p in (folder.root / "serving").rglob("*.wal")] == []
    assert [p.name for p in (folder.root / "serving").rglob(".*")] == []


def test_a_failed_publication_leaves_the_previous_copy_untouched(
    built: Path, tmp_path: Path
) -> None:
    folder = copy_of_build(built, tmp_path / "work")
    before = serving_files(folder.root)
    with duckdb.connect(str(folder.database)) as con:
        con.execute("drop table segment_transitions")
        # Fails while it is read, after the first marts are written.
        con.execute(
            "create view segment_transitions as"
            " select cast(customer_id as integer) as customer_id from customer_segments"
        )
    with pytest.raises(SegmentsError, match=r"previous copy in .* is unchanged"):
        serving.publish(folder)
    assert serving_files(folder.root) == before


def test_a_mart_view_reading_more_than_the_marts_fails_the_publication(
    built: Path, tmp_path: Path
) -> None:
    """A mart that is a view must read only other marts: the copy drops everything else,
    so a view reading anything more would not read in the serving file."""
    folder = copy_of_build(built, tmp_path / "work")
    before = serving_files(folder.root)
    with duckdb.connect(str(folder.database)) as con:
        con.execute("alter table segment_summary rename to summary_table")
        con.execute("create view segment_summary as select * from summary_table")
    with pytest.raises(SegmentsError, match=r"summary_table.*previous copy in .* is unchanged"):
        serving.publish(folder)
    assert serving_files(folder.root) == before
    assert [p.name for p in (folder.root / "serving").rglob(".*")] == []


def test_a_brief_reader_of_the_build_database_does_not_fail_the_build(built: Path) -> None:
    """A reader holds the build database when dbt first connects, then lets go after 1 s:
    the profile's connect retries wait for it."""
    tx = built / "tx.csv"
    log = built / ".segments" / "logs" / "dbt.log"
    start = log.stat().st_size if log.exists() else 0
    reader = duckdb.connect(str(built / "segments.duckdb"), read_only=True)
    try:
        process = subprocess.Popen(
            [
                # --debug: dbt logs its connections, which the wait below looks for.
                *(sys.executable, "-m", "cli.launch", "--debug", "build", "--workdir", str(built)),
                *("--transactions", str(tx), "--as-of", AS_OF, "--profiles"),
            ],
            cwd=built,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 300
        while "Opening a new connection" not in _log_since(log, start):
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "dbt never tried to connect"
            time.sleep(0.05)
        time.sleep(1)
        assert process.poll() is None  # still waiting for the lock, not failed
    finally:
        reader.close()
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr + stdout
    assert "serving copy:" in stdout


def _log_since(log: Path, offset: int) -> str:
    if not log.exists():
        return ""
    with log.open(encoding="utf-8", errors="replace") as handle:
        if log.stat().st_size >= offset:
            handle.seek(offset)
        return handle.read()


def test_serve_info_snippets_run(built: Path) -> None:
    result = segments("serve-info", "--workdir", str(built), cwd=built)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    database = built / "serving" / "segments.duckdb"
    assert f"duckdb -readonly {database}" in text
    assert f"SQLAlchemy URI:     duckdb:///{database}\n" in text
    customers = scored(built)

    # The Python snippet, as printed (pandas' .df() swapped for plain tuples).
    lines = text.split("\nPython\n", 1)[1].split("\n\n", 1)[0].splitlines()
    snippet = "\n".join(line[2:] for line in lines).replace(".df()", ".fetchall()")
    namespace: dict[str, object] = {}
    exec(snippet, namespace)
    assert len(namespace["customers"]) == customers  # type: ignore[arg-type]

    # Metabase's init SQL: views over the Parquet files on an in-memory DuckDB.
    init = [line.strip() for line in text.splitlines() if "create or replace view" in line]
    assert len(init) == len(MARTS)
    with duckdb.connect(":memory:") as con:
        con.execute("\n".join(init))
        assert con.execute("select count(*) from customer_segments").fetchone() == (customers,)

    # Evidence: the query of a .sql source file.
    (query,) = [line.strip() for line in text.splitlines() if "read_parquet" in line][-1:]
    with duckdb.connect(":memory:") as con:
        assert con.sql(query).fetchall()


def test_serve_info_without_a_serving_copy(tmp_path: Path) -> None:
    result = segments("serve-info", "--workdir", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: no serving copy in {tmp_path / 'serving'}: run")


def test_docs_generate_lists_the_exposures(built: Path) -> None:
    result = segments("docs", "--workdir", str(built), cwd=built)
    assert result.returncode == 0, result.stderr + result.stdout
    target = built / ".segments" / "target"
    assert f"docs: {target / 'index.html'}" in result.stdout
    manifest = json.loads((target / "manifest.json").read_text())
    exposures = {e["name"]: e for e in manifest["exposures"].values()}
    assert set(exposures) == {"segments_report", "segments_exports", "segments_serving_copy"}
    assert all(e["owner"]["name"] == "Segments maintainers" for e in exposures.values())
    assert "model.segments.customer_segments" in exposures["segments_report"]["depends_on"]["nodes"]
    catalog = json.loads((target / "catalog.json").read_text())
    assert "model.segments.customer_segments" in catalog["nodes"]
