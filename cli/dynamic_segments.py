"""Dynamic segments: named conditions over customer_profiles, read from a YAML file.

The file (`segments build --segments-file segments.yml`) holds a `segments:` list:

    segments:
      - name: at_risk_id_clickers
        description: At Risk customers in Indonesia who clicked an email lately
        conditions:
          - {column: segment, operator: "=", value: At Risk}
          - {column: country, operator: "=", value: ID}
          - {column: email_clicks_90d, operator: ">", value: 0}

The definitions are checked here, before dbt starts, so a mistake costs a second and one
line; the dbt project checks them again with the same rules (the dynamic_segment_* macros),
since dbt users set the `dynamic_segments` var directly. The rules and messages of both
must stay the same.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from cli.errors import SegmentsError

# The columns of customer_profiles a condition may use, with the type of value each takes.
# Kept equal to the dynamic_segment_columns macro by tests/test_dynamic_segments.py.
PROFILE_COLUMNS: dict[str, str] = {
    "customer_id": "text",
    "lifecycle_stage": "text",
    "segment": "text",
    "rfm_cell": "text",
    "r_score": "number",
    "f_score": "number",
    "m_score": "number",
    "recency_days": "number",
    "frequency": "number",
    "monetary": "number",
    "avg_order_value": "number",
    "first_purchase_at": "timestamp",
    "last_purchase_at": "timestamp",
    "aov_tier": "text",
    "frequency_tier": "text",
    "tenure_days": "number",
    "tenure_band": "text",
    "favourite_category": "text",
    "preferred_channel": "text",
    "email": "text",
    "birth_date": "date",
    "age": "number",
    "age_band": "text",
    "gender": "text",
    "education": "text",
    "city": "text",
    "region": "text",
    "country": "text",
    "acquisition_source": "text",
    "signed_up_at": "timestamp",
    "declared_preferred_channel": "text",
    "email_opens_30d": "number",
    "email_opens_90d": "number",
    "email_clicks_30d": "number",
    "email_clicks_90d": "number",
    "site_visits_30d": "number",
    "site_visits_90d": "number",
    "cart_adds_30d": "number",
    "cart_adds_90d": "number",
    "last_activity_at": "timestamp",
    "days_since_last_activity": "number",
    "engagement_level": "text",
    "has_customer_record": "boolean",
    "has_transactions": "boolean",
    "has_events": "boolean",
    "as_of_date": "date",
}

_EQUALITY = ["=", "!=", "in", "not_in", "is_null", "is_not_null"]
_ORDERED = ["=", "!=", "<", "<=", ">", ">=", "in", "not_in", "is_null", "is_not_null"]
OPERATORS: dict[str, list[str]] = {
    "text": _EQUALITY,
    "number": _ORDERED,
    "date": _ORDERED,
    "timestamp": _ORDERED,
    "boolean": ["=", "!=", "is_null", "is_not_null"],
}

_NAME = re.compile(r"[a-z][a-z0-9_]{0,62}")
# Digits with an optional sign, decimals and exponent (JSON carries 1e+20, which dbt's
# YAML reading of the vars leaves as text).
_NUMBER_TEXT = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DEFINITION_KEYS = ("name", "description", "conditions")
_CONDITION_KEYS = ("column", "operator", "value")


def load(path: Path) -> list[dict[str, Any]]:
    """The validated definitions of a segments file, ready for the `dynamic_segments` var."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SegmentsError(f"segments file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SegmentsError(f"cannot read segments file {path}: {exc}") from None
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" (line {where.line + 1})" if where is not None else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise SegmentsError(f"segments file {path} is not valid YAML{line}: {problem}") from None
    except ValueError as exc:  # YAML reads 2024-02-30 as a date, and fails
        raise SegmentsError(f"segments file {path} holds an invalid value: {exc}") from None
    if not isinstance(document, dict) or set(document) != {"segments"}:
        raise SegmentsError(
            f"segments file {path} must hold one key, segments: a list of definitions"
        )
    definitions = document["segments"]
    if not isinstance(definitions, list):
        raise SegmentsError(f"segments file {path}: segments must be a list of definitions")
    try:
        return validate(definitions)
    except SegmentsError as exc:
        raise SegmentsError(f"segments file {path}: {exc}") from None


def validate(definitions: list[Any]) -> list[dict[str, Any]]:
    """Check every definition (the first problem raises a one-line SegmentsError); return
    them as plain JSON values (dates as YYYY-MM-DD strings)."""
    seen: list[str] = []
    for position, definition in enumerate(definitions, start=1):
        problem = definition_problem(definition, position, seen)
        if problem:
            raise SegmentsError(problem)
        seen.append(definition["name"])
    return [_plain(definition) for definition in definitions]


def definition_problem(definition: Any, position: int, seen: list[str]) -> str | None:
    """Why one definition is invalid, naming the segment and the field; None when valid."""
    where = f"dynamic segment #{position}"
    if not isinstance(definition, dict):
        return f"{where}: must be a mapping with name, description and conditions"
    name = definition.get("name")
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        return (
            f"{where}: name must be a lower-case identifier (a-z, 0-9 and _, starting with a"
            f" letter, at most 63 characters), got '{_text(name)}'"
        )
    where = f"dynamic segment '{name}'"
    if name in seen:
        return f"{where}: name is used by more than one dynamic segment"
    for key in definition:
        if key not in _DEFINITION_KEYS:
            return f"{where}: unknown field '{key}' (expected name, description, conditions)"
    description = definition.get("description")
    if description is not None:
        problem = value_problem(description, "text")
        if problem:
            return f"{where}: description {problem}"
    conditions = definition.get("conditions")
    if not isinstance(conditions, list) or not conditions:
        return f"{where}: conditions must be a non-empty list"
    for index, condition in enumerate(conditions, start=1):
        problem = _condition_problem(condition)
        if problem:
            return f"{where} condition {index}: {problem}"
    return None


def _condition_problem(condition: Any) -> str | None:
    if not isinstance(condition, dict):
        return "must be a mapping with column, operator and value"
    for key in condition:
        if key not in _CONDITION_KEYS:
            return f"unknown field '{key}' (expected column, operator, value)"
    column = condition.get("column")
    if not isinstance(column, str) or column not in PROFILE_COLUMNS:
        known = ", ".join(PROFILE_COLUMNS)
        return f"unknown column '{_text(column)}' (customer_profiles has {known})"
    value_type = PROFILE_COLUMNS[column]
    operator = condition.get("operator")
    allowed = OPERATORS[value_type]
    if not isinstance(operator, str) or operator not in allowed:
        return (
            f"operator '{_text(operator)}' cannot be used on {value_type} column {column}"
            f" (use {', '.join(allowed)})"
        )
    value = condition.get("value")
    if operator in ("is_null", "is_not_null"):
        return f"operator {operator} takes no value" if "value" in condition else None
    if operator in ("in", "not_in"):
        if not isinstance(value, list) or not value:
            return f"value of {column} {operator} must be a non-empty list"
        for index, item in enumerate(value, start=1):
            problem = value_problem(item, value_type)
            if problem:
                return f"value {index} of {column} {problem}"
        return None
    problem = value_problem(value, value_type)
    return f"value of {column} {problem}" if problem else None


def value_problem(value: Any, value_type: str) -> str | None:
    """Why `value` cannot be compared with a column of `value_type`; None when it can."""
    if value is None:
        return "needs a value"
    if isinstance(value, dict | list):
        return f"must be a single value, got a {'mapping' if isinstance(value, dict) else 'list'}"
    shown = _text(value)
    if value_type == "boolean":
        return None if isinstance(value, bool) else f"must be true or false, got '{shown}'"
    if value_type == "number":
        if isinstance(value, bool):
            return f"must be a number, got '{shown}'"
        if isinstance(value, int | float):
            return None if math.isfinite(value) else f"must be a finite number, got '{shown}'"
        if isinstance(value, str) and _NUMBER_TEXT.fullmatch(value):
            return None
        return f"must be a number, got '{shown}'"
    if value_type in ("date", "timestamp"):
        if isinstance(value, datetime) or not _is_calendar_date(value):
            return f"must be a calendar date written YYYY-MM-DD, got '{shown}'"
        return None
    if not isinstance(value, str):
        return f"must be text (quote it), got '{shown}'"
    if "\\" in value or "\x00" in value:
        return "must not contain a backslash or a NUL character"
    return None


def _is_calendar_date(value: Any) -> bool:
    if isinstance(value, date):
        return True
    if not isinstance(value, str) or not _DATE_TEXT.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _text(value: Any) -> str:
    """A value as the dbt macros show it in messages (True -> True, dates ISO)."""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _plain(value: Any) -> Any:
    """YAML values as JSON values: dates (YAML reads 2024-01-01 as a date) become strings."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return value
