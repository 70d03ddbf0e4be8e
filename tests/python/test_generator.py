"""Tests for scripts/generate_landing.py (the seeded demo landing-data generator)."""

from __future__ import annotations

import csv
import datetime as dt
import glob
import hashlib
import importlib.util
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "generate_landing.py"

SOURCES = (
    "product_events",
    "product_workspaces.csv",
    "product_users.csv",
    "crm_accounts.csv",
    "arr_monthly.csv",
    "nps_responses.csv",
    "support_tickets.csv",
    "csm_touchpoints.csv",
    "cs_health_scores.parquet",
    "renewal_outcomes.csv",
)
END_DATE = "2026-11-15"
SMALL_ARGS = ["--accounts", "40", "--weeks", "26", "--end-date", END_DATE]
PLANTS = {"Champions", "Frustrated Power Users", "Relationship-Dependent", "Churn Risk", "Between"}
METHODS = {"crm_id", "subscription", "email_domain", "override"}


def _load_module():
    spec = importlib.util.spec_from_file_location("generate_landing", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


generate_landing = _load_module()

from demo_landing import usage  # noqa: E402  (scripts/ is on sys.path: conftest)
from demo_landing.config import load_config  # noqa: E402


def _generate(out: Path, seed: int = 42) -> Path:
    rc = generate_landing.main(["--out", str(out), *SMALL_ARGS, "--seed", str(seed)])
    assert rc == 0
    return out


def _hashes(root: Path) -> dict[str, str]:
    out = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            out[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _events(root: Path) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for part in sorted(glob.glob(os.path.join(root, "product_events", "*.csv"))):
        rows.extend(_read(Path(part)))
    return rows


@pytest.fixture(scope="module")
def landing(tmp_path_factory) -> Path:
    return _generate(tmp_path_factory.mktemp("gen") / "landing")


def test_all_ten_sources_written(landing: Path) -> None:
    for name in SOURCES:
        assert (landing / name).exists(), name
    parts = sorted(p.name for p in (landing / "product_events").glob("part-*.csv"))
    assert len(parts) >= 2 and parts[0] == "part-000.csv"
    assert (landing / "_truth" / "planted_accounts.csv").exists()
    # The truth file must not look like a landing source.
    assert not list(landing.glob("planted_accounts*"))


def test_same_seed_is_byte_identical_and_other_seed_differs(landing: Path, tmp_path: Path) -> None:
    again = _generate(tmp_path / "again")
    assert _hashes(again) == _hashes(landing)
    other = _generate(tmp_path / "other", seed=7)
    assert _hashes(other) != _hashes(landing)


def test_out_folder_is_recreated(tmp_path: Path) -> None:
    out = tmp_path / "landing"
    out.mkdir()
    (out / "stale.csv").write_text("x\n", encoding="utf-8")
    _generate(out)
    assert not (out / "stale.csv").exists()


def test_events_not_after_end_date_except_planted_bad_rows(landing: Path) -> None:
    end = dt.date.fromisoformat(END_DATE)
    bad = 0
    for row in _events(landing):
        try:
            occurred = dt.datetime.fromisoformat(row["occurred_at"])
        except ValueError:
            bad += 1
            assert row["occurred_at"] == "not-a-timestamp"
            continue
        assert occurred.date() <= end, row
    assert bad == 3


def test_planted_bad_and_duplicate_event_rows(landing: Path) -> None:
    events = _events(landing)
    assert sum(1 for r in events if r["event_id"] == "") == 2
    ids = [r["event_id"] for r in events if r["event_id"]]
    duplicates = len(ids) - len(set(ids))
    assert 0 < duplicates <= 0.01 * len(ids)
    assert sum(1 for r in _read(landing / "nps_responses.csv") if r["score"] == "11") == 2
    assert sum(1 for r in _read(landing / "support_tickets.csv") if r["account_id"] == "") == 1
    assert sum(1 for r in _read(landing / "csm_touchpoints.csv") if r["sentiment"] == "meh") == 1


def test_truth_file_has_all_plants_and_identity_methods(landing: Path) -> None:
    truth = _read(landing / "_truth" / "planted_accounts.csv")
    assert list(truth[0]) == ["account_id", "segment", "planted_quadrant", "identity_method"]
    assert {r["planted_quadrant"] for r in truth} == PLANTS
    assert {r["identity_method"] for r in truth} == METHODS
    overrides = {r["account_id"] for r in truth if r["identity_method"] == "override"}
    assert overrides == {"A0002", "A0003", "A0004"}
    # Only top-level accounts are in the truth file.
    children = {r["account_id"] for r in _read(landing / "crm_accounts.csv") if r["parent_account_id"]}
    assert children and not children & {r["account_id"] for r in truth}


def test_the_demo_overrides_travel_with_the_demo_data(landing: Path) -> None:
    """The override accounts' workspaces are tied to them in the landing folder's
    account_mapping_overrides.csv, never in the shipped seed (which holds no rows)."""
    rows = _read(landing / "account_mapping_overrides.csv")
    assert [(r["external_id_type"], r["external_id"], r["account_id"]) for r in rows] == [
        ("workspace", "W-OVR-1", "A0002"), ("workspace", "W-OVR-2", "A0003"), ("workspace", "W-OVR-3", "A0004")]
    assert all(r["note"] for r in rows)
    assert _seed("account_mapping_overrides.csv") == []


def test_special_workspaces_exist(landing: Path) -> None:
    workspaces = {r["workspace_id"]: r for r in _read(landing / "product_workspaces.csv")}
    expected = ["W-OVR-1", "W-OVR-2", "W-OVR-3", "W-CONFLICT-1"] + [f"W-ORPH-{k}" for k in range(1, 6)]
    for wid in expected:
        assert wid in workspaces, wid
    conflict = workspaces["W-CONFLICT-1"]
    assert conflict["crm_account_id"] == "A0010" and conflict["subscription_id"] == "S0011"
    for wid in expected[:3]:
        assert workspaces[wid]["crm_account_id"] == "" and workspaces[wid]["subscription_id"] == ""


def test_high_usage_plants_have_more_events_per_seat(landing: Path) -> None:
    """Independently of the generator: tie production workspaces to accounts by crm id."""
    truth = {r["account_id"]: r["planted_quadrant"] for r in _read(landing / "_truth" / "planted_accounts.csv")}
    seats = {r["account_id"]: int(r["licensed_seats"]) for r in _read(landing / "arr_monthly.csv")}
    ws_account = {
        r["workspace_id"]: r["crm_account_id"]
        for r in _read(landing / "product_workspaces.csv")
        if r["crm_account_id"] and r["instance_type"] in ("production", "")
        and not r["workspace_id"].startswith("W-")
    }
    counts: dict[str, int] = {}
    seen: set[str] = set()
    for row in _events(landing):
        account = ws_account.get(row["workspace_id"])
        if account is None or row["event_id"] in seen:
            continue
        seen.add(row["event_id"])
        counts[account] = counts.get(account, 0) + 1

    def mean_per_seat(plants: set[str]) -> float:
        accounts = [a for a in set(ws_account.values()) if truth.get(a) in plants]
        assert accounts, plants
        return sum(counts.get(a, 0) / seats[a] for a in accounts) / len(accounts)

    high = mean_per_seat({"Champions", "Frustrated Power Users"})
    low = mean_per_seat({"Relationship-Dependent", "Churn Risk"})
    assert high > low
    assert high > 5 * low  # the planted gap is wide, not marginal


def test_renewals_in_the_scored_history_churn_at_the_planted_rates(landing: Path) -> None:
    """Every account without an earlier renewal renews once in the window, late enough to have
    been scored 90 days before, and each planted quadrant churns round(rate x n) of them."""
    crm = {row["account_id"]: row for row in _read(landing / "crm_accounts.csv")}
    truth = {row["account_id"]: row["planted_quadrant"] for row in _read(landing / "_truth" / "planted_accounts.csv")}

    def plant(account_id: str) -> str:
        return truth.get(account_id) or truth[crm[account_id]["parent_account_id"]]

    end = dt.date.fromisoformat(SMALL_ARGS[SMALL_ARGS.index("--end-date") + 1])
    weeks = int(SMALL_ARGS[SMALL_ARGS.index("--weeks") + 1])
    first_scored = end - dt.timedelta(days=7 * weeks - 1) + dt.timedelta(days=28 + 90 + 7)
    counts: dict[str, list[int]] = {}
    outcomes = [row for row in _read(landing / "renewal_outcomes.csv") if row["outcome"] != "lost"]
    for row in outcomes:
        when = dt.date.fromisoformat(row["renewal_date"])
        if first_scored <= when <= end:
            n_churned = counts.setdefault(plant(row["account_id"]), [0, 0])
            n_churned[0] += 1
            n_churned[1] += row["outcome"] == "churned"
    assert len(outcomes) == len(crm), "one renewal per account"
    assert set(counts) == set(generate_landing.PLANTS)
    for name, (n, churned) in counts.items():
        assert churned == round(generate_landing.CHURN_RATES[name] * n), (name, n, churned)


def _seed(name: str) -> list[dict[str, str]]:
    return _read(REPO / "seeds" / name)


def test_core_features_and_workflows_are_the_seeds() -> None:
    """The generator plants what the warehouse measures: its core features are the is_core rows
    of seeds/features.csv, each with one of that feature's core events, and it weights every
    one of them; its workflows are seeds/workflows.csv."""
    features = _seed("features.csv")
    core = {r["feature"] for r in features if r["is_core"] == "true"}
    config = load_config()
    assert set(config.core_features) == core
    assert set(usage.CORE_FEATURE_WEIGHT) == core, "seeds/features.csv and CORE_FEATURE_WEIGHT disagree"
    core_events = {r["event_name"]: r["feature"] for r in features if r["is_core"] == "true"}
    for feature, event in config.core_feature_event.items():
        assert core_events.get(event) == feature, (feature, event)
    assert config.workflows == {r["start_event"]: r["completion_event"] for r in _seed("workflows.csv")}


def test_project_settings_are_the_ones_the_demo_data_was_planted_with() -> None:
    """The demo rows depend on these values, read from the seeds and dbt_project.yml: a change
    there changes the demo data (and may undo what it plants), so it should be deliberate."""
    config = load_config()
    assert config.core_feature_event == {
        "dashboards": "dashboard_viewed",
        "reports": "report_created",
        "integrations": "integration_synced",
        "automations": "automation_created",
        "alerts": "alert_configured",
        "collaboration": "comment_added",
    }
    assert config.workflows == {
        "import_started": "import_completed",
        "report_created": "report_shared",
        "automation_created": "automation_run_succeeded",
    }
    assert (config.usage_window_days, config.churn_lookback_days) == (28, 90)
