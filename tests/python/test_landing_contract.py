"""The input contract: files read in place, missing sources, missing columns, empty folders."""
from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

import generate_landing
from conftest import Build, build, read_rows, run_dbt, write_rows


@pytest.fixture(scope="module")
def small_landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    landing = tmp_path_factory.mktemp("small") / "landing"
    generate_landing.main(["--out", str(landing), "--accounts", "40", "--weeks", "26", "--seed", "3"])
    return landing


@pytest.fixture(scope="module")
def small_build(small_landing: Path, tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The small landing folder as it is, built once for the tests that compare with it or start
    from it (they read it, or copy the file first)."""
    result = build(tmp_path_factory.mktemp("small-build") / "wh.duckdb", small_landing)
    assert result.returncode == 0, result.output[-3000:]
    return result


@pytest.fixture(scope="module")
def partial_landing_build(small_landing: Path, tmp_path_factory: pytest.TempPathFactory) -> Build:
    """One build for two independent gaps in the landing folder: support_tickets.csv without its
    optional column fix_shipped_at (it feeds only rpt_complaint_to_fix), and no nps_responses file
    at all (NPS feeds the health score). Neither source touches the other's models or assertions."""
    root = tmp_path_factory.mktemp("partial")
    landing = copy_landing(small_landing, root / "landing")
    drop_column(landing / "support_tickets.csv", "fix_shipped_at")
    (landing / "nps_responses.csv").unlink()
    result = build(root / "wh.duckdb", landing)
    assert result.returncode == 0, result.output[-3000:]
    return result


def copy_landing(source: Path, destination: Path) -> Path:
    shutil.copytree(source, destination)
    return destination


def drop_column(path: Path, column: str) -> None:
    rows = read_rows(path)
    write_rows(path, rows, fields=[f for f in rows[0] if f != column])


def test_missing_required_column_names_the_file_and_the_column(small_landing: Path, tmp_path: Path) -> None:
    landing = copy_landing(small_landing, tmp_path / "landing")
    drop_column(landing / "nps_responses.csv", "score")
    result = build(tmp_path / "wh.duckdb", landing)
    assert result.returncode != 0
    assert "nps_responses.csv" in result.output
    assert "missing the required column 'score'" in result.output


def test_missing_optional_column_is_read_as_empty(partial_landing_build: Build) -> None:
    result = partial_landing_build
    assert result.query("select count(*), count(fix_shipped_at) from staging.stg_crm__support_tickets")[0][1] == 0
    assert result.query("select count(*) from staging.stg_crm__support_tickets")[0][0] > 0


def test_source_without_a_file_is_empty_and_its_components_have_no_data(partial_landing_build: Build) -> None:
    result = partial_landing_build
    nps_scores = result.query(
        "select count(*), count(nps_score), count(nps_trend_score), max(health_coverage) from marts.rpt_account_quadrant"
    )[0]
    accounts, nps_scored, trend_scored, max_coverage = nps_scores
    assert accounts > 0 and nps_scored == 0 and trend_scored == 0
    # NPS and its trend weigh 0.25 of health by default: coverage drops below 1 for every account
    assert max_coverage <= 0.75 + 1e-9
    # the weight is redistributed, so health scores still exist
    assert result.query("select count(health_score) from marts.rpt_account_quadrant")[0][0] == accounts
    assert result.query("select files_read, rows_read from staging.stg_landing__reconciliation where source_name = 'nps_responses'") == [(0, 0)]
    assert result.query("select is_stale from marts.rpt_source_freshness where source_name = 'nps_responses'") == [(True,)]


def test_empty_landing_folder_fails_with_a_message(tmp_path: Path) -> None:
    landing = tmp_path / "empty"
    landing.mkdir()
    result = build(tmp_path / "wh.duckdb", landing)
    assert result.returncode != 0
    assert "holds no file of the input contract" in result.output


def test_parts_and_parquet_are_read_like_single_files(small_landing: Path, small_build: Build, tmp_path: Path) -> None:
    """The same rows as one CSV, as parts in a folder, or as Parquet give the same staging table."""
    import duckdb

    landing = copy_landing(small_landing, tmp_path / "landing")
    parts = sorted((landing / "product_events").glob("*.csv"))
    assert len(parts) >= 2
    con = duckdb.connect()
    con.execute(
        f"copy (select * from read_csv({[str(p) for p in parts]}, all_varchar=true, header=true)) "
        f"to '{landing / 'events.parquet'}' (format parquet)"
    )
    shutil.rmtree(landing / "product_events")
    (landing / "events.parquet").rename(landing / "product_events.parquet")
    parquet = build(tmp_path / "parquet.duckdb", landing)
    assert parquet.returncode == 0, parquet.output[-3000:]
    csv_build = small_build
    query = "select * from marts.fct_account_scores_weekly order by all"
    assert parquet.query(query) == csv_build.query(query)
    assert len(csv_build.query(query)) > 0


def last_event_date(landing: Path) -> dt.date:
    """The newest valid event date in the landing CSVs, computed here, not by the warehouse."""
    newest = dt.date.min
    for part in (landing / "product_events").glob("*.csv"):
        with open(part, newline="") as handle:
            for row in csv.DictReader(handle):
                try:
                    newest = max(newest, dt.date.fromisoformat(row["occurred_at"][:10]))
                except ValueError:
                    continue
    return newest


def test_sources_go_stale_when_as_of_moves_past_their_newest_record(small_landing: Path, tmp_path: Path) -> None:
    newest = last_event_date(small_landing)
    as_of = newest + dt.timedelta(days=20)
    result = build(tmp_path / "wh.duckdb", small_landing, extra_vars={"as_of": as_of.isoformat()})
    assert result.returncode == 0, result.output[-3000:]
    freshness = {s: (age, stale) for s, age, stale in result.query("select source_name, record_age_days, is_stale from marts.rpt_source_freshness")}
    assert freshness["product_events"] == (20, True)
    # current-state sources are dated by creation: old, but not stale
    assert freshness["crm_accounts"][1] is False
    assert len(freshness) == 10


def test_dbt_source_freshness_errors_on_a_file_loaded_11_days_ago(small_landing: Path, small_build: Build, tmp_path: Path) -> None:
    # A copy of the landing folder (its files keep their modification times) and of its build.
    landing = copy_landing(small_landing, tmp_path / "landing")
    db = tmp_path / "wh.duckdb"
    shutil.copyfile(small_build.db_path, db)
    fresh = run_dbt(["source", "freshness"], db, landing)
    assert fresh.returncode == 0, fresh.output[-3000:]
    assert "PASS freshness of landing.nps_responses" in fresh.output
    eleven_days_ago = (dt.datetime.now() - dt.timedelta(days=11)).timestamp()
    os.utime(landing / "nps_responses.csv", (eleven_days_ago, eleven_days_ago))
    assert run_dbt(["build", "--select", "stg_landing__files"], db, landing).returncode == 0
    stale = run_dbt(["source", "freshness"], db, landing)
    assert stale.returncode != 0
    assert "ERROR STALE freshness of landing.nps_responses" in stale.output
    assert "PASS freshness of landing.product_events" in stale.output
