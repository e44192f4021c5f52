"""An independent, plain-Python implementation of PRODUCT.md's RFM rules.

Used by the end-to-end tests as the hand computation the dbt models must equal.
Deliberately written without SQL and without sharing code with the models.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

# The default segment grid, as PRODUCT.md states it: R score -> FM score 1..5.
SPEC_GRID: dict[int, list[str]] = {
    5: ["New Customers", "Potential Loyalists", "Potential Loyalists", "Champions", "Champions"],
    4: ["Promising", "Potential Loyalists", "Loyal Customers", "Champions", "Champions"],
    3: ["Promising", "About to Sleep", "Need Attention", "Loyal Customers", "Loyal Customers"],
    2: ["Hibernating", "About to Sleep", "At Risk", "At Risk", "Can't Lose Them"],
    1: ["Lost", "Hibernating", "At Risk", "Can't Lose Them", "Can't Lose Them"],
}


@dataclass
class Expected:
    customer_id: str
    recency_days: int
    frequency: int
    monetary: Decimal
    r_score: int = 0
    f_score: int = 0
    m_score: int = 0
    fm_score: int = 0
    segment: str = ""


def _parse_day(value: str) -> date:
    return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()


def _scores(values: list, ascending: bool) -> list[int]:
    """1 + floor(5 * (rank - 1) / n), rank as SQL rank(): 1 + number of strictly better-ranked."""
    n = len(values)
    scores = []
    for v in values:
        ahead = sum(1 for w in values if (w < v if ascending else w > v))
        scores.append(1 + (5 * ahead) // n)
    return scores


def expected_segments(path: Path, as_of: date) -> dict[str, Expected]:
    """Customer figures, scores and segments for a clean transactions CSV."""
    last_paid: dict[str, date] = {}
    frequency: dict[str, int] = {}
    monetary: dict[str, Decimal] = {}
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            day = _parse_day(row["transaction_at"])
            if day >= as_of:
                continue
            status = (row.get("status") or "").strip().lower() or "paid"
            amount = Decimal(row["amount"].strip())
            customer = row["customer_id"].strip()
            if status == "failed":
                continue
            if status == "refunded" or amount < 0:
                monetary[customer] = monetary.get(customer, Decimal(0)) - abs(amount)
                continue
            frequency[customer] = frequency.get(customer, 0) + 1
            monetary[customer] = monetary.get(customer, Decimal(0)) + amount
            if customer not in last_paid or day > last_paid[customer]:
                last_paid[customer] = day
    ids = sorted(frequency)
    rows = [
        Expected(c, (as_of - last_paid[c]).days, frequency[c], monetary.get(c, Decimal(0)))
        for c in ids
    ]
    r = _scores([x.recency_days for x in rows], ascending=False)
    f = _scores([x.frequency for x in rows], ascending=True)
    m = _scores([x.monetary for x in rows], ascending=True)
    for x, rs, fs, ms in zip(rows, r, f, m, strict=True):
        x.r_score, x.f_score, x.m_score = rs, fs, ms
        x.fm_score = (fs + ms + 1) // 2
        x.segment = SPEC_GRID[rs][x.fm_score - 1]
    return {x.customer_id: x for x in rows}
