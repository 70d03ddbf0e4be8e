"""Print where the warehouse is and what it says: accounts per quadrant for the latest week.

Run after `dbt build`; `make demo` does. Reads the DuckDB file read-only.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import duckdb

def quadrant_counts(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int, float]]:
    """Accounts and ARR per quadrant in rpt_account_quadrant, in the order of marts.dim_quadrants
    (seeds/quadrants.csv), every quadrant a week can have, empty ones included."""
    rows = con.execute(
        "select quadrants.quadrant, count(accounts.account_id), coalesce(sum(accounts.arr), 0)"
        " from marts.dim_quadrants as quadrants"
        " left join marts.rpt_account_quadrant as accounts on accounts.quadrant = quadrants.quadrant"
        " where quadrants.kind in ('quadrant', 'insufficient_data')"
        " group by quadrants.quadrant, quadrants.display_order order by quadrants.display_order"
    ).fetchall()
    return [(quadrant, count, float(arr)) for quadrant, count, arr in rows]


def insufficient_data_lines(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Why accounts are Insufficient Data (marts.rpt_account_quadrant.insufficient_data_reason,
    which names a side missing from the landing folder and what to add), and the landing sources
    with no file. Nothing when every account is placed."""
    reasons = con.execute(
        "select insufficient_data_reason, count(*) from marts.rpt_account_quadrant"
        " where insufficient_data_reason is not null group by 1 order by 2 desc, 1"
    ).fetchall()
    if not reasons:
        return []
    total = con.execute("select count(*) from marts.rpt_account_quadrant").fetchall()[0][0]
    unplaced = sum(count for _, count in reasons)
    lines = [""]
    if unplaced == total and len(reasons) == 1:
        lines.append(f"Every account is Insufficient Data: {reasons[0][0]}.")
    else:
        lines.append(f"{unplaced} of {total} accounts are Insufficient Data:")
        lines += [f"  {count:>5}  {reason}" for reason, count in reasons]
    missing = [name for (name,) in con.execute(
        "select source_name from marts.rpt_source_freshness where files_read = 0 order by source_name").fetchall()]
    if missing:
        lines.append(f"Landing sources with no file: {', '.join(missing)}.")
    lines.append("Per account and week: insufficient_data_reason in marts.rpt_account_quadrant and"
                 " marts.fct_account_scores_weekly.")
    return lines


def churn_and_validation_lines(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Churn rate per quadrant before renewal (all quarters) and the AUC of the two scores."""
    rows = con.execute(
        "select quadrant, renewals, churned, churn_rate, churn_rate_vs_champions, lookback_days"
        " from marts.rpt_churn_rate_by_quadrant where renewal_quarter = 'all' order by quadrant_order"
    ).fetchall()
    if not rows:
        return ["Churn at renewal: no renewal outcomes to judge the scores by (renewal_outcomes has no rows)."]
    lookback = rows[0][5]
    lines = [
        f"Churn at renewal by the quadrant {lookback} days before (all renewals to date):",
        f"{'quadrant':<24}{'renewals':>10}{'churned':>9}{'rate':>8}{'x Champions':>13}",
    ]
    for quadrant, renewals, churned, rate, ratio, _ in rows:
        if renewals == 0:
            continue
        rate_text = f"{rate:.1%}" if rate is not None else "-"
        ratio_text = f"{ratio:.2f}" if ratio is not None else "-"
        lines.append(f"{quadrant:<24}{renewals:>10}{churned:>9}{rate_text:>8}{ratio_text:>13}")
    scores = con.execute(
        "select score, auc, top_decile_lift, renewals from marts.rpt_score_validation"
        " where score_kind = 'composite' order by score desc"
    ).fetchall()
    lines.append("")
    for score, auc, lift, renewals in scores:
        auc_text = f"{auc:.3f}" if auc is not None else "-"
        lift_text = f"{lift:.2f}" if lift is not None else "-"
        lines.append(f"AUC of {score:<13} {auc_text}  (top-decile lift {lift_text}, {renewals} renewals)")
    lines.append("Component AUCs and suggested weights: marts.rpt_score_validation.")
    return lines


def churn_ratio_line(con: duckdb.DuckDBPyConnection) -> str:
    """The 2.1x check (marts.rpt_churn_ratio_check): Frustrated Power Users' churn rate over
    Champions', with its 95% interval and whether the article's claim lies inside it."""
    rows = con.execute(
        "select quadrant, reference_quadrant, churn_ratio, churn_ratio_low, churn_ratio_high, claimed_churn_ratio,"
        " is_claim_within_interval, is_too_few_to_trust from marts.rpt_churn_ratio_check where renewal_quarter = 'all'"
    ).fetchall()
    if not rows or rows[0][2] is None:
        return "The 2.1x check: too few churns to compare the two quadrants yet (marts.rpt_churn_ratio_check)."
    quadrant, reference, ratio, low, high, claim, inside, too_few = rows[0]
    return (
        f"{quadrant} churn {ratio:.2f}x as often as {reference} (95% interval {low:.2f}-{high:.2f});"
        f" the article's {claim:g}x is {'inside' if inside else 'outside'} the interval"
        + (" (too few renewals to trust)." if too_few else ".")
    )


def stability_line(con: duckdb.DuckDBPyConnection) -> str:
    """Quadrant moves over the scored history, with the hysteresis band and without it."""
    moves, inside, raw_moves, raw_crossing, account_quarters = con.execute(
        "select sum(moves), sum(moves_inside_band), sum(raw_moves),"
        " sum(raw_moves * coalesce(raw_share_of_moves_crossing_inside_band, 0)), sum(accounts_scored)"
        " from marts.rpt_quadrant_stability where segment = 'all segments'"
    ).fetchall()[0]
    if not account_quarters:
        return "Quadrant stability: no scored weeks."
    share = f"{inside / moves:.1%}" if moves else "-"
    raw_share = f"{raw_crossing / raw_moves:.0%}" if raw_moves else "-"
    return (
        f"Quadrant stability: {moves} moves ({moves / account_quarters:.2f} per account-quarter), {share} with both"
        f" scores inside the band;\n  without the band {raw_moves} ({raw_moves / account_quarters:.2f}), {raw_share} of"
        f" them crossing a cut-off inside it (marts.rpt_quadrant_stability)."
    )


def render(db_path: Path) -> str:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        as_of, week_start = con.execute(
            "select as_of_date, latest_week_start from intermediate.int_run_parameters"
        ).fetchall()[0]
        lines = [
            f"Warehouse: {db_path}",
            f"As of {as_of}; latest complete week starts {week_start}.",
            "",
            f"{'quadrant':<24}{'accounts':>10}{'ARR':>16}",
        ]
        total = 0
        for quadrant, count, arr in quadrant_counts(con):
            total += count
            lines.append(f"{quadrant:<24}{count:>10}{arr:>16,.0f}")
        lines.append(f"{'total':<24}{total:>10}")
        lines += insufficient_data_lines(con)
        lines += ["", *churn_and_validation_lines(con), churn_ratio_line(con)]
        critical, alerts = con.execute(
            "select (select count(*) from marts.fct_quadrant_movements where is_latest_week and is_critical),"
            " (select count(*) from marts.rpt_cs_alerts)"
        ).fetchall()[0]
        quarantined = con.execute("select coalesce(sum(rows_quarantined), 0) from staging.stg_landing__reconciliation").fetchall()[0][0]
        unreadable = con.execute("select coalesce(sum(copies), 0) from staging.stg_landing__field_issues").fetchall()[0][0]
        lines += [
            "",
            f"This week: {critical} critical quadrant moves, {alerts} CS alerts; {quarantined} landing rows in quarantine"
            f" (staging.stg_landing__quarantine), {unreadable} optional"
            f" {'field' if unreadable == 1 else 'fields'} unreadable and left empty"
            " (staging.stg_landing__field_issues).",
            stability_line(con),
            "Read: marts.rpt_account_quadrant, marts.fct_account_scores_weekly, marts.fct_quadrant_movements,",
            "      marts.rpt_cs_alerts, marts.rpt_top_accounts_by_arr, marts.rpt_churn_rate_by_quadrant and the",
            "      other analyses listed in the README.",
        ]
        return "\n".join(lines)
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--db",
        type=Path,
        default=Path(os.environ.get("USAGE_HEALTH_DB", "warehouse/usage_health.duckdb")),
        help="the DuckDB warehouse file (default: $USAGE_HEALTH_DB or warehouse/usage_health.duckdb)",
    )
    args = parser.parse_args(argv)
    if not args.db.exists():
        print(f"No warehouse at {args.db}: run `make demo` (or dbt build) first.", file=sys.stderr)
        return 1
    print(render(args.db.resolve()))
    serve = Path(os.environ.get("USAGE_HEALTH_SERVE_DB", "warehouse/serve/usage_health.duckdb"))
    if serve.exists():
        print(f"BI tools: open the published copy read-only, {serve.resolve()} (Parquet beside it in parquet/current/).")
        print("Dashboard: `make dashboard`, then http://localhost:8501.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
