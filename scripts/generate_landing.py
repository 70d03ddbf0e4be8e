#!/usr/bin/env python3
"""Generate seeded, deterministic demo landing data for the usage-health warehouse.

The output is the ten landing sources of the input contract (see macros/landing.sql) plus a
truth file, ``<out>/_truth/planted_accounts.csv``, naming the quadrant each top-level account
was planted in (Champions, Frustrated Power Users, Relationship-Dependent, Churn Risk or
Between) and how its production workspace can be tied to it (crm_id, subscription,
email_domain or override).

Same arguments => byte-identical files: all randomness comes from one ``random.Random`` seeded
with ``--seed``, every date is derived from ``--end-date`` (the wall clock is never read), and
files are written in a fixed order with ``\\n`` line endings.

Example::

    python scripts/generate_landing.py --out data/landing --accounts 300 --weeks 30 \\
        --end-date 2026-11-15 --seed 42
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from typing import Sequence

# --------------------------------------------------------------------------------------------
# Constants
# --------------------------------------------------------------------------------------------

PLANTS = ("Champions", "Frustrated Power Users", "Relationship-Dependent", "Churn Risk", "Between")
HIGH_USAGE = {"Champions", "Frustrated Power Users"}
# Churn probability at renewal by planted quadrant: Frustrated Power Users churn about 2.1x as
# often as Champions (the claim the joint dashboard article makes). "Between" accounts mostly
# score as Champions, so their rate sits near the Champions' to keep that ratio visible.
CHURN_RATES = {"Champions": 0.10, "Frustrated Power Users": 0.21, "Relationship-Dependent": 0.15,
               "Churn Risk": 0.45, "Between": 0.10}
# The warehouse's default look-back for "the quadrant before renewal" (var churn_lookback_days).
RENEWAL_LOOKBACK_DAYS = 90
LOW_USAGE = {"Relationship-Dependent", "Churn Risk"}
HIGH_HEALTH = {"Champions", "Relationship-Dependent"}
LOW_HEALTH = {"Frustrated Power Users", "Churn Risk"}

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
FIRST_NAMES = (
    "alex", "maria", "james", "li", "fatima", "noah", "emma", "omar", "sara", "ivan", "chloe",
    "ravi", "julia", "ken", "ana", "david", "mei", "lucas", "zoe", "samuel", "nina", "tariq",
    "elena", "peter", "aisha", "jonas", "laura", "diego", "hana", "victor",
)
LAST_NAMES = (
    "smith", "garcia", "chen", "khan", "muller", "rossi", "silva", "kim", "novak", "ali",
    "johnson", "tanaka", "brown", "haddad", "larsen", "costa", "patel", "dubois", "young",
    "mensah", "ivanova", "schmidt", "lopez", "wright", "sato",
)

# Core feature -> the event that is picked for it inside a session.
CORE_FEATURE_EVENT = {
    "dashboards": "dashboard_viewed",
    "reports": "report_created",
    "integrations": "integration_synced",
    "automations": "automation_created",
    "alerts": "alert_configured",
    "collaboration": "comment_added",
}
CORE_FEATURES = tuple(CORE_FEATURE_EVENT)
# Workflow start -> completion.
WORKFLOWS = {
    "import_started": "import_completed",
    "report_created": "report_shared",
    "automation_created": "automation_run_succeeded",
}
CORE_FEATURE_WEIGHT = {"dashboards": 30, "reports": 18, "integrations": 14, "automations": 12,
                       "alerts": 10, "collaboration": 16}
NONCORE_WEIGHT_ACTIVE = {"search_performed": 35, "export_downloaded": 20, "import_started": 25,
                         "settings_changed": 12, "page_viewed": 8}
NONCORE_WEIGHT_PASSIVE = {"page_viewed": 30, "search_performed": 25, "settings_changed": 15,
                          "export_downloaded": 18, "import_started": 12}

PRIORITIES = ("low", "normal", "high", "urgent")
PRODUCT_AREAS = ("analytics", "data", "automation", "platform", "collaboration")
TOUCHPOINT_TYPES = ("call", "email", "qbr", "meeting")
TOUCHPOINT_TYPE_WEIGHTS = (35, 35, 10, 20)
UTC_OFFSETS = ((2, 0), (1, 0), (5, 30), (-5, 0), (-8, 0), (9, 0))

EVENT_PARTS = 4
DUPLICATE_SHARE = 0.005
ORPHAN_SHARE = 0.015
CONFLICT_EVENTS = 300


# --------------------------------------------------------------------------------------------
# Model
# --------------------------------------------------------------------------------------------


@dataclass
class Account:
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
    part: int
    user_ids: list[str] = field(default_factory=list)


@dataclass
class UsageProfile:
    active_share: tuple[float, float]
    sessions: tuple[int, ...]  # choices for sessions per active user per week
    events: tuple[int, ...]  # choices for events per session (incl. the login)
    active_weeks_per_8: tuple[int, ...]
    completion: tuple[float, float]
    core_share: float
    noncore_weights: dict[str, int]
    ttv_days: tuple[int, int]  # first core event this many days after the account's first week


HIGH_PROFILE = UsageProfile(
    active_share=(0.75, 0.95),
    sessions=(3, 3, 3, 4),
    events=(8, 8, 9, 9, 10, 11, 12),
    active_weeks_per_8=(8,),
    completion=(0.85, 0.95),
    core_share=0.75,
    noncore_weights=NONCORE_WEIGHT_ACTIVE,
    ttv_days=(0, 0),
)
BETWEEN_PROFILE = UsageProfile(
    active_share=(0.45, 0.55),
    sessions=(2,),
    events=(6, 7, 7, 8),
    active_weeks_per_8=(6, 7),
    completion=(0.55, 0.65),
    core_share=0.45,
    noncore_weights=NONCORE_WEIGHT_ACTIVE,
    ttv_days=(3, 10),
)
LOW_PROFILE = UsageProfile(
    active_share=(0.10, 0.25),
    sessions=(1,),
    events=(3, 4, 5),
    active_weeks_per_8=(3, 4, 5),
    completion=(0.20, 0.35),
    core_share=0.15,
    noncore_weights=NONCORE_WEIGHT_PASSIVE,
    ttv_days=(30, 55),
)


def usage_profile(plant: str) -> UsageProfile:
    if plant in HIGH_USAGE:
        return HIGH_PROFILE
    if plant in LOW_USAGE:
        return LOW_PROFILE
    return BETWEEN_PROFILE


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def fmt_ts(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S")


def fmt_cs_ts(rng: random.Random, value: dt.datetime) -> str:
    """A CS-side timestamp: ~10% carry an explicit UTC offset (the same instant, local time)."""
    if rng.random() < 0.10:
        hours, minutes = rng.choice(UTC_OFFSETS)
        delta = dt.timedelta(hours=hours, minutes=minutes if hours >= 0 else -minutes)
        sign = "+" if hours >= 0 else "-"
        return f"{fmt_ts(value + delta)}{sign}{abs(hours):02d}:{minutes:02d}"
    return fmt_ts(value)


def fmt_money(value: float) -> str:
    value = round(value, 2)
    if value == int(value):
        return str(int(value))
    return f"{value:.2f}"


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    total = day.year * 12 + (day.month - 1) + months
    return dt.date(total // 12, total % 12 + 1, 1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    out = []
    current = month_start(first)
    while current <= last:
        out.append(current)
        current = add_months(current, 1)
    return out


def weighted_pool(weights: dict[str, float]) -> list[str]:
    pool: list[str] = []
    for name, weight in weights.items():
        pool.extend([name] * max(1, int(round(weight))))
    return pool


def day_time(rng: random.Random, day: dt.date, first_hour: int = 8, last_hour: int = 16) -> dt.datetime:
    seconds = rng.randrange(first_hour * 3600, last_hour * 3600)
    return dt.datetime(day.year, day.month, day.day) + dt.timedelta(seconds=seconds)


# --------------------------------------------------------------------------------------------
# Generator
# --------------------------------------------------------------------------------------------


class Generator:
    def __init__(self, out: str, accounts: int, weeks: int, end_date: dt.date, seed: int,
                 users_scale: float) -> None:
        self.out = out
        self.n_accounts = accounts
        self.weeks = weeks
        self.end_date = end_date
        self.users_scale = users_scale
        self.rng = random.Random(seed)
        self.n_days = 7 * weeks
        self.window_start = end_date - dt.timedelta(days=self.n_days - 1)
        self.accounts: list[Account] = []
        self.by_id: dict[str, Account] = {}
        self.workspaces: list[Workspace] = []
        self.user_rows: list[list[str]] = []
        self.user_counter = 0
        self.event_counter = 0
        self.events_written = 0
        self.part_rows = [0] * EVENT_PARTS
        self.stats: dict[str, int] = {}
        # Timestamp building blocks: "YYYY-MM-DDT" per window day, "HH:MM:SS" per second of day.
        self.day_prefix = [
            (self.window_start + dt.timedelta(days=d)).isoformat() + "T" for d in range(self.n_days)
        ]
        self.hms = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86400)]

    # ---------------------------------------------------------------- accounts
    def build_accounts(self) -> None:
        rng = self.rng
        n = self.n_accounts
        for i in range(1, n + 1):
            segment = SEGMENT_PATTERN[(i - 1) % len(SEGMENT_PATTERN)]
            lo, hi = SEATS[segment]
            acc = Account(index=i, account_id=f"A{i:04d}", segment=segment, seats=rng.randint(lo, hi))
            prefix = NAME_PREFIXES[(i * 7) % len(NAME_PREFIXES)]
            suffix = NAME_SUFFIXES[(i * 5 + i // len(NAME_PREFIXES)) % len(NAME_SUFFIXES)]
            acc.name = f"{prefix} {suffix} {i:03d}"
            acc.domain = f"{prefix.lower()}-{suffix.lower()}-{i:03d}.example"
            acc.csm_owner = "" if segment == "low_touch" else rng.choice(CSM_NAMES)
            acc.created_at = day_time(
                rng, self.window_start - dt.timedelta(days=rng.randint(90, 1400)), 8, 18
            )
            acc.subscription_id = f"S{i:04d}"
            alo, ahi = ARR_RANGE[segment]
            acc.base_arr = float(rng.randrange(alo, ahi, 100)) if rng.random() < 0.7 else round(
                rng.uniform(alo, ahi), 2)
            # Next renewal: uniform from 120 days before end-date to 300 days after.
            acc.renewal_date = self.end_date + dt.timedelta(days=rng.randint(-120, 300))
            if rng.random() < 0.40:
                # A renewal a year earlier happened (in the window or the year before it).
                acc.past_renewal = acc.renewal_date - dt.timedelta(days=365)
            self.accounts.append(acc)
            self.by_id[acc.account_id] = acc

        # Children: about one in 30 accounts, never the special ones (A0001..A0011).
        n_children = max(1, round(n / 30))
        candidates = list(range(12, n + 1))
        child_indices = set(rng.sample(candidates, min(n_children, len(candidates))))
        top = [a for a in self.accounts if a.index not in child_indices]

        # Plants: cycle through the five labels within each segment (evenly spread).
        per_segment: dict[str, int] = {s: 0 for s in SEGMENTS}
        offsets = {s: k for k, s in enumerate(SEGMENTS)}
        for acc in top:
            k = per_segment[acc.segment]
            acc.plant = PLANTS[(k + offsets[acc.segment]) % len(PLANTS)]
            per_segment[acc.segment] = k + 1

        for idx in sorted(child_indices):
            child = self.accounts[idx - 1]
            parents = [a for a in top if a.segment == child.segment]
            parent = rng.choice(parents)
            child.parent_id = parent.account_id
            child.plant = parent.plant
            child.identity_method = "crm_id"

        # Identity methods for top-level accounts: A0002..A0004 override, then ~15%
        # subscription, ~12% email domain, the rest crm id.
        overrides = {"A0002", "A0003", "A0004"}
        rest = [a for a in top if a.account_id not in overrides]
        n_top = len(top)
        methods = (["subscription"] * round(0.15 * n_top) + ["email_domain"] * round(0.12 * n_top))
        methods += ["crm_id"] * (len(rest) - len(methods))
        rng.shuffle(methods)
        for acc, method in zip(rest, methods):
            acc.identity_method = method
        for acc in top:
            if acc.account_id in overrides:
                acc.identity_method = "override"

    # ---------------------------------------------------------------- workspaces & users
    def _new_workspace(self, workspace_id: str, account: Account | None, crm: str, sub: str,
                       instance_type: str, kind: str, email_domain: str, n_users: int,
                       created_at: dt.datetime) -> Workspace:
        ws = Workspace(
            workspace_id=workspace_id, account=account, crm_account_id=crm, subscription_id=sub,
            instance_type=instance_type, created_at=created_at, kind=kind,
            email_domain=email_domain, n_users=n_users,
            fill_session_id=self.rng.random() < 0.5, part=len(self.workspaces) % EVENT_PARTS,
        )
        self.workspaces.append(ws)
        self._make_users(ws)
        return ws

    def _make_users(self, ws: Workspace) -> None:
        rng = self.rng
        used: set[str] = set()
        latest = dt.datetime.combine(self.window_start, dt.time()) - dt.timedelta(days=1)
        span = max(1, (latest - ws.created_at).days)
        for _ in range(ws.n_users):
            self.user_counter += 1
            user_id = f"U{self.user_counter:06d}"
            local = f"{rng.choice(FIRST_NAMES)}.{rng.choice(LAST_NAMES)}"
            base, k = local, 1
            while local in used:
                k += 1
                local = f"{base}{k}"
            used.add(local)
            if ws.email_domain == "personal":
                domain = "gmail.com" if rng.random() < 0.6 else "outlook.com"
            else:
                domain = ws.email_domain
            created = ws.created_at + dt.timedelta(days=rng.randint(0, min(span, 60)),
                                                   seconds=rng.randrange(0, 36000))
            if created > latest:
                created = latest
            ws.user_ids.append(user_id)
            self.user_rows.append([user_id, ws.workspace_id, f"{local}@{domain}", fmt_ts(created)])

    def build_workspaces(self) -> None:
        rng = self.rng
        ws_counter = 0
        for acc in self.accounts:
            n_users = max(1, round(acc.seats * self.users_scale))
            ws_created = acc.created_at + dt.timedelta(days=rng.randint(1, 20))
            instance = "" if rng.random() < 0.10 else "production"
            method = acc.identity_method
            if method == "override":
                wid = f"W-OVR-{acc.index - 1}"
                crm, sub, domain = "", "", "gmail.com"
            else:
                ws_counter += 1
                wid = f"W{ws_counter:05d}"
                domain = acc.domain
                if method == "crm_id":
                    crm, sub = acc.account_id, (acc.subscription_id if rng.random() < 0.5 else "")
                elif method == "subscription":
                    crm, sub = "", acc.subscription_id
                else:  # email_domain
                    crm, sub = "", ""
            self._new_workspace(wid, acc, crm, sub, instance, "production", domain, n_users, ws_created)

            roll = rng.random()
            if roll < 0.20:
                ws_counter += 1
                self._new_workspace(f"W{ws_counter:05d}", acc, acc.account_id, "", "non_production",
                                    "non_production", acc.domain, rng.randint(1, 3),
                                    ws_created + dt.timedelta(days=rng.randint(5, 40)))
            elif roll < 0.25:
                ws_counter += 1
                self._new_workspace(f"W{ws_counter:05d}", acc, acc.account_id, "", "obsolete",
                                    "obsolete", acc.domain, rng.randint(1, 2),
                                    ws_created + dt.timedelta(days=rng.randint(5, 40)))

        early = dt.datetime.combine(self.window_start, dt.time(9)) - dt.timedelta(days=200)
        for k in range(1, 6):
            self._new_workspace(f"W-ORPH-{k}", None, "", "", "production" if k % 2 else "",
                                "orphan", "personal", rng.randint(2, 4),
                                early + dt.timedelta(days=rng.randint(0, 150)))
        a10, a11 = self.by_id["A0010"], self.by_id["A0011"]
        self._new_workspace("W-CONFLICT-1", a10, a10.account_id, a11.subscription_id, "production",
                            "conflict", a10.domain, 3, early + dt.timedelta(days=30))

    # ---------------------------------------------------------------- product events
    def _active_weeks(self, per8: tuple[int, ...]) -> list[bool]:
        rng = self.rng
        flags: list[bool] = []
        for block_start in range(0, self.weeks, 8):
            size = min(8, self.weeks - block_start)
            k = rng.choice(per8)
            k = max(1, round(k * size / 8)) if size < 8 else k
            chosen = set(rng.sample(range(size), min(k, size)))
            flags.extend(i in chosen for i in range(size))
        return flags

    def generate_events(self, writers: list) -> None:
        rng = self.rng
        for ws in self.workspaces:
            if ws.kind in ("orphan", "conflict"):
                continue
            acc = ws.account
            assert acc is not None
            prof = usage_profile(acc.plant)
            ws.part = self._emptiest_part()
            if ws.kind == "production":
                self._production_events(ws, acc, prof, writers)
            else:
                self._side_events(ws, acc, prof, writers)
        # Orphans: ~1.5% of all events in total; conflict: a few hundred.
        main_total = self.event_counter
        orphan_total = int(main_total * ORPHAN_SHARE / (1 - ORPHAN_SHARE))
        orphans = [w for w in self.workspaces if w.kind == "orphan"]
        for ws in orphans:
            ws.part = self._emptiest_part()
            self._filler_events(ws, max(20, orphan_total // len(orphans)), writers)
        for ws in self.workspaces:
            if ws.kind == "conflict":
                ws.part = self._emptiest_part()
                self._filler_events(ws, CONFLICT_EVENTS, writers)

    def _emptiest_part(self) -> int:
        return min(range(EVENT_PARTS), key=lambda p: (self.part_rows[p], p))

    def _account_pools(self, acc: Account, prof: UsageProfile) -> tuple[list[str], list[str], float]:
        rng = self.rng
        if acc.plant in HIGH_USAGE:
            features = list(CORE_FEATURES)
            if rng.random() < 0.3:
                features.remove(rng.choice(CORE_FEATURES[1:]))
        elif acc.plant in LOW_USAGE:
            features = ["dashboards"] if rng.random() < 0.6 else ["dashboards", "collaboration"]
        else:
            features = ["dashboards"] + rng.sample(CORE_FEATURES[1:], rng.choice((2, 3)))
        core_total = sum(CORE_FEATURE_WEIGHT[f] for f in features)
        weights: dict[str, float] = {}
        for f in features:
            weights[CORE_FEATURE_EVENT[f]] = 100 * prof.core_share * CORE_FEATURE_WEIGHT[f] / core_total
        non_total = sum(prof.noncore_weights.values())
        for name, w in prof.noncore_weights.items():
            weights[name] = 100 * (1 - prof.core_share) * w / non_total
        full = weighted_pool(weights)
        noncore = weighted_pool(prof.noncore_weights)
        completion = rng.uniform(*prof.completion)
        return full, noncore, completion

    def _emit_session(self, ws: Workspace, user_id: str, session_no: int, day: int, start_sec: int,
                      names: list[str], writer) -> None:
        rand = self.rng.random
        prefix = self.day_prefix[day]
        hms = self.hms
        sid = f"{user_id}-{session_no}" if ws.fill_session_id else ""
        wid = ws.workspace_id
        sec = start_sec
        counter = self.event_counter
        rows = []
        for name in names:
            counter += 1
            row = (f"E{counter:09d}", prefix + hms[sec], wid, user_id, name, sid)
            rows.append(row)
            if rand() < DUPLICATE_SHARE:
                self._pending_dups.append(row)
            sec += 4 + int(rand() * 197)  # 4..200 seconds apart
        self.event_counter = counter
        writer.writerows(rows)
        self.events_written += len(rows)
        self.part_rows[ws.part] += len(rows)

    def _session_names(self, n: int, pool: list[str], completion: float, force_core: bool) -> list[str]:
        rng = self.rng
        names = ["login"]
        if force_core:
            names.append("dashboard_viewed")
        rand = rng.random
        size = len(pool)
        while len(names) < n:
            name = pool[int(rand() * size)]
            names.append(name)
            done = WORKFLOWS.get(name)
            if done is not None and rand() < completion:
                names.append(done)
        return names

    def _production_events(self, ws: Workspace, acc: Account, prof: UsageProfile, writers: list) -> None:
        rng = self.rng
        full, noncore, completion = self._account_pools(acc, prof)
        flags = self._active_weeks(prof.active_weeks_per_8)
        if not any(flags):
            flags[0] = True
        if acc.plant in HIGH_USAGE:
            flags[0] = True  # first core event on the account's first day
        first_week = flags.index(True)
        core_from = first_week * 7 + 7 + rng.randint(*prof.ttv_days) if prof.ttv_days[1] else 0
        writer = writers[ws.part]
        users = ws.user_ids
        n_users = len(users)
        session_no = [0] * n_users
        first_session = True
        for w in range(self.weeks):
            if not flags[w]:
                continue
            share = rng.uniform(*prof.active_share)
            k = min(n_users, max(1, round(share * n_users)))
            active = sorted(rng.sample(range(n_users), k))
            for u in active:
                n_sess = rng.choice(prof.sessions)
                days = sorted(rng.sample(range(7), n_sess))
                if first_session and acc.plant in HIGH_USAGE:
                    days[0] = 0
                    days = sorted(set(days))
                for d in days:
                    day = w * 7 + d
                    pool = full if day >= core_from else noncore
                    force = first_session and acc.plant in HIGH_USAGE
                    names = self._session_names(rng.choice(prof.events), pool, completion, force)
                    first_session = False
                    session_no[u] += 1
                    self._emit_session(ws, users[u], session_no[u], day,
                                       rng.randrange(7 * 3600, 19 * 3600), names, writer)

    def _side_events(self, ws: Workspace, acc: Account, prof: UsageProfile, writers: list) -> None:
        """Non-production: modest use across the window. Obsolete: a little in the first weeks."""
        rng = self.rng
        writer = writers[ws.part]
        pool = weighted_pool(NONCORE_WEIGHT_PASSIVE)
        weeks = range(self.weeks) if ws.kind == "non_production" else range(min(3, self.weeks))
        counters = [0] * len(ws.user_ids)
        for w in weeks:
            if rng.random() < 0.5:
                continue
            u = rng.randrange(len(ws.user_ids))
            counters[u] += 1
            names = self._session_names(rng.randint(3, 6), pool, 0.5, False)
            self._emit_session(ws, ws.user_ids[u], counters[u], w * 7 + rng.randrange(7),
                               rng.randrange(7 * 3600, 19 * 3600), names, writer)

    def _filler_events(self, ws: Workspace, target: int, writers: list) -> None:
        """Generic sessions spread over the window until about ``target`` events are written."""
        rng = self.rng
        writer = writers[ws.part]
        pool = weighted_pool({**NONCORE_WEIGHT_ACTIVE, "dashboard_viewed": 30, "report_created": 10,
                              "comment_added": 10})
        n_users = len(ws.user_ids)
        counters = [0] * n_users
        written = 0
        k = 0
        while written < target:
            u = k % n_users
            slot = k // n_users
            w = slot % self.weeks
            rest = slot // self.weeks
            day = w * 7 + (rest + u) % 7
            hour = 7 + 3 * ((rest // 7) % 4)  # sessions of a user are hours apart
            names = self._session_names(rng.randint(3, 9), pool, 0.7, False)
            counters[u] += 1
            self._emit_session(ws, ws.user_ids[u], counters[u], day,
                               hour * 3600 + rng.randrange(0, 3600), names, writer)
            written += len(names)
            k += 1

    def write_events(self) -> None:
        folder = os.path.join(self.out, "product_events")
        os.makedirs(folder)
        handles = [open(os.path.join(folder, f"part-{p:03d}.csv"), "w", encoding="utf-8", newline="")
                   for p in range(EVENT_PARTS)]
        try:
            writers = [csv.writer(h, lineterminator="\n") for h in handles]
            for w in writers:
                w.writerow(["event_id", "occurred_at", "workspace_id", "user_id", "event_name",
                            "session_id"])
            self._pending_dups: list[tuple] = []
            self.generate_events(writers)
            rng = self.rng
            # ~0.5% delivered twice: exact duplicate lines, in the same or another part file.
            for row in self._pending_dups:
                writers[rng.randrange(EVENT_PARTS)].writerow(row)
            self.events_written += len(self._pending_dups)
            self.stats["duplicate_events"] = len(self._pending_dups)
            # Planted bad rows: 3 unparseable timestamps, 2 missing event ids.
            ws = next(w for w in self.workspaces if w.kind == "production")
            user = ws.user_ids[0]
            bad = []
            for k in range(3):
                self.event_counter += 1
                bad.append([f"E{self.event_counter:09d}", "not-a-timestamp", ws.workspace_id, user,
                            "login", ""])
            for k in range(2):
                bad.append(["", self.day_prefix[10 + k] + "10:00:00", ws.workspace_id, user,
                            "page_viewed", ""])
            for k, row in enumerate(bad):
                writers[k % EVENT_PARTS].writerow(row)
            self.events_written += len(bad)
            self.stats["product_events_rows"] = self.events_written
        finally:
            for h in handles:
                h.close()

    # ---------------------------------------------------------------- CS / CRM sources
    def _window_months(self) -> list[tuple[dt.date, dt.date]]:
        """(first day, last day) of each month touched by the window, clipped to it."""
        out = []
        for m in months_between(self.window_start, self.end_date):
            first = max(m, self.window_start)
            last = min(add_months(m, 1) - dt.timedelta(days=1), self.end_date)
            out.append((first, last))
        return out

    def _random_day(self, first: dt.date, last: dt.date) -> dt.date:
        return first + dt.timedelta(days=self.rng.randint(0, (last - first).days))

    def nps_rows(self) -> list[list[str]]:
        rng = self.rng
        rows: list[list[str]] = []
        high = [10] * 5 + [9] * 4 + [8] * 2
        low = [0, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 7]
        mid = [6, 7, 7, 8, 8]
        counter = 0
        for acc in self.accounts:
            scores = high if acc.plant in HIGH_HEALTH else low if acc.plant in LOW_HEALTH else mid
            for first, last in self._window_months():
                for _ in range(rng.choice((1, 2))):
                    counter += 1
                    when = day_time(rng, self._random_day(first, last))
                    rows.append([f"R{counter:06d}", acc.account_id, fmt_cs_ts(rng, when),
                                 str(rng.choice(scores))])
        # Planted bad rows: two scores out of range.
        for k in range(2):
            counter += 1
            acc = self.accounts[5 + k]
            rows.append([f"R{counter:06d}", acc.account_id,
                         fmt_ts(day_time(rng, self.window_start + dt.timedelta(days=20 + k))), "11"])
        return rows

    def ticket_rows(self) -> list[list[str]]:
        rng = self.rng
        rows: list[list[str]] = []
        end_dt = dt.datetime.combine(self.end_date, dt.time(23, 59, 59))
        open_cutoff = self.end_date - dt.timedelta(days=42)
        counter = 0
        for acc in self.accounts:
            for first, last in self._window_months():
                if acc.plant in HIGH_HEALTH:
                    n = rng.choice((0, 1))
                elif acc.plant in LOW_HEALTH:
                    n = rng.randint(4, 8)
                else:
                    n = rng.randint(2, 3)
                for _ in range(n):
                    counter += 1
                    opened = day_time(rng, self._random_day(first, last))
                    if acc.plant in HIGH_HEALTH:
                        priority = "low" if rng.random() < 0.8 else "normal"
                        close_days: int | None = rng.randint(2, 5)
                    elif acc.plant in LOW_HEALTH:
                        priority = rng.choice(("high", "high", "urgent", "normal"))
                        close_days = None if opened.date() >= open_cutoff else rng.randint(15, 40)
                    else:
                        priority = rng.choice(("normal", "normal", "low", "high"))
                        close_days = rng.randint(8, 12)
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
                    rows.append([
                        f"T{counter:06d}", acc.account_id, fmt_cs_ts(rng, opened),
                        fmt_cs_ts(rng, closed) if closed else "", priority,
                        rng.choice(PRODUCT_AREAS), fmt_cs_ts(rng, fix) if fix else "",
                    ])
        counter += 1
        rows.append([f"T{counter:06d}", "", fmt_ts(day_time(rng, self.window_start + dt.timedelta(days=30))),
                     "", "normal", "platform", ""])
        return rows

    def touchpoint_rows(self) -> list[list[str]]:
        rng = self.rng
        rows: list[list[str]] = []
        silent_from = self.end_date - dt.timedelta(days=70)
        counter = 0
        for acc in self.accounts:
            if acc.segment == "low_touch":
                continue
            if acc.plant in HIGH_HEALTH:
                step, stop = (10, 20), self.end_date
            elif acc.plant in LOW_HEALTH:
                step, stop = (10, 20), silent_from - dt.timedelta(days=1)
            else:
                step, stop = (25, 35), self.end_date
            day = self.window_start + dt.timedelta(days=rng.randint(0, step[0]))
            while day <= stop:
                counter += 1
                if acc.plant in HIGH_HEALTH:
                    sentiment = "positive" if rng.random() < 0.85 else "neutral"
                elif acc.plant in LOW_HEALTH:
                    sentiment = "negative" if rng.random() < 0.6 else "neutral"
                else:
                    sentiment = "neutral"
                kind = rng.choices(TOUCHPOINT_TYPES, TOUCHPOINT_TYPE_WEIGHTS)[0]
                rows.append([f"TP{counter:06d}", acc.account_id, fmt_cs_ts(rng, day_time(rng, day)),
                             kind, sentiment])
                day += dt.timedelta(days=rng.randint(*step))
        # Planted bad row: an unknown sentiment (early in the window, on a high-health account).
        counter += 1
        acc = next(a for a in self.accounts if a.plant in HIGH_HEALTH and a.segment != "low_touch")
        rows.append([f"TP{counter:06d}", acc.account_id,
                     fmt_ts(day_time(rng, self.window_start + dt.timedelta(days=3))), "call", "meh"])
        return rows

    def health_score_rows(self) -> list[tuple[str, str, int, str]]:
        rng = self.rng
        rows = []
        for acc in self.accounts:
            day = self.window_start + dt.timedelta(days=rng.randint(0, 13))
            while day <= self.end_date:
                if acc.plant in HIGH_HEALTH:
                    score, risk = rng.randint(75, 92), "low"
                elif acc.plant in LOW_HEALTH:
                    score, risk = rng.randint(20, 42), "high"
                else:
                    score, risk = rng.randint(50, 65), "medium"
                rows.append((acc.account_id, f"{day.isoformat()} 06:00:00", score, risk))
                day += dt.timedelta(days=14)
        return rows

    def arr_rows(self) -> list[list[str]]:
        rng = self.rng
        rows = []
        end_month = month_start(self.end_date)
        batch = f"{self.end_date.isoformat()}-01"
        for acc in self.accounts:
            step_from = add_months(end_month, -rng.choice((3, 4)))
            if acc.plant in HIGH_HEALTH:
                factor = 1 + rng.uniform(0.10, 0.15)
            elif acc.plant in LOW_HEALTH:
                factor = 1 - rng.uniform(0.10, 0.20)
            else:
                factor = 1.0
            after = acc.base_arr * factor
            if acc.base_arr == int(acc.base_arr):
                after = float(round(after))
            for m in months_between(self.window_start, self.end_date):
                arr = after if m >= step_from else acc.base_arr
                rows.append([acc.account_id, m.isoformat(), fmt_money(arr), str(acc.seats),
                             acc.subscription_id, batch])
        return rows

    def renewal_rows(self) -> list[list[str]]:
        """Renewal outcomes, the ground truth the scores are validated against.

        Every account without an earlier renewal renews once inside the scored history, late
        enough that it was scored RENEWAL_LOOKBACK_DAYS before (the first scored week plus the
        look-back). Within each planted quadrant exactly round(rate x renewals) of those churn
        (CHURN_RATES), so the demo's churn rate by quadrant shows the planted pattern rather
        than sampling noise. The older renewals (a year before the next one, mostly before the
        history starts) churn at random with the same rates.
        """
        rng = self.rng
        first_scored = self.window_start + dt.timedelta(days=7 * 4 + RENEWAL_LOOKBACK_DAYS + 7)
        span = (self.end_date - first_scored).days
        recent: dict[str, list[Account]] = {plant: [] for plant in PLANTS}
        dates: dict[str, dt.date] = {}
        for acc in self.accounts:
            if acc.past_renewal is None:
                dates[acc.account_id] = first_scored + dt.timedelta(days=rng.randrange(span))
                recent[acc.plant].append(acc)
        churned: set[str] = set()
        for plant in PLANTS:
            group = recent[plant]
            rng.shuffle(group)
            churned.update(a.account_id for a in group[:round(CHURN_RATES[plant] * len(group))])
        rows = []
        for acc in self.accounts:
            when = acc.past_renewal or dates[acc.account_id]
            before = acc.base_arr
            is_churn = (acc.account_id in churned if acc.past_renewal is None
                        else rng.random() < CHURN_RATES[acc.plant])
            if is_churn:
                outcome, after = "churned", 0.0
            else:
                r = rng.random()
                if r < 0.70:
                    outcome, after = "renewed", before * rng.uniform(0.98, 1.03)
                elif r < 0.90:
                    outcome, after = "expanded", before * 1.15
                else:
                    outcome, after = "contracted", before * 0.85
            rows.append([acc.account_id, when.isoformat(), outcome, fmt_money(before), fmt_money(after)])
        return rows

    # ---------------------------------------------------------------- writing
    def _write_csv(self, rel_path: str, header: Sequence[str], rows) -> int:
        path = os.path.join(self.out, rel_path)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        n = 0
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            for row in rows:
                writer.writerow(row)
                n += 1
        self.stats[os.path.splitext(os.path.basename(rel_path))[0]] = n
        return n

    def _write_health_parquet(self, rows: list[tuple[str, str, int, str]]) -> None:
        import duckdb  # imported lazily so --help works without it

        target = os.path.join(self.out, "cs_health_scores.parquet")
        with tempfile.TemporaryDirectory() as tmp:
            src = os.path.join(tmp, "cs_health_scores.csv")
            with open(src, "w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle, lineterminator="\n")
                writer.writerow(["account_id", "scored_at", "health_score", "renewal_risk"])
                writer.writerows(rows)
            con = duckdb.connect(":memory:")
            try:
                con.execute("set threads = 1")
                src_sql = src.replace("'", "''")
                dst_sql = target.replace("'", "''")
                con.execute(
                    "copy (select account_id, scored_at, health_score, renewal_risk from read_csv("
                    f"'{src_sql}', header = true, auto_detect = false, columns = {{"
                    "'account_id': 'varchar', 'scored_at': 'timestamp', "
                    "'health_score': 'integer', 'renewal_risk': 'varchar'})) "
                    f"to '{dst_sql}' (format parquet)"
                )
            finally:
                con.close()
        self.stats["cs_health_scores"] = len(rows)

    def run(self) -> dict[str, int]:
        if os.path.exists(self.out):
            shutil.rmtree(self.out)
        os.makedirs(self.out)
        self.build_accounts()
        self.build_workspaces()

        # crm_accounts: column order deliberately shuffled (readers must match by name).
        self._write_csv(
            "crm_accounts.csv",
            ["account_id", "segment", "account_name", "renewal_date", "csm_owner", "email_domain",
             "parent_account_id", "created_at"],
            ([a.account_id, a.segment, a.name, a.renewal_date.isoformat(),
              a.csm_owner, a.domain, a.parent_id, fmt_ts(a.created_at)] for a in self.accounts),
        )
        self._write_csv(
            "product_workspaces.csv",
            ["workspace_id", "crm_account_id", "subscription_id", "instance_type", "created_at"],
            ([w.workspace_id, w.crm_account_id, w.subscription_id, w.instance_type, fmt_ts(w.created_at)]
             for w in self.workspaces),
        )
        self._write_csv("product_users.csv", ["user_id", "workspace_id", "email", "created_at"],
                        self.user_rows)
        self.write_events()
        # arr_monthly carries one extra column (_export_batch) that readers must ignore.
        self._write_csv("arr_monthly.csv",
                        ["account_id", "month", "arr", "licensed_seats", "subscription_id", "_export_batch"],
                        self.arr_rows())
        self._write_csv("nps_responses.csv", ["response_id", "account_id", "responded_at", "score"],
                        self.nps_rows())
        self._write_csv("support_tickets.csv",
                        ["ticket_id", "account_id", "opened_at", "closed_at", "priority", "product_area",
                         "fix_shipped_at"],
                        self.ticket_rows())
        self._write_csv("csm_touchpoints.csv",
                        ["touchpoint_id", "account_id", "occurred_at", "touchpoint_type", "sentiment"],
                        self.touchpoint_rows())
        self._write_health_parquet(self.health_score_rows())
        self._write_csv("renewal_outcomes.csv",
                        ["account_id", "renewal_date", "outcome", "arr_before", "arr_after"],
                        self.renewal_rows())
        self._write_csv(
            os.path.join("_truth", "planted_accounts.csv"),
            ["account_id", "segment", "planted_quadrant", "identity_method"],
            ([a.account_id, a.segment, a.plant, a.identity_method] for a in self.accounts
             if not a.is_child),
        )
        return self.stats


# --------------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description="Generate seeded, deterministic demo landing data for the usage-health "
                    "warehouse (same arguments => byte-identical files). Deletes and recreates --out.",
    )
    parser.add_argument("--out", default="data/landing", help="output folder (default: %(default)s)")
    parser.add_argument("--accounts", type=int, default=300,
                        help="number of CRM accounts incl. ~1 in 30 child accounts (default: %(default)s)")
    parser.add_argument("--weeks", type=int, default=30,
                        help="weeks of data ending on --end-date, at least 26 (default: %(default)s)")
    parser.add_argument("--end-date", type=parse_date, default=dt.date(2026, 11, 15),
                        help="last day of the data, inclusive (default: 2026-11-15)")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default: %(default)s)")
    parser.add_argument("--users-scale", type=float, default=1.0,
                        help="users per workspace = licensed seats x this (default: %(default)s)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.weeks < 26:
        print("error: --weeks must be at least 26", file=sys.stderr)
        return 2
    if args.accounts < 20:
        print("error: --accounts must be at least 20", file=sys.stderr)
        return 2
    if args.users_scale <= 0:
        print("error: --users-scale must be positive", file=sys.stderr)
        return 2
    gen = Generator(args.out, args.accounts, args.weeks, args.end_date, args.seed, args.users_scale)
    stats = gen.run()
    print(f"wrote {args.out} (window {gen.window_start} .. {gen.end_date}): "
          + ", ".join(f"{k}={v}" for k, v in stats.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
