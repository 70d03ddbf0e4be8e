"""product_workspaces and product_users: the product's own records of the planted workspaces;
account_mapping_overrides: the overrides that tie the override accounts' workspaces to them.

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
# The demo's identity overrides travel with its data (an optional landing source), never in
# seeds/account_mapping_overrides.csv, which ships empty for the user's own.
OVERRIDES_FILE = "account_mapping_overrides.csv"
OVERRIDES_HEADER = ["external_id_type", "external_id", "account_id", "note"]
OVERRIDE_NOTES = [
    "Sandbox tenant opened by the champion with a personal address; confirmed by CSM",
    "Trial converted without CRM link; confirmed by billing",
    "Workspace created by a contractor; confirmed by the account owner",
]


def workspace_rows(world: World) -> Iterator[list[str]]:
    """One row per workspace, in the order they were built."""
    for w in world.workspaces:
        yield [w.workspace_id, w.crm_account_id, w.subscription_id, w.instance_type, fmt_ts(w.created_at)]


def user_rows(world: World) -> list[list[str]]:
    """One row per user, drawn with the workspaces (``workspaces.build_workspaces``)."""
    return world.user_rows


def override_rows(world: World) -> list[list[str]]:
    """One workspace override per account tied to its production workspace only by an override."""
    workspaces = [w for w in world.workspaces
                  if w.kind == "production" and w.account is not None and w.account.identity_method == "override"]
    return [["workspace", w.workspace_id, w.account.account_id, OVERRIDE_NOTES[k % len(OVERRIDE_NOTES)]]
            for k, w in enumerate(workspaces)]
