"""The cases issue 16 plants for its marts, picked from the planted world without a random draw.

Each case is a change to rows the generator draws anyway, so every other row of every source
stays as it was (the same draws, in the same order):

- ``one_use_case``: a "Between" account whose users use only one scored use case
  (STRONG_USE_CASE, analytics): every event of another scored use case it sends is written as
  that use case's first core event. Strong in analytics, nothing in automation.
- ``past_seats``: a Champions account billed for fewer seats than it has users (SEATS_SHARE of
  them, every month): license utilization above 1.
- ``alert_resolves``: a Champions account that sends nothing for GAP_WEEKS weeks mid-window, then
  comes back: a usage alert that is raised and clears. Its latest weeks are unchanged.
- ``alert_stays_open``: a "Between" account that sends nothing in the last QUIET_WEEKS weeks: a
  usage alert still open at the end.
- ``unknown_instance``: every workspace written with a blank (unknown) instance type: the
  generator already leaves one production workspace in ten unlabelled, and half the orphans.

Candidates are top-level accounts with no children, none of the special ones, tied by CRM id,
created and last renewed before the window (so no renewal in the scored history, and the
churn-rate figures do not move), taken in account order. The truth file
``_truth/planted_cases.csv`` names each case's account and workspace.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from demo_landing.config import ProjectConfig
from demo_landing.world import SPECIAL_ACCOUNTS, Account, Workspace, World

STRONG_USE_CASE = "analytics"
SEATS_SHARE = 0.7
GAP_WEEKS = 4
QUIET_WEEKS = 4
TRUTH_HEADER = ["case", "account_id", "workspace_id", "detail"]


@dataclass
class PlantedCases:
    """The accounts and workspaces of each case (None where no account qualified)."""

    one_use_case: Account | None = None
    past_seats: Account | None = None
    alert_resolves: Account | None = None
    alert_stays_open: Account | None = None
    unknown_instances: list[Workspace] = field(default_factory=list)
    # Event rewrites and silent window days, by workspace id (what ``events`` applies).
    renamed_events: dict[str, dict[str, str]] = field(default_factory=dict)
    silent_days: dict[str, range] = field(default_factory=dict)
    gap_weeks: range = range(0)
    quiet_weeks: range = range(0)

    def licensed_seats(self, acc: Account) -> int:
        """The seats billed to the account (fewer than its users for the past-seats case)."""
        if acc is self.past_seats:
            return max(1, round(acc.seats * SEATS_SHARE))
        return acc.seats


def _candidates(world: World, plant: str, segments: tuple[str, ...], taken: list[Account]) -> list[Account]:
    parents = {a.parent_id for a in world.accounts if a.parent_id}
    return [
        a for a in world.accounts
        if a.plant == plant and not a.is_child and a.account_id not in parents and a not in taken
        and a.index > SPECIAL_ACCOUNTS and a.segment in segments and a.identity_method == "crm_id"
        and a.past_renewal is not None and a.past_renewal < world.window_start
        and a.created_at.date() < world.window_start
    ]


def _first(world: World, plant: str, segments: tuple[str, ...], taken: list[Account]) -> Account | None:
    found = _candidates(world, plant, segments, taken)
    if found:
        taken.append(found[0])
        return found[0]
    return None


def production_workspace(world: World, acc: Account) -> Workspace:
    return next(w for w in world.workspaces if w.account is acc and w.kind == "production")


def _renames(config: ProjectConfig) -> dict[str, str]:
    """Every event of another use case -> the strong use case's first core event (seed order)."""
    core_events = set(config.core_feature_event.values())
    target = next(e for e, area in config.event_area.items() if area == STRONG_USE_CASE and e in core_events)
    return {e: target for e, area in config.event_area.items()
            if area in config.scored_use_cases and area != STRONG_USE_CASE}


def pick_cases(world: World, config: ProjectConfig, with_event_cases: bool = True) -> PlantedCases:
    """The cases of this world. Without ``with_event_cases`` (the scale generator, which writes
    events its own way) only the seats and the unknown instances are planted."""
    taken: list[Account] = []
    cases = PlantedCases(unknown_instances=[w for w in world.workspaces if w.instance_type in ("", "unknown")])
    cases.past_seats = _first(world, "Champions", ("enterprise", "mid_market"), taken)
    if not with_event_cases:
        return cases
    cases.one_use_case = _first(world, "Between", ("smb", "mid_market"), taken)
    cases.alert_resolves = _first(world, "Champions", ("enterprise", "mid_market", "smb"), taken)
    cases.alert_stays_open = _first(world, "Between", ("smb", "mid_market", "enterprise"), taken)
    gap_start = world.weeks // 2 - 1
    cases.gap_weeks = range(gap_start, gap_start + GAP_WEEKS)
    cases.quiet_weeks = range(world.weeks - QUIET_WEEKS, world.weeks)
    if cases.one_use_case is not None:
        cases.renamed_events[production_workspace(world, cases.one_use_case).workspace_id] = _renames(config)
    for acc, weeks in ((cases.alert_resolves, cases.gap_weeks), (cases.alert_stays_open, cases.quiet_weeks)):
        if acc is not None:
            cases.silent_days[production_workspace(world, acc).workspace_id] = range(7 * weeks.start, 7 * weeks.stop)
    return cases


def truth_rows(world: World, cases: PlantedCases) -> list[list[str]]:
    """One row per planted case (several for the unknown instances)."""
    rows = []

    def week_text(weeks: range) -> str:
        first = world.window_start + dt.timedelta(days=7 * weeks.start)
        return f"weeks starting {first.isoformat()} ({len(weeks)} weeks)"

    if cases.one_use_case is not None:
        ws = production_workspace(world, cases.one_use_case)
        rows.append(["one_use_case", cases.one_use_case.account_id, ws.workspace_id,
                     f"uses only {STRONG_USE_CASE} among the scored use cases"])
    if cases.past_seats is not None:
        rows.append(["past_seats", cases.past_seats.account_id, "",
                     f"{cases.licensed_seats(cases.past_seats)} seats billed for {cases.past_seats.seats} users"])
    if cases.alert_resolves is not None:
        ws = production_workspace(world, cases.alert_resolves)
        rows.append(["alert_resolves", cases.alert_resolves.account_id, ws.workspace_id,
                     "no activity in the " + week_text(cases.gap_weeks)])
    if cases.alert_stays_open is not None:
        ws = production_workspace(world, cases.alert_stays_open)
        rows.append(["alert_stays_open", cases.alert_stays_open.account_id, ws.workspace_id,
                     "no activity in the " + week_text(cases.quiet_weeks)])
    for ws in cases.unknown_instances:
        rows.append(["unknown_instance", ws.account.account_id if ws.account else "", ws.workspace_id,
                     f"{ws.kind} workspace without an instance type"])
    return rows
