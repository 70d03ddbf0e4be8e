"""Issue 16 on the demo build: use-case adoption, the license trend, unknown instances, engagement,
the alert history with its playbooks and outcomes, and the 2.1x check. Each expected value is
worked out here, in Python (or in DuckDB straight from the landing files), by a different path
than the SQL: from the weekly scores, the event-grain rows or the raw CSVs, and the seeds. The
cases the demo generator plants (``_truth/planted_cases.csv``) must show where a CSM would look."""
from __future__ import annotations

import csv
import datetime as dt
import math
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest
import yaml

from conftest import PROJECT_DIR, Build, build
from test_demo_build import renewals_with_quadrant_before

WEEK = dt.timedelta(days=7)


def seed(name: str) -> list[dict[str, str]]:
    with open(PROJECT_DIR / "seeds" / name, newline="") as handle:
        return list(csv.DictReader(handle))


def project_vars() -> dict:
    with open(PROJECT_DIR / "dbt_project.yml") as handle:
        return yaml.safe_load(handle)["vars"]


def cases(landing: Path) -> dict[str, list[dict[str, str]]]:
    found: dict[str, list[dict[str, str]]] = defaultdict(list)
    with open(landing / "_truth" / "planted_cases.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            found[row["case"]].append(row)
    return found


def round_half_up(value: float, digits: int) -> float:
    """The warehouse's round_to(): half away from zero, in binary floating point."""
    scale = 10.0 ** digits
    return math.copysign(math.floor(abs(value) * scale + 0.5) / scale, value)


def as_of(demo_build: Build) -> tuple[dt.date, dt.date]:
    return demo_build.query("select as_of_date, latest_week_start from intermediate.int_run_parameters")[0]


# --------------------------------------------------------------------------------------------
# Use-case adoption
# --------------------------------------------------------------------------------------------


def test_use_case_scores_and_bands_recomputed_from_the_user_feature_weeks(demo_build: Build) -> None:
    """The latest week: the share of each account's active users (over the 4-week window) who
    used a use case's features, ranked by mid-rank among the segment's accounts with data (all
    accounts when the segment has too few), nothing used = 0, banded by seeds/use_cases.csv."""
    _, latest = as_of(demo_build)
    window_weeks = math.ceil(int(project_vars()["usage_window_days"]) / 7)
    first_week = latest - (window_weeks - 1) * WEEK
    area_of = {row["feature"]: row["product_area"] for row in seed("features.csv")}
    use_cases = {row["product_area"]: row for row in seed("use_cases.csv") if row["is_scored"] == "true"}
    active: dict[str, set[str]] = defaultdict(set)
    used: dict[tuple[str, str], set[str]] = defaultdict(set)
    for account, user, feature in demo_build.query(
        "select scored_account_id, user_hash, feature from intermediate.int_account_user_features_weekly"
        f" where week_start between date '{first_week}' and date '{latest}'"
    ):
        active[account].add(user)
        if area_of.get(feature) in use_cases:
            used[(account, area_of[feature])].add(user)
    seen = {a for (a,) in demo_build.query(
        f"select distinct scored_account_id from intermediate.int_account_user_features_weekly where first_event_date <= date '{latest + dt.timedelta(days=6)}'")}
    accounts = dict(demo_build.query(
        "select account_id, segment from marts.fct_account_scores_weekly where is_latest_week and lifecycle_stage <> 'churned'"))
    min_peers = dict(demo_build.query("select segment, min_peer_group_size from intermediate.int_segment_settings"))

    expected = {}
    for area, config in use_cases.items():
        shares = {}
        for account in accounts:
            if active[account]:
                shares[account] = len(used[(account, area)]) / len(active[account])
            elif account in seen:
                shares[account] = 0.0
            else:
                shares[account] = None
        with_data = {a: s for a, s in shares.items() if s is not None}
        for account, share in shares.items():
            if share is None:
                expected[(account, area)] = (None, None)
                continue
            peers = [s for a, s in with_data.items() if accounts[a] == accounts[account]]
            if len(peers) < min_peers[accounts[account]]:
                peers = list(with_data.values())
            below = sum(1 for s in peers if s < share)
            ties = sum(1 for s in peers if s == share)
            if share == 0:
                score = 0.0
            elif len(peers) == 1:
                score = 50.0
            else:
                score = round_half_up(100 * (below + (ties - 1) / 2) / (len(peers) - 1), 2)
            band = "red" if score < float(config["red_below"]) else "green" if score >= float(config["green_at"]) else "yellow"
            expected[(account, area)] = (score, band)
    observed = {
        (account, area): (score, band)
        for account, area, score, band in demo_build.query(
            "select account_id, product_area, use_case_score, adoption_band from marts.fct_use_case_adoption_weekly where is_latest_week")
    }
    assert set(observed) == set(expected) and len(expected) >= 4 * 150
    for key, (score, band) in expected.items():
        got_score, got_band = observed[key]
        assert (got_score is None) == (score is None), key
        if score is not None:
            assert got_score == pytest.approx(score, abs=0.011), key
            assert got_band == band, (key, score, got_score)
    assert {band for _, band in expected.values()} >= {"red", "yellow", "green"}


def test_the_account_planted_in_one_use_case_is_strong_there_and_red_elsewhere(demo_build: Build, demo_landing: Path) -> None:
    (case,) = cases(demo_landing)["one_use_case"]
    bands = dict(demo_build.query(
        "select product_area, adoption_band from marts.fct_use_case_adoption_weekly"
        " where is_latest_week and account_id = ?".replace("?", f"'{case['account_id']}'")))
    assert bands.pop("analytics") == "green", bands
    assert bands and set(bands.values()) == {"red"}, bands


# --------------------------------------------------------------------------------------------
# License utilization as a trend
# --------------------------------------------------------------------------------------------


def test_license_utilization_by_month_recomputed_from_the_weekly_history(demo_build: Build) -> None:
    """Each month at its last scored week ending in it; the change against the previous month;
    past / nearing seats and dropping by the vars."""
    variables = project_vars()
    nearing, drop = float(variables["license_nearing_share"]), float(variables["license_drop_share"])
    weeks = demo_build.query(
        "select account_id, week_start, week_end, lifecycle_stage, license_utilization from marts.fct_account_scores_weekly")
    snapshot: dict[dt.date, dt.date] = {}
    for _, week_start, week_end, _, _ in weeks:
        month = week_end.replace(day=1)
        snapshot[month] = max(snapshot.get(month, week_start), week_start)
    by_week = {(a, w): (stage, u) for a, w, _, stage, u in weeks}
    rows = {}
    for month, week in snapshot.items():
        for (account, w), (stage, utilization) in by_week.items():
            if w == week and stage != "churned":
                rows[(account, month)] = None if utilization is None else round_half_up(utilization, 4)
    expected = {}
    for (account, month), utilization in rows.items():
        previous_month = (month - dt.timedelta(days=1)).replace(day=1)
        previous = rows.get((account, previous_month))
        change = None if utilization is None or previous is None else round_half_up(utilization - previous, 4)
        dropping = change is not None and -change >= drop
        if utilization is None:
            status = None
        elif utilization > 1:
            status = "past_seats"
        elif utilization >= nearing:
            status = "nearing_seats"
        elif dropping:
            status = "dropping"
        else:
            status = "steady"
        expected[(account, month)] = (utilization, change, status, dropping)
    observed = {
        (account, month): (utilization, change, status, dropping)
        for account, month, utilization, change, status, dropping in demo_build.query(
            "select account_id, month_start, license_utilization, utilization_change, seat_status, is_contraction_risk"
            " from marts.fct_license_utilization_monthly")
    }
    assert observed == expected
    statuses = {status for _, _, status, _ in expected.values()}
    assert statuses >= {"past_seats", "nearing_seats", "dropping", "steady"}, statuses


def test_the_account_planted_past_its_seats_is_an_expansion_candidate(demo_build: Build, demo_landing: Path) -> None:
    (case,) = cases(demo_landing)["past_seats"]
    account = case["account_id"]
    with open(demo_landing / "arr_monthly.csv", newline="") as handle:
        seats = {row["month"]: int(row["licensed_seats"]) for row in csv.DictReader(handle) if row["account_id"] == account}
    with open(demo_landing / "product_users.csv", newline="") as handle:
        users_by_workspace: dict[str, int] = defaultdict(int)
        for row in csv.DictReader(handle):
            users_by_workspace[row["workspace_id"]] += 1
    assert seats and max(seats.values()) < max(users_by_workspace.values())
    rows = demo_build.query(
        f"select month_start, licensed_seats, active_users, seat_status, is_expansion_candidate"
        f" from marts.fct_license_utilization_monthly where account_id = '{account}' and is_latest_month")
    (month, licensed, active, status, expansion), = rows
    assert licensed == seats[month.isoformat()] and active > licensed
    assert status == "past_seats" and expansion


# --------------------------------------------------------------------------------------------
# Unknown instances
# --------------------------------------------------------------------------------------------


def test_unknown_instances_and_their_events_from_the_landing_files(demo_build: Build, demo_landing: Path) -> None:
    """Every workspace without an instance type (or `unknown`), with its events counted straight
    from the landing CSVs (an event id once, a parseable timestamp, on or before as_of), and the
    planted ones tied to their account."""
    as_of_date, _ = as_of(demo_build)
    con = duckdb.connect()
    try:
        landing = str(demo_landing).replace("'", "''")
        unknown = {w for (w,) in con.execute(
            f"select workspace_id from read_csv('{landing}/product_workspaces.csv', all_varchar = true)"
            " where instance_type is null or lower(trim(instance_type)) = 'unknown'").fetchall()}
        counts = dict(con.execute(
            f"select workspace_id, count(distinct event_id) from read_csv('{landing}/product_events/*.csv', all_varchar = true)"
            " where event_id is not null and try_cast(occurred_at as timestamp) is not null"
            f" and cast(try_cast(occurred_at as timestamp) as date) <= date '{as_of_date}' group by workspace_id").fetchall())
    finally:
        con.close()
    observed = {w: (n, account) for w, n, account in demo_build.query(
        "select workspace_id, event_count, account_id from marts.rpt_unknown_instances")}
    assert set(observed) == unknown and len(unknown) >= 10
    assert {w: n for w, (n, _) in observed.items()} == {w: counts.get(w, 0) for w in unknown}
    planted = {row["workspace_id"]: row["account_id"] or None for row in cases(demo_landing)["unknown_instance"]}
    assert set(planted) == unknown
    for workspace, account in planted.items():
        if account:  # an account's unlabelled production workspace maps to it (orphans map to none)
            assert observed[workspace][1] == account, workspace
    shares = demo_build.query("select share_of_account_events from marts.rpt_unknown_instances where resolution_status = 'resolved'")
    assert shares and all(0 < s <= 1 for (s,) in shares)


# --------------------------------------------------------------------------------------------
# Engagement
# --------------------------------------------------------------------------------------------


def test_weekly_and_monthly_active_users_and_stickiness_from_the_events(demo_build: Build) -> None:
    """From the event-grain view (int_account_events), not the weekly aggregates: distinct users
    in the week and in the 4 weeks ending with it, their ratio, and the week's session minutes
    from the sessions themselves."""
    _, latest = as_of(demo_build)
    for week in (latest, latest - 8 * WEEK):
        first = week - 3 * WEEK
        expected = {
            account: (wau, mau)
            for account, wau, mau in demo_build.query(
                "select scored_account_id,"
                f" count(distinct case when week_start = date '{week}' then user_hash end),"
                " count(distinct user_hash) from intermediate.int_account_events"
                f" where week_start between date '{first}' and date '{week}' group by scored_account_id")
        }
        rows = demo_build.query(
            "select account_id, weekly_active_users, monthly_active_users, stickiness from marts.fct_account_engagement_weekly"
            f" where week_start = date '{week}'")
        assert len(rows) >= 150
        for account, wau, mau, stickiness in rows:
            want_wau, want_mau = expected.get(account, (0, 0))
            assert (wau, mau) == (want_wau, want_mau), account
            if mau:
                assert stickiness == pytest.approx(round_half_up(wau / mau, 4), abs=1e-12), account
            else:
                assert stickiness is None, account
    minutes = dict(demo_build.query(
        "select accounts.scored_account_id, sum(sessions.duration_seconds) / 60.0 / count(*)"
        " from intermediate.int_sessions as sessions"
        " inner join intermediate.int_workspace_accounts as accounts on sessions.workspace_id = accounts.workspace_id"
        " where accounts.resolution_status = 'resolved' and accounts.counts_toward_usage"
        f" and sessions.week_start = date '{latest}' group by 1"))
    observed = dict(demo_build.query(
        f"select account_id, average_session_minutes from marts.fct_account_engagement_weekly where week_start = date '{latest}'"))
    assert minutes
    for account, value in observed.items():
        if account in minutes:
            assert value == pytest.approx(round_half_up(minutes[account], 2), abs=1e-9), account
        else:
            assert value is None, account


# --------------------------------------------------------------------------------------------
# The alert history, playbooks and outcomes
# --------------------------------------------------------------------------------------------


def alert_inputs(build_: Build) -> dict:
    """What the alert rules read, from a build: quadrant kinds, segment settings, the weekly
    scores and the movements."""
    kinds = {q: (kind, health_side) for q, kind, health_side in build_.query(
        "select quadrant, kind, health_side from marts.dim_quadrants")}
    settings = {s: (points, weeks, days) for s, points, weeks, days in build_.query(
        "select segment, alert_drop_points, alert_drop_weeks, alert_renewal_days from intermediate.int_segment_settings")}
    weekly: dict[str, list[dict]] = defaultdict(list)
    for row in build_.query(
        "select account_id, week_start, segment, quadrant, usage_score, health_score, health_band, lifecycle_stage,"
        " days_to_renewal, is_latest_week from marts.fct_account_scores_weekly order by account_id, week_start"
    ):
        weekly[row[0]].append(dict(zip(["account", "week", "segment", "quadrant", "usage", "health", "band", "stage",
                                        "days", "latest"], row)))
    moves: dict[str, list[tuple[dt.date, bool, dt.date]]] = defaultdict(list)
    for account, week, critical, compared_with in build_.query(
            "select account_id, week_start, is_critical, comparison_week_start from marts.fct_quadrant_movements order by 1, 2"):
        moves[account].append((week, critical, compared_with))
    return {"kinds": kinds, "settings": settings, "weekly": weekly, "moves": moves}


def judge(inputs: dict, account: str, weeks: list[dict], i: int, rule: str) -> dict:
    """One rule in one week of an account, from the weekly scores, as the rules are stated in
    fct_cs_alert_conditions_weekly: whether it is judged, holds and raises a CTA, its key and
    the week it compares with (when it holds)."""
    kinds, settings, moves = inputs["kinds"], inputs["settings"], inputs["moves"]
    w = weeks[i]
    kind, health_side = kinds[w["quadrant"]]
    active, placed = w["stage"] == "active", kind == "quadrant"
    points, n, days = settings[w["segment"]]
    if rule == "critical_movement":
        last = [m for m in moves[account] if m[0] <= w["week"]]
        holds = active and bool(last) and last[-1][1]
        return {"evaluable": active, "holds": holds, "raised": holds and last[-1][0] == w["week"],
                "key": last[-1][0] if holds else None, "compared_with": last[-1][2] if holds else None}
    if rule == "health_into_red":
        holds = active and placed and w["band"] == "red"
        before = [x for x in weeks[:i] if x["week"] == w["week"] - WEEK]
        starts = bool(before) and before[0]["band"] is not None and before[0]["band"] != "red"
        return {"evaluable": active and placed, "holds": holds, "raised": holds and starts, "key": None,
                "compared_with": w["week"] - WEEK if holds else None}
    if rule == "renewal_at_risk":
        holds = active and placed and w["days"] is not None and w["days"] <= days and health_side == "low"
        return {"evaluable": active and placed, "holds": holds, "raised": holds, "key": None,
                "compared_with": w["week"] - n * WEEK if holds else None}
    score = rule.removesuffix("_score_drop")
    earlier = [x for x in weeks[:i] if x["week"] >= w["week"] - n * WEEK and x[score] is not None]
    high = max((x[score] for x in earlier), default=None)
    evaluable = w["stage"] != "churned" and placed
    holds = evaluable and high is not None and w[score] is not None and high - w[score] >= points
    high_week = max((x["week"] for x in earlier if x[score] == high), default=None)
    return {"evaluable": evaluable, "holds": holds, "raised": holds, "key": None,
            "compared_with": high_week if holds else None}


def alert_episodes(inputs: dict, until: dt.date | None = None) -> list[dict]:
    """The alert history worked out week by week (weeks up to `until`), rule by rule as
    fct_cs_alert_conditions_weekly states the rules: runs of judged weeks in which a rule holds."""
    kinds = inputs["kinds"]
    rules = [row["alert_rule"] for row in seed("alert_playbooks.csv")]
    episodes = []
    for account, all_weeks in inputs["weekly"].items():
        weeks = [w for w in all_weeks if until is None or w["week"] <= until]
        if not weeks:
            continue
        churned_now = weeks[-1]["stage"] == "churned"
        known, last_known = [], None
        for w in weeks:
            if kinds[w["quadrant"]][0] == "quadrant":
                last_known = w["quadrant"]
            known.append(last_known)
        for rule in rules:
            current = None
            for i in range(len(weeks)):
                judged = judge(inputs, account, weeks, i, rule)
                evaluable, holds, key = judged["evaluable"], judged["holds"], judged["key"]
                if not evaluable:
                    continue
                if current is not None and (not holds or key != current["key"]):
                    current["status"] = "resolved" if not holds else "superseded"
                    current["resolved"] = weeks[i]["week"] if not holds else None
                    episodes.append(current)
                    current = None
                if holds:
                    if current is None:
                        current = {"account": account, "rule": rule, "key": key, "first": weeks[i]["week"],
                                   "quadrant": known[i], "weeks": 0, "first_index": i}
                    current["last"] = weeks[i]["week"]
                    current["weeks"] += 1
            if current is not None:
                current["status"] = "churned" if churned_now else "open"
                current["resolved"] = None
                episodes.append(current)
    return episodes


def episode_states(episodes: list[dict]) -> dict[tuple, tuple]:
    return {(e["account"], e["rule"], e["first"]): (e["last"], e["weeks"], e["status"], e["resolved"], e["quadrant"])
            for e in episodes}


HISTORY_STATES = ("select account_id, alert_rule, first_seen_week_start, last_seen_week_start, weeks_seen, status,"
                  " resolved_week_start, quadrant_at_first_seen from marts.fct_cs_alert_history")


@pytest.fixture(scope="module")
def history(demo_build: Build) -> dict:
    inputs = alert_inputs(demo_build)
    return {"episodes": alert_episodes(inputs), "weekly": inputs["weekly"], "inputs": inputs}


def test_alert_history_runs_and_states_recomputed_from_the_weekly_scores(demo_build: Build, history: dict) -> None:
    expected = episode_states(history["episodes"])
    observed = {(a, r, f): tuple(rest) for a, r, f, *rest in demo_build.query(HISTORY_STATES)}
    assert observed == expected
    statuses = {status for _, _, status, _, _ in expected.values()}
    assert {"open", "resolved"} <= statuses, statuses


def test_the_calls_to_action_recomputed_week_by_week_and_the_report_is_the_latest(demo_build: Build, history: dict) -> None:
    """Every week's raised rules and the week each compares with (fct_cs_alert_conditions_weekly),
    worked out from the weekly scores; rpt_cs_alerts is exactly the latest week's of them: the
    report restates no rule."""
    inputs = history["inputs"]
    rules = [row["alert_rule"] for row in seed("alert_playbooks.csv")]
    expected = set()
    for account, weeks in inputs["weekly"].items():
        for i, week in enumerate(weeks):
            for rule in rules:
                judged = judge(inputs, account, weeks, i, rule)
                if judged["raised"]:
                    expected.add((account, week["week"], rule, judged["compared_with"]))
    observed = set(demo_build.query(
        "select account_id, week_start, alert_rule, comparison_week_start"
        " from marts.fct_cs_alert_conditions_weekly where is_raised"))
    assert observed == expected
    _, latest = as_of(demo_build)
    report = set(demo_build.query("select account_id, week_start, alert_rule, comparison_week_start from marts.rpt_cs_alerts"))
    assert report and report == {x for x in expected if x[1] == latest}


def test_playbooks_due_dates_escalation_and_recovery(demo_build: Build, history: dict) -> None:
    """Playbook, due date and overdue from seeds/alert_playbooks.csv; escalated rules go to the
    role of the quadrant the account was in (seeds/alert_escalations.csv, else default); recovery
    within playbook_recovery_weeks by the rule's measure, judged for resolved alerts."""
    as_of_date, latest = as_of(demo_build)
    playbooks = {row["alert_rule"]: row for row in seed("alert_playbooks.csv")}
    roles = {row["quadrant"]: row["escalation_role"] for row in seed("alert_escalations.csv")}
    ups = {(row["from_quadrant"], row["to_quadrant"]) for row in seed("quadrant_moves.csv") if row["direction"] == "up"}
    n_weeks = int(project_vars()["playbook_recovery_weeks"])
    weekly = history["weekly"]
    observed = {
        (account, rule, first): rest
        for account, rule, first, *rest in demo_build.query(
            "select account_id, alert_rule, first_seen_week_start, playbook, due_date, is_overdue, escalation_role,"
            " recovery_week_start, is_judged, is_recovered from marts.fct_cs_alert_history")
    }
    judged = 0
    for e in history["episodes"]:
        book = playbooks[e["rule"]]
        due = e["first"] + dt.timedelta(days=6 + int(book["days_to_act"]))
        role = roles.get(e["quadrant"], roles["default"]) if book["is_escalated"] == "true" else None
        weeks = weekly[e["account"]]
        i = e["first_index"]
        before = weeks[i - 1] if i > 0 and weeks[i - 1]["week"] == e["first"] - WEEK else None
        recovery = None
        for later in weeks[i + 1:]:
            if later["week"] > e["first"] + n_weeks * WEEK:
                break
            measure = book["recovery_measure"]
            if measure == "quadrant":
                ok = (e["quadrant"], later["quadrant"]) in ups
            else:
                score = measure.removesuffix("_score")
                ok = before is not None and before[score] is not None and later[score] is not None and later[score] >= before[score]
            if ok:
                recovery = later["week"]
                break
        window_done = e["first"] + n_weeks * WEEK <= latest
        is_judged = e["status"] == "resolved" and (recovery is not None or window_done)
        judged += is_judged
        want = [book["playbook"], due, e["status"] == "open" and as_of_date > due, role, recovery, is_judged,
                (recovery is not None) if is_judged else None]
        assert observed[(e["account"], e["rule"], e["first"])] == want, e
    assert judged >= 20
    routed = {r for _, _, _, r, *_ in observed.values() if r}
    assert routed == set(roles.values()), routed


def test_playbook_outcomes_add_up_from_the_history(demo_build: Build) -> None:
    rows = demo_build.query(
        "select alert_rule, playbook, status, is_overdue, is_judged, is_recovered, weeks_to_recover from marts.fct_cs_alert_history")
    groups: dict[tuple[str, str, str], list] = defaultdict(list)
    playbook_of = {row["alert_rule"]: row["playbook"] for row in seed("alert_playbooks.csv")}
    for rule, playbook in playbook_of.items():
        groups[("alert_rule", rule, playbook)]
        groups[("playbook", "all", playbook)]
    for row in rows:
        rule, playbook = row[0], row[1]
        for key in (("alert_rule", rule, playbook), ("playbook", "all", playbook), ("all", "all", "all")):
            groups[key].append(row)
    observed = {
        (g, r, p): (alerts, open_, overdue, resolved, judged, recovered, rate)
        for g, r, p, alerts, open_, overdue, resolved, judged, recovered, rate in demo_build.query(
            "select grouped_by, alert_rule, playbook, alerts, open_alerts, overdue_alerts, resolved_alerts, judged_alerts,"
            " recovered_alerts, recovery_rate from marts.rpt_playbook_outcomes")
    }
    expected = {}
    for key, members in groups.items():
        judged = sum(1 for m in members if m[4])
        recovered = sum(1 for m in members if m[5])
        expected[key] = (len(members), sum(1 for m in members if m[2] == "open"), sum(1 for m in members if m[3]),
                         sum(1 for m in members if m[2] == "resolved"), judged, recovered,
                         round_half_up(recovered / judged, 4) if judged else None)
    assert observed == expected
    assert expected[("all", "all", "all")][4] > 0


def test_the_planted_alerts_one_resolves_and_one_stays_open(demo_build: Build, demo_landing: Path) -> None:
    """The account silent for weeks mid-window raised a usage alert that cleared once it came
    back; the one silent at the end has a usage alert still open."""
    planted = cases(demo_landing)
    (resolves,) = planted["alert_resolves"]
    (stays,) = planted["alert_stays_open"]
    rows = demo_build.query(
        "select account_id, alert_rule, status, first_seen_week_start, resolved_week_start from marts.fct_cs_alert_history"
        f" where account_id in ('{resolves['account_id']}', '{stays['account_id']}') and alert_rule = 'usage_score_drop'")
    resolved = [r for r in rows if r[0] == resolves["account_id"] and r[2] == "resolved"]
    still_open = [r for r in rows if r[0] == stays["account_id"] and r[2] == "open"]
    assert resolved, rows
    assert still_open, rows
    _, latest = as_of(demo_build)
    assert still_open[0][3] >= latest - 4 * WEEK


def test_the_alert_history_at_a_past_as_of_is_the_history_as_it_was(
    demo_build: Build, demo_landing: Path, history: dict, tmp_path: Path
) -> None:
    """Rebuilt four weeks back, the history is the one the same rules give on the weeks up to
    then: alerts resolved since are open there, last seen that week. Only the as-of date decides,
    never the wall clock."""
    weeks = [w for (w,) in demo_build.query("select distinct week_start from marts.fct_account_scores_weekly order by 1")]
    past_week = weeks[-5]
    past = build(tmp_path / "past.duckdb", demo_landing, extra_vars={"as_of": (past_week + dt.timedelta(days=6)).isoformat()})
    assert past.returncode == 0, past.output[-3000:]
    expected = episode_states(alert_episodes(history["inputs"], until=past_week))
    observed = {(a, r, f): tuple(rest) for a, r, f, *rest in past.query(HISTORY_STATES)}
    assert observed == expected
    now = episode_states(history["episodes"])
    reopened = [k for k, v in expected.items() if v[2] == "open" and now.get(k, (None, None, None))[2] == "resolved"]
    assert reopened, "some alert open four weeks ago has been resolved since"


# --------------------------------------------------------------------------------------------
# The 2.1x check
# --------------------------------------------------------------------------------------------


def test_the_churn_ratio_and_its_interval_from_the_landing_files(demo_build: Build, demo_landing: Path) -> None:
    """Frustrated Power Users' churn rate over Champions', from the renewals worked out from the
    landing files, with the Katz log interval by its formula."""
    renewals = renewals_with_quadrant_before(demo_build, demo_landing)
    fpu = [r["churned"] for r in renewals if r["quadrant"] == "Frustrated Power Users"]
    champions = [r["churned"] for r in renewals if r["quadrant"] == "Champions"]
    a, n, c, m = sum(fpu), len(fpu), sum(champions), len(champions)
    ratio = (a / n) / (c / m)
    se = math.sqrt(1 / a - 1 / n + 1 / c - 1 / m)
    low, high = math.exp(math.log(ratio) - 1.96 * se), math.exp(math.log(ratio) + 1.96 * se)
    claim = float(project_vars()["claimed_churn_ratio"])
    row = demo_build.query(
        "select renewals, churned, reference_renewals, reference_churned, churn_ratio, churn_ratio_low, churn_ratio_high,"
        " is_claim_within_interval, is_above_one from marts.rpt_churn_ratio_check where renewal_quarter = 'all'")[0]
    assert row[:4] == (n, a, m, c)
    assert row[4:7] == (pytest.approx(round_half_up(ratio, 2)), pytest.approx(round_half_up(low, 2)),
                        pytest.approx(round_half_up(high, 2)))
    assert row[7] == (round_half_up(low, 2) <= claim <= round_half_up(high, 2))
    assert row[8] == (round_half_up(low, 2) > 1)
    assert row[7], "the demo plants churn at about 2.1x: the claim must lie inside the interval"


def test_the_demo_summary_states_the_churn_ratio_with_its_interval(demo_build: Build) -> None:
    import summary  # scripts/ is on sys.path (conftest)

    ratio, low, high = demo_build.query(
        "select churn_ratio, churn_ratio_low, churn_ratio_high from marts.rpt_churn_ratio_check where renewal_quarter = 'all'")[0]
    text = summary.render(demo_build.db_path)
    assert f"Frustrated Power Users churn {ratio:.2f}x as often as Champions (95% interval {low:.2f}-{high:.2f})" in text
    assert "the article's 2.1x is inside the interval" in text
