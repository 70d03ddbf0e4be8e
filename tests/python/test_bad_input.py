"""The catalogue of bad input: data nobody cleaned, hand-edited seeds. Each case makes its own
landing folder or seed edit and asserts the exact outcome: the error message, or the
quarantined row and its reason, and that the good rows still arrive in the marts."""
from __future__ import annotations

import math
import shutil
from pathlib import Path

import pytest

import generate_landing
from conftest import Build, append_lines, build, copy_project, read_rows, write_rows

LENIENT = {"quarantine_thresholds": {"default": {"warn": 0.5, "error": 0.9}}}


@pytest.fixture(scope="module")
def tiny_landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    landing = tmp_path_factory.mktemp("tiny") / "landing"
    generate_landing.main(["--out", str(landing), "--accounts", "20", "--weeks", "26", "--seed", "11"])
    return landing


def first_event(landing: Path) -> dict[str, str]:
    return read_rows(sorted((landing / "product_events").glob("*.csv"))[0])[0]


# ---------------------------------------------------------------------------------------------
# Row-level problems: one dirty landing folder, one build, one assertion per case.

@pytest.fixture(scope="module")
def dirty(tiny_landing: Path, tmp_path_factory: pytest.TempPathFactory) -> Build:
    root = tmp_path_factory.mktemp("dirty")
    landing = root / "landing"
    shutil.copytree(tiny_landing, landing)
    event = first_event(landing)
    ws, user = event["workspace_id"], event["user_id"]
    parts = sorted((landing / "product_events").glob("*.csv"))
    append_lines(parts[-1], [
        f"Ebad-ts,yesterday,{ws},{user},login,",
        f"Ebad-ws,2026-10-01T10:00:00,,{user},login,",
        f"Ebad-long,2026-10-01T10:00:00,{ws},{user},login,,surplus",
        f"Ebad-short,2026-10-01T10:00:00,{ws}",
        # a delivery repeated in another part file
        ",".join(event[c] for c in ["event_id", "occurred_at", "workspace_id", "user_id", "event_name", "session_id"]),
    ])
    append_lines(landing / "nps_responses.csv", [
        "Rbad-12,A0001,2026-10-01T10:00:00,12",
        "Rbad-ten,A0001,2026-10-01T10:00:00,ten",
        "Rbad-acct,,2026-10-01T10:00:00,9",
    ])
    append_lines(landing / "support_tickets.csv", ["Tbad-order,A0001,2026-10-05T10:00:00,2026-10-01T10:00:00,low,data,"])
    append_lines(landing / "csm_touchpoints.csv", ["TPbad,A0001,2026-10-01T10:00:00,call,ecstatic"])
    append_lines(landing / "product_workspaces.csv", ["W-BAD-TYPE,A0001,,lab,2026-01-01T00:00:00"])
    # a CSV beside the Parquet export of the same source
    append_lines(landing / "cs_health_scores.csv", [
        "account_id,scored_at,health_score,renewal_risk",
        "A0001,2026-10-01T00:00:00,140,low",
        "A0001,2026-10-02T00:00:00,77,low",
    ])
    append_lines(landing / "arr_monthly.csv", ["A0001,2026-09-01,n/a,5,S0001,batch-x"])
    append_lines(landing / "renewal_outcomes.csv", ["A0001,2025-12-01,lost,100,0"])
    # a later export of a current-state source: A0001 renamed, and an account with a bad date
    accounts = read_rows(landing / "crm_accounts.csv")
    later = [dict(a) for a in accounts if a["account_id"] == "A0001"]
    later[0]["account_name"] = "Keystone Renamed"
    later.append({**later[0], "account_id": "A9999", "account_name": "Bad Date Co", "renewal_date": "31/12/2026",
                  "email_domain": "bad-date.example"})
    (landing / "crm_accounts").mkdir()
    write_rows(landing / "crm_accounts" / "export-2026-11-20.csv", later)
    result = build(root / "wh.duckdb", landing, extra_vars=LENIENT)
    assert result.returncode == 0, result.output[-4000:]
    return result


def quarantined(b: Build, source: str, marker: str) -> list[str]:
    return [
        reason
        for (reason,) in b.query(
            f"select quarantine_reason from staging.stg_landing__quarantine "
            f"where source_name = '{source}' and raw_values like '%{marker}%'"
        )
    ]


@pytest.mark.parametrize(
    "source, marker, reason",
    [
        ("product_events", "event_id=Ebad-ts;", "occurred_at is not an ISO 8601 timestamp"),
        ("product_events", "event_id=Ebad-ws;", "missing workspace_id"),
        ("product_events", "event_id=Ebad-long;", "row has more fields than the header (extra values: surplus)"),
        ("product_events", "event_id=Ebad-short;", "row has fewer fields than the header; missing user_id; missing event_name"),
        ("nps_responses", "response_id=Rbad-12;", "score is outside 0-10"),
        ("nps_responses", "response_id=Rbad-ten;", "score is not a whole number"),
        ("nps_responses", "response_id=Rbad-acct;", "missing account_id"),
        ("cs_health_scores", "health_score_text=140;", "health_score is outside 0-100"),
        ("arr_monthly", "arr_text=n/a;", "arr is not a number"),
        ("renewal_outcomes", "outcome_text=lost;", "outcome is not one of renewed, churned, contracted, expanded"),
    ],
)
def test_bad_row_is_quarantined_with_its_reason(dirty: Build, source: str, marker: str, reason: str) -> None:
    assert quarantined(dirty, source, marker) == [reason]


# An optional value that cannot be read loses only itself: the row is kept with the field empty,
# and stg_landing__field_issues says which row, column and value, and why.
@pytest.mark.parametrize(
    "source, row_key, column, value, reason, kept_sql",
    [
        ("csm_touchpoints", "TPbad", "sentiment", "ecstatic",
         "sentiment is not positive, neutral, negative or a number from -1 to 1",
         "select sentiment, sentiment_score from staging.stg_crm__csm_touchpoints where touchpoint_id = 'TPbad'"),
        ("product_workspaces", "W-BAD-TYPE", "instance_type", "lab",
         "instance_type is not production, non_production, obsolete or unknown (or prod, sandbox, staging, test, dev, archived, deprecated)",
         "select 'unknown' = instance_type, counts_toward_usage from staging.stg_product__workspaces where workspace_id = 'W-BAD-TYPE'"),
        ("support_tickets", "Tbad-order", "closed_at", "2026-10-01T10:00:00", "closed_at is before opened_at",
         "select closed_at, priority from staging.stg_crm__support_tickets where ticket_id = 'Tbad-order'"),
        ("crm_accounts", "A9999", "renewal_date", "31/12/2026", "renewal_date is not a date (YYYY-MM-DD)",
         "select renewal_date, account_name from staging.stg_crm__accounts where account_id = 'A9999'"),
    ],
)
def test_bad_optional_value_is_empty_and_listed_and_the_row_kept(
    dirty: Build, source: str, row_key: str, column: str, value: str, reason: str, kept_sql: str
) -> None:
    issues = dirty.query(
        "select landing_file, field_value, issue_reason from staging.stg_landing__field_issues "
        f"where source_name = '{source}' and row_key = '{row_key}' and column_name = '{column}'"
    )
    assert [(v, r) for _, v, r in issues] == [(value, reason)]
    assert source in issues[0][0]
    assert dirty.query(f"select count(*) from staging.stg_landing__quarantine where raw_values like '%{row_key}%'") == [(0,)]
    kept = {
        "csm_touchpoints": [(None, None)],
        "product_workspaces": [(True, True)],
        "support_tickets": [(None, "low")],
        "crm_accounts": [(None, "Bad Date Co")],
    }[source]
    assert dirty.query(kept_sql) == kept


def test_quarantine_names_the_file(dirty: Build) -> None:
    files = dirty.query("select landing_file from staging.stg_landing__quarantine where raw_values like '%Rbad-12%'")
    assert len(files) == 1 and files[0][0].endswith("nps_responses.csv")


def test_counts_reconcile_for_every_source(dirty: Build) -> None:
    rows = dirty.query("select source_name, rows_read, rows_kept, rows_quarantined, duplicates_removed from staging.stg_landing__reconciliation")
    assert len(rows) == 11  # the ten sources and the landing overrides
    # the rows planted above, and those the generator plants (3 timestamps and 2 ids in the
    # events, 2 NPS scores of 11, a ticket without an account); bad optional values quarantine nothing
    expected = {"product_events": 4 + 5, "nps_responses": 3 + 2, "support_tickets": 1, "cs_health_scores": 1,
                "arr_monthly": 1, "renewal_outcomes": 1}
    for source, read, kept, quarantined_rows, duplicates in rows:
        assert read == kept + quarantined_rows + duplicates, source
        assert quarantined_rows == expected.get(source, 0), source


def test_an_event_delivered_twice_counts_once(dirty: Build, tiny_landing: Path) -> None:
    event_id = first_event(tiny_landing)["event_id"]
    assert dirty.query(f"select count(*) from staging.base_product_events where event_id = '{event_id}'")[0][0] >= 2
    assert dirty.query(f"select count(*) from staging.stg_product__events where event_id = '{event_id}'") == [(1,)]
    assert dirty.query(f"select count(*) from intermediate.int_account_events where event_id = '{event_id}'") == [(1,)]


def test_a_later_export_of_a_current_state_source_replaces_the_earlier(dirty: Build) -> None:
    assert dirty.query("select account_name from staging.stg_crm__accounts where account_id = 'A0001'") == [("Keystone Renamed",)]
    assert dirty.query("select account_name from marts.rpt_account_quadrant where account_id = 'A0001'") == [("Keystone Renamed",)]


def test_good_rows_still_arrive_in_the_marts(dirty: Build, tiny_landing: Path) -> None:
    truth = read_rows(tiny_landing / "_truth" / "planted_accounts.csv")
    scored = {a for (a,) in dirty.query("select account_id from marts.rpt_account_quadrant")}
    churned = {a for (a,) in dirty.query(
        "select account_id from marts.fct_account_scores_weekly where is_latest_week and lifecycle_stage = 'churned'")}
    # A9999 arrived with an unreadable renewal date: it is kept, without one
    assert scored | churned == {row["account_id"] for row in truth} | {"A9999"} and not scored & churned
    # A0001 lost a few rows to quarantine but keeps its good NPS responses and CS scores
    assert dirty.query("select count(*) from staging.stg_crm__nps_responses where account_id = 'A0001'")[0][0] > 0
    assert dirty.query(
        "select count(*) from staging.stg_crm__cs_health_scores where account_id = 'A0001' and health_score = 77"
        " and scored_at = timestamp '2026-10-02 00:00:00'"
    ) == [(1,)]


# ---------------------------------------------------------------------------------------------
# Cases that need a build of their own.

def test_quarantine_above_the_error_share_fails_the_build(tiny_landing: Path, tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    shutil.copytree(tiny_landing, landing)
    outcomes = read_rows(landing / "renewal_outcomes.csv")
    append_lines(landing / "renewal_outcomes.csv", [f"A00{i:02d},2025-12-01,lost,100,0" for i in range(1, len(outcomes) + 1)])
    result = build(tmp_path / "wh.duckdb", landing)
    assert result.returncode != 0
    # one message says what and where: the source, the share against the threshold, the file,
    # the top reason with its count and an example row, and the setting that changes it
    read = len(outcomes) + len(outcomes)
    share = len(outcomes) / read
    allowed = (math.ceil(share * 100) + 1) / 100
    expected = [
        "Quarantine above the error threshold:",
        f"Source renewal_outcomes: {len(outcomes)} of {read} rows quarantined ({share:.1%}), above its error threshold of 10.0%.",
        f"Files: {landing}/renewal_outcomes.csv ({len(outcomes)} rows).",
        f"- outcome is not one of renewed, churned, contracted, expanded: {len(outcomes)} rows, e.g. account_id=A0001;"
        " renewal_date_text=2025-12-01; outcome_text=lost; arr_before_text=100; arr_after_text=0",
        "Every row: select * from staging.stg_landing__quarantine where source_name = 'renewal_outcomes'",
        "--vars '{quarantine_thresholds: {default: {warn: 0.01, error: 0.1}, renewal_outcomes: "
        f"{{warn: 0.01, error: {allowed:.2f}}}}}}}'",
    ]
    for line in expected:
        assert line in result.output, (line, result.output[-4000:])
    assert "Got 1 result, configured to fail" not in result.output
    # above the warn share too: that warning is repeated, in words, at the end of the run
    assert "Warning in test quarantined_share_under_warn_threshold:\n  Source renewal_outcomes:" in result.output
    # the same data with a per-source threshold for renewal_outcomes builds
    lenient = {"quarantine_thresholds": {"default": {"warn": 0.01, "error": 0.10}, "renewal_outcomes": {"warn": 0.6, "error": 0.9}}}
    assert build(tmp_path / "wh2.duckdb", landing, extra_vars=lenient).returncode == 0


def test_a_late_event_is_counted_when_its_week_is_rebuilt(tiny_landing: Path, tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    shutil.copytree(tiny_landing, landing)
    db = tmp_path / "wh.duckdb"
    first = build(db, landing)
    assert first.returncode == 0, first.output[-3000:]
    account, week = first.query(
        "select scored_account_id, week_start from intermediate.int_account_usage_weekly order by week_start, scored_account_id limit 1 offset 40"
    )[0]
    workspace = first.query(
        f"select workspace_id from intermediate.int_account_events where scored_account_id = '{account}' and week_start = date '{week}' limit 1"
    )[0][0]
    before = first.query(f"select events from intermediate.int_account_usage_weekly where scored_account_id = '{account}' and week_start = date '{week}'")[0][0]
    late_day = week.isoformat()
    append_lines(landing / "product_events" / "part-late.csv", [
        "event_id,occurred_at,workspace_id,user_id,event_name,session_id",
        *[f"ELATE{i},{late_day}T09:0{i}:00,{workspace},U-LATE,dashboard_viewed," for i in range(5)],
    ])
    second = build(db, landing)
    assert second.returncode == 0, second.output[-3000:]
    after = second.query(f"select events from intermediate.int_account_usage_weekly where scored_account_id = '{account}' and week_start = date '{week}'")[0][0]
    assert after == before + 5


def test_conflicting_overrides_are_reported_and_count_for_neither(tiny_landing: Path, tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    workspace = first_event(tiny_landing)["workspace_id"]
    append_lines(project / "seeds" / "account_mapping_overrides.csv", [
        f"workspace,{workspace},A0005,first guess",
        f"workspace,{workspace},A0006,second guess",
    ])
    result = build(tmp_path / "wh.duckdb", tiny_landing, work_dir=project)
    assert result.returncode == 0, result.output[-3000:]
    conflicts = result.query(f"select candidate_account_id, resolution_method from marts.rpt_identity_conflicts where workspace_id = '{workspace}' order by 1")
    assert conflicts == [("A0005", "override"), ("A0006", "override")]
    assert result.query(f"select count(*) from intermediate.int_account_events where workspace_id = '{workspace}'") == [(0,)]
    listed = result.query(f"select resolution_status, event_count from marts.rpt_unresolved_workspaces where workspace_id = '{workspace}'")
    assert listed[0][0] == "conflict" and listed[0][1] > 0


def test_a_shared_email_domain_is_a_conflict(tiny_landing: Path, tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    shutil.copytree(tiny_landing, landing)
    truth = read_rows(landing / "_truth" / "planted_accounts.csv")
    by_domain = next(row["account_id"] for row in truth if row["identity_method"] == "email_domain")
    accounts = read_rows(landing / "crm_accounts.csv")
    domain = next(a["email_domain"] for a in accounts if a["account_id"] == by_domain)
    other = next(a for a in accounts if a["account_id"] != by_domain and not a["parent_account_id"])
    other["email_domain"] = domain
    write_rows(landing / "crm_accounts.csv", accounts)
    result = build(tmp_path / "wh.duckdb", landing)
    assert result.returncode == 0, result.output[-3000:]
    rows = result.query("select workspace_id, candidate_account_id from marts.rpt_identity_conflicts where resolution_method = 'email_domain' order by 2")
    assert {c for _, c in rows} == {by_domain, other["account_id"]}
    workspace = rows[0][0]
    assert result.query(f"select count(*) from intermediate.int_account_events where workspace_id = '{workspace}'") == [(0,)]


# Broken seed edits, each with the message that must name the seed and the row. A build stops
# at a failing check and skips what depends on the node checked, so edits share a build only
# when no edit's check can be skipped by another's: group "seeds" are checks on the seeds
# themselves (and the CRM accounts), which every edit leaves to run; the missing-segment check
# runs on the segment settings built from segment_thresholds and the CRM accounts, which the
# cutoff and override checks would skip, so it has a build of its own.
BROKEN_SEEDS = {
    "override-unknown-account": (
        "seeds", "account_mapping_overrides",
        lambda rows: rows + [{"external_id_type": "workspace", "external_id": "W00003", "account_id": "A7777", "note": "typo"}],
        "seeds/account_mapping_overrides.csv, row workspace W00003: account_id 'A7777' is not an account in crm_accounts",
    ),
    "negative-weight": (
        "seeds", "score_weights",
        lambda rows: [{**r, "weight": "-0.1"} if (r["segment"], r["component"]) == ("default", "nps") else r for r in rows],
        "seeds/score_weights.csv, row default / health / nps: weight -0.1 is not between 0 and 1",
    ),
    "unknown-component-in-weights": (
        "seeds", "score_weights",
        lambda rows: [{**r, "component": "nps_scroe"} if (r["segment"], r["component"]) == ("low_touch", "nps") else r for r in rows],
        "seeds/score_weights.csv, row low_touch / health / nps_scroe: there is no health component 'nps_scroe'",
    ),
    "cutoff-over-100": (
        "seeds", "segment_thresholds",
        lambda rows: [{**r, "usage_cutoff": "120"} if r["segment"] == "enterprise" else r for r in rows],
        "seeds/segment_thresholds.csv, row enterprise: usage_cutoff 120.0",
    ),
    "segment-without-thresholds-or-default": (
        "segment-settings", "segment_thresholds",
        lambda rows: [r for r in rows if r["segment"] in ("enterprise", "low_touch")],
        "seeds/segment_thresholds.csv: segment 'mid_market' (in crm_accounts) has no row and there is no default row",
    ),
    "duplicate-event-name": (
        "seeds", "features",
        lambda rows: rows + [{**rows[1], "feature": "dashboards_v2"}],
        "seeds/features.csv: event_name 'dashboard_viewed' appears on more than one row",
    ),
    "unknown-component": (
        "seeds", "score_components",
        lambda rows: [{**r, "component": "nps_v2"} if r["component"] == "nps" else r for r in rows],
        "seeds/score_components.csv, component nps_v2: the row differs from macros/scoring/registry.sql",
    ),
}


@pytest.fixture(scope="module")
def broken_seed_build(tiny_landing: Path, tmp_path_factory: pytest.TempPathFactory):
    """build(group): a copy of the project with every edit of that group, built once."""
    builds: dict[str, Build] = {}

    def build_group(group: str) -> Build:
        if group not in builds:
            root = tmp_path_factory.mktemp(f"broken-{group}")
            project = copy_project(root / "project")
            for edit_group, seed, edit, _ in BROKEN_SEEDS.values():
                if edit_group == group:
                    path = project / "seeds" / f"{seed}.csv"
                    write_rows(path, edit(read_rows(path)))
            builds[group] = build(root / "wh.duckdb", tiny_landing, work_dir=project)
        return builds[group]

    return build_group


@pytest.mark.parametrize("case", list(BROKEN_SEEDS))
def test_a_broken_seed_edit_fails_with_a_message_naming_seed_and_row(broken_seed_build, case: str) -> None:
    group, _, _, expected = BROKEN_SEEDS[case]
    result = broken_seed_build(group)
    assert result.returncode != 0
    assert expected in result.output, result.output[-4000:]


def test_the_privacy_test_catches_a_mart_that_leaks_emails(tiny_landing: Path, tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    (project / "models" / "marts" / "rpt_leak.sql").write_text(
        "select workspace_id, email_domain || '@' || email_domain as contact from {{ ref('stg_product__users') }}\n"
    )
    result = build(tmp_path / "wh.duckdb", tiny_landing, work_dir=project)
    assert result.returncode != 0
    assert "Failure in test assert_no_personal_data_in_marts" in result.output
    assert "Personal data in the marts:\n    marts.rpt_leak.contact: email address or raw user id." in result.output
