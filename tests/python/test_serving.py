"""Serving: readers query the published marts in a loop while `make build` runs twice, once
failing on purpose, and never see a lock error, a missing relation or a half-written mart."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

import configuration_state
import generate_landing
from conftest import PROJECT_DIR, read_rows, write_rows

READERS = 3
# Each read opens the served file read-only (as a BI tool does), checks every mart against the
# manifest written in the same publish, and closes it. Errors are recorded, never raised.
READER = r"""
import json, sys, time, duckdb
serve, stop, out = sys.argv[1:4]
reads, errors, seen = 0, [], set()
import os
while not os.path.exists(stop):
    try:
        con = duckdb.connect(serve, read_only=True)
        try:
            manifest = con.execute("select relation, row_count, published_at from serving.manifest").fetchall()
            if not manifest:
                errors.append("empty manifest")
            for relation, rows, published_at in manifest:
                n = con.execute(f"select count(*) from marts.{relation}").fetchall()[0][0]
                if n != rows:
                    errors.append(f"{relation}: {n} rows, manifest says {rows}")
                seen.add(published_at)
            quadrants = con.execute(
                "select count(*), count(quadrant) from marts.rpt_account_quadrant"
            ).fetchall()[0]
            if quadrants[0] == 0 or quadrants[0] != quadrants[1]:
                errors.append(f"rpt_account_quadrant incomplete: {quadrants}")
        finally:
            con.close()
        reads += 1
    except Exception as exc:  # a lock error, a missing table, a torn file: all count
        errors.append(f"{type(exc).__name__}: {exc}")
    time.sleep(0.02)
json.dump({"reads": reads, "errors": errors[:20], "error_count": len(errors), "seen": sorted(seen)}, open(out, "w"))
"""


def make_build(landing: Path, work: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "USAGE_HEALTH_DB": str(work / "warehouse.duckdb"),
        "USAGE_HEALTH_SERVE_DB": str(work / "serve" / "usage_health.duckdb"),
        "DBT_TARGET_PATH": str(work / "target"),
        "DBT_LOG_PATH": str(work / "logs"),
    }
    bin_dir = Path(sys.executable).parent
    # `-o`: the environment running the tests is set up; never let make rebuild it from here
    return subprocess.run(
        ["make", "--no-print-directory", "-o", f"{bin_dir}/dbt", "build", f"LANDING={landing}", f"BIN={bin_dir}"],
        cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=False,
    )


def published_at(serve: Path) -> str:
    con = duckdb.connect(str(serve), read_only=True)
    try:
        return con.execute("select max(published_at) from serving.manifest").fetchall()[0][0]
    finally:
        con.close()


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("serving") / "landing"
    generate_landing.main(["--out", str(folder), "--accounts", "20", "--weeks", "26", "--seed", "5"])
    return folder


def test_readers_see_whole_marts_through_a_good_and_a_failed_build(landing: Path, tmp_path: Path) -> None:
    serve = tmp_path / "serve" / "usage_health.duckdb"
    first = make_build(landing, tmp_path)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    assert "Published" in first.stdout
    first_published = published_at(serve)

    broken = tmp_path / "broken-landing"
    shutil.copytree(landing, broken)
    accounts = read_rows(broken / "crm_accounts.csv")
    write_rows(broken / "crm_accounts.csv", accounts, fields=[f for f in accounts[0] if f != "segment"])

    stop = tmp_path / "stop"
    outputs = [tmp_path / f"reader-{i}.json" for i in range(READERS)]
    readers = [
        subprocess.Popen([sys.executable, "-c", READER, str(serve), str(stop), str(out)])
        for out in outputs
    ]
    try:
        time.sleep(1)
        # the next week's run: one new events file
        event = read_rows(sorted((landing / "product_events").glob("*.csv"))[-1])[-1]
        write_rows(landing / "product_events" / "part-next.csv", [{**event, "event_id": "E-NEXT-1"}])
        second = make_build(landing, tmp_path)
        quiet = make_build(landing, tmp_path)  # nothing new since
        failed = make_build(broken, tmp_path)
        time.sleep(1)
    finally:
        stop.touch()
        for reader in readers:
            reader.wait(timeout=60)

    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
    second_published = published_at(serve)

    # Issue 17: the scheduled build runs no unit test; it loads and checks the configuration (the
    # seeds and the checks that read only them) on the first build and not again while the
    # configuration is unchanged, but a model's check against a seed runs on every build. The
    # failed build's landing folder is a new var, so its configuration is checked again.
    seed_load, seed_check = "seed file config.features", "PASS features_event_name_once"
    model_check = "relationships_int_account_quadrants_quadrant__quadrant__ref_quadrants_"
    for build in (first, second, failed):
        assert "unit_test" not in build.stdout and "::" not in build.stdout, build.stdout[-2000:]
    assert seed_load in first.stdout and seed_check in first.stdout
    assert seed_load not in second.stdout and seed_check not in second.stdout, second.stdout[-3000:]
    assert f"PASS {model_check}" in first.stdout and f"PASS {model_check}" in second.stdout
    assert seed_load in failed.stdout
    assert second_published > first_published

    # Nothing new: the build says so and runs no dbt; readers keep the copy they had. The failed
    # build after it ran dbt on the warehouse, so the next build of the good folder builds again.
    assert quiet.returncode == 0, quiet.stdout[-3000:] + quiet.stderr[-3000:]
    assert quiet.stdout.startswith(f"Nothing new since the last good build: the 17 files in {landing}"), quiet.stdout
    assert "Running with dbt" not in quiet.stdout + quiet.stderr and "Published" not in quiet.stdout
    variables = f"{{landing_dir: {landing}}}"
    assert configuration_state.unchanged(tmp_path / "warehouse.duckdb", variables, serve) is None

    assert failed.returncode != 0
    assert "nothing published" in failed.stderr and str(serve) in failed.stderr, failed.stderr[-2000:]
    assert published_at(serve) == second_published, "a failed build must leave the last good copy"

    for out in outputs:
        result = json.loads(out.read_text())
        assert result["error_count"] == 0, result["errors"]
        assert result["reads"] >= 20, result
        assert result["seen"] == [first_published, second_published], result

    parquet = serve.parent / "parquet" / "current"
    con = duckdb.connect()
    try:
        rows = con.execute(f"select count(*) from read_parquet('{parquet}/rpt_account_quadrant.parquet')").fetchall()[0][0]
    finally:
        con.close()
    con = duckdb.connect(str(serve), read_only=True)
    try:
        expected = con.execute("select count(*) from marts.rpt_account_quadrant").fetchall()[0][0]
    finally:
        con.close()
    assert rows == expected > 0
