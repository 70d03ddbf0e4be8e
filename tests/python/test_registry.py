"""The score-component registry: the generated files are current, and adding a component is one
seed row plus one signal expression (then `make registry`), proved by building a scratch copy."""
from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PROJECT_DIR, Build, build, copy_project
import generate_landing

REGISTRY = [sys.executable, str(PROJECT_DIR / "scripts" / "registry.py")]
NEW_COMPONENT = "promoter_share"


def run_registry(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*REGISTRY, "--project-dir", str(project), *args], capture_output=True, text=True, check=False)


def test_the_generated_registry_files_are_current() -> None:
    result = run_registry(PROJECT_DIR, "--check")
    assert result.returncode == 0, result.stderr


def test_a_seed_edit_without_make_registry_is_caught(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    seed = project / "seeds" / "score_components.csv"
    seed.write_text(seed.read_text() + "extra_signal,usage,relative,higher_is_better,,,int_usage_signals,extra_signal,A new signal\n")
    result = run_registry(project, "--check")
    assert result.returncode == 1
    assert "make registry" in result.stderr and "macros/scoring/registry.sql" in result.stderr


@pytest.fixture(scope="module")
def with_new_component(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """A copy of the project with one new health component, built on small demo data: the
    recipe of README "Adding a score component", step by step."""
    root = tmp_path_factory.mktemp("registry")
    project = copy_project(root / "project")
    # 1. one row in the registry seed
    seed = project / "seeds" / "score_components.csv"
    seed.write_text(seed.read_text() + (
        f"{NEW_COMPONENT},health,relative,higher_is_better,,,int_nps_signals,{NEW_COMPONENT},"
        "Share of NPS responses from promoters over the trailing 180 days\n"))
    # 2. one signal expression, in the signal model the row names
    model = project / "models" / "intermediate" / "health" / "int_nps_signals.sql"
    text = model.read_text()
    anchor = "        end as nps_trend\n"
    assert anchor in text
    model.write_text(text.replace(anchor, anchor.rstrip("\n") + ",\n"
        "        case\n"
        "            when nps_windows.responses > 0 then\n"
        "                cast(nps_windows.promoters as double) / nps_windows.responses\n"
        f"        end as {NEW_COMPONENT}\n"))
    # 3. make registry
    assert run_registry(project).returncode == 0
    # (optional) give it weight: 0.05 moved from nps_trend in the default segment
    weights = project / "seeds" / "score_weights.csv"
    rows = list(csv.DictReader(open(weights, newline="")))
    for row in rows:
        if row["segment"] == "default" and row["component"] == "nps_trend":
            row["weight"] = "0"
    rows.append({"segment": "default", "score_name": "health", "component": NEW_COMPONENT, "weight": "0.05"})
    with open(weights, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    landing = root / "landing"
    assert generate_landing.main(["--out", str(landing), "--accounts", "60", "--weeks", "26", "--seed", "5"]) in (0, None)
    result = build(root / "wh.duckdb", landing, work_dir=project)
    assert result.returncode == 0, result.output[-4000:]
    return result


def test_a_new_component_reaches_every_mart_column_list(with_new_component: Build) -> None:
    for relation, columns in (
        ("marts.fct_account_scores_weekly", {f"{NEW_COMPONENT}_score", NEW_COMPONENT}),
        ("marts.rpt_account_quadrant", {f"{NEW_COMPONENT}_score"}),
    ):
        found = {row[0] for row in with_new_component.query(f"describe {relation}")}
        assert columns <= found, f"{relation} lacks {columns - found}"


def test_a_new_component_is_scored_and_weighted(with_new_component: Build) -> None:
    (weight,) = with_new_component.query(
        f"select weight from intermediate.int_segment_component_weights where segment = 'default' and component = '{NEW_COMPONENT}'")[0]
    assert float(weight) == pytest.approx(0.05)
    # a relative component: within a segment and week, a higher signal never scores lower
    rows = with_new_component.query(
        f"select segment, week_start, {NEW_COMPONENT}, {NEW_COMPONENT}_score from marts.fct_account_scores_weekly "
        f"where {NEW_COMPONENT} is not null and is_latest_week")
    assert len(rows) > 20
    by_group: dict[tuple, list[tuple[float, float]]] = {}
    for segment, week, signal, score in rows:
        assert 0 <= score <= 100
        by_group.setdefault((segment, week), []).append((signal, score))
    for pairs in by_group.values():
        pairs.sort()
        for (signal_a, score_a), (signal_b, score_b) in zip(pairs, pairs[1:]):
            assert signal_a == signal_b or score_a <= score_b


def test_a_new_signal_is_the_share_of_promoters(with_new_component: Build) -> None:
    """Checked against the NPS responses themselves, for accounts without child accounts."""
    rows = with_new_component.query(f"""
        with latest as (
            select account_id, week_end, {NEW_COMPONENT} as share
            from marts.fct_account_scores_weekly where is_latest_week and {NEW_COMPONENT} is not null
        ),
        single as (
            select scored_account_id from intermediate.int_account_hierarchy
            group by scored_account_id having count(*) = 1
        )
        select
            latest.share,
            avg(case when nps.nps_category = 'promoter' then 1.0 else 0.0 end) as expected
        from latest
        inner join single on latest.account_id = single.scored_account_id
        inner join staging.stg_crm__nps_responses as nps
            on nps.account_id = latest.account_id
            and cast(nps.responded_at as date) <= latest.week_end
            and cast(nps.responded_at as date) > latest.week_end - 180
        group by latest.account_id, latest.share""")
    assert len(rows) > 10
    for share, expected in rows:
        assert share == pytest.approx(expected, abs=1e-4)
