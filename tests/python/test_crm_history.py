"""History as it was (issue 14): crm_accounts is exported as current state, and the project keeps
its history in a dbt snapshot (snapshots/snap_crm_accounts.sql). One warehouse, three builds:
at a past as_of with the CRM as it was then; at today's as_of after an account's renewal date,
segment and CSM changed in the export; again at the past as_of with today's export. The past
rebuild must give that week what the first build gave (renewal date, segment, CSM, the alerts),
not today's CRM, and today's build must show today's CRM in its latest week. The expected
values are the ones this test writes into the export, not read back from the project."""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import duckdb
import pytest

from conftest import Build, generate_landing, read_rows, run_dbt, write_rows


def last_sunday_on_or_before(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=(day.weekday() + 1) % 7)


def full_build(db: Path, landing: Path, as_of: dt.date) -> Build:
    result = run_dbt(["build", "--full-refresh"], db, landing, extra_vars={"as_of": as_of.isoformat()})
    assert result.returncode == 0, result.output[-3000:]
    return result


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("crm_history")
    landing = root / "landing"
    generate_landing.main(["--out", str(landing), "--accounts", "40", "--weeks", "26", "--seed", "5"])
    con = duckdb.connect()
    last_event = con.execute(f"""
        select max(try_cast(occurred_at as timestamp))
        from read_csv('{landing}/product_events/*.csv', all_varchar = true)
    """).fetchone()[0].date()
    con.close()
    today, past = last_event, last_event - dt.timedelta(days=28)
    past_week_end = last_sunday_on_or_before(past)

    accounts_file = landing / "crm_accounts.csv"
    with open(accounts_file, newline="") as handle:
        fields = csv.DictReader(handle).fieldnames
    accounts = read_rows(accounts_file)
    outcomes = read_rows(landing / "renewal_outcomes.csv")
    segments = sorted({a["segment"] for a in accounts})
    # a top-level account, active long before, with no renewal on record after the past week
    # and no child accounts: its renewal date can only come from the CRM
    parents = {a["parent_account_id"] for a in accounts}
    chosen = next(
        a for a in accounts
        if not a["parent_account_id"] and a["account_id"] not in parents
        and a["created_at"][:4] < str(past.year - 1)
        and not any(o["account_id"] == a["account_id"] and o["renewal_date"] >= past_week_end.isoformat() for o in outcomes)
    )
    then = {"renewal_date": past_week_end + dt.timedelta(days=20), "segment": chosen["segment"], "csm_owner": "Ana Then"}
    now = {"renewal_date": past_week_end + dt.timedelta(days=385),
           "segment": next(s for s in segments if s != chosen["segment"]), "csm_owner": "Noor Now"}

    def export(state: dict) -> None:
        for row in accounts:
            if row["account_id"] == chosen["account_id"]:
                row.update({k: str(v) for k, v in state.items()})
        write_rows(accounts_file, accounts, fields)

    db = root / "warehouse.duckdb"
    export(then)
    first = full_build(db, landing, past)
    first_rows = first.query(WEEK_ROW.format(week_end=past_week_end))
    first_alerts = first.query(ALERTS)
    export(now)
    today_build = full_build(db, landing, today)
    today_rows = today_build.query(LATEST_ROW.format(account=chosen["account_id"]))
    rebuilt = full_build(db, landing, past)
    return {
        "account": chosen["account_id"], "then": then, "now": now, "past_week_end": past_week_end,
        "first_rows": first_rows, "first_alerts": first_alerts, "today_row": today_rows[0],
        "rebuilt": rebuilt,
    }


WEEK_ROW = """
    select account_id, segment, csm_owner, renewal_date, renewal_date_source, days_to_renewal,
           quadrant, health_band, lifecycle_stage, usage_score, health_score
    from marts.fct_account_scores_weekly where week_end = date '{week_end}' order by account_id
"""
ALERTS = "select account_id, alert_rule, csm_owner, segment, days_to_renewal from marts.rpt_cs_alerts order by all"
LATEST_ROW = """
    select segment, csm_owner, renewal_date, renewal_date_source
    from marts.fct_account_scores_weekly where is_latest_week and account_id = '{account}'
"""


def test_todays_build_shows_todays_crm(history: dict) -> None:
    now = history["now"]
    assert history["today_row"] == (now["segment"], now["csm_owner"], now["renewal_date"], "crm_accounts")


def test_a_past_rebuild_sees_the_crm_as_it_was(history: dict) -> None:
    then, account = history["then"], history["account"]
    rows = {row[0]: row for row in history["rebuilt"].query(WEEK_ROW.format(week_end=history["past_week_end"]))}
    _, segment, csm, renewal, source, days, *_ = rows[account]
    assert (segment, csm, renewal, source, days) == (then["segment"], then["csm_owner"], then["renewal_date"],
                                                    "crm_snapshot", 20)


def test_a_past_rebuild_reproduces_that_weeks_scores_and_alerts(history: dict) -> None:
    """Everything but where the renewal date came from: the first build read it from the export
    (its latest week), the rebuild from the version the first build recorded."""
    rebuilt = history["rebuilt"]
    without_source = [row[:4] + row[5:] for row in rebuilt.query(WEEK_ROW.format(week_end=history["past_week_end"]))]
    assert without_source == [row[:4] + row[5:] for row in history["first_rows"]]
    assert rebuilt.query(ALERTS) == history["first_alerts"]


def test_the_snapshot_recorded_one_version_per_change(history: dict) -> None:
    """Two versions for the changed account (then, now), one for the others; the past rebuild
    added none, and the changed account's first version closed when the second began."""
    versions = history["rebuilt"].query("""
        select account_id, count(*), min(cast(dbt_valid_to as date)), max(cast(dbt_valid_from as date))
        from snapshots.snap_crm_accounts group by account_id
    """)
    counts = {account: n for account, n, _, _ in versions}
    assert counts.pop(history["account"]) == 2
    assert set(counts.values()) == {1}
    closed = {account: (closed, opened) for account, _, closed, opened in versions}[history["account"]]
    assert closed[0] == closed[1] and closed[0] > history["past_week_end"]
