"""The scale generator and the benchmark's two baselines.

The generator must give the demo's planted structure (built, the planted accounts land in their
quadrant), near the requested number of events, the same rows for the same arguments, and bad
rows in Parquet that the warehouse quarantines with a reason. The floor (DuckDB SQL) and the
pandas implementation the benchmark compares against must compute the same aggregates.
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import SCRIPTS_DIR, Build, build

sys.path.insert(0, str(SCRIPTS_DIR / "bench"))

import generate_scale  # noqa: E402
import pandas_usage  # noqa: E402

QUADRANTS = {"Champions", "Frustrated Power Users", "Relationship-Dependent", "Churn Risk"}
ARGS = ["--accounts", "150", "--weeks", "26", "--events", "300000", "--seed", "5", "--threads", "2"]


def events_digest(landing: Path) -> tuple[int, str]:
    con = duckdb.connect()
    try:
        return con.execute(
            "select count(*), cast(sum(hash(event_id, cast(occurred_at as varchar), workspace_id, user_id, event_name, "
            f"coalesce(session_id, ''))) as varchar) from read_parquet('{landing}/product_events/*.parquet', union_by_name = true)"
        ).fetchone()
    finally:
        con.close()


@pytest.fixture(scope="module")
def scale_landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    landing = tmp_path_factory.mktemp("scale") / "landing"
    assert generate_scale.main(["--out", str(landing), *ARGS]) == 0
    return landing


@pytest.fixture(scope="module")
def scale_build(scale_landing: Path, tmp_path_factory: pytest.TempPathFactory) -> Build:
    result = build(tmp_path_factory.mktemp("scale-warehouse") / "scale.duckdb", scale_landing)
    assert result.returncode == 0, result.output[-5000:]
    return result


def test_events_come_as_parquet_parts_near_the_requested_count(scale_landing: Path) -> None:
    parts = sorted((scale_landing / "product_events").glob("*.parquet"))
    assert len(parts) >= 2 and not list((scale_landing / "product_events").glob("*.csv"))
    count, _ = events_digest(scale_landing)
    assert 0.8 * 300_000 <= count <= 1.25 * 300_000, count


def test_same_arguments_give_the_same_events(scale_landing: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert generate_scale.main(["--out", str(again), *ARGS]) == 0
    assert events_digest(again) == events_digest(scale_landing)
    other = tmp_path / "other"
    assert generate_scale.main(["--out", str(other), *ARGS[:-4], "--seed", "6", "--threads", "2"]) == 0
    assert events_digest(other) != events_digest(scale_landing)


def test_planted_accounts_land_in_their_quadrant_at_scale(scale_build: Build, scale_landing: Path) -> None:
    with open(scale_landing / "_truth" / "planted_accounts.csv", newline="") as handle:
        plants = {row["account_id"]: row["planted_quadrant"] for row in csv.DictReader(handle)
                  if row["planted_quadrant"] in QUADRANTS}
    observed = dict(scale_build.query("select account_id, quadrant from marts.rpt_account_quadrant"))
    hits = [a for a, q in plants.items() if observed.get(a) == q]
    assert len(hits) / len(plants) >= 0.85, {a: (q, observed.get(a)) for a, q in plants.items() if observed.get(a) != q}
    for quadrant in QUADRANTS:
        assert any(observed.get(a) == quadrant for a, q in plants.items() if q == quadrant), quadrant


def test_bad_rows_in_parquet_are_quarantined_with_their_reason(scale_build: Build) -> None:
    reasons = scale_build.query(
        "select quarantine_reason, count(*) from staging.stg_landing__quarantine "
        "where source_name = 'product_events' and landing_file like '%part-bad-rows.parquet' group by 1 order by 1"
    )
    assert reasons == [("missing event_id", 2), ("occurred_at is not an ISO 8601 timestamp", 3)]
    read, kept, quarantined, duplicates, unaccounted = scale_build.query(
        "select rows_read, rows_kept, rows_quarantined, duplicates_removed, rows_unaccounted "
        "from staging.stg_landing__reconciliation where source_name = 'product_events'"
    )[0]
    assert quarantined == 5 and duplicates > 0 and unaccounted == 0 and read == kept + quarantined + duplicates


def test_the_floor_and_pandas_compute_the_same_usage_aggregates(scale_landing: Path) -> None:
    sql = (SCRIPTS_DIR / "bench" / "floor.sql").read_text().replace("{landing}", str(scale_landing))
    con = duckdb.connect()
    try:
        con.execute(sql)
        floor = con.execute(
            "select account_id, cast(week_start as date), events, weekly_active_users, sessions, session_actions, "
            "session_seconds from floor_account_weeks order by 1, 2"
        ).fetchall()
    finally:
        con.close()
    frame = pandas_usage.usage_aggregates(str(scale_landing)).sort_values(["account_id", "week_start"])
    by_pandas = [
        (r.account_id, r.week_start.date(), int(r.events), int(r.weekly_active_users), int(r.sessions),
         int(r.session_actions), int(r.session_seconds))
        for r in frame.itertuples()
    ]
    assert len(floor) > 100 and sum(r[2] for r in floor) > 100_000
    assert floor == by_pandas
