"""The world the demo plants: accounts, their quadrant, segment, identity method and renewals.

Each top-level account is planted in one quadrant (or "Between"); the usage and CS sources are
then drawn to match it, and the truth file records it. About one account in 30 is a child of a
top-level account of its segment and shares its parent's plant.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from demo_landing.common import day_time

if TYPE_CHECKING:
    from demo_landing.cases import PlantedCases

PLANTS = ("Champions", "Frustrated Power Users", "Relationship-Dependent", "Churn Risk", "Between")
HIGH_USAGE = {"Champions", "Frustrated Power Users"}
LOW_USAGE = {"Relationship-Dependent", "Churn Risk"}
HIGH_HEALTH = {"Champions", "Relationship-Dependent"}
LOW_HEALTH = {"Frustrated Power Users", "Churn Risk"}
# Churn probability at renewal by planted quadrant: Frustrated Power Users churn about 2.1x as
# often as Champions (the claim the joint dashboard article makes). "Between" accounts mostly
# score as Champions, so their rate sits near the Champions' to keep that ratio visible.
CHURN_RATES = {"Champions": 0.10, "Frustrated Power Users": 0.21, "Relationship-Dependent": 0.15,
               "Churn Risk": 0.45, "Between": 0.10}

SEGMENTS = ("enterprise", "mid_market", "smb", "low_touch")
# 20-slot pattern: enterprise 3 (15%), mid_market 5 (25%), smb 7 (35%), low_touch 5 (25%).
SEGMENT_PATTERN = (
    "smb", "mid_market", "low_touch", "enterprise", "smb",
    "mid_market", "smb", "low_touch", "smb", "enterprise",
    "mid_market", "low_touch", "smb", "mid_market", "smb",
    "low_touch", "enterprise", "smb", "mid_market", "low_touch",
)
SEATS = {"enterprise": (40, 80), "mid_market": (15, 40), "smb": (6, 15), "low_touch": (3, 8)}
ARR_RANGE = {
    "enterprise": (80_000, 300_000),
    "mid_market": (20_000, 80_000),
    "smb": (5_000, 20_000),
    "low_touch": (1_000, 5_000),
}
CSM_NAMES = (
    "Priya Natarajan", "Marcus Oyelaran", "Sofia Lindqvist", "Daniel Okafor",
    "Hannah Whitfield", "Kenji Watanabe", "Lucia Ferreira", "Tomasz Nowak",
)
NAME_PREFIXES = (
    "Northwind", "Bluebird", "Crescent", "Granite", "Harbor", "Ironwood", "Juniper", "Keystone",
    "Lumen", "Meridian", "Nimbus", "Orchard", "Pinecrest", "Quarry", "Riverton", "Summit",
    "Tidewater", "Upland", "Vantage", "Willow",
)
NAME_SUFFIXES = ("Labs", "Logistics", "Health", "Foods", "Systems", "Partners", "Retail", "Energy",
                 "Media", "Analytics", "Works", "Capital")

# A0001..A0011 have special roles (overrides, bad rows, the conflict) and are never children.
SPECIAL_ACCOUNTS = 11
# Accounts whose production workspace is tied to them only by a mapping override.
OVERRIDE_ACCOUNTS = {"A0002", "A0003", "A0004"}


@dataclass
class Account:
    """One CRM account and what was planted for it."""

    index: int  # 1-based
    account_id: str
    segment: str
    seats: int
    plant: str = ""
    parent_id: str = ""
    identity_method: str = "crm_id"
    name: str = ""
    domain: str = ""
    csm_owner: str = ""
    created_at: dt.datetime = dt.datetime(2020, 1, 1)
    renewal_date: dt.date = dt.date(2027, 1, 1)
    past_renewal: dt.date | None = None
    base_arr: float = 0.0
    subscription_id: str = ""

    @property
    def is_child(self) -> bool:
        return bool(self.parent_id)


@dataclass
class Workspace:
    """One product workspace; ``account`` is None for orphans."""

    workspace_id: str
    account: Account | None
    crm_account_id: str
    subscription_id: str
    instance_type: str
    created_at: dt.datetime
    kind: str  # production | non_production | obsolete | orphan | conflict
    email_domain: str
    n_users: int
    fill_session_id: bool
    part: int = 0  # the product_events part file its events go to, set when they are written
    user_ids: list[str] = field(default_factory=list)


@dataclass
class World:
    """Everything planted, over the window of ``weeks`` weeks ending on ``end_date``."""

    end_date: dt.date
    weeks: int
    accounts: list[Account] = field(default_factory=list)
    by_id: dict[str, Account] = field(default_factory=dict)
    workspaces: list[Workspace] = field(default_factory=list)
    user_rows: list[list[str]] = field(default_factory=list)  # product_users, as written
    cases: PlantedCases | None = None  # issue 16's planted cases (demo_landing.cases)
    n_days: int = field(init=False)
    window_start: dt.date = field(init=False)

    def __post_init__(self) -> None:
        self.n_days = 7 * self.weeks
        self.window_start = self.end_date - dt.timedelta(days=self.n_days - 1)

    def add_account(self, account: Account) -> None:
        self.accounts.append(account)
        self.by_id[account.account_id] = account


# --------------------------------------------------------------------------------------------
# Accounts
# --------------------------------------------------------------------------------------------


def _draw_base_arr(rng: random.Random, segment: str) -> float:
    """Mostly a round hundred; three in ten to the cent."""
    lo, hi = ARR_RANGE[segment]
    return float(rng.randrange(lo, hi, 100)) if rng.random() < 0.7 else round(rng.uniform(lo, hi), 2)


def _draw_account(rng: random.Random, world: World, i: int) -> Account:
    """Account number ``i``: segment by pattern, name by number, the rest drawn."""
    segment = SEGMENT_PATTERN[(i - 1) % len(SEGMENT_PATTERN)]
    seats = rng.randint(*SEATS[segment])
    prefix = NAME_PREFIXES[(i * 7) % len(NAME_PREFIXES)]
    suffix = NAME_SUFFIXES[(i * 5 + i // len(NAME_PREFIXES)) % len(NAME_SUFFIXES)]
    csm_owner = "" if segment == "low_touch" else rng.choice(CSM_NAMES)
    created_at = day_time(rng, world.window_start - dt.timedelta(days=rng.randint(90, 1400)), 8, 18)
    base_arr = _draw_base_arr(rng, segment)
    # Next renewal: uniform from 120 days before end-date to 300 days after.
    renewal_date = world.end_date + dt.timedelta(days=rng.randint(-120, 300))
    # Four in ten renewed a year earlier (in the window or the year before it).
    past_renewal = renewal_date - dt.timedelta(days=365) if rng.random() < 0.40 else None
    return Account(
        index=i, account_id=f"A{i:04d}", segment=segment, seats=seats,
        name=f"{prefix} {suffix} {i:03d}", domain=f"{prefix.lower()}-{suffix.lower()}-{i:03d}.example",
        csm_owner=csm_owner, created_at=created_at, renewal_date=renewal_date,
        past_renewal=past_renewal, base_arr=base_arr, subscription_id=f"S{i:04d}",
    )


def _draw_children(rng: random.Random, n: int) -> set[int]:
    """Indices of the child accounts: about one in 30, never a special one."""
    n_children = max(1, round(n / 30))
    candidates = list(range(SPECIAL_ACCOUNTS + 1, n + 1))
    return set(rng.sample(candidates, min(n_children, len(candidates))))


def _plant(top: list[Account]) -> None:
    """Cycle through the five plants within each segment (evenly spread)."""
    per_segment: dict[str, int] = {s: 0 for s in SEGMENTS}
    offsets = {s: k for k, s in enumerate(SEGMENTS)}
    for acc in top:
        k = per_segment[acc.segment]
        acc.plant = PLANTS[(k + offsets[acc.segment]) % len(PLANTS)]
        per_segment[acc.segment] = k + 1


def _attach_children(rng: random.Random, world: World, top: list[Account], children: set[int]) -> None:
    """Each child gets a top-level parent of its segment, and its plant; children tie by crm id."""
    for idx in sorted(children):
        child = world.accounts[idx - 1]
        parent = rng.choice([a for a in top if a.segment == child.segment])
        child.parent_id = parent.account_id
        child.plant = parent.plant
        child.identity_method = "crm_id"


def _assign_identity_methods(rng: random.Random, top: list[Account]) -> None:
    """How each top-level account's production workspace ties to it: the override accounts by
    override, then ~15% subscription, ~12% email domain, the rest crm id."""
    rest = [a for a in top if a.account_id not in OVERRIDE_ACCOUNTS]
    n_top = len(top)
    methods = ["subscription"] * round(0.15 * n_top) + ["email_domain"] * round(0.12 * n_top)
    methods += ["crm_id"] * (len(rest) - len(methods))
    rng.shuffle(methods)
    for acc, method in zip(rest, methods):
        acc.identity_method = method
    for acc in top:
        if acc.account_id in OVERRIDE_ACCOUNTS:
            acc.identity_method = "override"


def build_accounts(rng: random.Random, world: World, n: int) -> None:
    """Draw ``n`` accounts into ``world``, with their plants, parents and identity methods."""
    for i in range(1, n + 1):
        world.add_account(_draw_account(rng, world, i))
    children = _draw_children(rng, n)
    top = [a for a in world.accounts if a.index not in children]
    _plant(top)
    _attach_children(rng, world, top, children)
    _assign_identity_methods(rng, top)
    _plant_onboarding(world, top)


# Accounts signed a few weeks before the end date: onboarding in the latest week.
ONBOARDING_DAYS_BEFORE_END = 30


def _plant_onboarding(world: World, top: list[Account]) -> None:
    """The last one in a hundred top-level "Between" accounts (at least one) is new: created a
    month before the end date, so it is onboarding when the history ends. No random draw, so
    everything else stays as it was."""
    between = [a for a in top if a.plant == "Between"]
    for acc in between[-max(1, len(top) // 100):]:
        created = world.end_date - dt.timedelta(days=ONBOARDING_DAYS_BEFORE_END)
        acc.created_at = dt.datetime(created.year, created.month, created.day, 10, 0, 0)
