"""product_events: every workspace's sessions, written across EVENT_PARTS CSV part files.

Production workspaces follow their account's usage plan; non-production and obsolete ones get
a little passive use; orphan workspaces get about ORPHAN_SHARE of all events and the conflict
workspace a few hundred. About DUPLICATE_SHARE of events are delivered twice, and five planted
bad rows (three unparseable timestamps, two missing event ids) close the files.
"""

from __future__ import annotations

import datetime as dt
import os
import random
from typing import Any

from demo_landing import output
from demo_landing.common import weighted_pool
from demo_landing.config import ProjectConfig
from demo_landing.usage import (FILLER_WEIGHT, FIRST_CORE_FEATURE, NONCORE_WEIGHT_PASSIVE, plan_usage,
                                session_names)
from demo_landing.world import HIGH_USAGE, Account, Workspace, World

EVENT_PARTS = 4
DUPLICATE_SHARE = 0.005
ORPHAN_SHARE = 0.015
CONFLICT_EVENTS = 300
FOLDER = "product_events"
HEADER = ["event_id", "occurred_at", "workspace_id", "user_id", "event_name", "session_id"]
FIRST_SESSION_SECOND, LAST_SESSION_SECOND = 7 * 3600, 19 * 3600  # sessions start 07:00..19:00


class EventParts:
    """The open part files and what every session shares: the last event id, rows per part and
    the rows to be delivered twice."""

    def __init__(self, writers: list[Any], world: World) -> None:
        self.writers = writers
        self.event_counter = 0
        self.rows_written = 0
        self.part_rows = [0] * len(writers)
        self.pending_dups: list[tuple[str, ...] | None] = []
        # Timestamp building blocks: "YYYY-MM-DDT" per window day, "HH:MM:SS" per second of day.
        self.day_prefix = [
            (world.window_start + dt.timedelta(days=d)).isoformat() + "T" for d in range(world.n_days)
        ]
        self.hms = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86400)]
        # Issue 16's cases (demo_landing.cases): event names rewritten, and window days on which
        # a workspace's sessions are drawn as usual but not written, by workspace id.
        self.renamed = world.cases.renamed_events if world.cases is not None else {}
        self.silent_days = world.cases.silent_days if world.cases is not None else {}

    def assign_emptiest(self, ws: Workspace) -> None:
        """Send the workspace's events to the part with the fewest rows so far."""
        ws.part = min(range(len(self.writers)), key=lambda p: (self.part_rows[p], p))

    def emit_session(self, rng: random.Random, ws: Workspace, user_id: str, session_no: int, day: int,
                     start_sec: int, names: list[str]) -> None:
        """Write one session's events, 4..200 seconds apart, from ``start_sec`` of window day ``day``."""
        rand = rng.random
        prefix = self.day_prefix[day]
        hms = self.hms
        sid = f"{user_id}-{session_no}" if ws.fill_session_id else ""
        wid = ws.workspace_id
        sec = start_sec
        counter = self.event_counter
        renamed = self.renamed.get(wid)
        if renamed:
            names = [renamed.get(name, name) for name in names]
        # a silent day draws exactly as any other (the same ids and random numbers, so nothing
        # after it changes) and writes nothing
        silent = day in self.silent_days.get(wid, ())
        rows = []
        for name in names:
            counter += 1
            row = (f"E{counter:09d}", prefix + hms[sec], wid, user_id, name, sid)
            rows.append(row)
            if rand() < DUPLICATE_SHARE:
                self.pending_dups.append(None if silent else row)
            sec += 4 + int(rand() * 197)  # 4..200 seconds apart
        self.event_counter = counter
        if silent:
            return
        self.writers[ws.part].writerows(rows)
        self.rows_written += len(rows)
        self.part_rows[ws.part] += len(rows)

    def write_duplicates(self, rng: random.Random) -> int:
        """Deliver the picked rows a second time: exact duplicate lines, in any part file."""
        written = 0
        for row in self.pending_dups:
            part = rng.randrange(len(self.writers))  # drawn for a silenced row too
            if row is not None:
                self.writers[part].writerow(row)
                written += 1
        self.rows_written += written
        return written

    def write_bad_rows(self, ws: Workspace) -> None:
        """Planted bad rows on the workspace's first user: 3 unparseable timestamps, 2 missing ids."""
        user = ws.user_ids[0]
        bad = []
        for _ in range(3):
            self.event_counter += 1
            bad.append([f"E{self.event_counter:09d}", "not-a-timestamp", ws.workspace_id, user, "login", ""])
        for k in range(2):
            bad.append(["", self.day_prefix[10 + k] + "10:00:00", ws.workspace_id, user, "page_viewed", ""])
        for k, row in enumerate(bad):
            self.writers[k % len(self.writers)].writerow(row)
        self.rows_written += len(bad)


def _session_start(rng: random.Random) -> int:
    return rng.randrange(FIRST_SESSION_SECOND, LAST_SESSION_SECOND)


def _production_events(rng: random.Random, parts: EventParts, ws: Workspace, acc: Account, weeks: int,
                       config: ProjectConfig) -> None:
    """Each active week, a drawn share of the users hold sessions on distinct days; a high-usage
    account's very first session is on its first day and holds a core event."""
    plan = plan_usage(rng, acc.plant, weeks, config)
    prof = plan.profile
    high = acc.plant in HIGH_USAGE
    first_core_event = config.core_feature_event[FIRST_CORE_FEATURE]
    users = ws.user_ids
    n_users = len(users)
    session_no = [0] * n_users
    first_session = True
    for w in range(weeks):
        if not plan.active_weeks[w]:
            continue
        share = rng.uniform(*prof.active_share)
        k = min(n_users, max(1, round(share * n_users)))
        for u in sorted(rng.sample(range(n_users), k)):
            days = sorted(rng.sample(range(7), rng.choice(prof.sessions)))
            if first_session and high:
                days = sorted({0, *days[1:]})
            for d in days:
                day = w * 7 + d
                pool = plan.full_pool if day >= plan.core_from else plan.noncore_pool
                first = first_core_event if first_session and high else None
                names = session_names(rng, rng.choice(prof.events), pool, plan.completion, config.workflows, first)
                first_session = False
                session_no[u] += 1
                parts.emit_session(rng, ws, users[u], session_no[u], day, _session_start(rng), names)


def _side_events(rng: random.Random, parts: EventParts, ws: Workspace, weeks: int,
                 workflows: dict[str, str]) -> None:
    """Non-production: modest use across the window. Obsolete: a little in the first weeks."""
    pool = weighted_pool(NONCORE_WEIGHT_PASSIVE)
    active = range(weeks) if ws.kind == "non_production" else range(min(3, weeks))
    counters = [0] * len(ws.user_ids)
    for w in active:
        if rng.random() < 0.5:
            continue
        u = rng.randrange(len(ws.user_ids))
        counters[u] += 1
        names = session_names(rng, rng.randint(3, 6), pool, 0.5, workflows)
        parts.emit_session(rng, ws, ws.user_ids[u], counters[u], w * 7 + rng.randrange(7),
                           _session_start(rng), names)


def _filler_events(rng: random.Random, parts: EventParts, ws: Workspace, target: int, weeks: int,
                   workflows: dict[str, str]) -> None:
    """Generic sessions spread over the window until about ``target`` events are written."""
    pool = weighted_pool(FILLER_WEIGHT)
    n_users = len(ws.user_ids)
    counters = [0] * n_users
    written = 0
    k = 0
    while written < target:
        u = k % n_users
        slot = k // n_users
        w = slot % weeks
        rest = slot // weeks
        day = w * 7 + (rest + u) % 7
        hour = 7 + 3 * ((rest // 7) % 4)  # sessions of a user are hours apart
        names = session_names(rng, rng.randint(3, 9), pool, 0.7, workflows)
        counters[u] += 1
        parts.emit_session(rng, ws, ws.user_ids[u], counters[u], day, hour * 3600 + rng.randrange(0, 3600), names)
        written += len(names)
        k += 1


def _generate(rng: random.Random, world: World, parts: EventParts, config: ProjectConfig) -> None:
    """Accounts' workspaces first, then orphans (~ORPHAN_SHARE of all events), then the conflict."""
    for ws in world.workspaces:
        if ws.kind in ("orphan", "conflict"):
            continue
        assert ws.account is not None
        parts.assign_emptiest(ws)
        if ws.kind == "production":
            _production_events(rng, parts, ws, ws.account, world.weeks, config)
        else:
            _side_events(rng, parts, ws, world.weeks, config.workflows)
    orphan_total = int(parts.event_counter * ORPHAN_SHARE / (1 - ORPHAN_SHARE))
    orphans = [w for w in world.workspaces if w.kind == "orphan"]
    for ws in orphans:
        parts.assign_emptiest(ws)
        _filler_events(rng, parts, ws, max(20, orphan_total // len(orphans)), world.weeks, config.workflows)
    for ws in world.workspaces:
        if ws.kind == "conflict":
            parts.assign_emptiest(ws)
            _filler_events(rng, parts, ws, CONFLICT_EVENTS, world.weeks, config.workflows)


def write_events(rng: random.Random, world: World, out: str, config: ProjectConfig) -> dict[str, int]:
    """Write ``<out>/product_events/part-NNN.csv``; returns the duplicate and total row counts."""
    with output.csv_parts(os.path.join(out, FOLDER), EVENT_PARTS, HEADER) as writers:
        parts = EventParts(writers, world)
        _generate(rng, world, parts, config)
        duplicates = parts.write_duplicates(rng)
        parts.write_bad_rows(next(w for w in world.workspaces if w.kind == "production"))
    return {"duplicate_events": duplicates, "product_events_rows": parts.rows_written}
