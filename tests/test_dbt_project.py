"""The dbt project itself: a full `dbt build` (seeds, models, unit tests, data tests) on
the small fixture, run the way an analytics engineer would run it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from cli import dbt_runner

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "transactions_small.csv"


def dbt(
    command: str, tmp_path: Path, env_vars: dict[str, str] | None = None, **vars_: object
) -> tuple[int, dict, str]:
    target = tmp_path / "target"
    env = {
        **os.environ,
        "SEGMENTS_DUCKDB_PATH": str(tmp_path / "segments.duckdb"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        **(env_vars or {}),
    }
    args = [
        sys.executable,
        "-c",
        "import sys; from dbt.cli.main import cli; sys.exit(cli())",
        command,
        "--project-dir",
        str(ROOT),
        "--profiles-dir",
        str(ROOT),
        "--target-path",
        str(target),
        "--log-path",
        str(tmp_path / "logs"),
        "--vars",
        json.dumps({"transactions_path": str(FIXTURE), **vars_}),
    ]
    done = subprocess.run(args, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    results_file = target / "run_results.json"
    results = json.loads(results_file.read_text()) if results_file.exists() else {}
    return done.returncode, results, done.stdout


@pytest.fixture(scope="module")
def full_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, dict, str]:
    return dbt("build", tmp_path_factory.mktemp("dbt"))


def test_dbt_build_passes_every_unit_and_data_test(full_build: tuple[int, dict, str]) -> None:
    code, results, output = full_build
    assert code == 0, output[-3000:]
    statuses = {r["unique_id"]: r["status"] for r in results["results"]}
    unit = [uid for uid in statuses if uid.startswith("unit_test.")]
    data = [uid for uid in statuses if uid.startswith("test.")]
    assert len(unit) >= 15, unit
    assert len(data) >= 40, data
    assert all(statuses[uid] == "pass" for uid in unit + data)


@pytest.mark.parametrize(
    "name",
    [
        "test_scored_ties_half_buy_once",
        "test_scored_single_customer",
        "test_scored_directions",
        "test_scored_thresholds_boundaries",
        "test_classified_as_of_boundary",
        "test_classified_paid_refund_failed",
        "test_totals_from_every_transaction",
        "test_totals_add_appended_files",
        "test_totals_empty_at_given_as_of_dates",
        "test_aggregated_from_totals_without_as_of_date",
        "test_checked_transactions_rejects_contract_breaks",
        "test_repeated_ids_first_row_in_file_order_wins",
        "test_repeated_ids_numbered_in_memory_in_the_order_read",
        "test_repeated_ids_numbered_in_memory_from_1_in_each_file",
        "test_segmented_maps_cells_through_grid",
        "test_customer_segments_shows_current_date_with_previous_segment",
        "test_scored_ranks_within_each_as_of_date",
        "test_aggregated_per_as_of_date",
        "test_stays_break_on_other_segment_and_on_gaps",
        "test_stays_continue_from_the_loaded_history",
        "test_stays_rewrite_later_dates_when_an_earlier_one_is_built",
        "test_transitions_count_moves_entries_and_exits",
        "test_transitions_replace_only_the_pairs_of_the_dates_written",
        "test_segment_summary_shares_and_empty_segments",
        "test_checked_customers_rejects_contract_breaks",
        "test_checked_events_rejects_contract_breaks",
        "test_identified_unions_customers_transactions_and_events",
        "test_lifecycle_stages_and_boundaries",
        "test_lifecycle_thresholds_from_vars",
        "test_tiers_and_tenure_bands_at_boundaries",
        "test_age_bands_at_boundaries",
        "test_age_of_29_february_birthdays",
        "test_favourite_category_ties_are_deterministic",
        "test_preferred_channel_ties_are_deterministic",
        "test_engagement_windows_and_levels",
        "test_engagement_thresholds_from_vars",
        "test_affinities_support_confidence_lift",
        "test_recommendations_rank_by_lift_excluding_bought",
        "test_profiles_join_every_lens_and_keep_prospects",
        "test_profiles_engagement_defaults_with_an_events_file",
        "test_dynamic_segments_combine_conditions_with_and",
        "test_dynamic_segments_every_operator",
    ],
)
def test_rule_has_a_passing_unit_test(full_build: tuple[int, dict, str], name: str) -> None:
    _, results, _ = full_build
    matching = [r for r in results["results"] if r["unique_id"].endswith("." + name)]
    assert [r["status"] for r in matching] == ["pass"]


def test_invariant_tests_ran(full_build: tuple[int, dict, str]) -> None:
    _, results, _ = full_build
    ran = {r["unique_id"] for r in results["results"]}
    for fragment in [
        "assert_raw_rows_are_staged_or_rejected",
        "complete_rfm_grid_stg_seeds__segment_grid",
        "sums_to_one_segment_summary_share_of_customers",
        "score_orders_values_customer_segments_r_score",
        "assert_transitions_account_for_every_customer",
        "assert_raw_customers_are_staged_or_rejected",
        "assert_raw_events_are_staged_or_rejected",
        "assert_profiles_agree_with_customer_segments",
        "assert_dynamic_segment_columns_match_profiles",
    ]:
        assert any(fragment in uid for uid in ran), fragment


def test_bad_as_of_var_fails_with_a_clear_message(tmp_path: Path) -> None:
    code, _, output = dbt("build", tmp_path, as_of_date="1998-02-30")
    assert code != 0
    assert "segments: as_of_date must be a calendar date written YYYY-MM-DD" in output


def test_bad_scoring_method_fails_with_a_clear_message(tmp_path: Path) -> None:
    code, _, output = dbt("build", tmp_path, scoring_method="ntile")
    assert code != 0
    assert "segments: unknown scoring_method 'ntile'" in output


def test_a_var_in_the_environment_wins_over_the_dbt_var(tmp_path: Path) -> None:
    """segments.build_var: SEGMENTS_VAR_<NAME> (how the CLI passes a build's vars) is read
    before --vars."""
    env_vars = {"SEGMENTS_VAR_SCORING_METHOD": '"ntile"'}
    code, _, output = dbt("parse", tmp_path, env_vars, scoring_method="quintile")
    assert code != 0
    assert "segments: unknown scoring_method 'ntile'" in output


def test_a_var_in_the_environment_must_be_json(tmp_path: Path) -> None:
    code, _, output = dbt("parse", tmp_path, {"SEGMENTS_VAR_AS_OF_DATE": "1998-07-01"})
    assert code != 0
    assert "segments: SEGMENTS_VAR_AS_OF_DATE must hold a JSON value, got '1998-07-01'" in output


# A call of dbt's var() on one of the CLI's vars, which would miss the environment.
_VAR_CALL = re.compile(r"(?<![\w.])var\(\s*['\"](\w+)['\"]")


def test_the_vars_the_cli_passes_are_read_through_build_var() -> None:
    """The CLI passes the vars of dbt_runner.ENV_VARS in the environment only: a plain var()
    of one of them would read the project's default instead."""
    plain = []
    for folder in ("models", "macros", "tests/data"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix not in (".sql", ".yml") or path.name == "build_var.sql":
                continue
            for name in _VAR_CALL.findall(path.read_text(encoding="utf-8")):
                if name in dbt_runner.ENV_VARS:
                    plain.append(f"{path.relative_to(ROOT)}: var('{name}')")
    assert not plain, plain
    # build_var is where the environment is read, and what the checks above look for.
    assert "SEGMENTS_VAR_" in (ROOT / "macros" / "segments" / "build_var.sql").read_text()
    assert dbt_runner.VAR_ENV_PREFIX == "SEGMENTS_VAR_"
