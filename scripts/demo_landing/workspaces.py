"""The accounts' workspaces and their users, plus the orphan and conflict workspaces.

Every account has one production workspace, tied to it the way its identity method says; one
in five also has a non-production workspace and one in twenty an obsolete one. Five orphan
workspaces map to no account, and one conflict workspace names one account's crm id and
another's subscription.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from typing import Iterator

from demo_landing.common import fmt_ts
from demo_landing.world import Account, Workspace, World

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
ORPHAN_WORKSPACES = 5
CONFLICT_ACCOUNTS = ("A0010", "A0011")  # crm id of the first, subscription of the second


def _user_email(rng: random.Random, ws: Workspace, used: set[str]) -> str:
    """A first.last address unique within the workspace, on its domain (or a personal one)."""
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
    return f"{local}@{domain}"


def _add_users(rng: random.Random, world: World, ws: Workspace) -> None:
    """The workspace's users, created within 60 days of it and before the window starts."""
    used: set[str] = set()
    latest = dt.datetime.combine(world.window_start, dt.time()) - dt.timedelta(days=1)
    span = max(1, (latest - ws.created_at).days)
    for _ in range(ws.n_users):
        user_id = f"U{len(world.user_rows) + 1:06d}"
        email = _user_email(rng, ws, used)
        created = ws.created_at + dt.timedelta(days=rng.randint(0, min(span, 60)),
                                               seconds=rng.randrange(0, 36000))
        ws.user_ids.append(user_id)
        world.user_rows.append([user_id, ws.workspace_id, email, fmt_ts(min(created, latest))])


def _add_workspace(rng: random.Random, world: World, workspace_id: str, account: Account | None,
                   crm: str, sub: str, instance_type: str, kind: str, email_domain: str,
                   n_users: int, created_at: dt.datetime) -> None:
    ws = Workspace(
        workspace_id=workspace_id, account=account, crm_account_id=crm, subscription_id=sub,
        instance_type=instance_type, created_at=created_at, kind=kind,
        email_domain=email_domain, n_users=n_users, fill_session_id=rng.random() < 0.5,
    )
    world.workspaces.append(ws)
    _add_users(rng, world, ws)


def _production_ids(rng: random.Random, acc: Account, numbers: Iterator[int]) -> tuple[str, str, str, str]:
    """(workspace id, crm account id, subscription id, email domain) by identity method."""
    method = acc.identity_method
    if method == "override":
        return f"W-OVR-{acc.index - 1}", "", "", "gmail.com"
    wid = f"W{next(numbers):05d}"
    if method == "crm_id":
        return wid, acc.account_id, (acc.subscription_id if rng.random() < 0.5 else ""), acc.domain
    if method == "subscription":
        return wid, "", acc.subscription_id, acc.domain
    return wid, "", "", acc.domain  # email_domain


def _add_production(rng: random.Random, world: World, acc: Account, users_scale: float,
                    numbers: Iterator[int]) -> dt.datetime:
    """The account's production workspace (10% with a blank instance type); its creation time."""
    n_users = max(1, round(acc.seats * users_scale))
    created = acc.created_at + dt.timedelta(days=rng.randint(1, 20))
    instance = "" if rng.random() < 0.10 else "production"
    wid, crm, sub, domain = _production_ids(rng, acc, numbers)
    _add_workspace(rng, world, wid, acc, crm, sub, instance, "production", domain, n_users, created)
    return created


def _add_side(rng: random.Random, world: World, acc: Account, production_created: dt.datetime,
              numbers: Iterator[int]) -> None:
    """A non-production workspace for one account in five, an obsolete one for one in twenty."""
    roll = rng.random()
    if roll < 0.20:
        kind, max_users = "non_production", 3
    elif roll < 0.25:
        kind, max_users = "obsolete", 2
    else:
        return
    wid = f"W{next(numbers):05d}"
    n_users = rng.randint(1, max_users)
    created = production_created + dt.timedelta(days=rng.randint(5, 40))
    _add_workspace(rng, world, wid, acc, acc.account_id, "", kind, kind, acc.domain, n_users, created)


def _add_unmapped(rng: random.Random, world: World) -> None:
    """The orphan workspaces (no account, personal emails) and the conflict workspace."""
    early = dt.datetime.combine(world.window_start, dt.time(9)) - dt.timedelta(days=200)
    for k in range(1, ORPHAN_WORKSPACES + 1):
        n_users = rng.randint(2, 4)
        created = early + dt.timedelta(days=rng.randint(0, 150))
        _add_workspace(rng, world, f"W-ORPH-{k}", None, "", "", "production" if k % 2 else "",
                       "orphan", "personal", n_users, created)
    first, second = (world.by_id[a] for a in CONFLICT_ACCOUNTS)
    _add_workspace(rng, world, "W-CONFLICT-1", first, first.account_id, second.subscription_id,
                   "production", "conflict", first.domain, 3, early + dt.timedelta(days=30))


def build_workspaces(rng: random.Random, world: World, users_scale: float) -> None:
    """Every workspace and user; users per production workspace = seats x ``users_scale``."""
    numbers = itertools.count(1)
    for acc in world.accounts:
        created = _add_production(rng, world, acc, users_scale, numbers)
        _add_side(rng, world, acc, created, numbers)
    _add_unmapped(rng, world)
