"""The semantic layer, queried for real with MetricFlow (`mf query`) on the demo warehouse: its
metrics must give the numbers the marts give, computed there by different models."""
from __future__ import annotations

import csv
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import Build, copy_project, dbt_executable


def mf_executable() -> str:
    candidate = Path(sys.executable).with_name("mf")
    return str(candidate) if candidate.exists() else "mf"


@pytest.fixture(scope="module")
def semantic_project(demo_build: Build, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A copy of the project parsed against the demo warehouse. `mf` reads the semantic manifest
    from <project>/target/ only, and the manifest names relations by the warehouse file's catalog."""
    project = copy_project(tmp_path_factory.mktemp("semantic") / "project")
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(project),
        "USAGE_HEALTH_DB": str(demo_build.db_path),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    env.pop("DBT_TARGET_PATH", None)
    parsed = subprocess.run([dbt_executable(), "parse"], cwd=project, env=env, capture_output=True, text=True, check=False)
    assert parsed.returncode == 0, parsed.stdout[-3000:]
    assert (project / "target" / "semantic_manifest.json").exists()
    return project, env


def mf_query(semantic_project: tuple[Path, dict[str, str]], tmp_path: Path, metrics: str, group_by: str) -> list[dict[str, str]]:
    """Run `mf query` against the demo warehouse and return the rows it wrote as CSV."""
    project, env = semantic_project
    out = tmp_path / f"{metrics.replace(',', '_')}-{group_by.replace(',', '_')}.csv"
    completed = subprocess.run(
        [mf_executable(), "query", "--metrics", metrics, "--group-by", group_by, "--csv", str(out)],
        cwd=project, env=env, capture_output=True, text=True, check=False,
    )
    assert completed.returncode == 0 and out.exists(), completed.stdout[-3000:] + completed.stderr[-3000:]
    with open(out, newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows, f"mf query {metrics} by {group_by} returned nothing"
    return rows


def test_accounts_and_arr_by_quadrant_equal_the_quadrant_mart(demo_build: Build, semantic_project: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    """Without a time grouping, accounts and ARR are the latest week's snapshot, not sums over weeks."""
    rows = mf_query(semantic_project, tmp_path, "accounts,arr", "account_week__quadrant")
    metrics = {r["account_week__quadrant"]: (int(r["accounts"]), Decimal(r["arr"])) for r in rows}
    mart = {
        quadrant: (n, Decimal(str(arr)))
        for quadrant, n, arr in demo_build.query(
            "select quadrant, count(*), sum(arr) from marts.rpt_account_quadrant group by quadrant"
        )
    }
    assert len(mart) >= 4
    assert metrics == mart


def test_churn_rate_by_quadrant_equals_the_churn_mart(demo_build: Build, semantic_project: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    rows = mf_query(semantic_project, tmp_path, "churn_rate,renewals,churned_renewals", "renewal__quadrant_before_renewal")
    metrics = {
        r["renewal__quadrant_before_renewal"]: (int(r["renewals"]), int(r["churned_renewals"]), float(r["churn_rate"]))
        for r in rows
    }
    mart = {
        quadrant: (n, churned, rate)
        for quadrant, n, churned, rate in demo_build.query(
            "select quadrant, renewals, churned, churn_rate from marts.rpt_churn_rate_by_quadrant"
            " where renewal_quarter = 'all' and renewals > 0"
        )
    }
    assert set(metrics) == set(mart) and sum(n for n, _, _ in mart.values()) >= 100
    for quadrant, (n, churned, rate) in mart.items():
        assert metrics[quadrant][:2] == (n, churned), quadrant
        assert metrics[quadrant][2] == pytest.approx(rate, abs=0.00005), quadrant  # the mart rounds to 4 places


def test_accounts_by_csm_join_the_account_dimension(demo_build: Build, semantic_project: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    rows = mf_query(semantic_project, tmp_path, "accounts", "account__csm_owner")
    metrics = {r["account__csm_owner"] or None: int(r["accounts"]) for r in rows}
    mart = dict(demo_build.query("select csm_owner, count(*) from marts.rpt_account_quadrant group by csm_owner"))
    assert len(mart) >= 3
    assert metrics == mart


def test_weekly_history_has_every_scored_week(demo_build: Build, semantic_project: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    rows = mf_query(semantic_project, tmp_path, "accounts,average_usage_score", "metric_time__week")
    metrics = {r["metric_time__week"][:10]: (int(r["accounts"]), float(r["average_usage_score"])) for r in rows}
    history = {
        str(week): (n, mean)
        for week, n, mean in demo_build.query(
            "select week_start, count(distinct account_id), avg(usage_score)"
            " from marts.fct_account_scores_weekly where lifecycle_stage <> 'churned' group by week_start"
        )
    }
    assert len(history) >= 10
    assert set(metrics) == set(history)
    for week, (n, mean) in history.items():
        assert metrics[week][0] == n, week
        assert metrics[week][1] == pytest.approx(mean, rel=1e-9), week


def test_average_scores_by_quadrant_are_the_latest_weeks(demo_build: Build, semantic_project: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    """Scores are snapshots too: without a time grouping, the mean is over the latest week's accounts."""
    rows = mf_query(semantic_project, tmp_path, "average_usage_score,average_health_score", "account_week__quadrant")
    metrics = {r["account_week__quadrant"]: (float(r["average_usage_score"]), float(r["average_health_score"])) for r in rows}
    mart = {
        quadrant: (usage, health)
        for quadrant, usage, health in demo_build.query(
            "select quadrant, avg(usage_score), avg(health_score) from marts.rpt_account_quadrant group by quadrant"
        )
    }
    assert set(metrics) == set(mart)
    for quadrant, (usage, health) in mart.items():
        assert metrics[quadrant] == (pytest.approx(usage, rel=1e-9), pytest.approx(health, rel=1e-9)), quadrant


def test_accounts_by_month_and_segment_take_the_months_last_week(demo_build: Build, semantic_project: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    rows = mf_query(semantic_project, tmp_path, "accounts,arr", "metric_time__month,account_week__segment")
    metrics = {(r["metric_time__month"][:10], r["account_week__segment"]): (int(r["accounts"]), Decimal(r["arr"])) for r in rows}
    # Independently: each month's last scored week (weeks belong to the month of their Monday),
    # churned accounts not counted (they are not customers that week).
    expected = {
        (str(month), segment): (n, Decimal(str(arr)))
        for month, segment, n, arr in demo_build.query(
            """with weeks as (
                   select week_start, date_trunc('month', week_start) as month,
                          max(week_start) over (partition by date_trunc('month', week_start)) as last_week
                   from (select distinct week_start from marts.fct_account_scores_weekly)
               )
               select cast(weeks.month as date), f.segment, count(*), sum(f.arr)
               from marts.fct_account_scores_weekly as f
               inner join weeks on f.week_start = weeks.week_start and weeks.week_start = weeks.last_week
               where f.lifecycle_stage <> 'churned'
               group by all"""
        )
    }
    assert len(expected) >= 20
    assert metrics == expected


# Issue 16's metrics (models/semantic/_adoption__semantic_models.yml), each against its mart.

def test_engagement_metrics_by_week_equal_the_engagement_mart(demo_build: Build, semantic_project: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    rows = mf_query(semantic_project, tmp_path, "weekly_active_users,monthly_active_users,stickiness,average_session_minutes",
                    "metric_time__week")
    metrics = {r["metric_time__week"][:10]: r for r in rows}
    mart = {
        str(week): (wau, mau, seconds, sessions)
        for week, wau, mau, seconds, sessions in demo_build.query(
            "select week_start, sum(weekly_active_users), sum(monthly_active_users), sum(session_seconds), sum(sessions)"
            " from marts.fct_account_engagement_weekly group by week_start")
    }
    assert len(mart) >= 10 and set(metrics) == set(mart)
    for week, (wau, mau, seconds, sessions) in mart.items():
        row = metrics[week]
        assert (int(row["weekly_active_users"]), int(row["monthly_active_users"])) == (wau, mau), week
        assert float(row["stickiness"]) == pytest.approx(wau / mau, rel=1e-6), week
        assert float(row["average_session_minutes"]) == pytest.approx(seconds / 60 / sessions, rel=1e-6), week


def test_use_case_adoption_by_use_case_is_the_latest_weeks(demo_build: Build, semantic_project: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    rows = mf_query(semantic_project, tmp_path, "use_case_adoption_rate,use_case_green_accounts,average_use_case_score",
                    "use_case_week__use_case")
    metrics = {r["use_case_week__use_case"]: (int(r["use_case_green_accounts"]), float(r["use_case_adoption_rate"]),
                                             float(r["average_use_case_score"])) for r in rows}
    mart = {
        use_case: (green, green / scored, mean)
        for use_case, green, scored, mean in demo_build.query(
            "select use_case, count(*) filter (where adoption_band = 'green'), count(use_case_score), avg(use_case_score)"
            " from marts.fct_use_case_adoption_weekly where is_latest_week group by use_case")
    }
    assert len(mart) >= 4 and set(metrics) == set(mart)
    for use_case, (green, rate, mean) in mart.items():
        assert metrics[use_case][0] == green, use_case
        assert metrics[use_case][1:] == (pytest.approx(rate, rel=1e-6), pytest.approx(mean, rel=1e-6)), use_case


def test_seat_utilization_by_month_equals_the_license_mart(demo_build: Build, semantic_project: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    rows = mf_query(semantic_project, tmp_path, "seat_utilization,accounts_past_seats,accounts_at_contraction_risk",
                    "metric_time__month")
    metrics = {r["metric_time__month"][:10]: r for r in rows}
    mart = {
        str(month): (active / seats, past, dropping)
        for month, active, seats, past, dropping in demo_build.query(
            "select month_start, sum(active_users) filter (where license_utilization is not null),"
            " sum(licensed_seats) filter (where license_utilization is not null),"
            " count(*) filter (where seat_status = 'past_seats'), count(*) filter (where is_contraction_risk)"
            " from marts.fct_license_utilization_monthly group by month_start")
    }
    assert len(mart) >= 5 and set(metrics) == set(mart)
    for month, (utilization, past, dropping) in mart.items():
        row = metrics[month]
        assert float(row["seat_utilization"]) == pytest.approx(utilization, rel=1e-6), month
        assert (int(row["accounts_past_seats"]), int(row["accounts_at_contraction_risk"])) == (past, dropping), month


def test_playbook_recovery_rate_by_rule_equals_the_outcomes_mart(demo_build: Build, semantic_project: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    rows = mf_query(semantic_project, tmp_path, "playbook_recovery_rate,cs_alerts", "alert__alert_rule")
    metrics = {r["alert__alert_rule"]: r for r in rows}
    mart = {rule: (alerts, rate) for rule, alerts, rate in demo_build.query(
        "select alert_rule, alerts, recovery_rate from marts.rpt_playbook_outcomes where grouped_by = 'alert_rule' and alerts > 0")}
    assert len(mart) >= 3 and set(metrics) == set(mart)
    for rule, (alerts, rate) in mart.items():
        assert int(metrics[rule]["cs_alerts"]) == alerts, rule
        if rate is None:
            assert not metrics[rule]["playbook_recovery_rate"], rule
        else:
            assert float(metrics[rule]["playbook_recovery_rate"]) == pytest.approx(rate, abs=0.00005), rule  # the mart rounds to 4 places
