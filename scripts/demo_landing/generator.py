"""Runs the generator: plants the world, then writes every source in a fixed order.

All sources draw from one ``random.Random`` in turn, so the order below is part of the output:
moving a source changes every source after it.
"""

from __future__ import annotations

import datetime as dt
import os
import random
from typing import Any, Iterable, Sequence

from demo_landing import crm, cs, events, output, product
from demo_landing.cases import TRUTH_HEADER as CASES_HEADER
from demo_landing.cases import pick_cases, truth_rows
from demo_landing.config import ProjectConfig, load_config
from demo_landing.workspaces import build_workspaces
from demo_landing.world import World, build_accounts


class Generator:
    """The demo landing data for one set of arguments; ``run()`` writes it to ``out``."""

    # Plant the cases that rewrite or silence events (demo_landing.cases); a generator that writes
    # events its own way turns this off.
    plants_event_cases = True

    def __init__(self, out: str, accounts: int, weeks: int, end_date: dt.date, seed: int,
                 users_scale: float, config: ProjectConfig | None = None) -> None:
        self.out = out
        self.n_accounts = accounts
        self.users_scale = users_scale
        self.config = config or load_config()
        self.rng = random.Random(seed)
        self.world = World(end_date=end_date, weeks=weeks)
        self.stats: dict[str, int] = {}

    def build_accounts(self) -> None:
        build_accounts(self.rng, self.world, self.n_accounts)

    def build_workspaces(self) -> None:
        build_workspaces(self.rng, self.world, self.users_scale)

    def write_events(self) -> None:
        self.stats.update(events.write_events(self.rng, self.world, self.out, self.config))

    def _csv(self, rel_path: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        name = os.path.splitext(os.path.basename(rel_path))[0]
        self.stats[name] = output.write_csv(self.out, rel_path, header, rows)

    def run(self) -> dict[str, int]:
        """Recreate ``out`` and write the ten sources, the demo's identity overrides and the truth
        file; returns rows per file."""
        rng, world = self.rng, self.world
        output.recreate_folder(self.out)
        self.build_accounts()
        self.build_workspaces()
        # no random draw: the cases are picked from what was planted
        world.cases = pick_cases(world, self.config, with_event_cases=self.plants_event_cases)
        self._csv(crm.ACCOUNTS_FILE, crm.ACCOUNTS_HEADER, crm.account_rows(world))
        self._csv(product.WORKSPACES_FILE, product.WORKSPACES_HEADER, product.workspace_rows(world))
        self._csv(product.USERS_FILE, product.USERS_HEADER, product.user_rows(world))
        self.write_events()
        arr = crm.arr_rows(rng, world)
        self._csv(cs.NPS_FILE, cs.NPS_HEADER, cs.nps_rows(rng, world))
        self._csv(cs.TICKETS_FILE, cs.TICKETS_HEADER, cs.ticket_rows(rng, world))
        self._csv(cs.TOUCHPOINTS_FILE, cs.TOUCHPOINTS_HEADER, cs.touchpoint_rows(rng, world))
        self.stats[cs.HEALTH_SCORES_NAME] = output.write_parquet(
            self.out, cs.HEALTH_SCORES_NAME, cs.HEALTH_SCORES_COLUMNS, cs.health_score_rows(rng, world))
        renewals = crm.renewal_rows(rng, world, self.config)
        self._csv(crm.ARR_FILE, crm.ARR_HEADER, crm.without_arr_after_churn(arr, renewals, world))
        self._csv(crm.RENEWALS_FILE, crm.RENEWALS_HEADER, renewals)
        self._csv(product.OVERRIDES_FILE, product.OVERRIDES_HEADER, product.override_rows(world))
        self.stats["planted_accounts"] = output.write_truth(self.out, world)
        self.stats["planted_cases"] = output.write_csv(self.out, output.CASES_FILE, CASES_HEADER,
                                                       truth_rows(world, world.cases))
        return self.stats
