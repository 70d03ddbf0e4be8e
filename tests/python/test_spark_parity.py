"""One SQL code base, two engines (issue 6): the same landing folder built with `dbt build` on DuckDB
and on local Spark (dbt-spark, method session, pyspark in the dbt process) gives the same public
relations, row by row: every mart, the semantic layer's time spine, and the landing's quarantine,
reconciliation and file list (scripts/parity.py; text, dates and flags exact, numbers within
1e-9). The landing folder is the demo generator's (planted bad rows included) plus CSV and
Parquet files with the cases the two CSV readers could disagree on. Then a late file lands and
both warehouses are extended incrementally and compared again. The documented Thrift target is
run for real against a Spark Thrift Server started from pyspark's own jars, and compared too.
Spark's own errors for a file missing a required column and for an empty landing folder name the
file and the folder.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from conftest import SCRIPTS_DIR, generate_landing, run_dbt

sys.path.insert(0, str(SCRIPTS_DIR))
import parity  # noqa: E402

EVENT_HEADER = "event_id,occurred_at,workspace_id,user_id,event_name,session_id"
# Each line is one case; the comment says what both engines must make of it.
EDGE_ROWS = [
    'X-EDGE-01,2026-11-10T10:00:00,W00001,U000007,"report_exported, shared","s""q"',  # quoted comma, doubled quote: kept
    "X-EDGE-02,2026-11-10T10:05:00,W00001,U000007,login,S1,extra-a,extra-b",  # two fields too many: quarantined
    "X-EDGE-03,2026-11-10T10:06:00,W00001,U000007",  # two fields too few: quarantined
    "X-EDGE-04,2026-11-10T10:07:00,W00001,U000007,login,",  # empty optional last field: kept
    "X-EDGE-05,2026-11-10T10:08:00,W00001,U000007,,S2",  # empty event_name: quarantined, raw value ''
    "X-EDGE-07,yesterday,W00001,U000007,login,S4",  # not a timestamp: quarantined
    '"X-EDGE-08",2026-11-10T10:10:00,W00001,U000007,"",S5',  # quoted empty event_name: quarantined
]
CRLF_ROWS = [  # a file written on Windows: every line ends in CRLF
    "X-EDGE-06,2026-11-10 10:09:00+02:00,W00001,U000007,login,S3",  # offset timestamp: kept, in UTC
    "X-EDGE-09,2026-11-10T10:11:00,W00001,U000007,login,",  # empty last field before the CR: kept
]
# Enumerated columns in their usual encodings (macros/landing/values/): both engines must read
# them alike, and list the same unreadable ones in stg_landing__field_issues.
HEALTH_SCORE_ROWS = [  # cs_health_scores.csv beside the demo's Parquet, at times it never uses
    "account_id,scored_at,health_score,renewal_risk",
    "A0001,2026-10-01T01:23:45,70,TRUE", "A0002,2026-10-01T01:23:45,60,0.35", "A0003,2026-10-01T01:23:45,50,Medium",
    "A0004,2026-10-01T01:23:45,40,n", "A0005,2026-10-01T01:23:45,30,maybe", "A0006,2026-10-01T01:23:45,20,nan",
]
TOUCHPOINT_ROWS = ["TP-ENC-1,A0001,2026-10-01T09:00:00,call,-0.8", "TP-ENC-2,A0001,2026-10-02T09:00:00,call,0.5",
                   "TP-ENC-3,A0001,2026-10-03T09:00:00,call,NEUTRAL", "TP-ENC-4,A0001,2026-10-04T09:00:00,call,7"]
LATE_ROWS = [  # a file landing after the first build: an old week (late data) and the last week
    "X-LATE-01,2026-09-02T09:00:00,W00001,U000007,login,L1",
    "X-LATE-02,2026-09-02T09:05:00,W00001,U000007,report_created,L1",
    "X-LATE-03,2026-11-12T09:00:00,W00001,U000007,login,L2",
]


def write_events(path: Path, rows: list[str], line_end: str = "\n") -> None:
    path.write_bytes((line_end.join([EVENT_HEADER, *rows]) + line_end).encode())


def spark_env(spark_dir: Path) -> dict[str, str]:
    return {"USAGE_HEALTH_SPARK_DIR": str(spark_dir), "USAGE_HEALTH_SPARK_MEMORY": "2g"}


def build_both(args: list[str], work: Path, landing: Path) -> None:
    duck = run_dbt(args, work / "duck.duckdb", landing)
    assert duck.returncode == 0, duck.output[-3000:]
    spark = run_dbt([*args, "--target", "spark"], work / "spark.duckdb", landing,
                    extra_env=spark_env(work / "spark"))
    assert spark.returncode == 0, spark.output[-5000:]


def assert_identical(work: Path, spark_dir: Path | None = None) -> list[parity.RelationDiff]:
    """The DuckDB build in work/ against a Spark warehouse folder (default work/spark)."""
    diffs = parity.compare(work / "duck.duckdb", spark_dir or work / "spark")
    different = {d.name: d.problems for d in diffs if d.problems}
    assert not different, different
    return diffs


@pytest.fixture(scope="module")
def parity_work(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    work = tmp_path_factory.mktemp("parity")
    landing = work / "landing"
    generate_landing.main(["--out", str(landing), "--accounts", "40", "--weeks", "26", "--seed", "11"])
    write_events(landing / "product_events" / "part-edge.csv", EDGE_ROWS)
    write_events(landing / "product_events" / "part-edge-crlf.csv", CRLF_ROWS, line_end="\r\n")
    # A Parquet part beside the CSV parts: typed timestamps, no session_id, a column not in the contract.
    con = duckdb.connect()
    con.execute(f"""
        copy (
            select 'X-PQ-0' || i as event_id, timestamp '2026-11-11 08:00:00' + i * interval 1 minute as occurred_at,
                   'W00001' as workspace_id, 'U000007' as user_id, 'dashboard_viewed' as event_name,
                   'web' as client
            from range(3) as t(i)
        ) to '{landing / "product_events" / "part-edge.parquet"}' (format parquet)
    """)
    con.close()
    (landing / "cs_health_scores.csv").write_text("\n".join(HEALTH_SCORE_ROWS) + "\n")
    with open(landing / "csm_touchpoints.csv", "a") as handle:
        handle.write("\n".join(TOUCHPOINT_ROWS) + "\n")
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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("localhost", 0))
        return probe.getsockname()[1]


@pytest.fixture()
def thrift_server(tmp_path: Path):
    """A Spark Thrift Server (HiveServer2 on local Spark) from pyspark's jars, on a free port."""
    import pyspark

    spark_home = Path(pyspark.__file__).parent
    warehouse = tmp_path / "thrift-warehouse"
    warehouse.mkdir()
    port = free_port()
    settings = {
        "spark.sql.warehouse.dir": f"{warehouse}/tables",
        "spark.hadoop.javax.jdo.option.ConnectionURL": f"jdbc:derby:;databaseName={warehouse}/metastore_db;create=true",
        "spark.driver.extraJavaOptions": f"-Dderby.stream.error.file={warehouse}/derby.log",
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.legacy.createHiveTableByDefault": "false",
        "spark.sql.sources.partitionOverwriteMode": "dynamic",
        "spark.sql.shuffle.partitions": "4",
        "spark.ui.enabled": "false",
    }
    command = [str(spark_home / "bin" / "spark-submit"), "--class",
               "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2", "--master", "local[2]",
               "--driver-memory", "2g"]
    for key, value in settings.items():
        command += ["--conf", f"{key}={value}"]
    command += ["--hiveconf", f"hive.server2.thrift.port={port}", "--hiveconf",
                "hive.server2.thrift.bind.host=localhost", "spark-internal"]
    log = open(tmp_path / "thrift-server.log", "w")
    server = subprocess.Popen(command, env={**os.environ, "SPARK_HOME": str(spark_home)}, cwd=tmp_path,
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                socket.create_connection(("localhost", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "thrift-server.log").read_text()[-3000:]
                assert time.monotonic() < deadline, "the Thrift server did not open its port in 120 s"
                time.sleep(1)
        yield port, warehouse
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()


def test_an_incremental_run_after_a_late_file_stays_identical(parity_work: tuple[Path, Path]) -> None:
    work, landing = parity_work
    write_events(landing / "product_events" / "part-late.csv", LATE_ROWS)
    build_both(["run"], work, landing)
    assert_identical(work)
    con = duckdb.connect()
    events = work / "spark" / "tables" / "staging.db" / "stg_product__events"
    late = con.execute(f"""
        select count(*) from read_parquet('{events}/**/*.parquet', hive_partitioning = true)
        where event_id like 'X-LATE-%'
    """).fetchone()[0]
    con.close()
    assert late == 3


@pytest.mark.parametrize("case", ["missing_column", "empty_folder"])
def test_spark_stops_on_a_broken_landing_folder_with_the_duckdb_message(case: str, tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    landing.mkdir()
    if case == "missing_column":
        (landing / "crm_accounts.csv").write_text("account_id,account_name\nA1,Acme\n")
        expected = (f"Landing file {landing}/crm_accounts.csv (source crm_accounts) is missing the required "
                    "column 'segment'")
    else:
        (landing / "notes.txt").write_text("not a landing file\n")
        expected = f"The landing folder '{landing}' holds no file of the input contract"
    result = run_dbt(["run", "--target", "spark", "-s", "base_crm_accounts"], tmp_path / "unused.duckdb", landing,
                     extra_env=spark_env(tmp_path / "spark"))
    assert result.returncode != 0
    assert expected in result.output, result.output[-3000:]


def test_the_thrift_target_builds_the_same_marts(parity_work: tuple[Path, Path], thrift_server) -> None:
    """profiles.yml's spark_thrift target, for a cluster behind a Thrift server, against a real one.
    Runs after the incremental test, so both see the landing folder with the late file."""
    work, landing = parity_work
    port, warehouse = thrift_server
    result = run_dbt(["build", "--target", "spark_thrift"], work / "thrift.duckdb", landing,
                     extra_env={"USAGE_HEALTH_SPARK_PORT": str(port), "USAGE_HEALTH_SPARK_HOST": "localhost"})
    assert result.returncode == 0, result.output[-5000:]
    diffs = assert_identical(work, warehouse)
    assert {d.name for d in diffs} >= {"marts.rpt_account_quadrant", "staging.stg_landing__quarantine"}

