"""crm_accounts, arr_monthly and renewal_outcomes: the CRM and billing side of the accounts."""

from __future__ import annotations

import datetime as dt
import random
from typing import Iterator

from demo_landing.common import add_months, fmt_money, fmt_ts, month_start, months_between
from demo_landing.config import ProjectConfig
from demo_landing.world import CHURN_RATES, HIGH_HEALTH, LOW_HEALTH, PLANTS, Account, World

ACCOUNTS_FILE = "crm_accounts.csv"
# Column order deliberately shuffled (readers must match by name).
ACCOUNTS_HEADER = ["account_id", "segment", "account_name", "renewal_date", "csm_owner", "email_domain",
                   "parent_account_id", "created_at"]
ARR_FILE = "arr_monthly.csv"
# One extra column (_export_batch) that readers must ignore.
ARR_HEADER = ["account_id", "month", "arr", "licensed_seats", "subscription_id", "_export_batch"]
RENEWALS_FILE = "renewal_outcomes.csv"
RENEWALS_HEADER = ["account_id", "renewal_date", "outcome", "arr_before", "arr_after"]


def account_rows(world: World) -> Iterator[list[str]]:
    """One row per account, children included."""
    for a in world.accounts:
        yield [a.account_id, a.segment, a.name, a.renewal_date.isoformat(), a.csm_owner, a.domain,
               a.parent_id, fmt_ts(a.created_at)]


def _arr_factor(rng: random.Random, plant: str) -> float:
    """ARR after the step: up 10..15% for high health, down 10..20% for low, flat otherwise."""
    if plant in HIGH_HEALTH:
        return 1 + rng.uniform(0.10, 0.15)
    if plant in LOW_HEALTH:
        return 1 - rng.uniform(0.10, 0.20)
    return 1.0


def arr_rows(rng: random.Random, world: World) -> list[list[str]]:
    """Monthly ARR per account over the window, stepping 3 or 4 months before the end."""
    rows = []
    end_month = month_start(world.end_date)
    batch = f"{world.end_date.isoformat()}-01"
    months = months_between(world.window_start, world.end_date)
    for acc in world.accounts:
        step_from = add_months(end_month, -rng.choice((3, 4)))
        after = acc.base_arr * _arr_factor(rng, acc.plant)
        if acc.base_arr == int(acc.base_arr):
            after = float(round(after))
        seats = world.cases.licensed_seats(acc) if world.cases is not None else acc.seats
        for m in months:
            arr = after if m >= step_from else acc.base_arr
            rows.append([acc.account_id, m.isoformat(), fmt_money(arr), str(seats), acc.subscription_id, batch])
    return rows


def without_arr_after_churn(arr: list[list[str]], renewals: list[list[str]], world: World) -> list[list[str]]:
    """A churned customer stops paying: no ARR in the months after a churned renewal inside the
    ARR window (a churn before it is a customer that came back: its ARR stays, reactivated)."""
    churned_month = {
        account_id: month_start(dt.date.fromisoformat(when))
        for account_id, when, outcome, *_ in renewals
        if outcome == "churned" and dt.date.fromisoformat(when) >= world.window_start
    }
    return [row for row in arr if row[0] not in churned_month or dt.date.fromisoformat(row[1]) <= churned_month[row[0]]]


def _first_scored_renewal(world: World, config: ProjectConfig) -> dt.date:
    """The first renewal date whose look-back lands in the scored history: the first scored week
    (the first with a full usage window) plus the look-back, plus a week's margin."""
    return world.window_start + dt.timedelta(
        days=config.usage_window_days + config.churn_lookback_days + 7)


def _recent_renewals(rng: random.Random, world: World, first_scored: dt.date
                     ) -> tuple[dict[str, dt.date], dict[str, list[Account]]]:
    """A renewal date inside the scored history for each account without an earlier renewal;
    those accounts grouped by plant."""
    span = (world.end_date - first_scored).days
    recent: dict[str, list[Account]] = {plant: [] for plant in PLANTS}
    dates: dict[str, dt.date] = {}
    for acc in world.accounts:
        if acc.past_renewal is None:
            dates[acc.account_id] = first_scored + dt.timedelta(days=rng.randrange(span))
            recent[acc.plant].append(acc)
    return dates, recent


def _churned(rng: random.Random, recent: dict[str, list[Account]]) -> set[str]:
    """Exactly round(rate x renewals) churners per plant, picked at random."""
    churned: set[str] = set()
    for plant in PLANTS:
        group = recent[plant]
        rng.shuffle(group)
        churned.update(a.account_id for a in group[:round(CHURN_RATES[plant] * len(group))])
    return churned


def _outcome(rng: random.Random, before: float, is_churn: bool) -> tuple[str, float]:
    """(outcome, ARR after); a retained account mostly renews flat, else expands or contracts."""
    if is_churn:
        return "churned", 0.0
    r = rng.random()
    if r < 0.70:
        return "renewed", before * rng.uniform(0.98, 1.03)
    if r < 0.90:
        return "expanded", before * 1.15
    return "contracted", before * 0.85


def renewal_rows(rng: random.Random, world: World, config: ProjectConfig) -> list[list[str]]:
    """Renewal outcomes, the ground truth the scores are validated against.

    Every account without an earlier renewal renews once inside the scored history, late
    enough that it was scored ``churn_lookback_days`` before (the first scored week plus the
    look-back). Within each planted quadrant exactly round(rate x renewals) of those churn
    (CHURN_RATES), so the demo's churn rate by quadrant shows the planted pattern rather
    than sampling noise. The older renewals (a year before the next one, mostly before the
    history starts) churn at random with the same rates.
    """
    dates, recent = _recent_renewals(rng, world, _first_scored_renewal(world, config))
    churned = _churned(rng, recent)
    rows = []
    for acc in world.accounts:
        if acc.past_renewal is None:
            when, is_churn = dates[acc.account_id], acc.account_id in churned
        else:
            when, is_churn = acc.past_renewal, rng.random() < CHURN_RATES[acc.plant]
        outcome, after = _outcome(rng, acc.base_arr, is_churn)
        rows.append([acc.account_id, when.isoformat(), outcome, fmt_money(acc.base_arr), fmt_money(after)])
    return rows
