"""End to end on the demo data: dbt build into a temporary DuckDB file, then what users rely on."""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import Build, build

QUADRANTS = {"Champions", "Frustrated Power Users", "Relationship-Dependent", "Churn Risk"}
PUBLIC_RELATIONS = [
    "rpt_account_quadrant",
    "fct_account_scores_weekly",
    "fct_quadrant_movements",
    "rpt_cs_alerts",
    "rpt_top_accounts_by_arr",
    "rpt_quadrant_distribution_monthly",
    "rpt_quadrant_net_movement_quarterly",
    "rpt_features_by_quadrant",
    "rpt_churn_rate_by_quadrant",
    "rpt_adoption_by_renewal_cohort",
    "rpt_complaint_to_fix",
    "rpt_score_validation",
    "fct_renewals",
    "dim_segments",
    # issue 16
    "fct_use_case_adoption_weekly",
    "fct_license_utilization_monthly",
    "fct_account_engagement_weekly",
    "fct_cs_alert_conditions_weekly",
    "fct_cs_alert_history",
    "rpt_playbook_outcomes",
    "rpt_unknown_instances",
    "rpt_churn_ratio_check",
]


def planted(landing: Path) -> dict[str, dict[str, str]]:
    with open(landing / "_truth" / "planted_accounts.csv", newline="") as handle:
        return {row["account_id"]: row for row in csv.DictReader(handle)}


def test_every_dbt_data_test_and_unit_test_passes(demo_build: Build) -> None:
    """`make test` runs dbt's own tests here (it has no separate dbt-test step): the demo build is a
    plain `dbt build`, so every seed, model, data test and unit test of the project, and one that
    fails, errors or is skipped fails this test (and the fixture, hence every test on the demo)."""
    assert demo_build.returncode == 0, demo_build.output[-5000:]
    finished = re.search(r"Finished running (.*) in \d+ hours", demo_build.output)
    assert finished, demo_build.output[-3000:]
    counts = {kind: int(n) for n, kind in re.findall(r"(\d+) ([a-z ]+?)(?:,|$)", finished.group(1))}
    assert counts.get("data tests", 0) >= 100 and counts.get("unit tests", 0) >= 10, counts
    assert counts.get("seeds", 0) >= 6 and counts.get("table models", 0) >= 40, counts
    done = re.search(r"Done\. PASS=(\d+) WARN=(\d+) ERROR=(\d+) SKIP=(\d+)", demo_build.output)
    assert done and done.group(3) == "0" and done.group(4) == "0", done and done.group(0)


def test_planted_accounts_land_in_their_quadrant(demo_build: Build, demo_landing: Path) -> None:
    truth = planted(demo_landing)
    observed = dict(demo_build.query("select account_id, quadrant from marts.rpt_account_quadrant"))
    churned = {a for (a,) in demo_build.query(
        "select account_id from marts.fct_account_scores_weekly where is_latest_week and lifecycle_stage = 'churned'")}
    plants = {a: row["planted_quadrant"] for a, row in truth.items()
              if row["planted_quadrant"] in QUADRANTS and a not in churned}
    assert set(plants.values()) == QUADRANTS, "the demo must plant accounts in every quadrant"
    hits = [a for a, q in plants.items() if observed.get(a) == q]
    misses = {a: (q, observed.get(a)) for a, q in plants.items() if observed.get(a) != q}
    share = len(hits) / len(plants)
    assert share >= 0.90, f"{share:.0%} of {len(plants)} planted accounts in their quadrant; misses: {misses}"
    for quadrant in QUADRANTS:
        assert any(observed.get(a) == quadrant for a, q in plants.items() if q == quadrant), quadrant


def test_every_top_level_account_is_scored_for_the_latest_week(demo_build: Build, demo_landing: Path) -> None:
    """Every top-level account but the churned ones (test_quadrant_over_time checks which)."""
    truth = planted(demo_landing)
    rows = demo_build.query("select account_id, week_start from marts.rpt_account_quadrant")
    churned = {a for (a,) in demo_build.query(
        "select account_id from marts.fct_account_scores_weekly where is_latest_week and lifecycle_stage = 'churned'")}
    assert churned and churned < set(truth)
    assert {a for a, _ in rows} == set(truth) - churned
    assert len({w for _, w in rows}) == 1


def relation_digest(db_path: Path, relation: str) -> tuple[int, str]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        rows = con.execute(f"select * from marts.{relation} order by all").fetchall()
    finally:
        con.close()
    return len(rows), hashlib.sha256(repr(rows).encode()).hexdigest()


def test_two_builds_of_the_same_input_give_identical_marts(
    demo_build: Build, demo_landing: Path, tmp_path: Path
) -> None:
    as_of = demo_build.query("select as_of_date from intermediate.int_run_parameters")[0][0]
    second = build(tmp_path / "second.duckdb", demo_landing, extra_vars={"as_of": str(as_of)})
    assert second.returncode == 0, second.output[-3000:]
    for relation in PUBLIC_RELATIONS:
        first_rows, first_digest = relation_digest(demo_build.db_path, relation)
        second_rows, second_digest = relation_digest(second.db_path, relation)
        assert first_rows > 0, f"{relation} is empty: nothing to compare"
        assert (first_rows, first_digest) == (second_rows, second_digest), relation


def test_a_past_week_rebuilt_with_as_of_matches_the_history(demo_build: Build, demo_landing: Path, tmp_path: Path) -> None:
    """History is rebuildable: as_of = an earlier Sunday gives that week's rows as the full build has them."""
    weeks = [w for (w,) in demo_build.query("select distinct week_start from marts.fct_account_scores_weekly order by 1")]
    past_week = weeks[-5]
    as_of = past_week.fromordinal(past_week.toordinal() + 6)  # that week's Sunday
    past = build(tmp_path / "past.duckdb", demo_landing, extra_vars={"as_of": as_of.isoformat()})
    assert past.returncode == 0, past.output[-3000:]
    columns = "account_id, week_start, usage_score, health_score, usage_coverage, health_coverage, quadrant, previous_quadrant, weeks_in_quadrant"
    query = f"select {columns} from marts.fct_account_scores_weekly where week_start = date '{past_week}' order by account_id"
    full_rows = demo_build.query(query)
    assert len(full_rows) > 0
    assert past.query(query) == full_rows
    assert past.query("select distinct week_start from marts.rpt_account_quadrant") == [(past_week,)]


def test_no_email_or_raw_user_id_in_any_mart(demo_build: Build, demo_landing: Path) -> None:
    with open(demo_landing / "product_users.csv", newline="") as handle:
        users = list(csv.DictReader(handle))
    raw_user_ids = {u["user_id"] for u in users if u["user_id"]}
    emails = {u["email"].lower() for u in users if u["email"]}
    assert raw_user_ids and emails
    relations = demo_build.query(
        "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
    )
    assert {r for (r,) in relations} >= set(PUBLIC_RELATIONS)
    for (relation,) in relations:
        columns = demo_build.query(
            f"select column_name, data_type from information_schema.columns "
            f"where table_schema = 'marts' and table_name = '{relation}'"
        )
        for column, data_type in columns:
            assert "email" not in column and column not in ("user_id", "user_hash"), (relation, column)
            if data_type != "VARCHAR":
                continue
            values = {v for (v,) in demo_build.query(f'select distinct "{column}" from marts.{relation}') if v}
            assert not any("@" in v for v in values), (relation, column)
            assert not values & raw_user_ids, (relation, column)
            assert not {v.lower() for v in values} & emails, (relation, column)


def test_identity_resolution_methods_and_exclusions(demo_build: Build, demo_landing: Path) -> None:
    resolved = {
        w: (account, method, status)
        for w, account, method, status in demo_build.query(
            "select workspace_id, account_id, resolution_method, resolution_status from intermediate.int_workspace_accounts"
        )
    }
    # the override wins: the demo's overrides travel with its landing data, the shipped seed has none
    assert resolved["W-OVR-1"] == ("A0002", "override", "resolved")
    with open(Path(__file__).resolve().parents[2] / "seeds" / "account_mapping_overrides.csv", newline="") as handle:
        assert list(csv.DictReader(handle)) == []
    assert demo_build.query(
        "select external_id, account_id from staging.stg_crm__account_mapping_overrides order by 1"
    ) == [("W-OVR-1", "A0002"), ("W-OVR-2", "A0003"), ("W-OVR-3", "A0004")]
    # the planted method of each account resolved its production workspace
    truth = planted(demo_landing)
    with open(demo_landing / "product_workspaces.csv", newline="") as handle:
        workspaces = list(csv.DictReader(handle))
    methods_seen = set()
    for ws in workspaces:
        if ws["workspace_id"].startswith("W-"):
            continue
        account, method, status = resolved[ws["workspace_id"]]
        if account in truth and ws["instance_type"] in ("production", ""):
            assert method == truth[account]["identity_method"], ws
            methods_seen.add(method)
    assert methods_seen >= {"crm_id", "subscription", "email_domain"}
    # the conflict is reported with both candidates and counts for neither
    conflicts = demo_build.query(
        "select candidate_account_id from marts.rpt_identity_conflicts where workspace_id = 'W-CONFLICT-1' order by 1"
    )
    assert conflicts == [("A0010",), ("A0011",)]
    assert resolved["W-CONFLICT-1"][2] == "conflict"
    counted = demo_build.query(
        "select count(*) from intermediate.int_account_events where workspace_id = 'W-CONFLICT-1' or workspace_id like 'W-ORPH-%'"
    )
    assert counted == [(0,)]
    # orphans are listed with their events, not dropped
    orphans = demo_build.query(
        "select workspace_id, event_count from marts.rpt_unresolved_workspaces where workspace_id like 'W-ORPH-%' order by 1"
    )
    assert [w for w, _ in orphans] == [f"W-ORPH-{i}" for i in range(1, 6)]
    assert all(events > 0 for _, events in orphans)
    # non-production and obsolete instances do not count toward usage
    nonprod = [w["workspace_id"] for w in workspaces if w["instance_type"] in ("non_production", "obsolete")]
    assert nonprod
    listed = ", ".join(f"'{w}'" for w in nonprod)
    assert demo_build.query(f"select count(*) from intermediate.int_account_events where workspace_id in ({listed})") == [(0,)]
    assert demo_build.query(f"select count(*) from staging.stg_product__events where workspace_id in ({listed})")[0][0] > 0


def test_bad_rows_are_quarantined_and_counts_reconcile(demo_build: Build) -> None:
    reasons = demo_build.query(
        "select source_name, quarantine_reason, sum(copies) from staging.stg_landing__quarantine group by 1, 2 order by 1, 2"
    )
    by_reason = {(s, r): n for s, r, n in reasons}
    assert by_reason[("product_events", "occurred_at is not an ISO 8601 timestamp")] == 3
    assert by_reason[("product_events", "missing event_id")] == 2
    assert by_reason[("nps_responses", "score is outside 0-10")] == 2
    assert by_reason[("support_tickets", "missing account_id")] == 1
    # an unreadable optional value loses only itself: the touchpoint is kept, its sentiment empty
    assert ("csm_touchpoints", "sentiment is not one of positive, neutral, negative") not in by_reason
    issues = demo_build.query(
        "select source_name, column_name, field_value, issue_reason from staging.stg_landing__field_issues"
    )
    assert issues == [("csm_touchpoints", "sentiment", "meh",
                       "sentiment is not positive, neutral, negative or a number from -1 to 1")]
    reconciliation = demo_build.query(
        "select source_name, rows_read, rows_kept, rows_quarantined, duplicates_removed from staging.stg_landing__reconciliation"
    )
    assert len(reconciliation) == 11  # the ten sources and the demo's overrides
    for source, read, kept, quarantined, duplicates in reconciliation:
        assert read > 0, source
        assert read == kept + quarantined + duplicates, source
    events = {s: d for s, _, _, _, d in reconciliation}
    assert events["product_events"] > 0, "the demo delivers some events twice"


def test_critical_movements_and_alerts_are_consistent(demo_build: Build) -> None:
    moves = demo_build.query(
        "select from_quadrant, to_quadrant, is_critical from marts.fct_quadrant_movements"
    )
    assert moves, "six months of weekly scores should show some movement"
    for from_q, to_q, critical in moves:
        assert "Insufficient Data" not in (from_q, to_q), "moves compare with the last known quadrant"
        expected = (from_q, to_q) == ("Champions", "Frustrated Power Users") or to_q == "Churn Risk"
        assert critical == expected, (from_q, to_q)
    alerts = demo_build.query("select a.account_id, a.alert_rule, q.quadrant, q.days_to_renewal from marts.rpt_cs_alerts a join marts.rpt_account_quadrant q using (account_id)")
    assert alerts
    for account, rule, quadrant, days in alerts:
        if rule == "renewal_at_risk":
            assert quadrant in ("Frustrated Power Users", "Churn Risk") and days is not None, account


def test_top_accounts_by_arr_are_the_twenty_largest(demo_build: Build) -> None:
    top = demo_build.query("select account_id, arr from marts.rpt_top_accounts_by_arr order by arr_rank")
    everyone = demo_build.query("select account_id, arr from marts.rpt_account_quadrant where arr is not null order by arr desc, account_id limit 20")
    assert len(top) == 20
    assert top == everyone


def renewals_with_quadrant_before(demo_build: Build, landing: Path, lookback_days: int = 90) -> list[dict]:
    """Family renewals from the landing files, each with the family's quadrant and scores in the
    last week ending `lookback_days` or more before renewal: worked out here, in Python, from the
    raw CSVs and the weekly history, independently of int_renewal_snapshots. A family (a top-level
    account and its children) renews once per renewal date, and churns only when it leaves: every
    account renewing that day churned and no other account of the family is still a customer (a
    renewal outcome or ARR of its own, and no churn since its last renewal)."""
    with open(landing / "crm_accounts.csv", newline="") as handle:
        parent = {row["account_id"]: row.get("parent_account_id") or "" for row in csv.DictReader(handle)}

    def top(account: str) -> str:
        seen = [account]
        while parent.get(seen[-1]) and parent[seen[-1]] in parent and parent[seen[-1]] not in seen and len(seen) < 5:
            seen.append(parent[seen[-1]])
        return seen[-1]

    as_of = demo_build.query("select as_of_date from intermediate.int_run_parameters")[0][0]
    history = {
        (account, week): (quadrant, usage, health)
        for account, week, quadrant, usage, health in demo_build.query(
            "select account_id, week_start, quadrant, usage_score, health_score from marts.fct_account_scores_weekly"
        )
    }
    outcomes: list[tuple[str, dt.date, str]] = []
    with open(landing / "renewal_outcomes.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            try:
                renewal = dt.date.fromisoformat(row["renewal_date"])
            except ValueError:
                continue  # quarantined by the warehouse
            if row["outcome"] not in ("renewed", "churned", "contracted", "expanded") or renewal > as_of:
                continue
            outcomes.append((row["account_id"], renewal, row["outcome"]))
    under_contract = {account for account, _, _ in outcomes}
    with open(landing / "arr_monthly.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            try:
                if float(row["arr"]) > 0 and dt.date.fromisoformat(row["month"]) <= as_of:
                    under_contract.add(row["account_id"])
            except ValueError:
                continue  # quarantined by the warehouse
    members: dict[str, set[str]] = {}
    for account in parent:
        members.setdefault(top(account), set()).add(account)
    families: dict[tuple[str, dt.date], list[tuple[str, str]]] = {}
    for account, renewal, outcome in outcomes:
        families.setdefault((top(account), renewal), []).append((account, outcome))

    def still_a_customer(account: str, day: dt.date) -> bool:
        churns = [d for a, d, o in outcomes if a == account and d <= day and o == "churned"]
        kept = [d for a, d, o in outcomes if a == account and d <= day and o != "churned"]
        return account in under_contract and (not churns or (bool(kept) and max(kept) > max(churns)))

    renewals = []
    for (family, renewal), renewing in sorted(families.items()):
        renewing_accounts = {account for account, _ in renewing}
        churned = all(outcome == "churned" for _, outcome in renewing) and not any(
            still_a_customer(account, renewal) for account in members.get(family, set()) - renewing_accounts
        )
        target = renewal - dt.timedelta(days=lookback_days)
        sunday = target - dt.timedelta(days=(target.weekday() + 1) % 7)
        quadrant, usage, health = history.get((family, sunday - dt.timedelta(days=6)), ("Not scored", None, None))
        renewals.append({"churned": churned, "quadrant": quadrant, "usage": usage, "health": health})
    return renewals


def test_churn_rate_by_quadrant_matches_a_count_from_the_landing_files(demo_build: Build, demo_landing: Path) -> None:
    renewals = renewals_with_quadrant_before(demo_build, demo_landing)
    expected: dict[str, tuple[int, int]] = {}
    for r in renewals:
        n, c = expected.get(r["quadrant"], (0, 0))
        expected[r["quadrant"]] = (n + 1, c + r["churned"])
    mart = {
        q: (n, c)
        for q, n, c in demo_build.query(
            "select quadrant, renewals, churned from marts.rpt_churn_rate_by_quadrant where renewal_quarter = 'all' and renewals > 0"
        )
    }
    assert sum(n for n, _ in expected.values()) >= 100, "too few renewals in the demo to test anything"
    assert mart == expected


def test_frustrated_power_users_churn_about_twice_as_often_as_champions(demo_build: Build) -> None:
    rates = dict(demo_build.query(
        "select quadrant, churn_rate from marts.rpt_churn_rate_by_quadrant"
        " where renewal_quarter = 'all' and quadrant in ('Champions', 'Frustrated Power Users', 'Relationship-Dependent', 'Churn Risk')"
    ))
    ratio = rates["Frustrated Power Users"] / rates["Champions"]
    assert 1.5 <= ratio <= 3.0, f"Frustrated Power Users churn {ratio:.2f}x as often as Champions: {rates}"
    assert max(rates, key=rates.get) == "Churn Risk", rates


def pairwise_auc(renewals: list[dict], key: str) -> float:
    """P(a renewed account scores above a churned one), ties half: the definition, pair by pair."""
    kept = [r[key] for r in renewals if not r["churned"] and r[key] is not None]
    lost = [r[key] for r in renewals if r["churned"] and r[key] is not None]
    wins = sum(1.0 if k > c else 0.5 if k == c else 0.0 for k in kept for c in lost)
    return wins / (len(kept) * len(lost))


def test_score_validation_auc_matches_the_pairwise_definition(demo_build: Build, demo_landing: Path) -> None:
    renewals = renewals_with_quadrant_before(demo_build, demo_landing)
    mart = dict(demo_build.query(
        "select score, auc from marts.rpt_score_validation where score_kind = 'composite'"
    ))
    for score, key in (("usage_score", "usage"), ("health_score", "health")):
        assert mart[score] == pytest.approx(pairwise_auc(renewals, key), abs=0.00005), score
        # the planted churn follows low usage and low health: both scores must beat a coin
        assert mart[score] > 0.55, (score, mart[score])


def test_suggested_weights_cover_every_component_and_sum_to_one(demo_build: Build) -> None:
    rows = demo_build.query(
        "select score_name, component, suggested_weight, is_fit_converged, renewals_in_fit from intermediate.int_score_weight_fit"
    )
    for score_name in ("usage", "health"):
        weights = [w for s, _, w, _, _ in rows if s == score_name]
        assert len(weights) >= 8 and all(w is not None for w in weights), score_name
        assert sum(weights) == pytest.approx(1.0, abs=0.001), score_name
    assert all(converged and n >= 100 for _, _, _, converged, n in rows)


def test_the_demo_summary_prints_churn_by_quadrant_and_the_aucs(demo_build: Build) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
    import summary

    text = summary.render(demo_build.db_path)
    assert "Churn at renewal by the quadrant 90 days before" in text
    for line in ("Frustrated Power Users", "AUC of usage_score", "AUC of health_score"):
        assert line in text, line
    assert text.index("Champions") < text.index("Churn at renewal"), "the quadrant counts come first"
