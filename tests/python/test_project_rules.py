"""dbt-project-evaluator's rules hold on this project, but for the exceptions listed (with a reason)
in tests/project_rules_exceptions.yml; and the rules themselves catch what they must, on small
hand-made manifests. The rules live in scripts/project_rules.py (also a command for humans)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from conftest import PROJECT_DIR, SCRIPTS_DIR, run_dbt

sys.path.insert(0, str(SCRIPTS_DIR))
import project_rules  # noqa: E402
from project_rules import RULES  # noqa: E402

EXCEPTIONS_NAME = str(project_rules.EXCEPTIONS_FILE.relative_to(PROJECT_DIR))


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The project's manifest, from one `dbt parse` (no warehouse, no landing files needed)."""
    tmp = tmp_path_factory.mktemp("rules")
    landing = tmp / "landing"
    landing.mkdir()
    target = tmp / "target"
    result = run_dbt(["parse"], tmp / "x.duckdb", landing,
                     extra_env={"DBT_TARGET_PATH": str(target), "DBT_LOG_PATH": str(tmp / "logs")})
    assert result.returncode == 0, result.output[-5000:]
    return json.loads((target / "manifest.json").read_text())


@pytest.fixture(scope="module")
def exceptions() -> project_rules.Exceptions:
    return project_rules.load_exceptions()


def test_the_exceptions_file_is_well_formed(exceptions: project_rules.Exceptions) -> None:
    """Every exception names a known rule and a node, and says why."""
    assert not exceptions.problems, "\n".join(exceptions.problems)


@pytest.mark.parametrize("rule", RULES)
def test_rule(manifest: dict, exceptions: project_rules.Exceptions, rule: str) -> None:
    """No offender but the excepted ones, and no exception that no longer applies."""
    finding = project_rules.evaluate(manifest, RULES[rule], exceptions)
    assert finding.ok, finding.report(EXCEPTIONS_NAME)


# --- the rules on hand-made manifests --------------------------------------------------------

def fake_manifest(models: dict[str, list[str]], sources: tuple[str, ...] = (), seeds: tuple[str, ...] = (),
                  paths: dict[str, str] | None = None, descriptions: dict[str, str] | None = None,
                  tests: list[dict] | None = None, exposures: dict[str, list[str]] | None = None) -> dict:
    """A manifest with just what the rules read. `models` maps a model's name to its parents'
    names (a source as `src.table`); files go in the folder their prefix asks for unless `paths`
    says otherwise; every model is described with its grain unless `descriptions` says otherwise;
    `tests` are (model, macro, column) dicts; `exposures` map a name to the models they read."""
    layer = {"stg": "staging/crm", "base": "staging/base", "int": "intermediate",
             "fct": "marts", "dim": "marts", "rpt": "marts"}

    def uid(name: str) -> str:
        if "." in name:
            return f"source.p.{name}"
        return f"seed.p.{name}" if name in seeds else f"model.p.{name}"

    nodes = {
        f"model.p.{name}": {
            "resource_type": "model", "package_name": "p", "name": name, "columns": {},
            "original_file_path": (paths or {}).get(name, f"models/{layer.get(name.split('_')[0], 'other')}/{name}.sql"),
            "description": (descriptions or {}).get(name, "One row per thing."),
            "depends_on": {"nodes": [uid(p) for p in reads]},
        }
        for name, reads in models.items()
    }
    nodes |= {f"seed.p.{name}": {"resource_type": "seed", "package_name": "p", "name": name,
                                 "depends_on": {"nodes": []}} for name in seeds}
    for i, test in enumerate(tests or []):
        nodes[f"test.p.t{i}"] = {
            "resource_type": "test", "package_name": "p", "name": f"t{i}", "column_name": test.get("column"),
            "attached_node": f"model.p.{test['model']}", "config": {"where": test.get("where")},
            "depends_on": {"nodes": [f"model.p.{test['model']}"], "macros": [test["macro"]]},
        }
    parent_map = {key: list(node["depends_on"]["nodes"]) for key, node in nodes.items()}
    parent_map |= {f"exposure.p.{name}": [f"model.p.{m}" for m in reads] for name, reads in (exposures or {}).items()}
    source_ids = [uid(s) for s in sources]
    child_map: dict[str, list[str]] = {key: [] for key in [*parent_map, *source_ids]}
    for child, its_parents in parent_map.items():
        for parent in its_parents:
            child_map.setdefault(parent, []).append(child)
    return {
        "metadata": {"project_name": "p"},
        "nodes": nodes,
        "sources": {uid(s): {"resource_type": "source", "package_name": "p", "source_name": s.split(".")[0],
                             "name": s.split(".")[1], "description": "Raw rows."} for s in sources},
        "parent_map": parent_map,
        "child_map": child_map,
    }


KEYED = ("macro.p.test_unique_combination",)


def keyed(*models: str) -> list[dict]:
    return [{"model": m, "macro": KEYED[0]} for m in models]


@pytest.mark.parametrize("models, paths, offenders", [
    ({"stg_a": [], "base_a": [], "int_a": [], "fct_a": [], "dim_a": [], "rpt_a": []}, {}, set()),
    ({"stg_a": []}, {"stg_a": "models/marts/stg_a.sql"}, {"stg_a"}),
    ({"base_a": []}, {"base_a": "models/staging/crm/base_a.sql"}, {"base_a"}),
    ({"stg_a": []}, {"stg_a": "models/staging/base/stg_a.sql"}, {"stg_a"}),
    ({"orders": []}, {"orders": "models/intermediate/orders.sql"}, {"orders"}),
    ({"fct_a": []}, {"fct_a": "models/fct_a.sql"}, {"fct_a"}),
    ({"metricflow_time_spine": []}, {"metricflow_time_spine": "models/semantic/metricflow_time_spine.sql"}, set()),
    ({"int_a": []}, {"int_a": "models/semantic/int_a.sql"}, {"int_a"}),
])
def test_naming_reports_a_prefix_out_of_its_folder(models: dict, paths: dict, offenders: set) -> None:
    assert set(project_rules.model_naming(fake_manifest(models, paths=paths))) == offenders


def test_a_mart_reading_staging_or_a_source_is_reported() -> None:
    manifest = fake_manifest({"stg_a": ["src.a"], "int_a": ["stg_a"], "rpt_ok": ["int_a", "fct_b", "cfg"],
                              "fct_b": ["int_a"], "rpt_bad": ["stg_a", "int_a"], "dim_bad": ["src.a"]},
                             sources=("src.a",), seeds=("cfg",))
    found = project_rules.mart_parents(manifest)
    assert set(found) == {"rpt_bad", "dim_bad"}
    assert "stg_a" in found["rpt_bad"] and "int_a" not in found["rpt_bad"]


def test_only_staging_reads_a_source_and_never_beside_a_model() -> None:
    manifest = fake_manifest({"stg_a": ["src.a"], "stg_mixed": ["src.b", "stg_a"], "int_a": ["src.c"],
                              "base_c": ["src.c", "cfg"]},
                             sources=("src.a", "src.b", "src.c"), seeds=("cfg",))
    found = project_rules.direct_join_to_source(manifest)
    assert set(found) == {"stg_mixed", "int_a"}
    assert "stg_a" in found["stg_mixed"] and "not a base_/stg_ model" in found["int_a"]


def test_root_models_unused_sources_and_source_fanout() -> None:
    manifest = fake_manifest({"stg_a": ["src.a"], "stg_a2": ["src.a"], "int_seeded": ["cfg"], "int_orphan": []},
                             sources=("src.a", "src.unread"), seeds=("cfg",))
    assert set(project_rules.root_models(manifest)) == {"int_orphan"}
    assert set(project_rules.unused_sources(manifest)) == {"src.unread"}
    assert set(project_rules.source_fanout(manifest)) == {"src.a"}


def test_model_fanout_counts_leaf_children_only() -> None:
    leaves = {f"rpt_{i}": ["int_a"] for i in range(4)}
    # Tests do not make a child less of a leaf.
    assert set(project_rules.model_fanout(fake_manifest({"int_a": [], **leaves}, tests=keyed(*leaves)))) == {"int_a"}
    # A child that a model or an exposure reads is no leaf.
    assert project_rules.model_fanout(fake_manifest({"int_a": [], **leaves, "fct_x": ["rpt_0"]})) == {}
    assert project_rules.model_fanout(fake_manifest({"int_a": [], **leaves}, exposures={"dash": ["rpt_1"]})) == {}


def test_more_than_six_parents_is_too_many() -> None:
    parents = [f"int_{i}" for i in range(7)]
    manifest = fake_manifest({**{p: [] for p in parents}, "fct_seven": parents, "fct_six": parents[:5] + ["cfg"]},
                             seeds=("cfg",))
    assert set(project_rules.too_many_parents(manifest)) == {"fct_seven"}


def test_a_primary_key_is_unique_and_not_null_on_one_column_or_a_combination() -> None:
    tests = [
        {"model": "fct_pk", "macro": "macro.dbt.test_unique", "column": "id"},
        {"model": "fct_pk", "macro": "macro.dbt.test_not_null", "column": "id"},
        {"model": "fct_split", "macro": "macro.dbt.test_unique", "column": "id"},
        {"model": "fct_split", "macro": "macro.dbt.test_not_null", "column": "other_id"},
        {"model": "fct_filtered", "macro": "macro.dbt.test_unique", "column": "id", "where": "id > 0"},
        {"model": "fct_filtered", "macro": "macro.dbt.test_not_null", "column": "id"},
        *keyed("fct_combo"),
    ]
    manifest = fake_manifest({"fct_pk": [], "fct_split": [], "fct_filtered": [], "fct_combo": [],
                              "fct_constrained": [], "fct_none": []}, tests=tests)
    manifest["nodes"]["model.p.fct_constrained"]["constraints"] = [{"type": "primary_key", "columns": ["id"]}]
    assert set(project_rules.primary_key(manifest)) == {"fct_split", "fct_filtered", "fct_none"}


def test_documentation_needs_a_description_with_the_grain() -> None:
    manifest = fake_manifest({"fct_a": [], "fct_b": [], "fct_c": [], "fct_d": []}, sources=("src.a",),
                             descriptions={"fct_b": "  ", "fct_c": "Scores of accounts.", "fct_d": "Grain: account x week."})
    manifest["sources"]["source.p.src.a"]["description"] = ""
    assert set(project_rules.documentation(manifest)) == {"fct_b", "fct_c", "src.a"}


def test_an_exception_must_give_a_reason_name_a_rule_and_still_apply() -> None:
    parsed = project_rules.parse_exceptions({
        "root_models": [{"node": "int_orphan", "reason": "built from a macro"}, {"node": "int_gone", "reason": "old"}],
        "primary_key": [{"node": "fct_a"}],
        "no_such_rule": [],
    })
    assert len(parsed.problems) == 2
    assert "fct_a gives no reason" in parsed.problems[0] and "unknown rule 'no_such_rule'" in parsed.problems[1]
    manifest = fake_manifest({"int_orphan": [], "int_other_orphan": []})
    finding = project_rules.evaluate(manifest, RULES["root_models"], parsed)
    assert finding.offenders.keys() == {"int_other_orphan"}
    assert finding.excepted == {"int_orphan": "built from a macro"}
    assert finding.stale == ["int_gone"]
    report = finding.report()
    assert "int_other_orphan" in report and "delete them: int_gone" in report


def test_the_command_exits_1_on_an_offender_and_0_without(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps(fake_manifest({"stg_a": ["src.a"]}, sources=("src.a",), tests=keyed("stg_a"))))
    assert project_rules.main([str(manifest), "--no-exceptions"]) == 0
    manifest.write_text(json.dumps(fake_manifest({"stg_a": []}, tests=keyed("stg_a"))))
    assert project_rules.main([str(manifest), "--no-exceptions", "--rule", "root_models"]) == 1
