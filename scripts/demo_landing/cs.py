"""nps_responses, support_tickets, csm_touchpoints and cs_health_scores: the CS platform's view.

High-health plants answer NPS as promoters, open few tickets that close fast, hear from their
CSM often and positively and score high on the CS platform; low-health plants the opposite;
the rest sit in between. Each source ends with its planted bad rows.
"""

from __future__ import annotations

import datetime as dt
import random

from demo_landing.common import add_months, day_time, fmt_cs_ts, fmt_ts, months_between, random_day
from demo_landing.world import HIGH_HEALTH, LOW_HEALTH, Account, World

NPS_FILE = "nps_responses.csv"
NPS_HEADER = ["response_id", "account_id", "responded_at", "score"]
TICKETS_FILE = "support_tickets.csv"
TICKETS_HEADER = ["ticket_id", "account_id", "opened_at", "closed_at", "priority", "product_area",
                  "fix_shipped_at"]
TOUCHPOINTS_FILE = "csm_touchpoints.csv"
TOUCHPOINTS_HEADER = ["touchpoint_id", "account_id", "occurred_at", "touchpoint_type", "sentiment"]
HEALTH_SCORES_NAME = "cs_health_scores"
# Written as Parquet: column -> DuckDB type.
HEALTH_SCORES_COLUMNS = {"account_id": "varchar", "scored_at": "timestamp", "health_score": "integer",
                         "renewal_risk": "varchar"}

NPS_HIGH = [10] * 5 + [9] * 4 + [8] * 2
NPS_LOW = [0, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 7]
NPS_MID = [6, 7, 7, 8, 8]
PRODUCT_AREAS = ("analytics", "data", "automation", "platform", "collaboration")
TOUCHPOINT_TYPES = ("call", "email", "qbr", "meeting")
TOUCHPOINT_TYPE_WEIGHTS = (35, 35, 10, 20)
SILENT_DAYS = 70  # low-health accounts have had no touchpoint for this many days at the end


def window_months(world: World) -> list[tuple[dt.date, dt.date]]:
    """(first day, last day) of each month touched by the window, clipped to it."""
    out = []
    for m in months_between(world.window_start, world.end_date):
        first = max(m, world.window_start)
        last = min(add_months(m, 1) - dt.timedelta(days=1), world.end_date)
        out.append((first, last))
    return out


# --------------------------------------------------------------------------------------------
# nps_responses
# --------------------------------------------------------------------------------------------


def nps_rows(rng: random.Random, world: World) -> list[list[str]]:
    """One or two responses per account and month; then two scores out of range (11)."""
    rows: list[list[str]] = []
    counter = 0
    for acc in world.accounts:
        scores = NPS_HIGH if acc.plant in HIGH_HEALTH else NPS_LOW if acc.plant in LOW_HEALTH else NPS_MID
        for first, last in window_months(world):
            for _ in range(rng.choice((1, 2))):
                counter += 1
                when = day_time(rng, random_day(rng, first, last))
                rows.append([f"R{counter:06d}", acc.account_id, fmt_cs_ts(rng, when), str(rng.choice(scores))])
    for k in range(2):
        counter += 1
        acc = world.accounts[5 + k]
        when = day_time(rng, world.window_start + dt.timedelta(days=20 + k))
        rows.append([f"R{counter:06d}", acc.account_id, fmt_ts(when), "11"])
    return rows


# --------------------------------------------------------------------------------------------
# support_tickets
# --------------------------------------------------------------------------------------------


def _tickets_in_month(rng: random.Random, plant: str) -> int:
    if plant in HIGH_HEALTH:
        return rng.choice((0, 1))
    if plant in LOW_HEALTH:
        return rng.randint(4, 8)
    return rng.randint(2, 3)


def _ticket_terms(rng: random.Random, plant: str, opened: dt.datetime, open_cutoff: dt.date
                  ) -> tuple[str, int | None]:
    """(priority, days to close or None for still open): low-health tickets from the last six
    weeks stay open, older ones take weeks."""
    if plant in HIGH_HEALTH:
        return ("low" if rng.random() < 0.8 else "normal"), rng.randint(2, 5)
    if plant in LOW_HEALTH:
        priority = rng.choice(("high", "high", "urgent", "normal"))
        return priority, (None if opened.date() >= open_cutoff else rng.randint(15, 40))
    return rng.choice(("normal", "normal", "low", "high")), rng.randint(8, 12)


def _closed_and_fixed(rng: random.Random, opened: dt.datetime, close_days: int | None, end_dt: dt.datetime
                      ) -> tuple[dt.datetime | None, dt.datetime | None]:
    """When the ticket closed and a fix shipped (30% of closed tickets); None after the end."""
    closed = None
    if close_days is not None:
        closed = opened + dt.timedelta(days=close_days, seconds=rng.randrange(0, 7200))
        if closed > end_dt:
            closed = None
    fix = None
    if closed is not None and rng.random() < 0.30:
        fix = opened + dt.timedelta(days=rng.randint(5, 60), seconds=rng.randrange(0, 3600))
        if fix > end_dt:
            fix = None
    return closed, fix


def _ticket_row(rng: random.Random, ticket_id: str, acc: Account, first: dt.date, last: dt.date,
                open_cutoff: dt.date, end_dt: dt.datetime) -> list[str]:
    opened = day_time(rng, random_day(rng, first, last))
    priority, close_days = _ticket_terms(rng, acc.plant, opened, open_cutoff)
    closed, fix = _closed_and_fixed(rng, opened, close_days, end_dt)
    return [ticket_id, acc.account_id, fmt_cs_ts(rng, opened), fmt_cs_ts(rng, closed) if closed else "",
            priority, rng.choice(PRODUCT_AREAS), fmt_cs_ts(rng, fix) if fix else ""]


def ticket_rows(rng: random.Random, world: World) -> list[list[str]]:
    """Tickets per account and month by plant; then one ticket with no account."""
    rows: list[list[str]] = []
    end_dt = dt.datetime.combine(world.end_date, dt.time(23, 59, 59))
    open_cutoff = world.end_date - dt.timedelta(days=42)
    for acc in world.accounts:
        for first, last in window_months(world):
            for _ in range(_tickets_in_month(rng, acc.plant)):
                rows.append(_ticket_row(rng, f"T{len(rows) + 1:06d}", acc, first, last, open_cutoff, end_dt))
    opened = day_time(rng, world.window_start + dt.timedelta(days=30))
    rows.append([f"T{len(rows) + 1:06d}", "", fmt_ts(opened), "", "normal", "platform", ""])
    return rows


# --------------------------------------------------------------------------------------------
# csm_touchpoints
# --------------------------------------------------------------------------------------------


def _touchpoint_cadence(plant: str, world: World) -> tuple[tuple[int, int], dt.date]:
    """(days between touchpoints, last possible day); low health went silent SILENT_DAYS ago."""
    if plant in HIGH_HEALTH:
        return (10, 20), world.end_date
    if plant in LOW_HEALTH:
        return (10, 20), world.end_date - dt.timedelta(days=SILENT_DAYS + 1)
    return (25, 35), world.end_date


def _sentiment(rng: random.Random, plant: str) -> str:
    if plant in HIGH_HEALTH:
        return "positive" if rng.random() < 0.85 else "neutral"
    if plant in LOW_HEALTH:
        return "negative" if rng.random() < 0.6 else "neutral"
    return "neutral"


def touchpoint_rows(rng: random.Random, world: World) -> list[list[str]]:
    """Touchpoints of every CSM-owned account; then one with an unknown sentiment."""
    rows: list[list[str]] = []
    for acc in world.accounts:
        if acc.segment == "low_touch":
            continue
        step, stop = _touchpoint_cadence(acc.plant, world)
        day = world.window_start + dt.timedelta(days=rng.randint(0, step[0]))
        while day <= stop:
            sentiment = _sentiment(rng, acc.plant)
            kind = rng.choices(TOUCHPOINT_TYPES, TOUCHPOINT_TYPE_WEIGHTS)[0]
            rows.append([f"TP{len(rows) + 1:06d}", acc.account_id, fmt_cs_ts(rng, day_time(rng, day)),
                         kind, sentiment])
            day += dt.timedelta(days=rng.randint(*step))
    # Planted bad row: early in the window, on a high-health account.
    acc = next(a for a in world.accounts if a.plant in HIGH_HEALTH and a.segment != "low_touch")
    when = day_time(rng, world.window_start + dt.timedelta(days=3))
    rows.append([f"TP{len(rows) + 1:06d}", acc.account_id, fmt_ts(when), "call", "meh"])
    return rows


# --------------------------------------------------------------------------------------------
# cs_health_scores
# --------------------------------------------------------------------------------------------


def _cs_score(rng: random.Random, plant: str) -> tuple[int, str]:
    if plant in HIGH_HEALTH:
        return rng.randint(75, 92), "low"
    if plant in LOW_HEALTH:
        return rng.randint(20, 42), "high"
    return rng.randint(50, 65), "medium"


def health_score_rows(rng: random.Random, world: World) -> list[tuple[str, str, int, str]]:
    """A CS platform score and renewal risk per account every 14 days."""
    rows = []
    for acc in world.accounts:
        day = world.window_start + dt.timedelta(days=rng.randint(0, 13))
        while day <= world.end_date:
            score, risk = _cs_score(rng, acc.plant)
            rows.append((acc.account_id, f"{day.isoformat()} 06:00:00", score, risk))
            day += dt.timedelta(days=14)
    return rows
