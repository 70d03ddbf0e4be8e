#!/usr/bin/env python3
"""Preflight: check a landing folder against the input contract before the first build.

Prints a short report, one finding per problem, each with its source, its files, what is wrong,
examples and the fix: files missing, columns missing or not mapped, values the build cannot
parse (by column, with examples), identity coverage (the share of product events whose workspace
resolves to an account), the date range and staleness of every source. Exits 1 only when
something found would stop `dbt build`, 0 otherwise (warnings and notes may remain), 2 when the
preflight itself could not run.

    python scripts/preflight.py --landing /path/to/landing [--mappings salesforce,zendesk] [--as-of 2026-11-15]
    make check LANDING=/path/to/landing [MAPPINGS=...]

Nothing here knows the contract, the column mappings, the parse rules or identity resolution:
the preflight asks dbt, in a scratch DuckDB file under --work-dir (build/preflight), never the
warehouse.

1. `dbt run-operation preflight_landing` (macros/landing/preflight.sql) lists each source's files
   and checks each header with the build's own macros: the messages a file would stop the build
   with, where each contract column comes from, what nothing reads; and the thresholds (vars).
   A column mapping that is not valid fails here with the build's message.
2. `dbt build` of the models those checks need, and nothing else: the base views (each row typed,
   with its quarantine reason and whatever per-field issues the base layer exposes as
   `_issue__<column>`), staging, the quarantine and reconciliation, identity resolution, as_of and
   source freshness. A model that fails here fails the build too.
3. `dbt test` of the tests of the build that judge the landing data (STOP_TESTS): whether a share
   stops the build, or warns, is their verdict, never a comparison made here.

Then it reads the scratch file (read-only) for the figures and examples. The folder is passed to
dbt in $USAGE_HEALTH_LANDING and the mappings in $USAGE_HEALTH_MAPPINGS, so dbt's partial parse
(kept in the work dir) survives from one folder to the next.
"""
from __future__ import annotations

import argparse
import difflib
import fcntl
import json
import multiprocessing
import os
import re
import shutil
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parents[1]
DEFAULT_WORK_DIR = PROJECT_DIR / "build" / "preflight"
TARGET = "duckdb"

# The build's tests that judge landing data: a failure stops `dbt build`, a warning warns.
STOP_TESTS = (
    "quarantined_share_under_warn_threshold",
    "quarantined_share_under_error_threshold",
    "assert_unresolved_event_share_within_limits",
)
# What the preflight builds: staging (base views, stg_ tables, quarantine, reconciliation, files),
# identity resolution and the unresolved workspaces, as_of and freshness, and every parent of the
# tests above; seeds and snapshots among those parents, no other model.
BUILD_SELECT = (
    "+path:models/staging",
    "+rpt_source_freshness",
    "+rpt_unresolved_workspaces",
    *(f"+{test}" for test in STOP_TESTS),
)
LEVELS = ("stop", "warn", "note")
LEVEL_TITLES = {
    "stop": "Stops the build",
    "warn": "Warnings: the build runs, and warns or leaves data out",
    "note": "Notes",
}
EXAMPLES = 3


@dataclass
class Finding:
    """One thing the preflight found: `stop` would stop `dbt build`, `warn` makes it warn (or
    loses data quietly), `note` is worth knowing."""

    level: str
    check: str  # mapping, files, columns, values, identity, freshness, build
    source: str | None
    message: str
    fix: str
    files: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# dbt, in a child process (dbt-duckdb holds the scratch file open for as long as its process lives)


def dbt_steps(env: dict[str, str], as_of: str | None, out_path: str) -> None:
    """Run the three dbt steps in this (child) process and write what they said to out_path."""
    os.environ.update(env)
    from dbt.cli.main import dbtRunner  # imported here: the parent never loads dbt

    prints: list[str] = []
    errors: list[str] = []

    def collect(event: Any) -> None:
        if event.info.name == "PrintEvent":
            prints.append(event.data.msg)
        elif event.info.level == "error":
            errors.append(event.info.msg)

    common = ["--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR), "--target", TARGET, "--log-level", "none"]
    if as_of:
        common += ["--vars", json.dumps({"as_of": as_of})]
    out: dict[str, Any] = {"timings": {}}

    def step(name: str, runner: Any, args: list[str]) -> Any:
        started = time.monotonic()
        errors.clear()
        result = runner.invoke([*args, *common])
        out["timings"][name] = round(time.monotonic() - started, 2)
        return result

    parsed = step("parse", dbtRunner(callbacks=[collect]), ["parse"])
    if not parsed.success:
        out["parse_error"] = clean_dbt_error("\n".join(errors) or str(parsed.exception))
        Path(out_path).write_text(json.dumps(out))
        return
    runner = dbtRunner(manifest=parsed.result, callbacks=[collect])

    operation = step("contract", runner, ["run-operation", "preflight_landing"])
    lines = [line for line in prints if line.startswith("preflight_landing: ")]
    if not operation.success or not lines:
        out["contract_error"] = clean_dbt_error(" ".join(errors) or str(operation.exception))
        Path(out_path).write_text(json.dumps(out))
        return
    contract = json.loads(lines[-1].split(": ", 1)[1])
    out["contract"] = contract
    if contract["empty_message"]:
        Path(out_path).write_text(json.dumps(out))
        return

    built = step("build", runner, [
        "build", "--full-refresh", "--select", *BUILD_SELECT,
        "--resource-type", "model", "--resource-type", "seed", "--resource-type", "snapshot",
    ])
    out["build"] = node_results(built)
    tested = step("tests", runner, ["test", "--select", *STOP_TESTS])
    out["tests"] = node_results(tested)
    Path(out_path).write_text(json.dumps(out))


def node_results(result: Any) -> list[dict[str, Any]]:
    """Each node a dbt command ran: name, relation (schema.alias), status, message."""
    rows = []
    for node_result in getattr(result.result, "results", None) or []:
        node = node_result.node
        rows.append({
            "name": node.name,
            "resource_type": str(node.resource_type),
            "relation": f"{node.schema}.{node.alias}" if getattr(node, "alias", None) else None,
            "status": str(getattr(node_result.status, "value", node_result.status)),
            "message": clean_dbt_error(node_result.message or ""),
        })
    return rows


def clean_dbt_error(text: str) -> str:
    """dbt's error text without its wrapping (`Compilation Error in model x (path)`, `> in macro`)."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", text)
    lines = [line.strip() for line in text.splitlines()]
    kept = [
        line for line in lines
        if line and not re.match(r"^(Compilation Error|Runtime Error|Database Error|Encountered an error)", line)
        and not line.startswith(">")
    ]
    return " ".join(kept) or text.strip()


def run_dbt_steps(env: dict[str, str], as_of: str | None, work_dir: Path) -> dict[str, Any]:
    out_path = work_dir / "dbt_steps.json"
    out_path.unlink(missing_ok=True)
    process = multiprocessing.get_context("spawn").Process(target=dbt_steps, args=(env, as_of, str(out_path)))
    process.start()
    process.join()
    if not out_path.exists():
        return {"fatal": f"dbt stopped without an answer (exit {process.exitcode}); see {work_dir / 'logs'}", "timings": {}}
    return json.loads(out_path.read_text())


# ---------------------------------------------------------------------------------------------
# Judging the contract step: files and columns


def plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else (words or word + 's')}"


def normalised(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def similar_column(column: str, candidates: list[str]) -> str | None:
    """The file's column that most likely holds a contract column: the same letters and digits
    (`Event ID` for event_id), else the closest name; None when nothing is close."""
    for candidate in candidates:
        if normalised(candidate) == normalised(column):
            return candidate
    by_key = {normalised(candidate): candidate for candidate in candidates}
    close = difflib.get_close_matches(normalised(column), list(by_key), n=1, cutoff=0.75)
    return by_key[close[0]] if close else None


def yaml_name(name: str) -> str:
    return name if re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", name) else json.dumps(name)


def mapping_fix(source: str, pairs: dict[str, str], mapping: str | None) -> str:
    columns = ", ".join(f"{column}: {yaml_name(found)}" for column, found in pairs.items())
    if mapping:
        where = f"in mapping '{mapping}' (a shipped one: copy it to a .yml file first)"
    else:
        where = "in a mapping file in the landing folder, e.g. my_export.yml, named in MAPPINGS=my_export.yml"
    return f"add a column mapping {where}: sources: {{{source}: {{columns: {{{columns}}}}}}} (README, \"Column mappings\")"


def file_label(files: list[str]) -> str:
    return files[0] if len(files) == 1 else f"{files[0]} and {plural(len(files) - 1, 'other file')}"


def contract_findings(contract: dict[str, Any]) -> list[Finding]:
    findings: list[Finding] = []
    landing = contract["landing_dir"]
    read_stems = {spec["stem"] for spec in contract["sources"].values()}
    for source, spec in contract["sources"].items():
        files = spec["files"]
        mapping = spec["mapping"]
        if not files and spec.get("configuration"):
            continue  # a configuration source (settings that travel with the data): no file is the usual case
        if not files:
            stem = spec["stem"]
            findings.append(Finding(
                level="note", check="files", source=source,
                message=f"no file: {source} is read as an empty table (its score components have no data; their weight goes to the others)"
                + (f"; mapping '{mapping}' reads it from {stem}.*" if mapping else ""),
                fix=f"add {stem}.csv (or {stem}.parquet, or parts in {stem}/) to the landing folder, if there is such an export",
            ))
            continue
        # stops: one finding per message (the build's text), with the files that have it
        stops: dict[str, list[dict[str, Any]]] = {}
        for entry in files:
            for problem in entry["stops"]:
                stops.setdefault(problem, []).append(entry)
        for problem, entries in stops.items():
            first = entries[0]
            missing = re.findall(r"required column '([^']+)'", problem)
            column = missing[-1] if missing else None
            suggestion = similar_column(column, first["ignored"]) if column and "maps no column" not in problem and "that mapping" not in problem else None
            if suggestion:
                fix = mapping_fix(source, {column: suggestion}, mapping)
            elif "that mapping" in problem or "maps no column" in problem:
                fix = f"add the column to the export, or point mapping '{mapping}' at the column that holds it (README, \"Column mappings\")"
            else:
                fix = "add the column to the export (or rename the one that holds it), or map the column that holds it (README, \"Column mappings\")"
            findings.append(Finding(
                level="stop", check="columns", source=source, files=[e["file"] for e in entries],
                message=f"the file {problem}. Columns found: {', '.join(first['header'])}",
                fix=fix,
            ))
        # optional columns the files lack, and expressions reading columns a file lacks
        absent: dict[str, tuple[str, list[str]]] = {}
        unread: dict[str, tuple[list[str], list[str]]] = {}
        for entry in files:
            for column, read in entry["columns"].items():
                if column in spec["required"] or read["found"]:
                    continue
                if read["from"] == "expression":
                    unread.setdefault(column, (read["missing_reads"], []))[1].append(entry["file"])
                else:
                    absent.setdefault(column, (read["from"], []))[1].append(entry["file"])
        if absent:
            ignored = list(dict.fromkeys(c for entry in files for c in entry["ignored"]))
            suggestions = {column: found for column in absent if (found := similar_column(column, ignored))}
            all_files = sorted({f for _, names in absent.values() for f in names})
            named = ", ".join(
                column + (f" (mapping '{mapping}' reads it from {wanted})" if wanted != column else "")
                for column, (wanted, _) in absent.items()
            )
            findings.append(Finding(
                level="note", check="columns", source=source, files=all_files,
                message=f"no optional column{'s' if len(absent) > 1 else ''} {named} in the file: read as empty",
                fix=mapping_fix(source, suggestions, mapping) if suggestions else "none needed; if the export has them under other names, map them (README, \"Column mappings\")",
                examples=[f"{column}: {found}?" for column, found in suggestions.items()],
            ))
        for column, (missing_reads, where) in unread.items():
            findings.append(Finding(
                level="note", check="columns", source=source, files=where,
                message=f"no column {', '.join(repr(c) for c in missing_reads)}, which mapping '{mapping}' reads for the optional column {column}: {column} is read from nulls",
                fix=f"add the column to the export, or point mapping '{mapping}' at the column that holds it",
            ))
    # files no source reads, where a shipped mapping or another source would read them
    for entry in contract["landing_entries"]:
        name = entry["name"]
        if name in read_stems:
            continue
        readers = [
            (mapping, source) for mapping, reads in contract["shipped_mappings"].items()
            for source, stem in reads.items() if stem == name
        ]
        mapped_away = [s for s, spec in contract["sources"].items() if s == name and spec["stem"] != name]
        same_but_case = [stem for stem in read_stems if stem.lower() == name.lower()]
        if readers:
            mapping, source = readers[0]
            findings.append(Finding(
                level="note", check="files", source=source, files=[entry["path"]],
                message=f"read by no source: it is the export mapping '{mapping}' reads for {source}",
                fix=f"choose the mapping: make check LANDING={landing} MAPPINGS={mapping} (and MAPPINGS={mapping} for make build)",
            ))
        elif mapped_away:
            source = mapped_away[0]
            spec = contract["sources"][source]
            findings.append(Finding(
                level="note", check="files", source=source, files=[entry["path"]],
                message=f"not read: mapping '{spec['mapping']}' reads {source} from {spec['stem']}.*",
                fix=f"drop mapping '{spec['mapping']}' for {source}, or remove the file",
            ))
        elif same_but_case:
            findings.append(Finding(
                level="note", check="files", source=None, files=[entry["path"]],
                message=f"read by no source: file names are case-sensitive ({same_but_case[0]}.* is)",
                fix=f"rename it to {same_but_case[0]}",
            ))
    return findings


# ---------------------------------------------------------------------------------------------
# Judging the build: what the scratch warehouse says


def column_in(reason: str, columns: list[str]) -> str | None:
    """The contract column a reason names (`occurred_at is not an ISO 8601 timestamp`)."""
    for column in sorted(columns, key=len, reverse=True):
        if re.search(rf"(?<![A-Za-z0-9_]){re.escape(column)}(?![A-Za-z0-9_])", reason):
            return column
    return None


def raw_value(raw_values: str, column: str) -> str | None:
    """A column's text in a quarantined row's raw values (`col=value; col2=value2`)."""
    match = re.search(rf"(?:^|; ){re.escape(column)}(?:_text)?=(.*?)(?=; [a-z_]+=|$)", raw_values)
    return match.group(1) if match else None


def shorten(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def value_examples(kind: str, samples: list[str], columns: list[str]) -> list[str]:
    column = column_in(kind, columns)
    if column and not kind.startswith("missing "):
        values = []
        for sample in samples:
            value = raw_value(sample, column)
            if value is not None and repr(value) not in values:
                values.append(repr(value))
        if values:
            return values[:EXAMPLES]
    return [shorten(sample) for sample in samples[:EXAMPLES]]


def reason_fix(kind: str, column: str | None) -> str:
    if kind.startswith("missing "):
        return f"fill in {column or 'the key'} in those rows of the export (a row without it cannot be kept)"
    if "fields than the header" in kind:
        return "quote values that contain commas (\"a, b\") and give every row the header's number of fields"
    return f"correct {column or 'those values'} in the export to what the reason asks for"


def status_of(results: list[dict[str, Any]], name: str) -> str | None:
    for result in results:
        if result["name"] == name:
            return result["status"]
    return None


def test_verdicts(tests: list[dict[str, Any]], build_failed: bool) -> dict[str, str | None]:
    """Each STOP_TESTS test's verdict on the build: `stop` when it fails, or errors (a test may stop
    the build by raising its message) while everything before it was built; `warn` when it warns;
    None when it passed, or could not run because the build stops earlier anyway."""
    verdicts: dict[str, str | None] = {}
    for row in tests:
        status = row["status"]
        if status == "fail" or (status == "error" and not build_failed):
            verdicts[row["name"]] = "stop"
        else:
            verdicts[row["name"]] = "warn" if status == "warn" else None
    return verdicts


def share_text(share: float | None) -> str:
    return "-" if share is None else f"{share:.1%}"


def thresholds_fix(contract: dict[str, Any], source: str, share: float) -> str:
    thresholds = dict(contract.get("quarantine_thresholds") or {})
    allowed = min(1.0, round(share + 0.005, 3))
    own = dict(thresholds.get(source, {}))
    own["error"] = max(allowed, own.get("error", 0))
    own.setdefault("warn", thresholds.get("default", {}).get("warn", 0.01))
    thresholds[source] = own
    return f"or accept it: --vars '{{quarantine_thresholds: {json.dumps(thresholds).replace(chr(34), '')}}}'"


class Warehouse:
    """The scratch DuckDB file, read-only, with the relations the build step made."""

    def __init__(self, db_path: Path, build: list[dict[str, Any]]):
        import duckdb

        self.con = duckdb.connect(str(db_path), read_only=True)
        self.status = {row["name"]: row["status"] for row in build}
        self.relation = {row["name"]: row["relation"] for row in build if row["relation"]}

    def built(self, *names: str) -> bool:
        return all(self.status.get(name) == "success" for name in names)

    def rows(self, sql: str) -> list[tuple]:
        return self.con.execute(sql).fetchall()

    def columns(self, name: str) -> list[str]:
        schema, table = self.relation[name].split(".", 1)
        return [row[0] for row in self.rows(
            f"select column_name from information_schema.columns where table_schema = '{schema}' and table_name = '{table}' order by ordinal_position"
        )]


def value_findings(warehouse: Warehouse, contract: dict[str, Any], verdicts: dict[str, str | None]) -> tuple[list[Finding], dict[str, dict[str, Any]]]:
    """Per source and quarantine reason (and per-field issue, where the base view has them): rows,
    files, examples; the level from the quarantine tests' verdict. Also the per-source counts."""
    findings: list[Finding] = []
    counts: dict[str, dict[str, Any]] = {}
    reconciliation: dict[str, dict[str, Any]] = {}
    if warehouse.built("stg_landing__reconciliation"):
        names = ["source_name", "files_read", "rows_read", "rows_quarantined", "duplicates_removed",
                 "quarantined_share", "quarantine_warn_share", "quarantine_error_share"]
        for row in warehouse.rows(f"select {', '.join(names)} from {warehouse.relation['stg_landing__reconciliation']}"):
            reconciliation[row[0]] = dict(zip(names, row))
    stops = verdicts.get("quarantined_share_under_error_threshold") == "stop"
    warns = verdicts.get("quarantined_share_under_warn_threshold") is not None
    for source, spec in contract["sources"].items():
        base = spec["base"]
        if not spec["files"] or not warehouse.built(base):
            continue
        relation = warehouse.relation[base]
        columns = spec["required"] + spec["optional"]
        if source in reconciliation:
            figures = reconciliation[source]
        else:
            rows_read, quarantined = warehouse.rows(f"select count(*), count(quarantine_reason) from {relation}")[0]
            figures = {"rows_read": rows_read, "rows_quarantined": quarantined,
                       "quarantined_share": quarantined / rows_read if rows_read else None}
        counts[source] = figures
        share = figures.get("quarantined_share")
        if figures.get("quarantine_error_share") is not None and share is not None and share > figures["quarantine_error_share"] and stops:
            level, verdict = "stop", f"{share_text(share)} of its rows are quarantined, above the error threshold of {share_text(figures['quarantine_error_share'])} (var quarantine_thresholds): the build stops"
        elif figures.get("quarantine_warn_share") is not None and share is not None and share > figures["quarantine_warn_share"] and warns:
            level, verdict = "warn", f"{share_text(share)} of its rows are quarantined, above the warn threshold of {share_text(figures['quarantine_warn_share'])}: the build warns"
        else:
            level, verdict = "note", "left out of the scores; under the warn threshold"
        reasons = warehouse.rows(f"""
            with reasons as (
                select _landing_file as landing_file, raw_values, unnest(string_split(quarantine_reason, '; ')) as reason
                from {relation}
                where quarantine_reason is not null
            )
            select
                regexp_replace(reason, '\\s*\\(.*\\)\\s*$', '') as kind,
                count(*) as row_count,
                count(distinct reason) as variants,
                min(reason) as first_reason,
                list(distinct landing_file order by landing_file) as files,
                min(raw_values, 20) as samples
            from reasons
            group by kind
            order by row_count desc, kind
        """)
        for kind, row_count, variants, first_reason, files, samples in reasons:
            label = first_reason if variants == 1 else kind
            column = column_in(kind, columns)
            fix = reason_fix(kind, column)
            if level == "stop":
                fix += "; " + thresholds_fix(contract, source, share)
            findings.append(Finding(
                level=level, check="values", source=source, files=list(files),
                message=f"{row_count:,} of {plural(figures['rows_read'], 'row')} quarantined: {label}" + (f" ({verdict})" if verdict else ""),
                fix=fix,
                examples=value_examples(kind, list(samples), columns),
            ))
        # per-field issues, where the base layer reports them (`_issue__<column>`, `_raw__<column>`)
        base_columns = warehouse.columns(base)
        for issue_column in [c for c in base_columns if c.startswith("_issue__")]:
            column = issue_column[len("_issue__"):]
            raw = f"_raw__{column}" if f"_raw__{column}" in base_columns else "null"
            for reason, row_count, files, samples in warehouse.rows(f"""
                select
                    {issue_column} as reason,
                    count(*) as row_count,
                    list(distinct _landing_file order by _landing_file) as files,
                    min(cast({raw} as varchar), 20) as samples
                from {relation}
                where quarantine_reason is null and {issue_column} is not null
                group by {issue_column}
                order by row_count desc, reason
            """):
                values = list(dict.fromkeys(repr(s) for s in (samples or []) if s is not None))[:EXAMPLES]
                findings.append(Finding(
                    level="note", check="values", source=source, files=list(files),
                    message=f"{plural(row_count, 'row')}: {column} cannot be read ({reason}); the rows are kept with {column} empty",
                    fix=f"correct {column} in the export to what the reason asks for",
                    examples=values,
                ))
    return findings, counts


def identity_findings(warehouse: Warehouse, contract: dict[str, Any], verdicts: dict[str, str | None]) -> tuple[list[Finding], str]:
    """Identity coverage: the share of product events (of instances that count toward usage)
    whose workspace resolves to an account, with the unresolved test's verdict."""
    if not warehouse.built("stg_product__events", "int_workspace_accounts"):
        return [], "Identity coverage: not checked (the build stops before identity resolution; fix what stops it first)."
    events = warehouse.relation["stg_product__events"]
    workspaces = warehouse.relation["int_workspace_accounts"]
    total, resolved = warehouse.rows(f"""
        select count(*), count(*) filter (where workspace_accounts.resolution_status = 'resolved')
        from {events} as events
        inner join {workspaces} as workspace_accounts on events.workspace_id = workspace_accounts.workspace_id
        where workspace_accounts.counts_toward_usage
    """)[0]
    warn_share, error_share = contract["unresolved_events_warn_share"], contract["unresolved_events_error_share"]
    if total == 0:
        return [], "Identity coverage: no product events to resolve."
    unresolved = total - resolved
    line = (f"Identity coverage: {resolved / total:.1%} of {plural(total, 'product event')} resolve to an account"
            f" ({unresolved:,} do not: warn above {share_text(warn_share)}, stop above {share_text(error_share)}).")
    level = verdicts.get("assert_unresolved_event_share_within_limits")
    share = unresolved / total
    if level is None or share <= (error_share if level == "stop" else warn_share):
        return [], line  # passed; or stopped for another reason (test_findings says which)
    examples = []
    if warehouse.built("rpt_unresolved_workspaces"):
        examples = [f"{w} ({plural(n, 'event')}, {s})" for w, s, n in warehouse.rows(f"""
            select unresolved.workspace_id, unresolved.resolution_status, unresolved.event_count
            from {warehouse.relation['rpt_unresolved_workspaces']} as unresolved
            inner join {workspaces} as workspace_accounts on unresolved.workspace_id = workspace_accounts.workspace_id
            where workspace_accounts.counts_toward_usage
            order by unresolved.event_count desc, unresolved.workspace_id
            limit {EXAMPLES}
        """)]
    threshold_var = "unresolved_events_error_share" if level == "stop" else "unresolved_events_warn_share"
    return [Finding(
        level=level, check="identity", source="product_events",
        message=f"{unresolved:,} of {plural(total, 'product event')} ({share:.1%}) belong to workspaces that map to no account, or to two,"
        f" above the {'error' if level == 'stop' else 'warn'} threshold of {share_text(error_share if level == 'stop' else warn_share)}",
        fix="map each workspace to its CRM account: crm_account_id or subscription_id in product_workspaces, or a row in"
        f" seeds/account_mapping_overrides.csv; or accept the share: --vars '{{{threshold_var}: {min(1.0, round(share + 0.005, 3))}}}'",
        examples=examples,
    )], line


def freshness_findings(warehouse: Warehouse, contract: dict[str, Any]) -> tuple[list[Finding], dict[str, dict[str, Any]], dict[str, Any]]:
    """Per source: first and last record (its staging model, the contract's record_time), age at
    as_of and `is_stale` (rpt_source_freshness). As-of and the latest scored week
    (int_run_parameters)."""
    findings: list[Finding] = []
    ranges: dict[str, dict[str, Any]] = {}
    parameters: dict[str, Any] = {}
    for source, spec in contract["sources"].items():
        if spec["files"] and spec.get("record_time") and warehouse.built(spec["staging"]):
            first, last = warehouse.rows(
                f"select cast(min({spec['record_time']}) as date), cast(max({spec['record_time']}) as date) from {warehouse.relation[spec['staging']]}"
            )[0]
            ranges[source] = {"first": first, "last": last}
    if warehouse.built("int_run_parameters"):
        names = ["as_of_date", "last_activity_date", "latest_week_start", "latest_week_end"]
        row = warehouse.rows(f"select {', '.join(names)} from {warehouse.relation['int_run_parameters']}")[0]
        parameters = dict(zip(names, row))
    if warehouse.built("rpt_source_freshness"):
        for source, files_read, last_record_at, as_of_date, age, stale in warehouse.rows(f"""
            select source_name, files_read, cast(last_record_at as date), as_of_date, record_age_days, is_stale
            from {warehouse.relation['rpt_source_freshness']}
            order by source_name
        """):
            ranges.setdefault(source, {})["age"] = age
            if stale and files_read:
                findings.append(Finding(
                    level="warn", check="freshness", source=source,
                    files=[f["file"] for f in contract["sources"][source]["files"]],
                    message=(f"its newest record ({last_record_at}) is {age} days before as_of {as_of_date}: stale after"
                             f" {contract['freshness_error_days']} days (var freshness_error_days), so its signals describe the past")
                    if last_record_at else f"no record on or before as_of {as_of_date}",
                    fix="deliver a newer export of it, or build as of an earlier date (--as-of / var as_of) to score the past",
                ))
    return findings, ranges, parameters


def build_findings(build: list[dict[str, Any]], column_stops: set[str], contract: dict[str, Any]) -> list[Finding]:
    """Models that failed in the build step (they fail the build too), besides the base views of
    sources whose columns already stop it."""
    base_of = {spec["base"]: source for source, spec in contract["sources"].items()}
    findings = []
    for row in build:
        if row["status"] != "error" or base_of.get(row["name"]) in column_stops:
            continue
        findings.append(Finding(
            level="stop", check="build", source=base_of.get(row["name"]),
            message=f"{row['resource_type']} {row['name']} fails: {row['message']}",
            fix="the build stops at the same place: fix what the message names (README, \"When the build complains\")",
        ))
    return findings


def test_findings(tests: list[dict[str, Any]], verdicts: dict[str, str | None], findings: list[Finding]) -> list[Finding]:
    """A test whose verdict no finding explains (it failed for a reason other than the shares
    shown): the test's own message, at its verdict's level."""
    explained = {
        "quarantined_share_under_error_threshold": ("values", ("stop",)),
        "quarantined_share_under_warn_threshold": ("values", ("stop", "warn")),
        "assert_unresolved_event_share_within_limits": ("identity", ("stop", "warn")),
    }
    out = []
    for row in tests:
        level = verdicts.get(row["name"])
        check, levels = explained.get(row["name"], ("build", ()))
        if level and not any(f.check == check and f.level in levels for f in findings):
            out.append(Finding(
                level=level, check="build", source=None, message=f"test {row['name']}: {row['message']}",
                fix="the build stops (or warns) at the same test: fix what the message names (README, \"When the build complains\")",
            ))
    return out


# ---------------------------------------------------------------------------------------------
# The report


@dataclass
class Report:
    landing: str
    mappings: list[str]
    findings: list[Finding]
    sources: list[dict[str, Any]]
    lines: list[str]
    timings: dict[str, float]
    exit_code: int

    def as_json(self) -> dict[str, Any]:
        return {
            "landing": self.landing, "mappings": self.mappings, "exit_code": self.exit_code,
            "findings": [asdict(f) for f in self.findings], "sources": self.sources,
            "lines": self.lines, "timings": self.timings,
        }


def relative(path: str, landing: str) -> str:
    """A landing file's path as the report shows it: relative to the landing folder."""
    prefix = landing.rstrip("/") + "/"
    return path[len(prefix):] if path.startswith(prefix) else path


def render(report: Report) -> str:
    out = [f"Preflight of {report.landing} (column mappings: {', '.join(report.mappings) or 'none'})"]
    out += report.lines
    for level in LEVELS:
        chosen = [f for f in report.findings if f.level == level]
        if not chosen:
            continue
        out += ["", f"{LEVEL_TITLES[level]} ({len(chosen)})"]
        for finding in chosen:
            out.append(f"  [{finding.source or 'landing'}] {finding.message}")
            if finding.files:
                out.append(f"      in: {file_label([relative(f, report.landing) for f in finding.files])}")
            if finding.examples and max(len(e) for e in finding.examples) <= 40:
                out.append(f"      examples: {', '.join(finding.examples)}")
            else:
                out += [f"      example: {example}" for example in finding.examples]
            out.append(f"      fix: {finding.fix}")
    if report.sources:
        out += ["", f"  {'source':<20}{'files':>6}{'rows':>12}{'quarantined':>14}  {'records':<25}{'age':>5}"]
        for row in report.sources:
            quarantined = "-" if row["quarantined"] is None else f"{row['quarantined']:,} ({share_text(row['share'])})"
            dates = f"{row['first']} .. {row['last']}" if row.get("first") else "-"
            rows = "-" if row["rows"] is None else f"{row['rows']:,}"
            age = "-" if row.get("age") is None else str(row["age"])
            out.append(f"  {row['source']:<20}{row['files']:>6}{rows:>12}{quarantined:>14}  {dates:<25}{age:>5}")
        out.append("  (age: days from a source's newest record to as_of)")
    stops = sum(1 for f in report.findings if f.level == "stop")
    out.append("")
    if report.exit_code == 2:
        out.append("The preflight could not finish its checks (exit 2).")
    elif stops:
        out.append(f"{plural(stops, 'finding')} above would stop `dbt build` (exit 1): fix what stops it, then run the preflight again.")
    else:
        out.append("Nothing here stops `dbt build` (exit 0).")
    out.append("Took " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in report.timings.items()) + ".")
    return "\n".join(out)


def preflight(landing: Path, mappings: str, as_of: str | None, work_dir: Path) -> Report:
    started = time.monotonic()
    work_dir.mkdir(parents=True, exist_ok=True)
    db_path = work_dir / "preflight.duckdb"
    for leftover in (db_path, work_dir / "preflight.duckdb.wal"):
        leftover.unlink(missing_ok=True)
    shutil.rmtree(work_dir / "preflight.duckdb.tmp", ignore_errors=True)
    env = {
        "USAGE_HEALTH_LANDING": str(landing),
        "USAGE_HEALTH_MAPPINGS": mappings,
        "USAGE_HEALTH_DB": str(db_path),
        "USAGE_HEALTH_TEMP_DIR": str(work_dir / "preflight.duckdb.tmp"),
        "DBT_TARGET_PATH": str(work_dir / "target"),
        "DBT_LOG_PATH": str(work_dir / "logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    steps = run_dbt_steps(env, as_of, work_dir)
    timings = dict(steps.get("timings", {}))
    mapping_list = [m.strip() for m in mappings.split(",") if m.strip()]
    findings: list[Finding] = []
    lines: list[str] = []
    sources: list[dict[str, Any]] = []
    exit_code = 0
    if "fatal" in steps:
        findings.append(Finding(level="stop", check="build", source=None, message=steps["fatal"], fix="see the message"))
        exit_code = 2
    elif "parse_error" in steps:
        findings.append(Finding(
            level="stop", check="build", source=None, message=f"dbt cannot parse the project: {steps['parse_error']}",
            fix="the build stops here too: fix what the message names (a var, a mapping, a model)",
        ))
    elif "contract_error" in steps:
        findings.append(Finding(
            level="stop", check="mapping", source=None, message=steps["contract_error"],
            fix="correct the column mapping (or the var it comes from) as the message says (README, \"Column mappings\")",
        ))
    elif steps["contract"]["empty_message"]:
        findings.append(Finding(
            level="stop", check="files", source=None, message=steps["contract"]["empty_message"],
            fix="point LANDING (make check LANDING=DIR) at the folder with the export",
        ))
    else:
        contract = steps["contract"]
        findings += contract_findings(contract)
        column_stops = {f.source for f in findings if f.level == "stop" and f.check == "columns"}
        build, tests = steps.get("build", []), steps.get("tests", [])
        unknown = [name for name in STOP_TESTS if status_of(tests, name) is None]
        if unknown:
            findings.append(Finding(
                level="stop", check="build", source=None,
                message=f"the project has no test {', '.join(unknown)}: the preflight cannot tell whether the shares stop the build",
                fix="update STOP_TESTS in scripts/preflight.py to the tests that judge the landing data",
            ))
            exit_code = 2
        findings += build_findings(build, column_stops, contract)
        verdicts = test_verdicts(tests, bool(column_stops) or any(row["status"] == "error" for row in build))
        warehouse = Warehouse(db_path, build)
        try:
            found, counts = value_findings(warehouse, contract, verdicts)
            findings += found
            found, identity_line = identity_findings(warehouse, contract, verdicts)
            findings += found
            findings += test_findings(tests, verdicts, findings)
            found, ranges, parameters = freshness_findings(warehouse, contract)
            findings += found
        finally:
            warehouse.con.close()
        if parameters:
            lines.append(
                f"As of {parameters['as_of_date']}" + (" (var as_of)" if as_of else " (the last date in the data)")
                + f"; the latest week scored would be {parameters['latest_week_start']} .. {parameters['latest_week_end']}."
            )
        lines.append(identity_line)
        for source, spec in contract["sources"].items():
            figures = counts.get(source, {})
            sources.append({
                "source": source, "files": len(spec["files"]),
                "rows": figures.get("rows_read"), "quarantined": figures.get("rows_quarantined"),
                "share": figures.get("quarantined_share"),
                "first": str(ranges[source]["first"]) if ranges.get(source, {}).get("first") else None,
                "last": str(ranges[source]["last"]) if ranges.get(source, {}).get("last") else None,
                "age": ranges.get(source, {}).get("age"),
            })
    if exit_code == 0 and any(f.level == "stop" for f in findings):
        exit_code = 1
    order = {level: i for i, level in enumerate(LEVELS)}
    findings.sort(key=lambda f: order[f.level])
    timings["total"] = round(time.monotonic() - started, 2)
    return Report(str(landing), mapping_list, findings, sources, lines, timings, exit_code)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="Exit status: 0 nothing stops the build, 1 something would, 2 the preflight could not run.")
    parser.add_argument("--landing", type=Path, default=Path(os.environ.get("USAGE_HEALTH_LANDING", "data/landing")),
                        help="the landing folder (default $USAGE_HEALTH_LANDING or data/landing)")
    parser.add_argument("--mappings", default=os.environ.get("USAGE_HEALTH_MAPPINGS", ""),
                        help="column mappings, comma-separated, as for the build (default $USAGE_HEALTH_MAPPINGS)")
    parser.add_argument("--as-of", default=None, help="the as_of date the build will use (YYYY-MM-DD; default: the last date in the data)")
    parser.add_argument("--work-dir", type=Path, default=DEFAULT_WORK_DIR,
                        help="where the scratch warehouse and dbt's parse are kept (default build/preflight)")
    parser.add_argument("--json", type=Path, default=None, help="also write the findings as JSON to this file")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    landing = args.landing if args.landing.is_absolute() else (Path.cwd() / args.landing)
    work_dir = args.work_dir.resolve()
    work_dir.mkdir(parents=True, exist_ok=True)
    with open(work_dir / "preflight.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one preflight at a time per work dir
        report = preflight(landing, args.mappings, args.as_of, work_dir)
    print(render(report))
    if args.json:
        args.json.write_text(json.dumps(report.as_json(), indent=2, default=str))
    return report.exit_code


if __name__ == "__main__":
    sys.exit(main())
