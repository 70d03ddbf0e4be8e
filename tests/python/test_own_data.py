"""Own data on the first try (issue 15): landing folders written the way other systems write them.

Each case writes its own landing folder from the tiny demo folder and states by hand what must
come out: the usual encodings of enumerated columns read into their canonical values, a bad
optional value left empty (row kept, problem listed in stg_landing__field_issues), a folder with
no health sources or no usage sources explained in the quadrant mart, the summary and the
dashboard, the shipped overrides seed holding no demo rows, and the data-quality stops that say
what and where."""
from __future__ import annotations

import csv
import datetime as dt
import shutil
import sys
from pathlib import Path

import pytest

import generate_landing
from conftest import PROJECT_DIR, Build, append_lines, build, read_rows, write_rows

HEALTH_SOURCES = ["arr_monthly", "cs_health_scores", "csm_touchpoints", "nps_responses", "renewal_outcomes",
                  "support_tickets"]
USAGE_SOURCES = ["product_events", "product_users", "product_workspaces"]
NO_HEALTH = ("no health data in the landing folder: add nps_responses, support_tickets, csm_touchpoints,"
             " cs_health_scores or arr_monthly")
NO_USAGE = "no usage data in the landing folder: add product_events (and product_workspaces)"
RENEWAL_RISK = "renewal_risk is not low, medium, high, a flag (true = high risk) or a probability from 0 to 1"
SENTIMENT = "sentiment is not positive, neutral, negative or a number from -1 to 1"
PRIORITY = "priority is not low, normal (or medium), high or urgent (or critical)"
INSTANCE_TYPE = ("instance_type is not production, non_production, obsolete or unknown"
                 " (or prod, sandbox, staging, test, dev, archived, deprecated)")


@pytest.fixture(scope="module")
def tiny_landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    landing = tmp_path_factory.mktemp("tiny") / "landing"
    generate_landing.main(["--out", str(landing), "--accounts", "20", "--weeks", "26", "--seed", "11"])
    return landing


def copy_landing(source: Path, destination: Path, leave_out: list[str] = ()) -> Path:
    """A copy of the landing folder without the files (or part folders) of the sources named."""
    shutil.copytree(source, destination)
    for name in leave_out:
        for path in destination.glob(f"{name}*"):
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    return destination


# ---------------------------------------------------------------------------------------------
# Usual encodings, and bad optional values: one landing folder, one build.

# cs_health_scores as another CS platform writes it (beside the demo's Parquet export, at times
# the demo never uses): (account, scored_at, health_score, renewal_risk as written, risk read).
HEALTH_ROWS = [
    ("A0001", "2026-10-01T01:23:45", "70", "TRUE", 1.0),
    ("A0001", "2026-10-08T01:23:45", "70", "no", 0.0),
    ("A0002", "2026-10-01T01:23:45", "60", "Y", 1.0),
    ("A0002", "2026-10-08T01:23:45", "60", "0.35", 0.35),
    ("A0003", "2026-10-01T01:23:45", "50", "Medium", 0.5),
    ("A0003", "2026-10-08T01:23:45", "50", " high ", 1.0),
    ("A0004", "2026-10-01T01:23:45", "40", "0", 0.0),
    ("A0004", "2026-10-08T01:23:45", "40", "1", 1.0),
    ("A0005", "2026-10-01T01:23:45", "30", "f", 0.0),
    ("A0005", "2026-10-08T01:23:45", "30", "maybe", None),  # unreadable: empty, listed
    ("A0006", "2026-10-01T01:23:45", "20", "1.5", None),  # a probability above 1: unreadable
    ("A0006", "2026-10-08T01:23:45", "20", "", None),  # missing: empty, not an issue
    ("A0007", "2026-10-08T01:23:45", "10", "nan", None),  # not a number: unreadable
]
# (touchpoint id, sentiment as written, word read, score read)
TOUCHPOINT_ROWS = [
    ("TP-ENC-1", "POSITIVE", "positive", 1.0),
    ("TP-ENC-2", "Neutral", "neutral", 0.0),
    ("TP-ENC-3", "-0.8", "negative", -0.8),
    ("TP-ENC-4", "0.5", "positive", 0.5),
    ("TP-ENC-5", "-0.5", "neutral", -0.5),
    ("TP-ENC-6", "ecstatic", None, None),
    ("TP-ENC-7", "7", None, None),  # a 0-10 scale cannot be told from -1..1
]
# (ticket id, opened_at, closed_at as written, priority as written, closed_at read, priority read)
TICKET_ROWS = [
    ("T-ENC-1", "2026-10-05T10:00:00", "2026-10-06T10:00:00", "Medium", dt.datetime(2026, 10, 6, 10), "normal"),
    ("T-ENC-2", "2026-10-05T10:00:00", "soon", "CRITICAL", None, "urgent"),
    ("T-ENC-3", "2026-10-05T10:00:00", "2026-10-01T10:00:00", "low", None, "low"),
    ("T-ENC-4", "2026-10-05T10:00:00", "", "P1", None, None),
]
# (workspace id, instance_type as written, created_at as written, instance_type read)
WORKSPACE_ROWS = [
    ("W-ENC-1", "Prod", "2026-01-01T00:00:00", "production"),
    ("W-ENC-2", "Non-Production", "2026-01-01T00:00:00", "non_production"),
    ("W-ENC-3", "sandbox", "2026-01-01T00:00:00", "non_production"),
    ("W-ENC-4", "Archived", "2026-01-01T00:00:00", "obsolete"),
    ("W-ENC-5", "lab", "2026-01-01T00:00:00", "unknown"),
    ("W-ENC-6", "", "last week", "unknown"),
]

# Every field issue the folder holds, by hand: (source, row key, column, value, reason).
EXPECTED_ISSUES = {
    ("cs_health_scores", "A0005|2026-10-08 01:23:45", "renewal_risk", "maybe", RENEWAL_RISK),
    ("cs_health_scores", "A0006|2026-10-01 01:23:45", "renewal_risk", "1.5", RENEWAL_RISK),
    ("cs_health_scores", "A0007|2026-10-08 01:23:45", "renewal_risk", "nan", RENEWAL_RISK),
    ("csm_touchpoints", "TP-ENC-6", "sentiment", "ecstatic", SENTIMENT),
    ("csm_touchpoints", "TP-ENC-7", "sentiment", "7", SENTIMENT),
    ("support_tickets", "T-ENC-2", "closed_at", "soon", "closed_at is not an ISO 8601 timestamp"),
    ("support_tickets", "T-ENC-3", "closed_at", "2026-10-01T10:00:00", "closed_at is before opened_at"),
    ("support_tickets", "T-ENC-4", "priority", "P1", PRIORITY),
    ("product_workspaces", "W-ENC-5", "instance_type", "lab", INSTANCE_TYPE),
    ("product_workspaces", "W-ENC-6", "created_at", "last week", "created_at is not an ISO 8601 timestamp"),
    ("product_users", "U-ENC-1|W-ENC-1", "created_at", "yesterday", "created_at is not an ISO 8601 timestamp"),
    ("crm_accounts", "A9001", "parent_account_id", "A9001", "account is its own parent"),
    ("crm_accounts", "A9001", "created_at", "yesterday", "created_at is not an ISO 8601 timestamp"),
    ("crm_accounts", "A9001", "renewal_date", "31/12/2026", "renewal_date is not a date (YYYY-MM-DD)"),
    ("arr_monthly", "A9001|2026-09-01|", "licensed_seats", "-3", "licensed_seats is negative"),
    ("arr_monthly", "A9001|2026-10-01|", "licensed_seats", "ten", "licensed_seats is not a whole number"),
    ("renewal_outcomes", "A9001|2026-09-01", "arr_before", "-5", "arr_before is negative"),
}


@pytest.fixture(scope="module")
def encodings(tiny_landing: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Build]:
    root = tmp_path_factory.mktemp("encodings")
    landing = copy_landing(tiny_landing, root / "landing")
    write_rows(landing / "cs_health_scores.csv",
               [{"account_id": a, "scored_at": t, "health_score": h, "renewal_risk": r} for a, t, h, r, _ in HEALTH_ROWS])
    # A0007's row with a health score of 150 is quarantined (a required field): its renewal risk
    # is no field issue, since the row is not kept
    append_lines(landing / "cs_health_scores.csv", ["A0007,2026-10-01T01:23:45,150,low"])
    append_lines(landing / "csm_touchpoints.csv",
                 [f"{tp},A0001,2026-10-0{i + 1}T09:00:00,call,{s}" for i, (tp, s, _, _) in enumerate(TOUCHPOINT_ROWS)])
    append_lines(landing / "support_tickets.csv",
                 [f"{t},A0001,{o},{c},{p},data," for t, o, c, p, _, _ in TICKET_ROWS])
    append_lines(landing / "product_workspaces.csv", [f"{w},,,{i},{c}" for w, i, c, _ in WORKSPACE_ROWS])
    append_lines(landing / "product_users.csv", ["U-ENC-1,W-ENC-1,someone@other.example,yesterday"])
    (landing / "crm_accounts").mkdir()
    write_rows(landing / "crm_accounts" / "export-enc.csv", [{
        "account_id": "A9001", "account_name": "Encodings Co", "segment": "SMB", "parent_account_id": "A9001",
        "csm_owner": "", "email_domain": "encodings.example", "created_at": "yesterday", "renewal_date": "31/12/2026",
    }])
    append_lines(landing / "arr_monthly.csv", ["A9001,2026-09-01,1000,-3,,enc", "A9001,2026-10-01,1000,ten,,enc"])
    append_lines(landing / "renewal_outcomes.csv", ["A9001,2026-09-01,RENEWED,-5,1000"])
    result = build(root / "wh.duckdb", landing)
    assert result.returncode == 0, result.output[-4000:]
    return landing, result


def test_renewal_risk_reads_levels_flags_and_probabilities(encodings: tuple[Path, Build]) -> None:
    _, result = encodings
    read = dict(result.query(
        "select account_id || '|' || strftime(scored_at, '%Y-%m-%dT%H:%M:%S'), renewal_risk"
        " from staging.stg_crm__cs_health_scores where strftime(scored_at, '%H:%M:%S') = '01:23:45'"
    ))
    assert read == {f"{a}|{t}": risk for a, t, _, _, risk in HEALTH_ROWS}
    # every row with an unreadable renewal risk is kept, with its health score
    assert result.query(
        "select health_score from staging.stg_crm__cs_health_scores"
        " where account_id = 'A0005' and scored_at = timestamp '2026-10-08 01:23:45'") == [(30.0,)]


def test_sentiment_reads_words_and_numbers(encodings: tuple[Path, Build]) -> None:
    _, result = encodings
    read = {t: (w, s) for t, w, s in result.query(
        "select touchpoint_id, sentiment, sentiment_score from staging.stg_crm__csm_touchpoints where touchpoint_id like 'TP-ENC-%'")}
    assert read == {tp: (word, score) for tp, _, word, score in TOUCHPOINT_ROWS}


def test_priority_closed_at_and_instance_type_read_their_usual_spellings(encodings: tuple[Path, Build]) -> None:
    _, result = encodings
    tickets = {t: (c, p) for t, c, p in result.query(
        "select ticket_id, closed_at, priority from staging.stg_crm__support_tickets where ticket_id like 'T-ENC-%'")}
    assert tickets == {t: (closed, priority) for t, _, _, _, closed, priority in TICKET_ROWS}
    workspaces = dict(result.query(
        "select workspace_id, instance_type from staging.stg_product__workspaces where workspace_id like 'W-ENC-%'"))
    assert workspaces == {w: kind for w, _, _, kind in WORKSPACE_ROWS}
    assert result.query("select outcome, arr_before, arr_after from staging.stg_crm__renewal_outcomes"
                        " where account_id = 'A9001'") == [("renewed", None, 1000)]


def test_every_bad_optional_value_is_listed_once_with_its_row_and_reason(encodings: tuple[Path, Build]) -> None:
    landing, result = encodings
    rows = result.query(
        "select source_name, row_key, column_name, field_value, issue_reason, landing_file, copies"
        " from staging.stg_landing__field_issues")
    # the demo's own planted bad sentiment ('meh') is one too
    planted = [r for r in rows if r[3] == "meh"]
    assert len(planted) == 1
    assert {r[:5] for r in rows if r[3] != "meh"} == EXPECTED_ISSUES
    assert all(copies == 1 for *_, copies in rows)
    files = {(r[0], r[5]) for r in rows}
    assert ("crm_accounts", f"{landing}/crm_accounts/export-enc.csv") in files
    assert ("cs_health_scores", f"{landing}/cs_health_scores.csv") in files


def test_rows_with_bad_optional_values_are_kept_and_counts_reconcile(encodings: tuple[Path, Build], tiny_landing: Path) -> None:
    _, result = encodings
    account = result.query("select account_name, segment, parent_account_id, created_at, renewal_date"
                           " from staging.stg_crm__accounts where account_id = 'A9001'")
    assert account == [("Encodings Co", "smb", None, None, None)]
    assert result.query("select month_start, licensed_seats from staging.stg_crm__arr_monthly"
                        " where account_id = 'A9001' order by 1") == [(dt.date(2026, 9, 1), None), (dt.date(2026, 10, 1), None)]
    assert result.query("select created_at from staging.stg_product__users where workspace_id = 'W-ENC-1'") == [(None,)]
    # only the health score of 150 is quarantined among the rows written here
    assert result.query("select source_name, quarantine_reason from staging.stg_landing__quarantine"
                        " where raw_values like '%2026-10-01T01:23:45%'") == [("cs_health_scores", "health_score is outside 0-100")]
    reconciliation = {s: (read, kept, q, d) for s, read, kept, q, d in result.query(
        "select source_name, rows_read, rows_kept, rows_quarantined, duplicates_removed from staging.stg_landing__reconciliation")}
    for source, (read, kept, quarantined, duplicates) in reconciliation.items():
        assert read == kept + quarantined + duplicates, source
    touchpoints_before = len(read_rows(tiny_landing / "csm_touchpoints.csv"))
    assert reconciliation["csm_touchpoints"][:2] == (touchpoints_before + 7, touchpoints_before + 7)
    assert reconciliation["cs_health_scores"][2] == 1


def test_landing_overrides_resolve_their_workspaces(encodings: tuple[Path, Build]) -> None:
    landing, result = encodings
    written = read_rows(landing / "account_mapping_overrides.csv")
    assert result.query(
        "select workspace_id, account_id, resolution_method from intermediate.int_workspace_accounts"
        " where workspace_id like 'W-OVR-%' order by 1"
    ) == [(r["external_id"], r["account_id"], "override") for r in written]


# ---------------------------------------------------------------------------------------------
# A missing side: no health sources, no usage sources.

def publish(build_result: Build, folder: Path) -> Path:
    import subprocess

    serve = folder / "serve.duckdb"
    completed = subprocess.run(
        [sys.executable, str(PROJECT_DIR / "scripts" / "publish.py"), "--source", str(build_result.db_path),
         "--serve", str(serve), "--no-parquet"], capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return serve


def dashboard_texts(serve: Path, monkeypatch: pytest.MonkeyPatch, account: str | None = None) -> dict[str, list[str]]:
    """The dashboard's script run headless (Streamlit's AppTest, no browser) on a published file."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("USAGE_HEALTH_SERVE_DB", str(serve))
    app = AppTest.from_file(str(PROJECT_DIR / "dashboard" / "app.py"), default_timeout=120)
    if account:
        app.query_params["account"] = account
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    return {"warning": [w.value for w in app.warning], "info": [i.value for i in app.info]}


def top_level_accounts(landing: Path, week_end: dt.date) -> set[str]:
    """The accounts the quadrant mart scores, from crm_accounts.csv by hand: top-level ones
    created on or before the week's end (churned ones leave the mart)."""
    return {a["account_id"] for a in read_rows(landing / "crm_accounts.csv")
            if not a["parent_account_id"] and dt.date.fromisoformat(a["created_at"][:10]) <= week_end}


@pytest.fixture(scope="module")
def no_health(tiny_landing: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Build]:
    root = tmp_path_factory.mktemp("no-health")
    landing = copy_landing(tiny_landing, root / "landing", leave_out=HEALTH_SOURCES)
    result = build(root / "wh.duckdb", landing)
    assert result.returncode == 0, result.output[-4000:]
    return landing, result


@pytest.fixture(scope="module")
def no_usage(tiny_landing: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Build]:
    """No usage sources, and other accounts than the demo's: the demo's override accounts are not
    in crm_accounts and the folder has no overrides. The shipped configuration must not care."""
    root = tmp_path_factory.mktemp("no-usage")
    landing = copy_landing(tiny_landing, root / "landing", leave_out=USAGE_SOURCES + ["account_mapping_overrides"])
    demo_override_accounts = ("A0002", "A0003", "A0004")
    accounts = [a for a in read_rows(landing / "crm_accounts.csv")
                if a["account_id"] not in demo_override_accounts and a["parent_account_id"] not in demo_override_accounts]
    write_rows(landing / "crm_accounts.csv", accounts)
    result = build(root / "wh.duckdb", landing)
    assert result.returncode == 0, result.output[-4000:]
    return landing, result


@pytest.mark.parametrize("case, reason", [("no_health", NO_HEALTH), ("no_usage", NO_USAGE)])
def test_every_account_says_which_side_is_missing_and_what_to_add(case: str, reason: str, request: pytest.FixtureRequest) -> None:
    landing, result = request.getfixturevalue(case)
    rows = result.query("select account_id, quadrant, insufficient_data_reason, week_start from marts.rpt_account_quadrant")
    week_end = rows[0][3] + dt.timedelta(days=6)
    if case == "no_usage":  # churned accounts (renewal outcomes) leave the mart
        churned = {a for (a,) in result.query(
            "select account_id from marts.fct_account_scores_weekly where is_latest_week and lifecycle_stage = 'churned'")}
    else:
        churned = set()
    assert {a for a, *_ in rows} == top_level_accounts(landing, week_end) - churned
    assert {(q, r) for _, q, r, _ in rows} == {("Insufficient Data", reason)}
    history = result.query("select distinct insufficient_data_reason from marts.fct_account_scores_weekly")
    assert history == [(reason,)]


@pytest.mark.parametrize("case, reason, missing", [("no_health", NO_HEALTH, HEALTH_SOURCES),
                                                    ("no_usage", NO_USAGE, USAGE_SOURCES)])
def test_the_summary_and_the_dashboard_say_which_side_is_missing(
    case: str, reason: str, missing: list[str], request: pytest.FixtureRequest, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, result = request.getfixturevalue(case)
    sys.path.insert(0, str(PROJECT_DIR / "scripts"))
    import summary

    text = summary.render(result.db_path)
    assert f"Every account is Insufficient Data: {reason}." in text
    assert f"Landing sources with no file: {', '.join(missing)}." in text
    serve = publish(result, tmp_path)
    shown = dashboard_texts(serve, monkeypatch)
    assert shown["warning"] == [f"Every account is Insufficient Data: {reason}. Landing sources with no file: {', '.join(missing)}."]
    account = result.query("select min(account_id) from marts.rpt_account_quadrant")[0][0]
    assert dashboard_texts(serve, monkeypatch, account)["info"] == [f"Insufficient Data: {reason}."]


def test_the_shipped_overrides_seed_holds_no_demo_rows() -> None:
    with open(PROJECT_DIR / "seeds" / "account_mapping_overrides.csv", newline="") as handle:
        assert list(csv.reader(handle)) == [["external_id_type", "external_id", "account_id", "note"]]


# ---------------------------------------------------------------------------------------------
# Data-quality stops that say what and where.

def valid_event_ids(landing: Path) -> set[str]:
    """The events the warehouse keeps, by hand: an id, a timestamp, a workspace, a user and an
    event name; an id delivered twice counts once."""
    ids = set()
    for part in (landing / "product_events").glob("*.csv"):
        for row in read_rows(part):
            try:
                dt.datetime.fromisoformat(row["occurred_at"])
            except ValueError:
                continue
            if all(row[c] for c in ("event_id", "workspace_id", "user_id", "event_name")):
                ids.add(row["event_id"])
    return ids


def test_unresolved_usage_stops_with_the_share_the_workspaces_and_the_setting(tiny_landing: Path, tmp_path: Path) -> None:
    """No product_workspaces or product_users: no event's workspace can be tied to an account."""
    landing = copy_landing(tiny_landing, tmp_path / "landing", leave_out=["product_workspaces", "product_users"])
    events = len(valid_event_ids(landing))
    result = build(tmp_path / "wh.duckdb", landing)
    assert result.returncode != 0
    expected = [
        "Unresolved product usage above the error threshold:",
        f"Sources product_events / product_workspaces: {events} of {events} events of production (or unknown)"
        " instances (100.0%) belong to workspaces that map to no account, or to two, above the error threshold of 20.0%.",
        "Every one, with first and last event: select * from marts.rpt_unresolved_workspaces",
        "accept this share with var unresolved_events_error_share (dbt_project.yml, or --vars '{unresolved_events_error_share: 1.00}')",
    ]
    for line in expected:
        assert line in result.output, (line, result.output[-4000:])
    assert "Workspaces with the most: " in result.output


def test_a_landing_override_naming_an_unknown_account_names_the_file_and_row(tiny_landing: Path, tmp_path: Path) -> None:
    landing = copy_landing(tiny_landing, tmp_path / "landing")
    append_lines(landing / "account_mapping_overrides.csv", ["workspace,W00003,A7777,typo"])
    result = build(tmp_path / "wh.duckdb", landing)
    assert result.returncode != 0
    assert (f"landing file {landing}/account_mapping_overrides.csv, row workspace W00003: account_id 'A7777'"
            " is not an account in crm_accounts. Fix the account_id or remove the row.") in result.output
