"""The preflight (issue 15): `scripts/preflight.py` / `make check` on landing folders written here.

Each test writes a small landing folder, runs the script as a user would (a subprocess, with
--json), and checks its exit status and its findings against what was computed by hand from the
rows written: other column names (through a user's YAML mapping, and without one), bad values,
missing files, a folder whose shares would stop the build, an empty folder, a mapping that does
not exist, and the demo folder, which passes. No full build: the preflight builds only the base
views, staging and identity resolution into its own scratch file (one work dir for the module, so
dbt's partial parse carries from one test to the next).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import PROJECT_DIR, SCRIPTS_DIR

sys.path.insert(0, str(SCRIPTS_DIR))

import preflight  # noqa: E402


@pytest.fixture(scope="module")
def work_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("preflight-work")


def run_preflight(landing: Path, work_dir: Path, mappings: str = "", *extra: str) -> tuple[int, dict, str]:
    """Run the script; its exit status, its JSON report and its printed report."""
    report_path = work_dir / "report.json"
    report_path.unlink(missing_ok=True)
    completed = subprocess.run(
        [sys.executable, str(SCRIPTS_DIR / "preflight.py"), "--landing", str(landing), "--mappings", mappings,
         "--work-dir", str(work_dir), "--json", str(report_path), *extra],
        cwd=PROJECT_DIR, env={**os.environ, "USAGE_HEALTH_MAPPINGS": ""}, capture_output=True, text=True, check=False,
    )
    assert report_path.exists(), completed.stdout + completed.stderr
    return completed.returncode, json.loads(report_path.read_text()), completed.stdout


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [",".join(header)] + [",".join(row) for row in rows]
    path.write_text("\n".join(lines) + "\n")


def kinds(report: dict) -> list[tuple[str, str, str | None]]:
    """(level, check, source) of every finding, sorted."""
    return sorted((f["level"], f["check"], f["source"] or "") for f in report["findings"])


def finding(report: dict, level: str, check: str, source: str | None) -> dict:
    found = [f for f in report["findings"] if (f["level"], f["check"], f["source"]) == (level, check, source)]
    assert len(found) == 1, (level, check, source, report["findings"])
    return found[0]


def accounts_and_workspaces(landing: Path) -> None:
    """Two accounts, each with a workspace that names it (W1 -> A1, W2 -> A2), a user each."""
    write_csv(landing / "crm_accounts.csv", ["account_id", "account_name", "segment"], [["A1", "Acme", "enterprise"], ["A2", "Beta", "default"]])
    write_csv(landing / "product_workspaces.csv", ["workspace_id", "crm_account_id"], [["W1", "A1"], ["W2", "A2"]])
    write_csv(landing / "product_users.csv", ["user_id", "workspace_id"], [["U1", "W1"], ["U2", "W2"], ["U3", "W3"]])


def event_rows(count: int, workspaces: list[str], bad_timestamps: dict[int, str]) -> list[list[str]]:
    """Events E01.. one per day from 2026-11-02 (the last on 2026-11-15 when count is 14 or more),
    on the given workspaces in turn; rows numbered in bad_timestamps get that text instead."""
    rows = []
    for i in range(count):
        day = 2 + (i * 13) // max(count - 1, 1)
        occurred = bad_timestamps.get(i, f"2026-11-{day:02d}T10:00:00Z")
        workspace = workspaces[i % len(workspaces)]
        rows.append([f"E{i + 1:02d}", occurred, workspace, {"W1": "U1", "W2": "U2"}.get(workspace, "U3"), "page_viewed"])
    return rows


# --- A folder with other column names, bad values and missing files that does not stop the build


def test_other_names_bad_values_missing_files(tmp_path: Path, work_dir: Path) -> None:
    """Events exported as `Event ID, Timestamp, Workspace, User, Event, Browser`, read through a
    YAML mapping in the folder; 20 events, one with a timestamp 'yesterday' (1 of 20 = 5%: above
    the 1% warn threshold, under the 10% error one); 2 of the 19 kept on W3, which no account
    claims (10.5%: above the 5% warn share, under the 20% error share); CS scores last given on
    2026-10-01, 45 days before as_of 2026-11-15 (stale after 10); five sources with no file; and
    Salesforce's Account.csv lying there without the salesforce mapping."""
    landing = tmp_path / "landing"
    accounts_and_workspaces(landing)
    rows = event_rows(20, ["W1", "W2"], {4: "yesterday"})
    rows[6][2] = rows[8][2] = "W3"
    rows[6][3] = rows[8][3] = "U3"
    write_csv(landing / "events_export.csv", ["Event ID", "Timestamp", "Workspace", "User", "Event"],
              [row for row in rows])
    # the export's extra column: ignored
    text = (landing / "events_export.csv").read_text().splitlines()
    (landing / "events_export.csv").write_text("\n".join([text[0] + ",Browser"] + [line + ",firefox" for line in text[1:]]) + "\n")
    (landing / "my_export.yml").write_text(
        "sources:\n"
        "  product_events:\n"
        "    file: events_export\n"
        "    columns:\n"
        "      event_id: Event ID\n"
        "      occurred_at: Timestamp\n"
        "      workspace_id: Workspace\n"
        "      user_id: User\n"
        "      event_name: Event\n"
    )
    write_csv(landing / "cs_health_scores.csv", ["account_id", "scored_at", "health_score"], [["A1", "2026-10-01", "80"], ["A2", "2026-10-01", "40"]])
    write_csv(landing / "Account.csv", ["Id", "Name", "Type"], [["001", "Acme", "Customer"]])

    code, report, printed = run_preflight(landing, work_dir, "my_export.yml")

    assert code == 0, printed
    assert kinds(report) == sorted([
        ("warn", "values", "product_events"),
        ("warn", "identity", "product_events"),
        ("warn", "freshness", "cs_health_scores"),
        ("note", "columns", "product_events"),
        ("note", "columns", "product_workspaces"),
        ("note", "columns", "product_users"),
        ("note", "columns", "crm_accounts"),
        ("note", "columns", "cs_health_scores"),
        ("note", "files", "arr_monthly"),
        ("note", "files", "nps_responses"),
        ("note", "files", "support_tickets"),
        ("note", "files", "csm_touchpoints"),
        ("note", "files", "renewal_outcomes"),
        ("note", "files", "crm_accounts"),
    ])
    values = finding(report, "warn", "values", "product_events")
    assert values["message"] == (
        "1 of 20 rows quarantined: occurred_at is not an ISO 8601 timestamp (5.0% of its rows are quarantined,"
        " above the warn threshold of 1.0%: the build warns)"
    )
    assert values["examples"] == ["'yesterday'"]
    assert values["files"] == [str(landing / "events_export.csv")]
    identity = finding(report, "warn", "identity", "product_events")
    assert identity["message"].startswith("2 of 19 product events (10.5%) belong to workspaces that map to no account")
    assert identity["examples"] == ["W3 (2 events, unresolved)"]
    assert "seeds/account_mapping_overrides.csv" in identity["fix"]
    stale = finding(report, "warn", "freshness", "cs_health_scores")
    assert stale["message"].startswith("its newest record (2026-10-01) is 45 days before as_of 2026-11-15")
    # what the mapping does not name and the files lack; the fix names the column that holds it
    assert finding(report, "note", "columns", "product_events")["message"] == "no optional column session_id in the file: read as empty"
    assert finding(report, "note", "columns", "crm_accounts")["message"] == (
        "no optional columns parent_account_id, csm_owner, email_domain, created_at, renewal_date in the file: read as empty"
    )
    assert finding(report, "note", "columns", "product_workspaces")["message"] == (
        "no optional columns subscription_id, instance_type, created_at in the file: read as empty"
    )
    account_csv = finding(report, "note", "files", "crm_accounts")
    assert account_csv["files"] == [str(landing / "Account.csv")]
    assert "mapping 'salesforce' reads for crm_accounts" in account_csv["message"]
    assert "MAPPINGS=salesforce" in account_csv["fix"]
    assert finding(report, "note", "files", "nps_responses")["fix"].startswith("add nps_responses.csv (or nps_responses.parquet, or parts in nps_responses/)")
    # the summary: rows, quarantined and the date range per source; identity and as_of lines
    events = next(s for s in report["sources"] if s["source"] == "product_events")
    assert (events["files"], events["rows"], events["quarantined"], events["first"], events["last"], events["age"]) == (
        1, 20, 1, "2026-11-02", "2026-11-15", 0
    )
    assert "Identity coverage: 89.5% of 19 product events resolve to an account" in printed
    assert "As of 2026-11-15 (the last date in the data)" in printed
    assert "Nothing here stops `dbt build` (exit 0)." in printed


def test_columns_that_stop_the_build(tmp_path: Path, work_dir: Path) -> None:
    """The same events export without a mapping: four required columns of product_events are
    missing (the build stops on the first; the preflight names each, with the export's column
    that holds it where one is close), and crm_accounts has no segment. Identity resolution
    cannot be checked: the build stops before it."""
    landing = tmp_path / "landing"
    accounts_and_workspaces(landing)
    write_csv(landing / "crm_accounts.csv", ["account_id", "account_name", "tier"], [["A1", "Acme", "enterprise"]])
    write_csv(landing / "product_events.csv", ["Event ID", "Timestamp", "Workspace", "User", "event_name"], event_rows(3, ["W1"], {}))

    code, report, printed = run_preflight(landing, work_dir)

    assert code == 1, printed
    stops = [f for f in report["findings"] if f["level"] == "stop"]
    assert [(f["source"], f["check"]) for f in stops] == [("product_events", "columns")] * 4 + [("crm_accounts", "columns")]
    header = "Columns found: Event ID, Timestamp, Workspace, User, event_name"
    assert [f["message"] for f in stops[:4]] == [
        f"the file is missing the required column '{column}'. {header}" for column in ("event_id", "occurred_at", "workspace_id", "user_id")
    ]
    assert [f["fix"] for f in stops[:4]] == [
        'add a column mapping in a mapping file in the landing folder, e.g. my_export.yml, named in MAPPINGS=my_export.yml:'
        ' sources: {product_events: {columns: {event_id: "Event ID"}}} (README, "Column mappings")',
        'add the column to the export (or rename the one that holds it), or map the column that holds it (README, "Column mappings")',
        'add a column mapping in a mapping file in the landing folder, e.g. my_export.yml, named in MAPPINGS=my_export.yml:'
        ' sources: {product_events: {columns: {workspace_id: Workspace}}} (README, "Column mappings")',
        'add a column mapping in a mapping file in the landing folder, e.g. my_export.yml, named in MAPPINGS=my_export.yml:'
        ' sources: {product_events: {columns: {user_id: User}}} (README, "Column mappings")',
    ]
    assert stops[4]["message"] == "the file is missing the required column 'segment'. Columns found: account_id, account_name, tier"
    assert all(f["files"] == [str(landing / f"{f['source']}.csv")] for f in stops)
    # nothing else stops it: the two models that read those files are not reported twice
    assert not [f for f in report["findings"] if f["check"] == "build"]
    assert "Identity coverage: not checked" in printed
    assert "5 findings above would stop `dbt build` (exit 1)" in printed


def test_shares_that_stop_the_build(tmp_path: Path, work_dir: Path) -> None:
    """Columns are right, but 2 of 10 events have no valid timestamp (20%, above the 10% error
    threshold) and 5 of the 8 kept are on W3, which maps to no account (62.5%, above 20%): the
    build's own tests would fail, so the preflight says stop, with the var to change."""
    landing = tmp_path / "landing"
    accounts_and_workspaces(landing)
    rows = event_rows(10, ["W1", "W3"], {0: "2026-13-01", 2: "11/05/2026"})
    write_csv(landing / "product_events.csv", ["event_id", "occurred_at", "workspace_id", "user_id", "event_name"], rows)

    code, report, printed = run_preflight(landing, work_dir)

    assert code == 1, printed
    stops = [f for f in report["findings"] if f["level"] == "stop"]
    assert [(f["check"], f["source"]) for f in stops] == [("values", "product_events"), ("identity", "product_events")]
    assert stops[0]["message"] == (
        "2 of 10 rows quarantined: occurred_at is not an ISO 8601 timestamp (20.0% of its rows are quarantined,"
        " above the error threshold of 10.0% (var quarantine_thresholds): the build stops)"
    )
    assert stops[0]["examples"] == ["'2026-13-01'", "'11/05/2026'"]
    assert "quarantine_thresholds: {default: {warn: 0.01, error: 0.1}, product_events: {error: 0.205, warn: 0.01}}" in stops[0]["fix"]
    # rows 1, 3, 5, 7, 9 are on W3; rows 0 and 2 (W1) are quarantined: 5 of the 8 kept are on W3
    assert stops[1]["message"].startswith("5 of 8 product events (62.5%) belong to workspaces that map to no account, or to two,"
                                         " above the error threshold of 20.0%")
    assert stops[1]["examples"] == ["W3 (5 events, unresolved)"]
    assert "unresolved_events_error_share: 0.63" in stops[1]["fix"]


def test_a_mapping_whose_sql_fails(tmp_path: Path, work_dir: Path) -> None:
    """A mapping expression the engine cannot run passes the column checks but fails the base
    view that reads it, as it would fail the build: the preflight stops with dbt's message."""
    landing = tmp_path / "landing"
    accounts_and_workspaces(landing)
    write_csv(landing / "crm_accounts.csv", ["account_id", "account_name", "tier"], [["A1", "Acme", "enterprise"]])
    (landing / "tiers.yml").write_text(
        "sources:\n  crm_accounts:\n    columns:\n      segment: {expression: 'no_such_function(tier)', reads: [tier]}\n"
    )
    write_csv(landing / "product_events.csv", ["event_id", "occurred_at", "workspace_id", "user_id", "event_name"], event_rows(3, ["W1"], {}))

    code, report, printed = run_preflight(landing, work_dir, "tiers.yml")

    assert code == 1, printed
    stops = [f for f in report["findings"] if f["level"] == "stop"]
    assert [(f["check"], f["source"]) for f in stops] == [("build", "crm_accounts")]
    assert stops[0]["message"].startswith("model base_crm_accounts fails: ")
    assert "no_such_function" in stops[0]["message"]


def test_empty_folder_and_unknown_mapping(tmp_path: Path, work_dir: Path) -> None:
    """A folder without a contract file stops the build (the build's message); so does a mapping
    that is neither shipped nor a file. Neither builds anything."""
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("nothing here")
    code, report, printed = run_preflight(empty, work_dir)
    assert code == 1, printed
    assert kinds(report) == [("stop", "files", "")]
    assert report["findings"][0]["message"].startswith(f"The landing folder '{empty}' holds no file of the input contract")
    assert "build" not in report["timings"]

    landing = tmp_path / "landing"
    accounts_and_workspaces(landing)
    code, report, printed = run_preflight(landing, work_dir, "salesforce,nosuch")
    assert code == 1, printed
    assert kinds(report) == [("stop", "mapping", "")]
    assert report["findings"][0]["message"].startswith(
        "Column mapping 'nosuch' (var landing_mappings) is neither a shipped mapping (salesforce, segment_tracks, zendesk) nor a .yml / .yaml file."
    )


def test_demo_folder_passes(demo_landing: Path, work_dir: Path) -> None:
    """The demo folder passes: exit 0, nothing stops the build, nothing warns. What it notes are
    the generator's planted bad values, each with its count and column: rows left out of the
    scores (or, where the base layer keeps the row, a field read as empty)."""
    code, report, printed = run_preflight(demo_landing, work_dir)

    assert code == 0, printed
    assert [f for f in report["findings"] if f["level"] != "note"] == []
    assert {f["check"] for f in report["findings"]} == {"values"}
    planted = sorted((f["source"], int(f["message"].split(" ", 1)[0])) for f in report["findings"])
    assert planted == [("csm_touchpoints", 1), ("nps_responses", 2), ("product_events", 2), ("product_events", 3), ("support_tickets", 1)]
    named = {(f["source"], f["message"].split(" ", 1)[0]): f["message"] for f in report["findings"]}
    for (source, count), column in {("csm_touchpoints", "1"): "sentiment", ("nps_responses", "2"): "score", ("product_events", "2"): "event_id",
                                    ("product_events", "3"): "occurred_at", ("support_tickets", "1"): "account_id"}.items():
        assert column in named[(source, count)], named
    assert all(s["files"] >= 1 for s in report["sources"])
    assert "Nothing here stops `dbt build` (exit 0)." in printed


def test_as_of_that_is_not_a_date(tmp_path: Path, work_dir: Path) -> None:
    """An as_of the build cannot read stops it before anything is read. (Last: a var makes dbt
    parse the whole project again, and again for the next run without it.)"""
    landing = tmp_path / "landing"
    accounts_and_workspaces(landing)
    code, report, printed = run_preflight(landing, work_dir, "", "--as-of", "2026/11/15")
    assert code == 1, printed
    assert kinds(report) == [("stop", "build", "")]
    assert report["findings"][0]["message"].startswith("dbt cannot parse the project: var as_of is '2026/11/15': give a date as YYYY-MM-DD")


def test_field_issues_of_the_base_layer_are_read(tmp_path: Path) -> None:
    """Whatever per-field issues a base view exposes (`_issue__<column>` with `_raw__<column>`)
    are reported, by column and reason, with examples; rows the quarantine holds are not."""
    db_path = tmp_path / "scratch.duckdb"
    con = duckdb.connect(str(db_path))
    con.execute("create schema staging")
    con.execute("""
        create table staging.base_csm_touchpoints as select * from (values
            ('f.csv', null, null, null, null),
            ('f.csv', null, null, 'sentiment is not one of positive, neutral, negative', 'meh'),
            ('f.csv', null, null, 'sentiment is not one of positive, neutral, negative', 'great'),
            ('f.csv', 'missing account_id', 'touchpoint_id=T9; account_id=<null>', 'sentiment is not one of positive, neutral, negative', 'bad')
        ) as t(_landing_file, quarantine_reason, raw_values, _issue__sentiment, _raw__sentiment)
    """)
    con.close()
    contract = {"sources": {"csm_touchpoints": {
        "files": [{"file": "f.csv"}], "base": "base_csm_touchpoints", "required": ["touchpoint_id", "account_id", "occurred_at"],
        "optional": ["touchpoint_type", "sentiment"],
    }}}
    warehouse = preflight.Warehouse(db_path, [{"name": "base_csm_touchpoints", "relation": "staging.base_csm_touchpoints", "status": "success"}])
    try:
        found, counts = preflight.value_findings(warehouse, contract, {})
    finally:
        warehouse.con.close()
    assert counts["csm_touchpoints"]["rows_quarantined"] == 1
    assert [(f.level, f.message, f.examples) for f in found] == [
        ("note", "1 of 4 rows quarantined: missing account_id (left out of the scores; under the warn threshold)", ["touchpoint_id=T9; account_id=<null>"]),
        ("note", "2 rows: sentiment cannot be read (sentiment is not one of positive, neutral, negative); the rows are kept with sentiment empty",
         ["'great'", "'meh'"]),
    ]


def test_verdicts_are_the_tests_own() -> None:
    """A failing test stops the build; so does one that errors (a test may stop the build by
    raising its message) unless the build stopped before it; a warning warns."""
    tests = [{"name": name, "status": status} for name, status in
             [("a", "pass"), ("b", "warn"), ("c", "fail"), ("d", "error")]]
    assert preflight.test_verdicts(tests, build_failed=False) == {"a": None, "b": "warn", "c": "stop", "d": "stop"}
    assert preflight.test_verdicts(tests, build_failed=True) == {"a": None, "b": "warn", "c": "stop", "d": None}
