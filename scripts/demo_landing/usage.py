"""How much and what each plant uses: usage profiles, event pools and session contents.

The high-usage plants use (nearly) every core feature often and early; the low-usage ones use
one or two rarely and late; "Between" sits in the middle. Which features are core and which
events count for them come from ``seeds/features.csv`` (``config.ProjectConfig``); the weights
below are the generator's own.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from demo_landing.common import weighted_pool
from demo_landing.config import ProjectConfig
from demo_landing.world import HIGH_USAGE, LOW_USAGE

# Relative use of each core feature by an account that uses it.
CORE_FEATURE_WEIGHT = {"dashboards": 30, "reports": 18, "integrations": 14, "automations": 12,
                       "alerts": 10, "collaboration": 16}
NONCORE_WEIGHT_ACTIVE = {"search_performed": 35, "export_downloaded": 20, "import_started": 25,
                         "settings_changed": 12, "page_viewed": 8}
NONCORE_WEIGHT_PASSIVE = {"page_viewed": 30, "search_performed": 25, "settings_changed": 15,
                          "export_downloaded": 18, "import_started": 12}
# Generic sessions of orphan and conflict workspaces.
FILLER_WEIGHT = {**NONCORE_WEIGHT_ACTIVE, "dashboard_viewed": 30, "report_created": 10, "comment_added": 10}
# The core feature every account uses (a high-usage account's first session holds its event).
FIRST_CORE_FEATURE = "dashboards"


@dataclass
class UsageProfile:
    """The ranges a plant's production workspaces draw their use from."""

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
    """The usage profile of a planted quadrant."""
    if plant in HIGH_USAGE:
        return HIGH_PROFILE
    if plant in LOW_USAGE:
        return LOW_PROFILE
    return BETWEEN_PROFILE


@dataclass
class UsagePlan:
    """How one production workspace is used, drawn once for it."""

    profile: UsageProfile
    full_pool: list[str]  # events once core features are in use
    noncore_pool: list[str]  # events before that
    completion: float  # chance a workflow start is followed by its completion
    active_weeks: list[bool]
    core_from: int  # first window day whose sessions draw from the full pool


def _core_features_used(rng: random.Random, plant: str, core: tuple[str, ...]) -> list[str]:
    """High usage: all core features, 30% lack one; low: dashboards (and maybe collaboration);
    between: dashboards and two or three others."""
    if plant in HIGH_USAGE:
        features = list(core)
        if rng.random() < 0.3:
            features.remove(rng.choice(core[1:]))
        return features
    if plant in LOW_USAGE:
        return [FIRST_CORE_FEATURE] if rng.random() < 0.6 else [FIRST_CORE_FEATURE, "collaboration"]
    return [FIRST_CORE_FEATURE] + rng.sample(core[1:], rng.choice((2, 3)))


def _full_pool_weights(features: list[str], prof: UsageProfile, config: ProjectConfig) -> dict[str, float]:
    """Core events take ``core_share`` of the picks, split by feature weight; non-core the rest."""
    weights: dict[str, float] = {}
    core_total = sum(CORE_FEATURE_WEIGHT[f] for f in features)
    for f in features:
        weights[config.core_feature_event[f]] = 100 * prof.core_share * CORE_FEATURE_WEIGHT[f] / core_total
    non_total = sum(prof.noncore_weights.values())
    for name, w in prof.noncore_weights.items():
        weights[name] = 100 * (1 - prof.core_share) * w / non_total
    return weights


def active_weeks(rng: random.Random, weeks: int, per8: tuple[int, ...]) -> list[bool]:
    """Which weeks are active: in each block of 8, a drawn number of them (pro rata when shorter)."""
    flags: list[bool] = []
    for block_start in range(0, weeks, 8):
        size = min(8, weeks - block_start)
        k = rng.choice(per8)
        k = max(1, round(k * size / 8)) if size < 8 else k
        chosen = set(rng.sample(range(size), min(k, size)))
        flags.extend(i in chosen for i in range(size))
    return flags


def plan_usage(rng: random.Random, plant: str, weeks: int, config: ProjectConfig) -> UsagePlan:
    """Draw the pools, completion rate, active weeks and time to value of a production workspace."""
    prof = usage_profile(plant)
    features = _core_features_used(rng, plant, config.core_features)
    full = weighted_pool(_full_pool_weights(features, prof, config))
    noncore = weighted_pool(prof.noncore_weights)
    completion = rng.uniform(*prof.completion)
    flags = active_weeks(rng, weeks, prof.active_weeks_per_8)
    if not any(flags) or plant in HIGH_USAGE:
        flags[0] = True  # high usage: the first core event on the account's first day
    first_week = flags.index(True)
    core_from = first_week * 7 + 7 + rng.randint(*prof.ttv_days) if prof.ttv_days[1] else 0
    return UsagePlan(prof, full, noncore, completion, flags, core_from)


def session_names(rng: random.Random, n: int, pool: list[str], completion: float,
                  workflows: dict[str, str], first: str | None = None) -> list[str]:
    """A session's event names: a login (and ``first``), then picks from the pool until there
    are ``n``; a workflow start is followed by its completion with chance ``completion``."""
    names = ["login"]
    if first is not None:
        names.append(first)
    rand = rng.random
    size = len(pool)
    while len(names) < n:
        name = pool[int(rand() * size)]
        names.append(name)
        done = workflows.get(name)
        if done is not None and rand() < completion:
            names.append(done)
    return names
