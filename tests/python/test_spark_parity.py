"""One SQL code base, two engines (issue 6): the same landing folder built with `dbt build` on DuckDB
and on local Spark (dbt-spark, method session, pyspark in the dbt process) gives the same public
relations, row by row: every mart, the semantic layer's time spine, and the landing's quarantine,
reconciliation and file list (scripts/parity.py; text, dates and flags exact, numbers within
1e-9). The landing folder (spark_cases.py) is the demo generator's (planted bad rows included)
plus CSV and Parquet files with the cases the two CSV readers could disagree on. Then a late file
lands and both warehouses are extended incrementally and compared again. The Thrift target
(test_spark_thrift.py) and Spark's own errors for a broken landing folder (test_spark_stops.py)
have their own files, so that they run beside this one, the longest file of the suite.
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from conftest import read_rows, write_rows
from spark_cases import LATE_ROWS, assert_identical, build_both, write_events, write_parity_landing


@pytest.fixture(scope="module")
def parity_work(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    work = tmp_path_factory.mktemp("parity")
    landing = write_parity_landing(work)
    build_both(["build"], work, landing)
    return work, landing


def test_every_public_relation_is_identical_on_duckdb_and_spark(parity_work: tuple[Path, Path]) -> None:
    work, _ = parity_work
    diffs = assert_identical(work)
    compared = {d.name: d.rows for d in diffs}
    con = duckdb.connect(str(work / "duck.duckdb"), read_only=True)
    marts = {f"marts.{name}" for (name,) in con.execute(
        "select table_name from duckdb_tables() where schema_name = 'marts'").fetchall()}
    con.close()
    assert len(marts) >= 17 and marts <= compared.keys(), marts - compared.keys()
    for name in ("marts.rpt_account_quadrant", "marts.fct_account_scores_weekly", "marts.rpt_churn_rate_by_quadrant",
                 "staging.stg_landing__quarantine", "staging.stg_landing__field_issues",
                 "staging.stg_landing__reconciliation", "semantic.metricflow_time_spine"):
        assert compared[name] > 0, f"{name} is empty: the comparison would prove nothing"


def test_spark_quarantines_the_same_rows_for_the_same_reasons(parity_work: tuple[Path, Path]) -> None:
    work, _ = parity_work
    spark = work / "spark" / "tables" / "staging.db" / "stg_landing__quarantine"
    con = duckdb.connect()
    rows = dict(con.execute(f"""
        select regexp_extract(raw_values, 'event_id=([^;]*)', 1), quarantine_reason
        from read_parquet('{spark}/*.parquet') where raw_values like '%X-EDGE%'
    """).fetchall())
    con.close()
    assert rows == {
        "X-EDGE-02": "row has more fields than the header (extra values: extra-a | extra-b)",
        "X-EDGE-03": "row has fewer fields than the header; missing event_name",
        "X-EDGE-05": "missing event_name",
        "X-EDGE-07": "occurred_at is not an ISO 8601 timestamp",
        "X-EDGE-08": "missing event_name",
    }


def test_spark_reads_quoted_fields_offsets_and_parquet_parts_like_duckdb(parity_work: tuple[Path, Path]) -> None:
    work, _ = parity_work
    events = work / "spark" / "tables" / "staging.db" / "stg_product__events"
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    kept = dict(con.execute(f"""
        select event_id, event_name || ' @ ' || cast(occurred_at as varchar)
        from read_parquet('{events}/**/*.parquet', hive_partitioning = true)
        where event_id like 'X-%'
    """).fetchall())
    con.close()
    assert kept == {
        "X-EDGE-01": "report_exported, shared @ 2026-11-10 10:00:00",
        "X-EDGE-04": "login @ 2026-11-10 10:07:00",
        "X-EDGE-06": "login @ 2026-11-10 08:09:00",
        "X-EDGE-09": "login @ 2026-11-10 10:11:00",
        "X-PQ-00": "dashboard_viewed @ 2026-11-11 08:00:00",
        "X-PQ-01": "dashboard_viewed @ 2026-11-11 08:01:00",
        "X-PQ-02": "dashboard_viewed @ 2026-11-11 08:02:00",
    }


def test_an_incremental_run_after_a_late_file_stays_identical(parity_work: tuple[Path, Path]) -> None:
    """A late events file, and a CRM export in which one account changed its CSM, snapshotted a
    week later (as_of a week on: a snapshot records once per scored week), records a second
    version on both engines (on Spark, the Parquet rewrite that stands in for MERGE); then
    `dbt run` extends the event models incrementally."""
    work, landing = parity_work
    write_events(landing / "product_events" / "part-late.csv", LATE_ROWS)
    accounts = read_rows(landing / "crm_accounts.csv")
    fields = list(accounts[0])
    accounts[0]["csm_owner"] = "Parity Newcsm"
    write_rows(landing / "crm_accounts.csv", accounts, fields)
    con = duckdb.connect(str(work / "duck.duckdb"), read_only=True)
    week_after = con.execute("select latest_week_start + 13 from intermediate.int_run_parameters").fetchone()[0]
    con.close()
    snapshot_step = ["build", "-s", "stg_crm__accounts", "int_run_parameters", "snap_crm_accounts",
                     "--exclude-resource-type", "test"]
    build_both(snapshot_step, work, landing, extra_vars={"as_of": week_after.isoformat()})
    build_both(["run"], work, landing)
    assert_identical(work)
    con = duckdb.connect()
    snapshot = work / "spark" / "tables" / "snapshots.db" / "snap_crm_accounts"
    versions = con.execute(f"""
        select csm_owner, dbt_valid_to is null from read_parquet('{snapshot}/*.parquet')
        where account_id = '{accounts[0]["account_id"]}' order by dbt_valid_to is null
    """).fetchall()
    assert [current for _, current in versions] == [False, True] and versions[-1][0] == "Parity Newcsm", versions
    con = duckdb.connect()
    events = work / "spark" / "tables" / "staging.db" / "stg_product__events"
    late = con.execute(f"""
        select count(*) from read_parquet('{events}/**/*.parquet', hive_partitioning = true)
        where event_id like 'X-LATE-%'
    """).fetchone()[0]
    con.close()
    assert late == 3

