"""Incremental event models: a warehouse built in three increments equals a full refresh.

Events arrive in three batches, the way a weekly job sees them: the demo's CSV parts up to a
cut-off, then two Parquet parts with the next weeks plus events that arrive late, an exact
duplicate of an old event and an old event id re-sent with a new time. With the third batch one
of the first files is rewritten without some of its rows, and the product starts mapping an
orphan workspace to an account. After
each batch only `dbt run` (incremental); at the end a full build of the same files in a new
warehouse must give the same rows in every relation of every schema.
"""
from __future__ import annotations

import datetime as dt
import shutil
from collections import Counter
from pathlib import Path

import duckdb
import pytest

import generate_landing
from conftest import Build, read_rows, run_dbt, write_rows

EVENT_FIELDS = ["event_id", "occurred_at", "workspace_id", "user_id", "event_name", "session_id"]
FIRST_CUT = dt.datetime(2026, 10, 19)  # a Monday: batch 1 holds the events before it
SECOND_CUT = dt.datetime(2026, 11, 2)  # batch 2: from FIRST_CUT to here; batch 3: the rest
# every 10th event of the second week before a cut arrives one batch late, in a new file: older
# than the last week built, so only the new file's version brings its week back
LATE_EVERY = 10
SCHEMAS = ("config", "staging", "intermediate", "marts")
MARKER_EVENT = "E-MARKER-OLD-WEEK"


def occurred(row: dict[str, str]) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(row["occurred_at"])
    except ValueError:
        return None


def write_parquet(path: Path, rows: list[dict[str, str]]) -> None:
    staging_csv = path.with_suffix(".csv.tmp")
    write_rows(staging_csv, rows, fields=EVENT_FIELDS)
    con = duckdb.connect(":memory:")
    try:
        con.execute(
            f"copy (select * from read_csv('{staging_csv}', all_varchar = true, header = true)) "
            f"to '{path}' (format parquet)"
        )
    finally:
        con.close()
    staging_csv.unlink()


def snapshot(db_path: Path) -> dict[str, tuple[list[tuple], list[tuple]]]:
    """Every relation of the project's schemas: its columns with types, and its rows in order."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        names = con.execute(
            "select table_schema, table_name from information_schema.tables "
            f"where table_schema in {SCHEMAS} order by 1, 2"
        ).fetchall()
        out = {}
        for schema, name in names:
            columns = con.execute(
                "select column_name, data_type from information_schema.columns "
                f"where table_schema = '{schema}' and table_name = '{name}' order by ordinal_position"
            ).fetchall()
            rows = con.execute(f'select * from "{schema}"."{name}" order by all').fetchall()
            out[f"{schema}.{name}"] = (columns, rows)
        return out
    finally:
        con.close()


def query(db_path: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def ok(result: Build) -> Build:
    assert result.returncode == 0, result.output[-5000:]
    return result


@pytest.fixture(scope="module")
def increments(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    root = tmp_path_factory.mktemp("incremental")
    full_landing = root / "generated"
    generate_landing.main(["--out", str(full_landing), "--accounts", "40", "--weeks", "26", "--seed", "11"])
    landing = root / "landing"
    events_dir = landing / "product_events"
    events_dir.mkdir(parents=True)
    for path in sorted((full_landing).glob("*.*")):
        (landing / path.name).write_bytes(path.read_bytes())

    parts = sorted((full_landing / "product_events").glob("part-*.csv"))
    rows = {part.name: read_rows(part) for part in parts}
    all_rows = [row for part_rows in rows.values() for row in part_rows]

    def late(row: dict[str, str], cut: dt.datetime) -> bool:
        when = occurred(row)
        return (when is not None and cut - dt.timedelta(days=14) <= when < cut - dt.timedelta(days=7)
                and row["event_id"] != "" and int(row["event_id"][1:]) % LATE_EVERY == 0)

    # Batch 1: the CSV parts, cut at FIRST_CUT, without the late events (and with the bad rows).
    for name, part_rows in rows.items():
        kept = [r for r in part_rows
                if (occurred(r) is None or occurred(r) < FIRST_CUT) and not late(r, FIRST_CUT)]
        write_rows(events_dir / name, kept, fields=EVENT_FIELDS)
    batch2 = [r for r in all_rows
              if (occurred(r) is not None and FIRST_CUT <= occurred(r) < SECOND_CUT and not late(r, SECOND_CUT))
              or late(r, FIRST_CUT)]
    batch3 = [r for r in all_rows if (occurred(r) is not None and occurred(r) >= SECOND_CUT) or late(r, SECOND_CUT)]
    # At-least-once delivery across batches: an old event sent again as is, and an old event id
    # sent again with a time inside the third batch (the earliest copy must win, as in a full build).
    early = [r for r in all_rows if occurred(r) is not None and occurred(r) < dt.datetime(2026, 6, 8)
             and r["event_id"]]
    resent_same, resent_moved = early[0], dict(early[1])
    resent_moved["occurred_at"] = "2026-11-10T10:00:00"
    batch3 += [dict(resent_same), resent_moved]

    workspaces = read_rows(landing / "product_workspaces.csv")
    orphan = "W-ORPH-1"
    assert any(w["workspace_id"] == orphan for w in workspaces)
    first_account = read_rows(landing / "crm_accounts.csv")[0]["account_id"]

    db = root / "incremental.duckdb"
    ok(run_dbt(["seed"], db, landing))
    first = ok(run_dbt(["run"], db, landing))
    events_after_first = query(db, "select count(*), max(week_start) from staging.stg_product__events")[0]
    # A row in an old week that only an incremental run leaves alone: a full rebuild would drop it.
    con = duckdb.connect(str(db))
    con.execute(
        "insert into staging.stg_product__events (event_id, workspace_id, user_hash, event_name, occurred_at, "
        f"event_date, week_start) values ('{MARKER_EVENT}', 'W-MARKER', 'x', 'login', "
        "timestamp '2026-06-02 10:00:00', date '2026-06-02', date '2026-06-01')"
    )
    con.close()

    write_parquet(events_dir / "batch-2.parquet", batch2)
    second = ok(run_dbt(["run"], db, landing))
    marker_after_second = query(db, f"select count(*) from staging.stg_product__events where event_id = '{MARKER_EVENT}'")
    con = duckdb.connect(str(db))
    con.execute(f"delete from staging.stg_product__events where event_id = '{MARKER_EVENT}'")
    con.close()

    write_parquet(events_dir / "batch-3.parquet", batch3)
    # A corrected export: one of the first batch's files is rewritten without its last 50 rows.
    rewritten = read_rows(events_dir / "part-000.csv")
    copies = Counter(r["event_id"] for r in all_rows)
    withdrawn = [r["event_id"] for r in rewritten[1000:] if r["event_id"] and copies[r["event_id"]] == 1][:50]
    write_rows(events_dir / "part-000.csv", [r for r in rewritten if r["event_id"] not in withdrawn],
               fields=EVENT_FIELDS)
    for w in workspaces:
        if w["workspace_id"] == orphan:
            w["crm_account_id"] = first_account
    write_rows(landing / "product_workspaces.csv", workspaces)
    third = ok(run_dbt(["run"], db, landing))

    full_db = root / "full.duckdb"
    ok(run_dbt(["seed"], full_db, landing))
    ok(run_dbt(["run", "--full-refresh"], full_db, landing))
    return {
        "incremental": db, "full": full_db, "landing": landing, "runs": (first, second, third),
        "events_after_first": events_after_first, "marker_after_second": marker_after_second,
        "late": sorted({r["event_id"] for r in all_rows if late(r, FIRST_CUT) or late(r, SECOND_CUT)}),
        "resent": (resent_same, resent_moved), "orphan": orphan, "account": first_account,
        "withdrawn": withdrawn,
    }


def test_incremental_runs_equal_a_full_refresh_relation_by_relation(increments: dict) -> None:
    incremental, full = snapshot(increments["incremental"]), snapshot(increments["full"])
    assert set(incremental) == set(full)
    for name in ("staging.stg_product__events", "intermediate.int_sessions",
                 "intermediate.int_workspace_user_events_weekly", "marts.rpt_account_quadrant"):
        assert name in full and full[name][1], f"{name} is missing or empty: the comparison would prove nothing"
    differing = [name for name in sorted(full) if incremental[name] != full[name]]
    assert differing == [], f"relations that differ after incremental runs: {differing}"


def test_the_later_runs_were_incremental(increments: dict) -> None:
    first, second, third = increments["runs"]
    for run in (second, third):
        assert "incremental model staging.stg_product__events" in run.output
    # the marker row in an old week survived the second run: old weeks were not rebuilt ...
    assert increments["marker_after_second"] == [(1,)]
    # ... and the first run held only the first batch's weeks
    count, last_week = increments["events_after_first"]
    assert last_week == dt.date(2026, 10, 12)
    assert 0 < count < query(increments["full"], "select count(*) from staging.stg_product__events")[0][0]


def test_late_events_within_the_look_back_are_counted(increments: dict) -> None:
    late = increments["late"]
    assert len(late) > 20
    listed = ", ".join(f"'{e}'" for e in late)
    assert query(increments["incremental"],
                 f"select count(*) from staging.stg_product__events where event_id in ({listed})") == [(len(late),)]


def test_an_event_resent_in_a_later_batch_keeps_its_earliest_copy(increments: dict) -> None:
    same, moved = increments["resent"]
    for row in (same, moved):
        got = query(increments["incremental"],
                    f"select count(*), min(occurred_at) from staging.stg_product__events where event_id = '{row['event_id']}'")
        assert got[0][0] == 1
    original = query(increments["full"], f"select occurred_at from staging.stg_product__events where event_id = '{moved['event_id']}'")
    assert original[0][0] < dt.datetime(2026, 6, 8)


def test_a_workspace_mapped_later_brings_its_old_weeks_to_the_account(increments: dict) -> None:
    db = increments["incremental"]
    account = query(db, "select scored_account_id from intermediate.int_workspace_accounts "
                        f"where workspace_id = '{increments['orphan']}'")[0][0]
    from_events = query(db, "select count(*) from staging.stg_product__events as e "
                            "cross join intermediate.int_run_parameters as p "
                            f"where e.workspace_id = '{increments['orphan']}' and e.week_start <= p.latest_week_start")[0][0]
    weeks = query(db, f"select count(distinct week_start) from staging.stg_product__events where workspace_id = '{increments['orphan']}'")[0][0]
    assert from_events > 0 and weeks > 4
    in_usage = query(db, "select count(*) from intermediate.int_account_events "
                         f"where workspace_id = '{increments['orphan']}' and scored_account_id = '{account}'")[0][0]
    assert in_usage == query(db, f"select count(*) from staging.stg_product__events where workspace_id = '{increments['orphan']}'")[0][0]
    before = query(db, "select min(week_start) from intermediate.int_workspace_user_events_weekly "
                       f"where workspace_id = '{increments['orphan']}'")[0][0]
    assert before < dt.date(2026, 10, 19), "the orphan's early weeks were built before it was mapped"


def test_rows_withdrawn_by_a_rewritten_file_are_gone(increments: dict) -> None:
    listed = ", ".join(f"'{e}'" for e in increments["withdrawn"] if e)
    assert listed
    for db in (increments["incremental"], increments["full"]):
        assert query(db, f"select count(*) from staging.stg_product__events where event_id in ({listed})") == [(0,)]


def test_a_table_built_by_an_earlier_version_asks_for_a_full_refresh(increments: dict, tmp_path: Path) -> None:
    """A warehouse from before the incremental models: the run names the table and the fix, and
    the full refresh it asks for works. The warehouse is a copy of the full build above (seeded
    and run), its events table then stripped of the column the incremental models added."""
    landing = increments["landing"]
    db = tmp_path / "old.duckdb"
    shutil.copyfile(increments["full"], db)
    con = duckdb.connect(str(db))
    con.execute("alter table staging.stg_product__events drop column _landing_file_version")
    con.close()

    stale = run_dbt(["run", "-s", "stg_product__events"], db, landing)
    assert stale.returncode != 0
    assert "staging\".\"stg_product__events\" was built by an earlier version" in stale.output
    assert "no column _landing_file_version" in stale.output and "--full-refresh" in stale.output

    ok(run_dbt(["run", "-s", "stg_product__events", "--full-refresh"], db, landing))
    columns = [c for (c,) in query(db, "select column_name from information_schema.columns "
                                       "where table_schema = 'staging' and table_name = 'stg_product__events'")]
    assert "_landing_file_version" in columns


def test_event_tests_read_the_rebuilt_weeks_unless_asked_for_all_history(increments: dict, tmp_path: Path) -> None:
    """Issue 17: after an incremental run, the data tests of the event-grain models read the weeks
    the run rebuilt (run_state.rebuilt_rows), not a year of events; var full_history_tests reads
    every row. A duplicate planted in an old week is seen only with the flag; one planted in a
    rebuilt week is seen either way."""
    landing = increments["landing"]
    db = tmp_path / "scoped.duckdb"
    shutil.copyfile(increments["incremental"], db)
    # the third run read the new and the rewritten file (the rewritten one spans every week)
    assert "batch-3.parquet" in dict(query(db, "select model, predicate from run_state.rebuilt_rows"))["base_product_events"]
    # a weekly run with nothing new rebuilds the look-back only
    ok(run_dbt(["run", "-s", "base_product_events", "stg_product__events"], db, landing))
    recorded = dict(query(db, "select model, predicate from run_state.rebuilt_rows"))
    assert recorded["base_product_events"] == "_landing_file in ('')"
    assert recorded["stg_product__events"] is not None and "week_start" in recorded["stg_product__events"]
    new_week = query(db, "select max(week_start) from staging.stg_product__events")[0][0]
    old_week = query(db, "select min(week_start) from staging.stg_product__events "
                         f"where not ({recorded['stg_product__events']})")[0][0]
    assert old_week is not None and old_week < new_week - dt.timedelta(days=14)
    in_rebuilt = query(db, f"select count(*) from staging.stg_product__events where {recorded['stg_product__events']} "
                           f"and week_start = date '{new_week}'")[0][0]
    outside = query(db, f"select count(*) from staging.stg_product__events where {recorded['stg_product__events']} "
                        f"and week_start = date '{old_week}'")[0][0]
    assert in_rebuilt > 0 and outside == 0

    def plant_copy_of_an_event_in(week: dt.date) -> None:
        con = duckdb.connect(str(db))
        con.execute("insert into staging.stg_product__events select * from staging.stg_product__events "
                    f"where week_start = date '{week}' order by event_id limit 1")
        con.close()

    unique_test = "unique_stg_product__events_event_id"
    plant_copy_of_an_event_in(old_week)
    scoped = run_dbt(["test", "-s", unique_test], db, landing)
    assert scoped.returncode == 0, scoped.output[-3000:]
    full = run_dbt(["test", "-s", unique_test], db, landing, extra_vars={"full_history_tests": True})
    assert full.returncode != 0 and f"FAIL 1 {unique_test}" in full.output, full.output[-3000:]

    plant_copy_of_an_event_in(new_week)
    caught = run_dbt(["test", "-s", unique_test], db, landing)
    assert caught.returncode != 0 and f"FAIL 1 {unique_test}" in caught.output, caught.output[-3000:]
