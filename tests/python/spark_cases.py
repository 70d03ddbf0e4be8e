"""What both Spark test files build from: the demo generator's landing folder (planted bad rows
included) plus CSV and Parquet files with the cases the two CSV readers could disagree on, and the
helpers that build it on both engines and compare the results (scripts/parity.py)."""
from __future__ import annotations

import sys
from pathlib import Path

import duckdb

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


def build_both(args: list[str], work: Path, landing: Path, extra_vars: dict[str, object] | None = None) -> None:
    duck = run_dbt(args, work / "duck.duckdb", landing, extra_vars=extra_vars)
    assert duck.returncode == 0, duck.output[-3000:]
    spark = run_dbt([*args, "--target", "spark"], work / "spark.duckdb", landing, extra_vars=extra_vars,
                    extra_env=spark_env(work / "spark"))
    assert spark.returncode == 0, spark.output[-5000:]


def assert_identical(work: Path, spark_dir: Path | None = None) -> list[parity.RelationDiff]:
    """The DuckDB build in work/ against a Spark warehouse folder (default work/spark)."""
    diffs = parity.compare(work / "duck.duckdb", spark_dir or work / "spark")
    different = {d.name: d.problems for d in diffs if d.problems}
    assert not different, different
    return diffs


def write_parity_landing(work: Path) -> Path:
    """The landing folder both Spark files build: 40 demo accounts plus the edge-case files."""
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
    return landing
