#!/usr/bin/env python3
"""The usage aggregates in pandas: what an analyst would otherwise write (the bench's comparison).

The same work as scripts/bench/floor.sql, step for step: read the events' Parquet parts, parse
timestamps, drop rows without a key or time and exact duplicates, sessionize by 30 minutes of
inactivity per workspace and user, and group by account and week (events, weekly active users,
sessions, actions and seconds in sessions). Accounts come from the workspaces' own CRM id.

    python scripts/bench/pandas_usage.py --landing build/bench/small/landing
"""
from __future__ import annotations

import argparse
import glob
import os
import sys
import time
from typing import Sequence

import pandas as pd

SESSION_TIMEOUT = pd.Timedelta(minutes=30)


def usage_aggregates(landing: str) -> pd.DataFrame:
    """One row per account x week (week_start a Monday): the floor's columns."""
    parts = sorted(glob.glob(os.path.join(landing, "product_events", "*.parquet")))
    columns = ["event_id", "occurred_at", "workspace_id", "user_id", "event_name"]
    frames = []
    for part in parts:
        frame = pd.read_parquet(part, columns=columns)
        frame["occurred_at"] = pd.to_datetime(frame["occurred_at"].astype("string"), errors="coerce",
                                              format="ISO8601")
        frames.append(frame)
    events = pd.concat(frames, ignore_index=True)
    events = events.dropna(subset=["event_id", "occurred_at"]).drop_duplicates()

    workspaces = pd.read_csv(os.path.join(landing, "product_workspaces.csv"), dtype=str,
                             keep_default_na=False)
    workspaces = workspaces.loc[workspaces["crm_account_id"] != "", ["workspace_id", "crm_account_id"]]
    workspaces = workspaces.rename(columns={"crm_account_id": "account_id"})

    events = events.sort_values(["workspace_id", "user_id", "occurred_at", "event_id"], ignore_index=True)
    same_user = ((events["workspace_id"] == events["workspace_id"].shift())
                 & (events["user_id"] == events["user_id"].shift()))
    gap = events["occurred_at"] - events["occurred_at"].shift()
    events["session_no"] = (~(same_user & (gap <= SESSION_TIMEOUT))).cumsum()
    events["week_start"] = events["occurred_at"].dt.to_period("W-SUN").dt.start_time

    sessions = events.groupby("session_no").agg(
        workspace_id=("workspace_id", "first"), start=("occurred_at", "min"),
        end=("occurred_at", "max"), actions=("event_id", "size"))
    sessions["week_start"] = sessions["start"].dt.to_period("W-SUN").dt.start_time
    sessions["seconds"] = (sessions["end"] - sessions["start"]).dt.total_seconds().astype("int64")

    event_weeks = (events.merge(workspaces, on="workspace_id")
                   .groupby(["account_id", "week_start"])
                   .agg(events=("event_id", "size"), weekly_active_users=("user_id", "nunique"))
                   .reset_index())
    session_weeks = (sessions.merge(workspaces, on="workspace_id")
                     .groupby(["account_id", "week_start"])
                     .agg(sessions=("actions", "size"), session_actions=("actions", "sum"),
                          session_seconds=("seconds", "sum"))
                     .reset_index())
    return event_weeks.merge(session_weeks, on=["account_id", "week_start"], how="left")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="The usage aggregates in pandas (bench comparison).")
    parser.add_argument("--landing", required=True, help="landing folder with product_events/*.parquet")
    args = parser.parse_args(argv)
    started = time.monotonic()
    result = usage_aggregates(args.landing)
    print(f"{len(result)} account-weeks, {int(result['events'].sum())} events in "
          f"{time.monotonic() - started:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
