#!/usr/bin/env python3
"""Generate landing data at scale (millions to hundreds of millions of product events).

The CRM and CS sources, the accounts, their plants (Champions, Frustrated Power Users,
Relationship-Dependent, Churn Risk, Between), workspaces, users and identity methods come from
``demo_landing.generator.Generator``, unchanged: the same planted structure as the demo. Only the product
events are made differently: instead of a Python loop per event, DuckDB expands a small plan
(workspace x active week, one row each, with the workspace's usage profile) into users, sessions
and events with set-based SQL, and writes them as Parquet parts under ``<out>/product_events/``.
Every random draw is a hash of the seed and the row's coordinates, so the same arguments give
the same rows (row order inside a part may differ between runs: parts are written in parallel).

``--events`` sets the size: users per workspace are scaled (seats x a factor computed from the
profiles' expected events per user-week) so the total lands near it. Planted bad rows (three
unparseable timestamps, two missing event ids) go to their own part, all text, so the quarantine
works on Parquet as it does on CSV.

Example (the large benchmark, about 100 million events)::

    python scripts/generate_scale.py --out build/bench/large --accounts 20000 --weeks 52 \\
        --events 100000000 --seed 42
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from typing import Sequence

from demo_landing import usage
from demo_landing.events import CONFLICT_EVENTS, DUPLICATE_SHARE, FOLDER, ORPHAN_SHARE
from demo_landing.common import parse_date, weighted_pool
from demo_landing.generator import Generator

# Sessions of orphan workspaces (no account) per user and week, events per session: sized in
# write_events so orphans hold ORPHAN_SHARE of all events, as in the demo.
ORPHAN_EVENTS = (3, 4, 5, 6, 7, 8, 9)
# The conflict workspace: one session a week of this many events (about CONFLICT_EVENTS).
CONFLICT_SESSION_EVENTS = 6
EVENTS_PER_PART = 5_000_000
SECONDS_BETWEEN_EVENTS = 100  # mean gap inside a session (the demo draws 4..200 seconds)


def expected_events_per_user_week(profile: usage.UsageProfile) -> float:
    """Events one user of a production workspace with this profile sends in an average week."""
    active_weeks = statistics.mean(profile.active_weeks_per_8) / 8
    active_share = statistics.mean(profile.active_share)
    sessions = statistics.mean(profile.sessions)
    events = statistics.mean(profile.events)
    # workflow completions come on top of a session's picks, and users per workspace round up
    # (at least one): together about 20% more rows than the product of the means (measured)
    return active_weeks * active_share * sessions * events * 1.2


class ScaleGenerator(Generator):
    """The demo generator with product events expanded in DuckDB and written as Parquet."""

    # The cases that rewrite or silence a workspace's events are the demo's (its event loop);
    # here only the seats and unknown instances are planted (demo_landing.cases).
    plants_event_cases = False

    def __init__(self, out: str, accounts: int, weeks: int, end_date: dt.date, seed: int,
                 events: int, parts: int | None, threads: int, memory_limit: str) -> None:
        super().__init__(out, accounts, weeks, end_date, seed, users_scale=1.0)
        self.seed = seed
        self.events_target = events
        self.parts = parts or max(1, -(-events // EVENTS_PER_PART))
        self.threads = threads
        self.memory_limit = memory_limit

    # ---------------------------------------------------------------- sizing
    def build_workspaces(self) -> None:
        """Scale users per workspace so the events land near --events, then build as the demo does."""
        per_week = sum(acc.seats * expected_events_per_user_week(usage.usage_profile(acc.plant))
                       for acc in self.world.accounts)
        production_target = self.events_target * (1 - ORPHAN_SHARE)
        self.users_scale = production_target / (per_week * self.world.weeks)
        super().build_workspaces()

    # ---------------------------------------------------------------- the plan
    def _plan(self) -> tuple[list[tuple], list[tuple], list[tuple], list[tuple]]:
        """Small tables the SQL expands: workspaces, their active weeks, users and event pools."""
        rng, world = self.rng, self.world
        pools: dict[tuple[str, ...], int] = {}

        def pool_id(names: list[str]) -> int:
            return pools.setdefault(tuple(names), len(pools))

        side_pool = pool_id(weighted_pool(usage.NONCORE_WEIGHT_PASSIVE))
        filler_pool = pool_id(weighted_pool(usage.FILLER_WEIGHT))
        production_events = sum(len(w.user_ids) for w in world.workspaces if w.kind == "production")
        orphans = [w for w in world.workspaces if w.kind == "orphan"]
        orphan_users = max(1, sum(len(w.user_ids) for w in orphans))
        # orphans: ORPHAN_SHARE of all events, spread over every week of every orphan user
        orphan_target = self.events_target * ORPHAN_SHARE
        orphan_sessions = max(1, round(orphan_target / (orphan_users * world.weeks
                                                        * statistics.mean(ORPHAN_EVENTS))))
        del production_events

        workspaces, weeks, users = [], [], []
        user_index = 0
        for idx, ws in enumerate(world.workspaces):
            part = idx % self.parts
            for u, user_id in enumerate(ws.user_ids):
                users.append((idx, u, user_id))
            user_index += len(ws.user_ids)
            if ws.kind == "production":
                acc = ws.account
                assert acc is not None
                plan = usage.plan_usage(rng, acc.plant, world.weeks, self.config)
                prof = plan.profile
                active = [w for w, on in enumerate(plan.active_weeks) if on]
                workspaces.append((idx, ws.workspace_id, part, ws.fill_session_id, len(ws.user_ids),
                                   prof.active_share[0], prof.active_share[1], list(prof.sessions),
                                   list(prof.events), pool_id(plan.full_pool), pool_id(plan.noncore_pool),
                                   plan.completion, plan.core_from, False))
            elif ws.kind in ("non_production", "obsolete"):
                span = range(world.weeks) if ws.kind == "non_production" else range(min(3, world.weeks))
                active = [w for w in span if rng.random() >= 0.5]
                workspaces.append((idx, ws.workspace_id, part, ws.fill_session_id, len(ws.user_ids),
                                   0.0, 0.0, [1], [3, 4, 5, 6], side_pool, side_pool, 0.5, 0, True))
            elif ws.kind == "orphan":
                active = list(range(world.weeks))
                workspaces.append((idx, ws.workspace_id, part, ws.fill_session_id, len(ws.user_ids),
                                   1.0, 1.0, [orphan_sessions], list(ORPHAN_EVENTS), filler_pool,
                                   filler_pool, 0.7, 0, False))
            else:  # conflict: a few hundred events, one session a week
                active = list(range(min(world.weeks, CONFLICT_EVENTS // CONFLICT_SESSION_EVENTS)))
                workspaces.append((idx, ws.workspace_id, part, ws.fill_session_id, len(ws.user_ids),
                                   0.0, 0.0, [1], [CONFLICT_SESSION_EVENTS], filler_pool, filler_pool,
                                   0.7, 0, True))
            weeks.extend((idx, w) for w in active)
        pool_rows = [(pid, slot, name) for names, pid in pools.items() for slot, name in enumerate(names)]
        return workspaces, weeks, users, pool_rows

    # ---------------------------------------------------------------- the expansion
    def _events_sql(self, part: int) -> str:
        """Every event of one part: plan -> active users -> sessions -> events (+ completions)."""
        seed = self.seed

        def uniform(*coords: str) -> str:
            return f"((hash({seed}, {', '.join(coords)}) % 1000003) / 1000003.0)"

        def pick(*coords: str, n: str) -> str:
            return f"cast(1 + hash({seed}, {', '.join(coords)}) % {n} as bigint)"

        workflows = self.config.workflows
        starts = ", ".join(f"'{s}'" for s in workflows)
        completions = " ".join(f"when '{s}' then '{c}'" for s, c in workflows.items())
        return f"""
        with ws as (select * from plan_workspaces where part = {part}),
        ws_weeks as (
            select ws.*, w.week,
                   active_lo + (active_hi - active_lo) * {uniform('ws.idx', 'w.week', '1')} as share
            from ws join plan_weeks as w on w.idx = ws.idx
        ),
        user_weeks as (
            select ws_weeks.*, u.user_no, u.user_id
            from ws_weeks join plan_users as u on u.idx = ws_weeks.idx
            where case
                when single_user then u.user_no = hash({seed}, ws_weeks.idx, ws_weeks.week, 2) % n_users
                else {uniform('ws_weeks.idx', 'ws_weeks.week', 'u.user_no', '3')} < share
            end
        ),
        sessions as (
            select user_weeks.*, s.s,
                   -- distinct days of the week for a user's sessions (2 is coprime with 7)
                   week * 7 + (hash({seed}, idx, week, user_no, 4) % 7 + 2 * s.s) % 7 as day,
                   7 * 3600 + hash({seed}, idx, week, user_no, s.s, 5) % (12 * 3600) as start_second,
                   list_extract(events_choices, {pick('idx', 'week', 'user_no', 's.s', '6', n='len(events_choices)')}) as n_events
            from user_weeks
            cross join range(7) as s(s)
            where s.s < list_extract(sessions_choices, {pick('idx', 'week', 'user_no', '7', n='len(sessions_choices)')})
        ),
        picks as (
            select sessions.*, k.k,
                   case when day >= core_from then full_pool else noncore_pool end as pool,
                   hash({seed}, idx, week, user_no, s, k.k, 8) as h
            from sessions cross join range(16) as k(k)
            where k.k < n_events
        ),
        named as (
            select picks.*,
                   case when k = 0 then 'login' else pool_slots.event_name end as event_name,
                   start_second + k * {SECONDS_BETWEEN_EVENTS} + h % 90 as second_of_day
            from picks
            left join pool_slots
                on pool_slots.pool_id = picks.pool
                and pool_slots.slot = picks.h % (select n from pool_sizes where pool_sizes.pool_id = picks.pool)
        ),
        with_completions as (
            select idx, week, user_no, user_id, s, day, workspace_id, fill_session,
                   cast(k as varchar) as k, event_name, second_of_day
            from named
            union all
            select idx, week, user_no, user_id, s, day, workspace_id, fill_session,
                   k || 'c', case event_name {completions} end, second_of_day + 3
            from named
            where event_name in ({starts}) and {uniform('idx', 'week', 'user_no', 's', 'k', '9')} < completion
        ),
        events as (
            select
                'E' || idx || '-' || week || '-' || user_no || '-' || s || '-' || k as event_id,
                date '{self.world.window_start.isoformat()}' + cast(day as integer)
                    + to_seconds(cast(second_of_day as bigint)) as occurred_at,
                workspace_id,
                user_id,
                event_name,
                case when fill_session then user_id || '-' || week || '-' || s end as session_id
            from with_completions
        )
        select * from events
        union all
        -- at-least-once delivery: about {DUPLICATE_SHARE:.1%} of events arrive twice
        select * from events where (hash({seed}, event_id, 10) % 1000003) / 1000003.0 < {DUPLICATE_SHARE}
        """

    @staticmethod
    def _load(con, tmp: str, table: str, columns: list[tuple[str, str]], rows: list[tuple]) -> None:
        """A plan table into DuckDB through a CSV file (lists as 'a|b|c')."""
        path = os.path.join(tmp, f"{table}.csv")
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            for row in rows:
                writer.writerow(["|".join(map(str, v)) if isinstance(v, list) else v for v in row])
        types = ", ".join(f"'{name}': '{'varchar' if kind.endswith('[]') else kind}'" for name, kind in columns)
        select = ", ".join(f"cast(string_split({name}, '|') as {kind}) as {name}" if kind.endswith("[]") else name
                           for name, kind in columns)
        con.execute(f"create table {table} as select {select} from read_csv('{path}', header = false, "
                    f"auto_detect = false, columns = {{{types}}})")

    def write_events(self) -> None:
        import duckdb  # imported lazily so --help works without it

        folder = os.path.join(self.out, FOLDER)
        os.makedirs(folder)
        workspaces, weeks, users, pool_rows = self._plan()
        with tempfile.TemporaryDirectory() as tmp:
            con = duckdb.connect(os.path.join(tmp, "plan.duckdb"))
            try:
                con.execute(f"set threads = {self.threads}")
                con.execute(f"set memory_limit = '{self.memory_limit}'")
                con.execute("set preserve_insertion_order = false")
                self._load(con, tmp, "plan_workspaces", [
                    ("idx", "integer"), ("workspace_id", "varchar"), ("part", "integer"),
                    ("fill_session", "boolean"), ("n_users", "integer"), ("active_lo", "double"),
                    ("active_hi", "double"), ("sessions_choices", "integer[]"),
                    ("events_choices", "integer[]"), ("full_pool", "integer"), ("noncore_pool", "integer"),
                    ("completion", "double"), ("core_from", "integer"), ("single_user", "boolean")],
                    workspaces)
                self._load(con, tmp, "plan_weeks", [("idx", "integer"), ("week", "integer")], weeks)
                self._load(con, tmp, "plan_users", [("idx", "integer"), ("user_no", "integer"),
                                                    ("user_id", "varchar")], users)
                self._load(con, tmp, "pool_slots", [("pool_id", "integer"), ("slot", "integer"),
                                                    ("event_name", "varchar")], pool_rows)
                con.execute("create table pool_sizes as select pool_id, count(*) as n from pool_slots group by 1")
                total = 0
                for part in range(self.parts):
                    target = os.path.join(folder, f"part-{part:04d}.parquet").replace("'", "''")
                    con.execute(f"copy ({self._events_sql(part)}) to '{target}' (format parquet, compression zstd)")
                    total += con.execute(f"select count(*) from read_parquet('{target}')").fetchone()[0]
                # Planted bad rows, all text: 3 unparseable timestamps, 2 missing event ids.
                ws = next(w for w in self.world.workspaces if w.kind == "production")
                user = ws.user_ids[0]
                bad = [(f"E-BAD-{k}", "not-a-timestamp", ws.workspace_id, user, "login", None) for k in range(3)]
                bad += [(None, f"{self.world.window_start + dt.timedelta(days=10 + k)}T10:00:00", ws.workspace_id,
                         user, "page_viewed", None) for k in range(2)]
                con.execute("create table bad_rows (event_id varchar, occurred_at varchar, workspace_id varchar, "
                            "user_id varchar, event_name varchar, session_id varchar)")
                con.executemany("insert into bad_rows values (?, ?, ?, ?, ?, ?)", bad)
                target = os.path.join(folder, "part-bad-rows.parquet").replace("'", "''")
                con.execute(f"copy bad_rows to '{target}' (format parquet)")
            finally:
                con.close()
        self.stats["product_events_rows"] = total + len(bad)
        self.stats["product_event_parts"] = self.parts + 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description="Generate landing data at scale: the demo's accounts, plants and CS sources, with "
                    "product events expanded in DuckDB and written as Parquet parts. Deletes and "
                    "recreates --out.",
    )
    parser.add_argument("--out", required=True, help="output folder")
    parser.add_argument("--accounts", type=int, default=1000, help="CRM accounts (default: %(default)s)")
    parser.add_argument("--weeks", type=int, default=52, help="weeks of data, at least 26 (default: %(default)s)")
    parser.add_argument("--events", type=int, default=1_000_000,
                        help="about this many product events (default: %(default)s)")
    parser.add_argument("--end-date", type=parse_date, default=dt.date(2026, 11, 15),
                        help="last day of the data, inclusive (default: 2026-11-15)")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default: %(default)s)")
    parser.add_argument("--parts", type=int, default=None,
                        help=f"Parquet parts of product_events (default: one per {EVENTS_PER_PART:,} events)")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 2, help="DuckDB threads")
    parser.add_argument("--memory-limit", default="4GB", help="DuckDB memory limit (default: %(default)s)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.weeks < 26 or args.accounts < 20 or args.events < 10_000:
        print("error: need --weeks >= 26, --accounts >= 20 and --events >= 10000", file=sys.stderr)
        return 2
    started = time.monotonic()
    gen = ScaleGenerator(args.out, args.accounts, args.weeks, args.end_date, args.seed, args.events,
                         args.parts, args.threads, args.memory_limit)
    stats = gen.run()
    print(f"wrote {args.out} in {time.monotonic() - started:.0f}s (window {gen.world.window_start} .. {gen.world.end_date}, "
          f"users per seat {gen.users_scale:.3f}): " + ", ".join(f"{k}={v}" for k, v in stats.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
