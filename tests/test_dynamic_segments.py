"""The dynamic-segment compiler: every rejected definition, in the CLI (Python) and in the
dbt macros, with the same one-line message; values bound as literals, never as SQL.

dbt unit tests cannot assert compile errors, so the macros are checked here: all cases go
through one `dbt run-operation check_dynamic_segments` (which logs each definition's
problem), and one `dbt build` with a bad definition shows the run stops before anything is
built.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pytest

from cli import dynamic_segments
from cli.errors import SegmentsError

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "transactions_small.csv"
COLUMNS = ", ".join(dynamic_segments.PROFILE_COLUMNS)


def seg(*conditions: dict[str, Any], name: str = "s", **extra: Any) -> dict[str, Any]:
    return {"name": name, "conditions": list(conditions), **extra}


def cond(column: Any, operator: Any, *value: Any) -> dict[str, Any]:
    condition = {"column": column, "operator": operator}
    if value:
        condition["value"] = value[0]
    return condition


# (definition, expected problem); every way a definition is rejected.
REJECTED: list[tuple[Any, str]] = [
    ("At Risk", "dynamic segment #1: must be a mapping with name, description and conditions"),
    (
        {"conditions": [cond("country", "=", "ID")]},
        "dynamic segment #1: name must be a lower-case identifier (a-z, 0-9 and _, starting"
        " with a letter, at most 63 characters), got 'None'",
    ),
    (
        seg(cond("country", "=", "ID"), name="At Risk"),
        "dynamic segment #1: name must be a lower-case identifier (a-z, 0-9 and _, starting"
        " with a letter, at most 63 characters), got 'At Risk'",
    ),
    (
        seg(cond("country", "=", "ID"), name="x'; drop table customer_profiles; --"),
        "dynamic segment #1: name must be a lower-case identifier (a-z, 0-9 and _, starting"
        " with a letter, at most 63 characters), got 'x'; drop table customer_profiles; --'",
    ),
    (
        seg(cond("country", "=", "ID"), name="a" * 64),
        "dynamic segment #1: name must be a lower-case identifier (a-z, 0-9 and _, starting"
        f" with a letter, at most 63 characters), got '{'a' * 64}'",
    ),
    (
        seg(cond("country", "=", "ID"), conditons=[]),
        "dynamic segment 's': unknown field 'conditons' (expected name, description, conditions)",
    ),
    (
        seg(cond("country", "=", "ID"), description="a\\b"),
        "dynamic segment 's': description must not contain a backslash or a NUL character",
    ),
    (
        seg(cond("country", "=", "ID"), description=5),
        "dynamic segment 's': description must be text (quote it), got '5'",
    ),
    ({"name": "s"}, "dynamic segment 's': conditions must be a non-empty list"),
    (seg(), "dynamic segment 's': conditions must be a non-empty list"),
    (
        {"name": "s", "conditions": {"column": "country"}},
        "dynamic segment 's': conditions must be a non-empty list",
    ),
    (
        seg("country = 'ID'"),
        "dynamic segment 's' condition 1: must be a mapping with column, operator and value",
    ),
    (
        seg({"column": "country", "operator": "in", "values": ["ID"]}),
        "dynamic segment 's' condition 1: unknown field 'values' (expected column, operator,"
        " value)",
    ),
    (
        seg(cond("country", "=", "ID"), cond("contry", "=", "ID")),
        f"dynamic segment 's' condition 2: unknown column 'contry' (customer_profiles has"
        f" {COLUMNS})",
    ),
    (
        seg(cond("1=1) or (1", "=", "ID")),
        f"dynamic segment 's' condition 1: unknown column '1=1) or (1' (customer_profiles has"
        f" {COLUMNS})",
    ),
    (
        seg({"operator": "=", "value": "ID"}),
        f"dynamic segment 's' condition 1: unknown column 'None' (customer_profiles has {COLUMNS})",
    ),
    (
        seg(cond("country", "==", "ID")),
        "dynamic segment 's' condition 1: operator '==' cannot be used on text column country"
        " (use =, !=, in, not_in, is_null, is_not_null)",
    ),
    (
        seg(cond("country", "like", "I%")),
        "dynamic segment 's' condition 1: operator 'like' cannot be used on text column"
        " country (use =, !=, in, not_in, is_null, is_not_null)",
    ),
    (
        seg(cond("segment", "<", "Lost")),
        "dynamic segment 's' condition 1: operator '<' cannot be used on text column segment"
        " (use =, !=, in, not_in, is_null, is_not_null)",
    ),
    (
        seg(cond("has_events", "in", [True])),
        "dynamic segment 's' condition 1: operator 'in' cannot be used on boolean column"
        " has_events (use =, !=, is_null, is_not_null)",
    ),
    (
        seg({"column": "email", "value": "x"}),
        "dynamic segment 's' condition 1: operator 'None' cannot be used on text column email"
        " (use =, !=, in, not_in, is_null, is_not_null)",
    ),
    (
        seg(cond("email", "is_null", "x")),
        "dynamic segment 's' condition 1: operator is_null takes no value",
    ),
    (
        seg(cond("country", "in", "ID")),
        "dynamic segment 's' condition 1: value of country in must be a non-empty list",
    ),
    (
        seg(cond("country", "not_in", [])),
        "dynamic segment 's' condition 1: value of country not_in must be a non-empty list",
    ),
    (
        seg(cond("age", "in", [30, "forty"])),
        "dynamic segment 's' condition 1: value 2 of age must be a number, got 'forty'",
    ),
    (seg(cond("country", "=")), "dynamic segment 's' condition 1: value of country needs a value"),
    (
        seg(cond("country", "=", None)),
        "dynamic segment 's' condition 1: value of country needs a value",
    ),
    (
        seg(cond("rfm_cell", "=", 545)),
        "dynamic segment 's' condition 1: value of rfm_cell must be text (quote it), got '545'",
    ),
    (
        seg(cond("city", "=", "x\\' or 1=1 --")),
        "dynamic segment 's' condition 1: value of city must not contain a backslash or a NUL"
        " character",
    ),
    (
        seg(cond("city", "=", "a\x00b")),
        "dynamic segment 's' condition 1: value of city must not contain a backslash or a NUL"
        " character",
    ),
    (
        seg(cond("city", "=", ["a"])),
        "dynamic segment 's' condition 1: value of city must be a single value, got a list",
    ),
    (
        seg(cond("city", "=", {"a": 1})),
        "dynamic segment 's' condition 1: value of city must be a single value, got a mapping",
    ),
    (
        seg(cond("email_clicks_90d", ">", "0 or 1=1")),
        "dynamic segment 's' condition 1: value of email_clicks_90d must be a number, got"
        " '0 or 1=1'",
    ),
    (
        seg(cond("monetary", ">", True)),
        "dynamic segment 's' condition 1: value of monetary must be a number, got 'True'",
    ),
    (
        seg(cond("monetary", ">", "1,5")),
        "dynamic segment 's' condition 1: value of monetary must be a number, got '1,5'",
    ),
    (
        seg(cond("birth_date", ">=", "1998-02-30")),
        "dynamic segment 's' condition 1: value of birth_date must be a calendar date written"
        " YYYY-MM-DD, got '1998-02-30'",
    ),
    (
        seg(cond("last_purchase_at", "<", "01/02/1998")),
        "dynamic segment 's' condition 1: value of last_purchase_at must be a calendar date"
        " written YYYY-MM-DD, got '01/02/1998'",
    ),
    (
        seg(cond("as_of_date", "=", 19980701)),
        "dynamic segment 's' condition 1: value of as_of_date must be a calendar date written"
        " YYYY-MM-DD, got '19980701'",
    ),
    (
        seg(cond("signed_up_at", ">", "1998-01-01 10:00:00")),
        "dynamic segment 's' condition 1: value of signed_up_at must be a calendar date"
        " written YYYY-MM-DD, got '1998-01-01 10:00:00'",
    ),
    (
        seg(cond("has_events", "=", "true")),
        "dynamic segment 's' condition 1: value of has_events must be true or false, got 'true'",
    ),
    (
        seg(cond("has_events", "=", 1)),
        "dynamic segment 's' condition 1: value of has_events must be true or false, got '1'",
    ),
]

# Valid definitions and the SQL condition each compiles to.
ACCEPTED: list[tuple[dict[str, Any], str]] = [
    (
        seg(
            cond("segment", "=", "At Risk"),
            cond("country", "=", "ID"),
            cond("email_clicks_90d", ">", 0),
            name="at_risk_id_clickers",
        ),
        "segment = 'At Risk' and country = 'ID' and email_clicks_90d > 0",
    ),
    (
        seg(cond("city", "=", "x' or '1'='1"), name="quoted"),
        "city = 'x'' or ''1''=''1'",
    ),
    (
        seg(
            cond("lifecycle_stage", "not_in", ["churned", "lapsing"]),
            cond("monetary", ">=", "99.5"),
            cond("avg_order_value", "<", 1e20),
            cond("age", "in", [18, 2.5, -3]),
            name="lists_and_numbers",
        ),
        "lifecycle_stage not in ('churned', 'lapsing') and monetary >= 99.5"
        " and avg_order_value < 1e+20 and age in (18, 2.5, -3)",
    ),
    (
        seg(
            cond("birth_date", "<=", "1980-02-29"),
            cond("last_purchase_at", ">", "1998-01-01"),
            cond("has_events", "!=", False),
            cond("email", "is_not_null"),
            cond("region", "is_null"),
            name="dates_and_nulls",
            description='Born by 1980, it\'s "quoted"',
        ),
        "birth_date <= cast('1980-02-29' as date) and last_purchase_at > cast('1998-01-01' as"
        " timestamp) and has_events != false and email is not null and region is null",
    ),
]


def dbt(command: str, tmp_path: Path, *args: str, **vars_: object) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "SEGMENTS_DUCKDB_PATH": str(tmp_path / "segments.duckdb"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from dbt.cli.main import cli; sys.exit(cli())",
            command,
            "--project-dir",
            str(ROOT),
            "--profiles-dir",
            str(ROOT),
            "--target-path",
            str(tmp_path / "target"),
            "--log-path",
            str(tmp_path / "logs"),
            "--vars",
            json.dumps({"transactions_path": str(FIXTURE), **vars_}),
            *args,
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def check_with_dbt(tmp_path: Path, definitions: list[Any]) -> tuple[int, str]:
    """Run the check_dynamic_segments operation on `definitions`; its exit code and log."""
    done = dbt(
        "run-operation",
        tmp_path,
        "check_dynamic_segments",
        "--args",
        json.dumps({"definitions": definitions}),
    )
    return done.returncode, done.stdout


@pytest.fixture(scope="module")
def macro_accepted(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The `name: condition` line the macros log for each ACCEPTED definition."""
    code, output = check_with_dbt(tmp_path_factory.mktemp("macro"), [d for d, _ in ACCEPTED])
    assert code == 0, output[-3000:]
    return re.findall(r"\bok: (.*)$", output, flags=re.MULTILINE)


@pytest.fixture(scope="module")
def macro_problems(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The problem the macros log for each REJECTED definition, all sent in one list (a
    definition's position in it, #n, is read as #1, its position when sent alone)."""
    code, output = check_with_dbt(tmp_path_factory.mktemp("macro"), [d for d, _ in REJECTED])
    assert code != 0
    assert f"segments: {len(REJECTED)} invalid dynamic segment definition(s)" in output
    problems = re.findall(r"\binvalid: (.*)$", output, flags=re.MULTILINE)
    return [re.sub(r"^dynamic segment #\d+:", "dynamic segment #1:", p) for p in problems]


@pytest.mark.parametrize(("definition", "expected"), REJECTED)
def test_cli_rejects_with_one_clear_line(definition: Any, expected: str) -> None:
    with pytest.raises(SegmentsError) as raised:
        dynamic_segments.validate([definition])
    assert str(raised.value) == expected
    assert "\n" not in str(raised.value)


def test_macro_rejects_every_case_with_the_cli_message(macro_problems: list[str]) -> None:
    # The names repeat ('s'), but a name only counts as taken once its definition is
    # valid, so no case is reported as a duplicate.
    assert macro_problems == [expected for _, expected in REJECTED]


def test_macro_and_cli_accept_the_same_definitions(macro_accepted: list[str]) -> None:
    assert macro_accepted == [f"{d['name']}: {sql}" for d, sql in ACCEPTED]
    validated = dynamic_segments.validate([d for d, _ in ACCEPTED])
    assert [d["name"] for d in validated] == [d["name"] for d, _ in ACCEPTED]


def test_duplicate_names_are_rejected() -> None:
    one = seg(cond("country", "=", "ID"), name="same")
    with pytest.raises(SegmentsError, match="dynamic segment 'same': name is used by more"):
        dynamic_segments.validate([one, one])


def test_cli_columns_are_the_macro_columns() -> None:
    macro = (ROOT / "macros" / "dynamic_segments" / "dynamic_segment_columns.sql").read_text()
    pairs = dict(re.findall(r"'(\w+)': '(text|number|date|timestamp|boolean)'", macro))
    assert pairs == dynamic_segments.PROFILE_COLUMNS


def test_load_reads_a_yaml_file_with_dates(tmp_path: Path) -> None:
    path = tmp_path / "segments.yml"
    path.write_text(
        "segments:\n"
        "  - name: early_birds\n"
        "    description: Signed up before 1997\n"
        "    conditions:\n"
        "      - {column: signed_up_at, operator: '<', value: 1997-01-01}\n"
        "      - {column: country, operator: in, value: [ID, 'N''A']}\n"
    )
    assert dynamic_segments.load(path) == [
        {
            "name": "early_birds",
            "description": "Signed up before 1997",
            "conditions": [
                {"column": "signed_up_at", "operator": "<", "value": "1997-01-01"},
                {"column": "country", "operator": "in", "value": ["ID", "N'A"]},
            ],
        }
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("segments: [\n", "is not valid YAML (line 2)"),
        ("- name: x\n", "must hold one key, segments: a list of definitions"),
        ("segments: {name: x}\n", "segments must be a list of definitions"),
        (
            "segments:\n  - {name: x, conditions: [{column: as_of_date, operator: '=',"
            " value: 1998-02-30}]}\n",
            "holds an invalid value: day is out of range for month",
        ),
        (
            "segments:\n  - {name: x, conditions: [{column: ages, operator: '>', value: 1}]}\n",
            "dynamic segment 'x' condition 1: unknown column 'ages'",
        ),
    ],
)
def test_load_errors_name_the_file(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "segments.yml"
    path.write_text(text)
    with pytest.raises(SegmentsError) as raised:
        dynamic_segments.load(path)
    message = str(raised.value)
    assert message.startswith(f"segments file {path}")
    assert expected in message
    assert "\n" not in message


def test_dbt_build_with_a_bad_definition_stops_before_building(tmp_path: Path) -> None:
    bad = seg(cond("segment", "=", "Lost"), cond("email_clicks_90d", ">", "0 or 1=1"))
    done = dbt("build", tmp_path, dynamic_segments=[bad])
    assert done.returncode != 0
    assert (
        "segments: dynamic segment 's' condition 2: value of email_clicks_90d must be a"
        " number, got '0 or 1=1'" in done.stdout
    )
    database = tmp_path / "segments.duckdb"
    if database.exists():  # opened by dbt, but nothing built in it
        with duckdb.connect(str(database), read_only=True) as con:
            tables = con.sql("select table_name from information_schema.tables").fetchall()
        assert tables == []
