"""What the generator shares with the warehouse, read from the project instead of repeated.

Core features and the events that count for them come from ``seeds/features.csv``, workflows
from ``seeds/workflows.csv`` and the windows from the vars of ``dbt_project.yml``, so the demo
data plants what the warehouse measures.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class ProjectConfig:
    """The project settings the demo data is planted against."""

    # Core feature -> the event picked for it inside a session, in seed order.
    core_feature_event: dict[str, str]
    # Workflow start event -> completion event.
    workflows: dict[str, str]
    # var usage_window_days: the trailing window of the usage signals.
    usage_window_days: int
    # var churn_lookback_days: "the quadrant before renewal" is read this many days before it.
    churn_lookback_days: int
    # Event name -> product_area (the use case it counts for), every row of seeds/features.csv.
    event_area: dict[str, str] = field(default_factory=dict)
    # The product areas seeds/use_cases.csv scores as use cases.
    scored_use_cases: tuple[str, ...] = ()

    @property
    def core_features(self) -> tuple[str, ...]:
        """The core features, in the order of seeds/features.csv."""
        return tuple(self.core_feature_event)


def _read_seed(project_dir: Path, name: str) -> list[dict[str, str]]:
    with open(project_dir / "seeds" / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def core_feature_events(rows: list[dict[str, str]]) -> dict[str, str]:
    """Each core feature's first event in seed order (for a feature with a workflow, its start)."""
    out: dict[str, str] = {}
    for row in rows:
        if row["is_core"].strip().lower() == "true":
            out.setdefault(row["feature"], row["event_name"])
    return out


def _read_vars(project_dir: Path) -> dict:
    import yaml  # imported lazily so --help works without it

    with open(project_dir / "dbt_project.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)["vars"]


def load_config(project_dir: Path = PROJECT_DIR) -> ProjectConfig:
    """Read the seeds and dbt_project.yml vars of the project in ``project_dir``."""
    workflows = _read_seed(project_dir, "workflows.csv")
    features = _read_seed(project_dir, "features.csv")
    dbt_vars = _read_vars(project_dir)
    return ProjectConfig(
        core_feature_event=core_feature_events(features),
        workflows={row["start_event"]: row["completion_event"] for row in workflows},
        usage_window_days=int(dbt_vars["usage_window_days"]),
        churn_lookback_days=int(dbt_vars["churn_lookback_days"]),
        event_area={row["event_name"]: row["product_area"] for row in features},
        scored_use_cases=tuple(row["product_area"] for row in _read_seed(project_dir, "use_cases.csv")
                               if row["is_scored"].strip().lower() == "true"),
    )
