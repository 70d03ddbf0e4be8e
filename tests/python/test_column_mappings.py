"""Column mappings (issue 15): the exports users have, read through the shipped mappings.

One landing folder holds, instead of four of the demo's files, the exports a team would drop
there, written from each system's documented schema: Segment's `tracks` table (warehouse schema:
id, anonymous_id, context_group_id, event, event_text, timestamp, user_id, ...; as CSV parts),
Salesforce's Account and Opportunity objects (API field names; CSV), and Zendesk tickets (the
Tickets API's fields with the metric set's solved_at; Parquet, typed). Their columns come in
another order, with extra columns and another id scheme for events and tickets. The other six
sources are the demo generator's. One `dbt build` with `landing_mappings: [segment_tracks,
salesforce, zendesk]` must pass, and what staging kept is checked against expectations computed
here from the rows written: events per workspace, each account's segment, owner and domain,
each renewal's outcome, each ticket's dates; and Spark reads the CRM exports alike. Two cheap
`dbt run`s check the errors (a column the mapping reads is missing; an unknown mapping) and a
mapping written by a user as a YAML file in the landing folder.
"""
from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest

from conftest import Build, build, generate_landing, read_rows, run_dbt, write_rows

MAPPINGS = ["segment_tracks", "salesforce", "zendesk"]
UTC = dt.timezone.utc


def parse_utc(text: str) -> dt.datetime | None:
    """An ISO 8601 text as a naive UTC datetime (no offset = UTC), None when it is not one."""
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


def salesforce_datetime(text: str) -> str:
    """Salesforce's datetime format: UTC, milliseconds, Z."""
    value = parse_utc(text)
    return value.strftime("%Y-%m-%dT%H:%M:%S.000Z") if value else ""


@dataclass
class Expected:
    """What staging must keep, computed from the rows the test wrote."""

    events_per_workspace: dict[str, int] = field(default_factory=dict)
    anonymous_user: str = ""
    accounts: dict[str, tuple] = field(default_factory=dict)
    renewals: dict[tuple[str, str], str] = field(default_factory=dict)
    tickets: dict[str, tuple] = field(default_factory=dict)


# --- Segment: the tracks table ---------------------------------------------------------------

TRACKS_FIELDS = ["anonymous_id", "context_group_id", "context_ip", "context_library_name", "context_library_version",
                 "event", "event_text", "id", "original_timestamp", "received_at", "sent_at", "timestamp",
                 "user_id", "uuid_ts", "account_id"]


def track(message_id: str, occurred_at: str, group: str, user: str, event: str,
          anonymous_id: str = "", account_id: str = "") -> dict[str, str]:
    when = parse_utc(occurred_at)
    stamp = when.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z" if when else occurred_at
    later = (when + dt.timedelta(seconds=2)).strftime("%Y-%m-%d %H:%M:%S") if when else ""
    return {
        "anonymous_id": anonymous_id or f"anon-{user}", "context_group_id": group, "context_ip": "203.0.113.7",
        "context_library_name": "analytics.js", "context_library_version": "4.1.0", "event": event,
        "event_text": event.replace("_", " ").title(), "id": message_id, "original_timestamp": occurred_at,
        "received_at": later, "sent_at": later, "timestamp": stamp, "user_id": user, "uuid_ts": later,
        "account_id": account_id,
    }


# Calls the demo does not have: an anonymous one (no user_id yet), one whose group is an
# account_id property (no context.groupId), and the first delivered twice.
EXTRA_TRACKS = [
    track("ajs-extra-1", "2026-11-10T09:00:00+01:00", "W00001", "", "login", anonymous_id="anon-7f3a"),
    track("ajs-extra-2", "2026-11-10T09:05:00", "", "U000001", "report_created", account_id="W00001"),
    track("ajs-extra-1", "2026-11-10T09:00:00+01:00", "W00001", "", "login", anonymous_id="anon-7f3a"),
]


def write_segment_tracks(landing: Path, expected: Expected) -> None:
    """The demo's events as Segment's tracks table, in parts like the demo's; its planted bad rows
    (no id, a timestamp that is not one) stay bad."""
    (landing / "tracks").mkdir()
    kept: dict[str, set[str]] = {}
    parts = sorted((landing / "product_events").glob("*.csv"))
    for i, part in enumerate(parts):
        rows = [track(f"ajs-{r['event_id']}" if r["event_id"] else "", r["occurred_at"], r["workspace_id"],
                      r["user_id"], r["event_name"]) for r in read_rows(part)]
        if i == len(parts) - 1:
            rows += EXTRA_TRACKS
        write_rows(landing / "tracks" / f"part-{i:03d}.csv", rows, fields=TRACKS_FIELDS)
        for r in rows:
            group = r["context_group_id"] or r["account_id"]
            if r["id"] and parse_utc(r["timestamp"].replace("Z", "+00:00")) and group and r["event"]:
                kept.setdefault(group, set()).add(r["id"])
    shutil.rmtree(landing / "product_events")
    expected.events_per_workspace = {w: len(ids) for w, ids in kept.items()}
    expected.anonymous_user = "anon-7f3a"


# --- Salesforce: Account and Opportunity ----------------------------------------------------

ACCOUNT_FIELDS = ["Id", "IsDeleted", "MasterRecordId", "Name", "Type", "ParentId", "BillingCity", "BillingCountry",
                  "Phone", "Website", "Industry", "AnnualRevenue", "NumberOfEmployees", "OwnerId", "CreatedDate",
                  "CreatedById", "LastModifiedDate", "SystemModstamp", "Segment__c"]
OPPORTUNITY_FIELDS = ["Id", "IsDeleted", "AccountId", "Name", "StageName", "Amount", "Probability", "CloseDate",
                      "Type", "IsClosed", "IsWon", "ForecastCategory", "OwnerId", "CreatedDate", "FiscalYear"]


def salesforce_id(prefix: str, n: int) -> str:
    """An 18-character Salesforce id: key prefix, instance, number, case-safe suffix."""
    return f"{prefix}5g0000{n:06d}AAA"


def write_salesforce(landing: Path, expected: Expected) -> None:
    accounts = read_rows(landing / "crm_accounts.csv")
    owners = {name: salesforce_id("005", i + 1) for i, name in enumerate(sorted({a["csm_owner"] for a in accounts} - {""}))}
    rows = []
    for i, a in enumerate(accounts):
        # the last account has no segment field value: its tier falls back to the Type picklist
        fallback = i == len(accounts) - 1
        website = "" if not a["email_domain"] else (f"https://www.{a['email_domain']}/about" if i % 2 else f"http://{a['email_domain']}")
        rows.append({
            "Id": a["account_id"], "IsDeleted": "false", "MasterRecordId": "", "Name": a["account_name"],
            "Type": "Customer - Direct", "ParentId": a["parent_account_id"], "BillingCity": "Leeds",
            "BillingCountry": "United Kingdom", "Phone": "+44 113 496 0000", "Website": website,
            "Industry": "Technology", "AnnualRevenue": "", "NumberOfEmployees": str(50 + i),
            "OwnerId": owners.get(a["csm_owner"], ""), "CreatedDate": salesforce_datetime(a["created_at"]),
            "CreatedById": salesforce_id("005", 99), "LastModifiedDate": "2026-11-01T08:00:00.000Z",
            "SystemModstamp": "2026-11-01T08:00:00.000Z", "Segment__c": "" if fallback else a["segment"],
        })
        expected.accounts[a["account_id"]] = (
            a["account_name"], "customer - direct" if fallback else a["segment"], a["parent_account_id"] or None,
            owners.get(a["csm_owner"]), a["email_domain"] or None,
        )
    write_rows(landing / "Account.csv", rows, fields=ACCOUNT_FIELDS)
    (landing / "crm_accounts.csv").unlink()

    opportunities = []
    for n, r in enumerate(read_rows(landing / "renewal_outcomes.csv"), start=1):
        won = r["outcome"] != "churned"
        opportunities.append({
            "Id": salesforce_id("006", n), "IsDeleted": "false", "AccountId": r["account_id"],
            "Name": f"{r['account_id']} renewal {r['renewal_date'][:4]}", "StageName": "Closed Won" if won else "Closed Lost",
            "Amount": r["arr_after"], "Probability": "100" if won else "0", "CloseDate": r["renewal_date"],
            "Type": "Renewal", "IsClosed": "true", "IsWon": "true" if won else "false",
            "ForecastCategory": "Closed" if won else "Omitted", "OwnerId": salesforce_id("005", 1),
            "CreatedDate": "2025-01-06T10:00:00.000Z", "FiscalYear": r["renewal_date"][:4],
        })
        expected.renewals[(r["account_id"], r["renewal_date"])] = "renewed" if won else "churned"
    first = opportunities[0]
    # Not renewals: one still open, one won new business. The mapping's `where` leaves both out.
    opportunities.append({**first, "Id": salesforce_id("006", 900), "StageName": "Negotiation/Review", "IsClosed": "false",
                          "IsWon": "false", "CloseDate": "2027-01-15", "ForecastCategory": "Pipeline"})
    opportunities.append({**first, "Id": salesforce_id("006", 901), "Type": "New Customer", "CloseDate": "2026-02-02",
                          "StageName": "Closed Won", "IsWon": "true"})
    write_rows(landing / "Opportunity.csv", opportunities, fields=OPPORTUNITY_FIELDS)
    (landing / "renewal_outcomes.csv").unlink()


# --- Zendesk: tickets ------------------------------------------------------------------------

def write_zendesk_tickets(landing: Path, expected: Expected) -> None:
    """The demo's tickets as Zendesk exports them, typed in Parquet: numeric ids, timestamps."""
    rows = []
    for n, t in enumerate(read_rows(landing / "support_tickets.csv"), start=1):
        opened, solved = parse_utc(t["opened_at"]), parse_utc(t["closed_at"]) if t["closed_at"] else None
        status = ("closed" if n % 3 == 0 else "solved") if solved else ("pending" if n % 2 else "open")
        rows.append((n + 100000, f"https://acme.zendesk.com/api/v2/tickets/{n + 100000}.json", "incident",
                     f"Problem with {t['product_area']}", t["priority"], status, 900000 + n,
                     t["account_id"] or None, opened, solved, solved or opened, "web"))
    # A ticket solved, then reopened: open again, its old solved_at stays in the metric set.
    rows.append((199001, "", "question", "Reopened", "high", "open", 900001, "A0002",
                 dt.datetime(2026, 11, 2, 9), dt.datetime(2026, 11, 3, 9), dt.datetime(2026, 11, 9, 9), "email"))
    # A deleted ticket, as the incremental export lists it: not read.
    rows.append((199002, "", "question", "Spam", "low", "deleted", 900002, "A0002",
                 dt.datetime(2026, 11, 4, 9), None, dt.datetime(2026, 11, 4, 10), "email"))
    for (ticket_id, _, _, _, priority, status, _, org, opened, solved, _, _) in rows:
        if org and status != "deleted":
            closed = solved if status in ("solved", "closed") else None
            expected.tickets[str(ticket_id)] = (org, opened, closed, priority)
    con = duckdb.connect()
    con.execute("""create table tickets (id bigint, url varchar, type varchar, subject varchar, priority varchar,
                   status varchar, requester_id bigint, organization_id varchar, created_at timestamp,
                   solved_at timestamp, updated_at timestamp, via_channel varchar)""")
    con.executemany("insert into tickets values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    con.execute(f"copy tickets to '{landing / 'tickets.parquet'}' (format parquet)")
    con.close()
    (landing / "support_tickets.csv").unlink()


# --- the build --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Expected]:
    """The landing folder with the three exports in place of four demo files, and what to expect."""
    landing = tmp_path_factory.mktemp("mappings") / "landing"
    generate_landing.main(["--out", str(landing), "--accounts", "20", "--weeks", "26", "--seed", "11"])
    expected = Expected()
    write_segment_tracks(landing, expected)
    write_salesforce(landing, expected)
    write_zendesk_tickets(landing, expected)
    # what the checks below compare with: enough rows of each kind to prove something
    assert len(expected.events_per_workspace) >= 10 and len(expected.accounts) == 20
    assert len(expected.renewals) == 20 and len(expected.tickets) > 100
    return landing, expected


@pytest.fixture(scope="module")
def mapped(exports: tuple[Path, Expected]) -> tuple[Build, Expected]:
    landing, expected = exports
    result = build(landing.parent / "wh.duckdb", landing, extra_vars={"landing_mappings": MAPPINGS})
    assert result.returncode == 0, result.output[-5000:]
    return result, expected


def test_a_full_build_from_the_three_exports_scores_every_account(mapped: tuple[Build, Expected]) -> None:
    result, expected = mapped
    files = dict(result.query("select source_name, count(*) from staging.stg_landing__files group by 1"))
    assert files["product_events"] == 4 and files["crm_accounts"] == files["renewal_outcomes"] == files["support_tickets"] == 1
    scored = result.query("select count(*), count(usage_score), count(health_score) from marts.rpt_account_quadrant")[0]
    assert scored[0] > 0 and scored[1] == scored[0] and scored[2] == scored[0]
    assert result.query("select count(*) from marts.fct_renewals")[0][0] > 0


def test_segment_tracks_give_each_workspace_its_events(mapped: tuple[Build, Expected]) -> None:
    result, expected = mapped
    counts = dict(result.query("select workspace_id, count(*) from staging.stg_product__events group by 1"))
    assert counts == expected.events_per_workspace
    # the anonymous call counts under its anonymous_id; the group from account_id is W00001's
    users = result.query("select user_id from staging.base_product_events where event_id = 'ajs-extra-1'")
    assert users == [(expected.anonymous_user,)] * 2
    assert result.query("select workspace_id from staging.base_product_events where event_id = 'ajs-extra-2'") == [("W00001",)]
    reasons = dict(result.query("""
        select quarantine_reason, count(*) from staging.stg_landing__quarantine
        where source_name = 'product_events' group by 1"""))
    assert reasons == {"missing event_id": 2, "occurred_at is not an ISO 8601 timestamp": 3}


def test_salesforce_accounts_give_segment_owner_parent_and_domain(mapped: tuple[Build, Expected]) -> None:
    result, expected = mapped
    accounts = {row[0]: row[1:] for row in result.query("""
        select account_id, account_name, segment, parent_account_id, csm_owner, email_domain
        from staging.stg_crm__accounts""")}
    assert accounts == expected.accounts
    segments = dict(result.query("select account_id, segment from marts.rpt_account_quadrant"))
    assert segments and all(segments[a] == expected.accounts[a][1] for a in segments)


def test_salesforce_opportunities_give_closed_renewals_and_their_outcome(mapped: tuple[Build, Expected]) -> None:
    result, expected = mapped
    renewals = {(a, d.isoformat()): o for a, d, o in result.query(
        "select account_id, renewal_date, outcome from staging.stg_crm__renewal_outcomes")}
    assert renewals == expected.renewals
    assert result.query("select count(*) from staging.base_renewal_outcomes")[0][0] == len(expected.renewals)


def test_zendesk_tickets_give_opened_solved_and_priority(mapped: tuple[Build, Expected]) -> None:
    result, expected = mapped
    tickets = {row[0]: row[1:] for row in result.query(
        "select ticket_id, account_id, opened_at, closed_at, priority from staging.stg_crm__support_tickets")}
    assert tickets == expected.tickets
    # the reopened ticket is open; the deleted one was never read
    assert tickets["199001"][2] is None and "199002" not in tickets
    assert result.query("""
        select quarantine_reason, count(*) from staging.stg_landing__quarantine
        where source_name = 'support_tickets' group by 1""") == [("missing account_id", 1)]


# --- errors and a user's own mapping ----------------------------------------------------------

USER_MAPPING = """
description: our help desk's export
sources:
  support_tickets:
    file: helpdesk
    where:
      expression: "Spam <> 'yes'"
      reads: [Spam]
    columns:
      ticket_id: "Ticket Number"
      account_id: crm_id
      opened_at:
        expression: "Opened || 'T' || coalesce(nullif(OpenedTime, ''), '00:00:00')"
        reads: [Opened]
        reads_optional: [OpenedTime]
      priority:
        expression: "case Urgency when '1' then 'urgent' when '2' then 'high' else 'normal' end"
        reads: [Urgency]
"""


@pytest.fixture(scope="module")
def small_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Build, Path]:
    """One `dbt run` of three base views over a folder with two broken Salesforce exports (Account
    without Name, Opportunity without IsClosed) and a help desk export with the user's own mapping
    as YAML beside it: a column name with a space, another case, an expression using a column the
    file lacks (read as null), a row filter."""
    root = tmp_path_factory.mktemp("small-mappings")
    landing = root / "landing"
    landing.mkdir()
    write_rows(landing / "Account.csv", [{"Id": "001A", "Type": "Customer", "OwnerId": "005A"}])
    write_rows(landing / "Opportunity.csv", [{"Id": "006A", "AccountId": "001A", "CloseDate": "2026-01-01",
                                              "IsWon": "true", "Type": "Renewal"}])
    (landing / "helpdesk_mapping.yml").write_text(USER_MAPPING)
    write_rows(landing / "helpdesk.csv", [
        {"Ticket Number": "H-1", "CRM_ID": "A0001", "Opened": "2026-10-01", "Urgency": "1", "Spam": "no"},
        {"Ticket Number": "H-2", "CRM_ID": "A0002", "Opened": "2026-10-02", "Urgency": "3", "Spam": "no"},
        {"Ticket Number": "H-3", "CRM_ID": "A0002", "Opened": "2026-10-03", "Urgency": "3", "Spam": "yes"},
    ])
    result = run_dbt(["run", "-s", "base_crm_accounts", "base_renewal_outcomes", "base_support_tickets"],
                     root / "wh.duckdb", landing, extra_vars={"landing_mappings": ["salesforce", "helpdesk_mapping.yml"]})
    return result, landing


def test_a_missing_column_names_the_column_the_mapping_reads(small_run: tuple[Build, Path]) -> None:
    result, landing = small_run
    assert result.returncode != 0
    assert (f"Landing file {landing}/Account.csv (source crm_accounts) is missing the column 'Name' that mapping "
            "'salesforce' reads for the required column 'account_name'") in result.output
    assert (f"Landing file {landing}/Opportunity.csv (source renewal_outcomes) is missing the column 'IsClosed' "
            "that mapping 'salesforce' reads to choose the rows it keeps") in result.output


def test_a_mapping_file_in_the_landing_folder_renames_a_users_export(small_run: tuple[Build, Path]) -> None:
    result, _ = small_run
    rows = result.query("""
        select ticket_id, account_id, cast(opened_at as varchar), priority, quarantine_reason
        from staging.base_support_tickets order by ticket_id""")
    assert rows == [("H-1", "A0001", "2026-10-01 00:00:00", "urgent", None),
                    ("H-2", "A0002", "2026-10-02 00:00:00", "normal", None)]


def test_an_unknown_mapping_lists_the_shipped_ones(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    landing.mkdir()
    write_rows(landing / "Account.csv", [{"Id": "001A", "Name": "Acme", "Type": "Customer"}])
    result = run_dbt(["run", "-s", "base_crm_accounts"], tmp_path / "wh.duckdb", landing,
                     extra_vars={"landing_mappings": ["salesforse"]})
    assert result.returncode != 0
    assert ("Column mapping 'salesforse' (var landing_mappings) is neither a shipped mapping "
            "(salesforce, segment_tracks, zendesk)") in result.output


SPARK_COMPARED = {
    "stg_crm__accounts": "account_id, account_name, segment, parent_account_id, csm_owner, email_domain, created_at",
    "stg_crm__renewal_outcomes": "account_id, renewal_date, outcome",
    "stg_crm__support_tickets": "ticket_id, account_id, opened_at, closed_at, priority",
}


def test_spark_reads_the_mapped_exports_like_duckdb(exports: tuple[Path, Expected], mapped: tuple[Build, Expected],
                                                     tmp_path: Path) -> None:
    """The mapping is applied by engine-independent SQL over each reader's columns: on Spark the
    Salesforce CSVs (names, expressions, `where`) and the typed Zendesk Parquet give the same
    staging rows. (The events reader is the CSV path too; the parity test covers its volume.)"""
    pytest.importorskip("pyspark")
    landing, _ = exports
    spark_dir = tmp_path / "spark"
    result = run_dbt(["run", "--target", "spark", "-s", *[f"+{name}" for name in SPARK_COMPARED]],
                     tmp_path / "unused.duckdb", landing, extra_vars={"landing_mappings": MAPPINGS},
                     extra_env={"USAGE_HEALTH_SPARK_DIR": str(spark_dir), "USAGE_HEALTH_SPARK_MEMORY": "2g"})
    assert result.returncode == 0, result.output[-5000:]
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    con.execute(f"attach '{mapped[0].db_path}' as duck (read_only)")
    for name, columns in SPARK_COMPARED.items():
        spark = f"read_parquet('{spark_dir}/tables/staging.db/{name}/*.parquet')"
        only_duck, only_spark, rows = con.execute(f"""
            select
                (select count(*) from (select {columns} from duck.staging.{name} except all select {columns} from {spark})),
                (select count(*) from (select {columns} from {spark} except all select {columns} from duck.staging.{name})),
                (select count(*) from duck.staging.{name})
        """).fetchone()
        assert (only_duck, only_spark) == (0, 0) and rows > 0, name
    con.close()
