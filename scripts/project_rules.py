#!/usr/bin/env python3
"""Check dbt-project-evaluator's rules on a dbt manifest, minus the project's listed exceptions.

    dbt parse && python scripts/project_rules.py target/manifest.json

dbt-project-evaluator cannot be installed here (the dbt hub is out of reach), so its rules are
re-implemented over `target/manifest.json` (written by `dbt parse`): `parent_map`, `child_map`,
`nodes` and `sources`. Each rule is a pure function, manifest in, offenders out ({node: what is
wrong}); the evaluator's model it stands for is named in its docstring. Nodes of installed
packages are not checked. Exceptions live in tests/project_rules_exceptions.yml, a mapping
rule -> list of {node: <model name, or source_name.table_name>, reason: <why>}; an exception
with no reason, for an unknown rule, or for a node that no longer breaks the rule (stale) is an
error too, so the file only ever lists today's debts. tests/python/test_project_rules.py runs
every rule in the test suite; this command prints the same report for a human. Exits 1 when a
rule has an offender that is not excepted, or the exceptions file is wrong.
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable

import yaml

PROJECT_DIR = Path(__file__).resolve().parents[1]
EXCEPTIONS_FILE = PROJECT_DIR / "tests" / "project_rules_exceptions.yml"

# The folder of each layer under models/ and the prefixes its models carry. Models in an exempt
# folder (the semantic layer: the time spine MetricFlow names) need no prefix.
LAYER_PREFIXES = {"staging": ("stg_", "base_"), "intermediate": ("int_",), "marts": ("fct_", "dim_", "rpt_")}
EXEMPT_FOLDERS = ("semantic",)
BASE_FOLDER = "base"
STAGING_PREFIXES = LAYER_PREFIXES["staging"]
MART_PREFIXES = LAYER_PREFIXES["marts"]
# What a mart may read besides seeds: intermediate models and other marts.
MART_PARENT_PREFIXES = LAYER_PREFIXES["intermediate"] + MART_PREFIXES
# The evaluator's defaults: models_fanout_threshold, and too_many_joins_threshold (7, counted
# as `>= 7`, i.e. more than 6 parents).
MODELS_FANOUT_THRESHOLD = 3
MAX_PARENTS = 6
GRAIN_WORDS = ("one row per", "grain")
# Children that do not read a model's rows into the DAG (the evaluator drops tests too).
NOT_CHILDREN = ("test", "unit_test")
# Tests that pin a primary key, by the macro behind them (the evaluator's primary_key_test_macros):
# unique + not_null on one column, or one test on a combination of columns.
UNIQUE_MACROS = ("macro.dbt.test_unique",)
NOT_NULL_MACROS = ("macro.dbt.test_not_null",)
KEY_TEST_MACROS = (
    "macro.{project}.test_unique_combination",  # tests/generic/test_unique_combination.sql
    "macro.dbt_utils.test_unique_combination_of_columns",
    "macro.dbt_constraints.test_primary_key",
)

Offenders = dict[str, str]  # node name -> what is wrong


# --- reading the manifest -------------------------------------------------------------------

def kind(unique_id: str) -> str:
    """model, seed, source, snapshot, test, exposure ... (the first part of a unique_id)."""
    return unique_id.split(".", 1)[0]


def project_models(manifest: dict) -> dict[str, dict]:
    project = manifest["metadata"]["project_name"]
    return {uid: node for uid, node in manifest["nodes"].items()
            if node["resource_type"] == "model" and node["package_name"] == project}


def project_sources(manifest: dict) -> dict[str, dict]:
    project = manifest["metadata"]["project_name"]
    return {uid: node for uid, node in manifest["sources"].items() if node["package_name"] == project}


def name_of(manifest: dict, unique_id: str) -> str:
    """A node's name as the exceptions file gives it: the model's name, source_name.table_name."""
    if kind(unique_id) == "source":
        source = manifest["sources"][unique_id]
        return f"{source['source_name']}.{source['name']}"
    node = manifest["nodes"].get(unique_id)
    return node["name"] if node else unique_id.rsplit(".", 1)[-1]


def parents(manifest: dict, unique_id: str) -> list[str]:
    return sorted(set(manifest["parent_map"].get(unique_id, [])))


def children(manifest: dict, unique_id: str) -> list[str]:
    return sorted({c for c in manifest["child_map"].get(unique_id, []) if kind(c) not in NOT_CHILDREN})


def described(manifest: dict, unique_ids: list[str]) -> str:
    return ", ".join(f"{kind(u)} {name_of(manifest, u)}" for u in unique_ids)


# --- the rules ------------------------------------------------------------------------------

def naming_problem(name: str, path: str) -> str | None:
    """What is wrong with a model's name for its folder (path as in original_file_path)."""
    folders = PurePosixPath(path.replace("\\", "/")).parts[1:-1]  # below models/, without the file
    layer = folders[0] if folders else None
    in_base = BASE_FOLDER in folders
    prefix_layer = next((lay for lay, prefixes in LAYER_PREFIXES.items() if name.startswith(prefixes)), None)
    if layer in EXEMPT_FOLDERS and prefix_layer is None:
        return None
    if layer not in LAYER_PREFIXES and layer not in EXEMPT_FOLDERS:
        return f"{path} is in no layer folder (models/{', models/'.join([*LAYER_PREFIXES, *EXEMPT_FOLDERS])})"
    if prefix_layer is None:
        return f"{path}: a model in models/{layer}/ is named {'*, '.join(LAYER_PREFIXES[layer])}*"
    if prefix_layer != layer:
        return f"{path}: a {name.split('_', 1)[0]}_* model belongs in models/{prefix_layer}/"
    if name.startswith("base_") and not in_base:
        return f"{path}: a base_* model belongs in a {BASE_FOLDER}/ folder under models/staging/"
    if in_base and not name.startswith("base_"):
        return f"{path}: only base_* models belong in a {BASE_FOLDER}/ folder"
    return None


def model_naming(manifest: dict) -> Offenders:
    """Prefix and folder agree: models/staging stg_* (base_* only under base/), models/intermediate
    int_*, models/marts fct_*, dim_*, rpt_*; models/semantic needs no prefix.
    (fct_model_naming_conventions, fct_model_directories)"""
    found = {node["name"]: naming_problem(node["name"], node["original_file_path"])
             for node in project_models(manifest).values()}
    return {name: problem for name, problem in found.items() if problem}


def mart_parents(manifest: dict) -> Offenders:
    """A mart (fct_, dim_, rpt_) reads intermediate models, other marts and seeds only: never a
    staging model, never a source. (fct_marts_or_intermediate_dependent_on_source, stricter)"""
    found = {}
    for uid, node in project_models(manifest).items():
        if not node["name"].startswith(MART_PREFIXES):
            continue
        wrong = [p for p in parents(manifest, uid)
                 if not (kind(p) == "seed" or (kind(p) == "model" and name_of(manifest, p).startswith(MART_PARENT_PREFIXES)))]
        if wrong:
            found[node["name"]] = f"reads {described(manifest, wrong)}"
    return found


def direct_join_to_source(manifest: dict) -> Offenders:
    """Only base_ and stg_ models read a source, and a model that reads a source reads no model.
    (fct_direct_join_to_source, fct_marts_or_intermediate_dependent_on_source)"""
    found = {}
    for uid, node in project_models(manifest).items():
        sources = [p for p in parents(manifest, uid) if kind(p) == "source"]
        if not sources:
            continue
        problems = []
        if not node["name"].startswith(STAGING_PREFIXES):
            problems.append(f"is not a base_/stg_ model but reads {described(manifest, sources)}")
        models = [p for p in parents(manifest, uid) if kind(p) == "model"]
        if models:
            problems.append(f"reads {described(manifest, sources)} and also {described(manifest, models)}")
        if problems:
            found[node["name"]] = "; ".join(problems)
    return found


def root_models(manifest: dict) -> Offenders:
    """Every model has a parent: a ref, a source or a seed. (fct_root_models)"""
    return {node["name"]: "has no ref(), source() or seed parent"
            for uid, node in project_models(manifest).items() if not parents(manifest, uid)}


def model_children(manifest: dict, unique_id: str) -> list[str]:
    return [c for c in children(manifest, unique_id) if kind(c) == "model"]


def unused_sources(manifest: dict) -> Offenders:
    """Every declared source table is read by a model. (fct_unused_sources)"""
    return {name_of(manifest, uid): "no model reads it"
            for uid in project_sources(manifest) if not model_children(manifest, uid)}


def source_fanout(manifest: dict) -> Offenders:
    """A source table is read by one model only, its staging (or base) model. (fct_source_fanout)"""
    found = {}
    for uid in project_sources(manifest):
        readers = model_children(manifest, uid)
        if len(readers) > 1:
            found[name_of(manifest, uid)] = f"read by {len(readers)} models: {described(manifest, readers)}"
    return found


def model_fanout(manifest: dict) -> Offenders:
    """No model has more than models_fanout_threshold (3) direct children that are leaves:
    models nothing reads (no model, exposure, metric or semantic model; tests do not count).
    (fct_model_fanout)"""
    found = {}
    for uid, node in project_models(manifest).items():
        leaves = [c for c in model_children(manifest, uid) if not children(manifest, c)]
        if len(leaves) > MODELS_FANOUT_THRESHOLD:
            found[node["name"]] = f"{len(leaves)} leaf children: {described(manifest, leaves)}"
    return found


def too_many_parents(manifest: dict) -> Offenders:
    """No model has more than 6 parents (refs, sources and seeds). (fct_too_many_joins)"""
    found = {}
    for uid, node in project_models(manifest).items():
        direct = parents(manifest, uid)
        if len(direct) > MAX_PARENTS:
            found[node["name"]] = f"{len(direct)} parents: {described(manifest, direct)}"
    return found


def column_key(column: str | None) -> str:
    return (column or "").strip().strip('"`').lower()


def is_primary_key_constraint(constraint: dict) -> bool:
    return constraint.get("type") == "primary_key"


def has_primary_key(manifest: dict, node: dict, tests: list[dict]) -> bool:
    """unique + not_null on one column (a not_null constraint counts), a test on a combination of
    columns, or a primary_key constraint on the model or a column."""
    project = manifest["metadata"]["project_name"]
    key_macros = {m.format(project=project) for m in KEY_TEST_MACROS}
    unique, not_null = set(), set()
    for test in tests:
        macros = set(test["depends_on"]["macros"])
        column = column_key(test.get("column_name") or (test.get("test_metadata") or {}).get("kwargs", {}).get("column_name"))
        if macros & key_macros:
            return True
        if macros & set(UNIQUE_MACROS):
            unique.add(column)
        if macros & set(NOT_NULL_MACROS):
            not_null.add(column)
    if any(is_primary_key_constraint(c) for c in node.get("constraints", [])):
        return True
    for name, column in node.get("columns", {}).items():
        constraints = column.get("constraints", [])
        if any(is_primary_key_constraint(c) for c in constraints):
            return True
        if any(c.get("type") == "not_null" for c in constraints):
            not_null.add(column_key(name))
    return bool(unique & not_null - {""})


def tests_by_model(manifest: dict) -> dict[str, list[dict]]:
    """The data tests attached to each model. A test with a `where` filter checks a subset of the
    rows, so it does not pin the model's grain and is left out."""
    found: dict[str, list[dict]] = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] != "test" or (node.get("config") or {}).get("where"):
            continue
        models = [n for n in node["depends_on"]["nodes"] if kind(n) == "model"]
        attached = node.get("attached_node") or (models[0] if len(models) == 1 else None)
        if attached:
            found.setdefault(attached, []).append(node)
    return found


def primary_key(manifest: dict) -> Offenders:
    """Every model's grain is tested: unique + not_null on one column, unique_combination (or
    dbt_utils.unique_combination_of_columns, dbt_constraints.primary_key) on several, or a
    primary_key constraint. (fct_missing_primary_key_tests)"""
    tests = tests_by_model(manifest)
    return {node["name"]: "no unique + not_null column, unique_combination test or primary_key constraint"
            for uid, node in project_models(manifest).items()
            if not has_primary_key(manifest, node, tests.get(uid, []))}


def documentation(manifest: dict) -> Offenders:
    """Every model and source table has a description, and every model's states its grain
    ("one row per ..." or "grain"). (fct_undocumented_models, fct_undocumented_source_tables)"""
    found = {}
    for node in project_models(manifest).values():
        text = (node.get("description") or "").strip()
        if not text:
            found[node["name"]] = "model has no description"
        elif not any(word in text.lower() for word in GRAIN_WORDS):
            found[node["name"]] = f"description does not state the grain: {text[:70]!r}"
    for uid, source in project_sources(manifest).items():
        if not (source.get("description") or "").strip():
            found[name_of(manifest, uid)] = "source table has no description"
    return found


@dataclass(frozen=True)
class Rule:
    check: Callable[[dict], Offenders]  # its name is the rule's
    summary: str  # the rule, in a line
    fix: str  # how to mend an offender

    @property
    def name(self) -> str:
        return self.check.__name__


RULES = {rule.name: rule for rule in [
    Rule(model_naming, "a model's prefix matches its layer folder",
         "rename the model or move its file so that prefix and folder agree: models/staging/ stg_* "
         "(base_* in models/staging/**/base/), models/intermediate/ int_*, models/marts/ fct_*, dim_* or rpt_*"),
    Rule(mart_parents, "a mart reads only intermediate models, other marts and seeds",
         "read the staging model (or source) through an intermediate model (int_*), or move the logic into one"),
    Rule(direct_join_to_source, "only base_/stg_ models read a source, and never together with a model",
         "read each source in its own base_/stg_ model, and ref() that model wherever the source was joined"),
    Rule(root_models, "every model has a parent",
         "read the model's input with source() or ref() (declare the source in a sources .yml), "
         "or delete the model if nothing feeds it"),
    Rule(unused_sources, "every source table is read by a model",
         "read the source with source() in its staging model, or remove it from the sources .yml"),
    Rule(source_fanout, "a source table is read by one model",
         "read the source in one staging model and ref() that model everywhere else"),
    Rule(model_fanout, f"no model has more than {MODELS_FANOUT_THRESHOLD} leaf children",
         f"the leaf children repeat work on the same parent: build what they share in one model "
         f"(an intermediate or a wider mart) and derive them from it, so no model has more than "
         f"{MODELS_FANOUT_THRESHOLD} leaf children"),
    Rule(too_many_parents, f"no model has more than {MAX_PARENTS} parents",
         f"split the model: join some of its parents in an intermediate model first, so none has more "
         f"than {MAX_PARENTS} parents"),
    Rule(primary_key, "every model has a primary-key test",
         "add `unique` and `not_null` tests on the key column, a `unique_combination` test "
         "(combination_of_columns: [...]) on the key columns, or a primary_key constraint, in the model's .yml"),
    Rule(documentation, "every model and source table is described, every model with its grain",
         "give the model or source table a `description:` in its .yml; a model's says its grain "
         "(\"One row per account and week.\" or \"Grain: ...\")"),
]}


# --- exceptions -----------------------------------------------------------------------------

@dataclass
class Exceptions:
    by_rule: dict[str, dict[str, str]] = field(default_factory=dict)  # rule -> node -> reason
    problems: list[str] = field(default_factory=list)  # what is wrong with the file itself


def parse_exceptions(data: object, where: str = "the exceptions file") -> Exceptions:
    """The exceptions file's YAML, read: rule -> [{node, reason}]."""
    found = Exceptions()
    if data is None:
        return found
    if not isinstance(data, dict):
        found.problems.append(f"{where} must map rule names to lists of {{node, reason}}")
        return found
    for rule, entries in data.items():
        if rule not in RULES:
            found.problems.append(f"{where}: unknown rule {rule!r} (the rules: {', '.join(RULES)})")
            continue
        nodes = found.by_rule.setdefault(rule, {})
        for entry in entries or []:
            if not isinstance(entry, dict) or not isinstance(entry.get("node"), str) or set(entry) - {"node", "reason"}:
                found.problems.append(f"{where}: under {rule}, {entry!r} is not {{node: <name>, reason: <why>}}")
                continue
            node, reason = entry["node"], entry.get("reason")
            if not isinstance(reason, str) or not reason.strip():
                found.problems.append(f"{where}: the {rule} exception for {node} gives no reason; say why it may break the rule")
            if node in nodes:
                found.problems.append(f"{where}: {node} is listed twice under {rule}")
            nodes[node] = reason if isinstance(reason, str) else ""
    return found


def load_exceptions(path: Path = EXCEPTIONS_FILE) -> Exceptions:
    if not path.exists():
        return Exceptions()
    return parse_exceptions(yaml.safe_load(path.read_text()), str(path))


@dataclass
class Finding:
    rule: Rule
    offenders: Offenders  # breaking the rule, not excepted
    excepted: Offenders  # breaking the rule, excepted: node -> reason
    stale: list[str]  # excepted, but no longer breaking the rule

    @property
    def ok(self) -> bool:
        return not self.offenders and not self.stale

    def report(self, exceptions_file: str = "tests/project_rules_exceptions.yml") -> str:
        lines = []
        if self.offenders:
            lines.append(f"{len(self.offenders)} node(s) break {self.rule.name}: {self.rule.summary}")
            lines += [f"  - {node}: {problem}" for node, problem in sorted(self.offenders.items())]
            lines.append(f"To fix: {self.rule.fix}. If one must stay as it is, list it under "
                         f"`{self.rule.name}:` in {exceptions_file} as {{node: <name>, reason: <why>}}.")
        if self.stale:
            lines.append(f"{len(self.stale)} exception(s) under `{self.rule.name}:` in {exceptions_file} no longer "
                         f"apply (the node is gone or follows the rule now); delete them: {', '.join(self.stale)}")
        return "\n".join(lines)


def evaluate(manifest: dict, rule: Rule, exceptions: Exceptions) -> Finding:
    offenders = rule.check(manifest)
    excepted = exceptions.by_rule.get(rule.name, {})
    return Finding(
        rule=rule,
        offenders={n: p for n, p in offenders.items() if n not in excepted},
        excepted={n: r for n, r in excepted.items() if n in offenders},
        stale=sorted(n for n in excepted if n not in offenders),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog=f"Rules: {', '.join(RULES)}.")
    parser.add_argument("manifest", type=Path, help="target/manifest.json, as `dbt parse` writes it")
    parser.add_argument("--exceptions", type=Path, default=EXCEPTIONS_FILE,
                        help="the exceptions file (default: %(default)s)")
    parser.add_argument("--no-exceptions", action="store_true", help="report every offender, excepted or not")
    parser.add_argument("--rule", action="append", choices=list(RULES), help="check only this rule (repeatable)")
    args = parser.parse_args(argv)
    manifest = json.loads(args.manifest.read_text())
    exceptions = Exceptions() if args.no_exceptions else load_exceptions(args.exceptions)
    failed = bool(exceptions.problems)
    for problem in exceptions.problems:
        print(f"ERROR {problem}")
    for name in args.rule or RULES:
        finding = evaluate(manifest, RULES[name], exceptions)
        failed |= not finding.ok
        print(f"{'ok   ' if finding.ok else 'FAILS'} {name}" + (f" ({len(finding.excepted)} excepted)" if finding.excepted else ""))
        if not finding.ok:
            print("    " + finding.report(str(args.exceptions)).replace("\n", "\n    "))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
