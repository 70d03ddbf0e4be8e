"""product_workspaces and product_users: the product's own records of the planted workspaces.

product_events is written by ``events``.
"""

from __future__ import annotations

from typing import Iterator

from demo_landing.common import fmt_ts
from demo_landing.world import World

WORKSPACES_FILE = "product_workspaces.csv"
WORKSPACES_HEADER = ["workspace_id", "crm_account_id", "subscription_id", "instance_type", "created_at"]
USERS_FILE = "product_users.csv"
USERS_HEADER = ["user_id", "workspace_id", "email", "created_at"]


def workspace_rows(world: World) -> Iterator[list[str]]:
    """One row per workspace, in the order they were built."""
    for w in world.workspaces:
        yield [w.workspace_id, w.crm_account_id, w.subscription_id, w.instance_type, fmt_ts(w.created_at)]


def user_rows(world: World) -> list[list[str]]:
    """One row per user, drawn with the workspaces (``workspaces.build_workspaces``)."""
    return world.user_rows
