"""Configuration seeds edited by hand: a broken edit fails the build with a message that says what to change."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

import generate_landing
from conftest import build, copy_project, read_rows, write_rows


@pytest.fixture(scope="module")
def tiny_landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    landing = tmp_path_factory.mktemp("tiny") / "landing"
    generate_landing.main(["--out", str(landing), "--accounts", "20", "--weeks", "26", "--seed", "5"])
    return landing


def rewrite_seed(project: Path, seed: str, edit) -> None:
    path = project / "seeds" / f"{seed}.csv"
    write_rows(path, edit(read_rows(path)))


def test_weights_not_summing_to_one_name_the_segment_and_the_sum(tiny_landing: Path, tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")

    def shrink_enterprise_nps(rows):
        for row in rows:
            if (row["segment"], row["score_name"], row["component"]) == ("enterprise", "health", "nps"):
                row["weight"] = "0.15"  # 0.05 short of 0.20
        return rows

    rewrite_seed(project, "score_weights", shrink_enterprise_nps)
    result = build(tmp_path / "wh.duckdb", tiny_landing, work_dir=project)
    assert result.returncode != 0
    assert "weights_sum_to_one" in result.output
    assert "segment 'enterprise', score_name 'health' sum to 0.95" in result.output
    # the default and low_touch segments are fine, so they are not named
    assert "segment 'default'" not in result.output


def test_unknown_segment_falls_back_to_the_default_row(tiny_landing: Path, tmp_path: Path) -> None:
    """A segment with no thresholds and no weights of its own is scored with the `default` rows."""
    landing = tmp_path / "landing"
    shutil.copytree(tiny_landing, landing)
    rows = read_rows(landing / "crm_accounts.csv")
    renamed = rows[0]["account_id"]
    rows[0]["segment"] = "strategic"
    write_rows(landing / "crm_accounts.csv", rows)
    result = build(tmp_path / "wh.duckdb", landing)
    assert result.returncode == 0, result.output[-3000:]
    assert result.query("select settings_source from intermediate.int_segment_settings where segment = 'strategic'") == [("default",)]
    assert result.query(
        "select count(distinct weights_segment), min(weights_segment) from intermediate.int_segment_component_weights where segment = 'strategic'"
    ) == [(1, "default")]
    assert result.query(f"select segment from marts.rpt_account_quadrant where account_id = '{renamed}'") == [("strategic",)]


def test_the_configuration_fingerprint_changes_with_a_seed_a_check_or_a_var(tmp_path: Path, monkeypatch) -> None:
    """Issue 17: `make build` skips loading and checking the configuration only while its
    fingerprint is the one recorded by the last good build; an edited seed, an edited check or
    another var must each change it, and a warehouse with nothing recorded is checked in full."""
    import configuration_state

    project = copy_project(tmp_path / "project")
    monkeypatch.setattr(configuration_state, "PROJECT_DIR", project)
    variables = "{landing_dir: data/landing}"
    base = configuration_state.fingerprint(variables, "duckdb")
    assert configuration_state.fingerprint(variables, "duckdb") == base
    assert configuration_state.fingerprint("{landing_dir: elsewhere}", "duckdb") != base

    rewrite_seed(project, "score_weights", lambda rows: rows[:-1])
    edited_seed = configuration_state.fingerprint(variables, "duckdb")
    assert edited_seed != base
    check = next((project / "tests" / "generic").glob("*.sql"))
    check.write_text(check.read_text() + "\n-- edited\n")
    assert configuration_state.fingerprint(variables, "duckdb") not in (base, edited_seed)

    db = tmp_path / "warehouse.duckdb"
    full = configuration_state.build_args(db, variables)
    assert full == ["--exclude-resource-type", "unit_test"]  # nothing recorded: check everything
    configuration_state.record(db, configuration_state.fingerprint(variables, "duckdb"))
    assert configuration_state.build_args(db, variables) == full + ["--selector", "build_with_checked_configuration"]
    assert configuration_state.build_args(db, variables, full_refresh=True) == full
    assert configuration_state.build_args(db, "{landing_dir: elsewhere}") == full



def test_nothing_new_means_the_same_landing_files_project_and_vars(tmp_path: Path, monkeypatch) -> None:
    """Issue 17: `make build` runs no dbt only while every input is the one of the last good,
    published build: a new, rewritten, touched or removed landing file, an edited model, an
    edited mapping file outside the landing folder or another serving file must each count as
    something new, and so must a warehouse with no record or no served copy."""
    import os

    import configuration_state

    project = copy_project(tmp_path / "project")
    monkeypatch.setattr(configuration_state, "PROJECT_DIR", project)
    landing = tmp_path / "landing"
    (landing / "product_events").mkdir(parents=True)
    (landing / "crm_accounts.csv").write_text("account_id,account_name,segment\nA1,Acme,smb\n")
    part = landing / "product_events" / "part-1.csv"
    part.write_text("event_id\nE1\n")
    mapping = tmp_path / "mine.yml"
    mapping.write_text("crm_accounts: {account_id: Id}\n")
    variables = f"{{landing_dir: {landing}, landing_mappings: [{mapping}]}}"
    serve, db = tmp_path / "serve.duckdb", tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(serve))
    con.execute("create schema serving")
    con.execute("create table serving.manifest as select 'rpt' as relation, date '2026-11-15' as as_of_date, "
                "'2026-11-16T06:00:00Z' as published_at")
    con.close()

    def record() -> None:
        configuration_state.record(db, configuration_state.inputs_fingerprint(variables, "duckdb", serve)[0],
                                   "build_inputs")

    assert configuration_state.unchanged(db, variables, serve) is None  # nothing recorded
    record()
    message = configuration_state.unchanged(db, variables, serve)
    assert message == (f"Nothing new since the last good build: the 2 files in {landing}, the project and its "
                       f"configuration are those it built; the served copy {serve} is untouched: published "
                       "2026-11-16T06:00:00Z, as of 2026-11-15. FORCE=1 builds anyway.")
    assert configuration_state.unchanged(db, variables, tmp_path / "other-serve.duckdb") is None

    stat = part.stat()
    changes = [
        lambda: (landing / "product_events" / "part-2.csv").write_text("event_id\nE2\n"),  # a new file
        lambda: (part.write_text("event_id\nE9\n"),  # rewritten a second later, same size
                 os.utime(part, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))),
        lambda: os.utime(part, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2 * 10**9)),  # touched
        lambda: part.unlink(),  # withdrawn
        lambda: mapping.write_text("crm_accounts: {account_id: AccountId}\n"),
        lambda: (project / "models" / "marts" / "core" / "fct_account_scores_weekly.sql").write_text("select 1\n"),
    ]
    for change in changes:
        change()
        assert configuration_state.unchanged(db, variables, serve) is None, change
        record()
        assert configuration_state.unchanged(db, variables, serve) is not None
