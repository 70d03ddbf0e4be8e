"""The joint Usage-Health dashboard: CS and Product on one page, read from the published marts.

Run it with `make dashboard` (or `streamlit run dashboard/app.py`). It opens the serving file,
$USAGE_HEALTH_SERVE_DB (default warehouse/serve/usage_health.duckdb), read-only and only for the
length of a query, so `make build` can publish a new copy at any time: the next rerun reads it.
Pages: the overview (quadrant scatter, counts, this week's movements, alerts, top accounts,
features by quadrant; the 2.1x churn check, open CTAs with their playbooks, whether playbooks
work, unknown instances) and, with `?account=<id>`, one account's component scores, use-case
adoption, license utilization by month, engagement, alert history and score history.
"""
from __future__ import annotations

import os
from pathlib import Path

import altair as alt
import duckdb
import pandas as pd
import streamlit as st

PROJECT_DIR = Path(__file__).resolve().parents[1]
SERVE_DB = Path(os.environ.get("USAGE_HEALTH_SERVE_DB", PROJECT_DIR / "warehouse" / "serve" / "usage_health.duckdb"))
ALL_SEGMENTS = "All segments"
ALL_CSMS = "All CSMs"
NO_CSM = "(no CSM: tech touch)"


def query(sql: str, *params: object) -> pd.DataFrame:
    """Run a read-only query on the served file. Not cached: the marts are small, and every rerun
    then reads the copy published last (publish.py renames a new file over the served one)."""
    con = duckdb.connect(str(SERVE_DB), read_only=True)
    try:
        return con.execute(sql, list(params)).df()
    finally:
        con.close()


def quadrant_colours() -> dict[str, str]:
    """The quadrants a week can have, in display order, with their colours: marts.dim_quadrants
    (seeds/quadrants.csv) is the one place quadrants are named."""
    rows = query("select quadrant, colour from marts.dim_quadrants"
                 " where kind in ('quadrant', 'insufficient_data') order by display_order")
    return dict(zip(rows["quadrant"], rows["colour"]))


def frustrated_power_users() -> str:
    """The name of the high-usage, low-health quadrant."""
    rows = query("select quadrant from marts.dim_quadrants where usage_side = 'high' and health_side = 'low'")
    return str(rows["quadrant"][0])


def account_filter_sql(segment: str, csm: str, alias: str = "") -> tuple[str, list[object]]:
    """The where-clause of the sidebar's filters, on a relation with segment and csm_owner."""
    prefix = f"{alias}." if alias else ""
    clauses, params = ["true"], []
    if segment != ALL_SEGMENTS:
        clauses.append(f"{prefix}segment = ?")
        params.append(segment)
    if csm == NO_CSM:
        clauses.append(f"{prefix}csm_owner is null")
    elif csm != ALL_CSMS:
        clauses.append(f"{prefix}csm_owner = ?")
        params.append(csm)
    return " and ".join(clauses), params


def freshness_banner() -> None:
    stale = query(
        "select source_name, record_age_days from marts.rpt_source_freshness where is_stale order by source_name"
    )
    if len(stale):
        sources = ", ".join(
            f"{row.source_name} ({'no file' if pd.isna(row.record_age_days) else f'{int(row.record_age_days)} days'})"
            for row in stale.itertuples()
        )
        st.error(f"Stale data: {sources}. A source older than 10 days makes its scores out of date.", icon="⚠️")


def insufficient_data_banner() -> None:
    """When no account can be placed, say why (marts.rpt_account_quadrant.insufficient_data_reason
    names a side missing from the landing folder and what to add) and which sources have no file."""
    reasons = query(
        "select insufficient_data_reason as reason, count(*) as accounts from marts.rpt_account_quadrant"
        " where insufficient_data_reason is not null group by 1 order by 2 desc, 1"
    )
    total = int(query("select count(*) as accounts from marts.rpt_account_quadrant")["accounts"][0])
    if reasons.empty or int(reasons["accounts"].sum()) < total:
        return
    missing = query("select source_name from marts.rpt_source_freshness where files_read = 0 order by source_name")
    why = "; ".join(f"{row.reason} ({int(row.accounts)} accounts)" if len(reasons) > 1 else row.reason
                    for row in reasons.itertuples())
    text = f"Every account is Insufficient Data: {why}."
    if len(missing):
        text += f" Landing sources with no file: {', '.join(missing['source_name'])}."
    st.warning(text, icon="ℹ️")


def insufficient_data_caption(accounts: pd.DataFrame) -> str | None:
    """Why the filtered accounts that are Insufficient Data are, counted by reason."""
    reasons = accounts["insufficient_data_reason"].dropna().value_counts()
    if reasons.empty:
        return None
    return "Insufficient Data: " + "; ".join(f"{n} {reason}" for reason, n in reasons.items()) + "."


def sidebar_filters() -> tuple[str, str]:
    segments = query("select distinct segment from marts.rpt_account_quadrant order by segment")["segment"].tolist()
    csms = query(
        "select distinct csm_owner from marts.rpt_account_quadrant where csm_owner is not null order by csm_owner"
    )["csm_owner"].tolist()
    with st.sidebar:
        st.header("Filters")
        segment = st.radio("Segment", [ALL_SEGMENTS, *segments], key="segment")
        csm = st.selectbox("CSM", [ALL_CSMS, *csms, NO_CSM], key="csm")
    return segment, csm


def quadrant_scatter(accounts: pd.DataFrame, segment: str) -> alt.LayerChart:
    cutoffs = query("select segment, usage_cutoff, health_cutoff from marts.dim_segments where segment <> 'default'")
    if segment != ALL_SEGMENTS:
        cutoffs = cutoffs[cutoffs["segment"] == segment]
    colours = quadrant_colours()
    colour = alt.Color("quadrant:N", scale=alt.Scale(domain=list(colours), range=list(colours.values())))
    points = alt.Chart(accounts).mark_circle(opacity=0.75, stroke="white", strokeWidth=0.5).encode(
        x=alt.X("usage_score:Q", title="Usage score", scale=alt.Scale(domain=[0, 100])),
        y=alt.Y("health_score:Q", title="Health score", scale=alt.Scale(domain=[0, 100])),
        size=alt.Size("arr:Q", title="ARR", scale=alt.Scale(range=[20, 900])),
        color=colour,
        tooltip=["account_name", "segment", "csm_owner", "quadrant", alt.Tooltip("arr:Q", format=",.0f"),
                 alt.Tooltip("usage_score:Q", format=".1f"), alt.Tooltip("health_score:Q", format=".1f")],
    )
    rule = alt.Chart(cutoffs).mark_rule(strokeDash=[6, 4], color="#555")
    lines = rule.encode(x="usage_cutoff:Q") + rule.encode(y="health_cutoff:Q")
    return (points + lines).properties(height=480)


def overview() -> None:
    segment, csm = sidebar_filters()
    where, params = account_filter_sql(segment, csm)
    accounts = query(
        f"""select account_id, account_name, segment, csm_owner, cast(arr as double) as arr, cast(renewal_date as varchar) as renewal_date,
               usage_score, health_score, quadrant, insufficient_data_reason, previous_quadrant, weeks_in_quadrant
        from marts.rpt_account_quadrant where {where} order by arr desc nulls last, account_id""",
        *params,
    )

    headline = query(
        f"""select
            (select count(*) from marts.fct_quadrant_movements as m
             inner join marts.rpt_account_quadrant as a on m.account_id = a.account_id
             where m.is_latest_week and m.is_critical and {account_filter_sql(segment, csm, 'a')[0]}) as critical_moves,
            (select count(*) from marts.rpt_cs_alerts where {where}) as alerts""",
        *params, *params,
    )
    st.markdown(
        f"**This week: {int(headline['critical_moves'][0])} critical quadrant moves, "
        f"{int(headline['alerts'][0])} CS alerts** ({segment.lower()}, {csm if csm != ALL_CSMS else 'all CSMs'})."
    )

    counts = accounts.groupby("quadrant").agg(accounts=("account_id", "count"), arr=("arr", "sum"))
    st.subheader("Accounts per quadrant")
    quadrants = list(quadrant_colours())
    columns = st.columns(len(quadrants))
    for column, quadrant in zip(columns, quadrants):
        n = int(counts["accounts"].get(quadrant, 0))
        arr = float(counts["arr"].get(quadrant, 0.0) or 0.0)
        column.metric(quadrant, f"{n}", help=f"ARR {arr:,.0f}", border=True)
        column.caption(f"ARR {arr:,.0f}")
    caption = insufficient_data_caption(accounts)
    if caption:
        st.caption(caption)

    st.altair_chart(quadrant_scatter(accounts, segment), width="stretch")
    st.caption("Dashed lines: the segment's usage and health cut-offs (marts.dim_segments). Bubble size: ARR.")

    left, right = st.columns(2)
    with left:
        st.subheader("This week's quadrant moves")
        moves = query(
            f"""select a.account_name, m.from_quadrant, m.to_quadrant, m.is_critical, m.critical_reason,
                   cast(m.arr as double) as arr, a.csm_owner
            from marts.fct_quadrant_movements as m
            inner join marts.rpt_account_quadrant as a on m.account_id = a.account_id
            where m.is_latest_week and {account_filter_sql(segment, csm, 'a')[0]}
            order by m.is_critical desc, m.arr desc, m.account_id""",
            *params,
        )
        st.caption(f"{int(moves['is_critical'].sum())} critical of {len(moves)} moves; critical first.")
        st.dataframe(moves, hide_index=True, width="stretch")
    with right:
        st.subheader("CS alerts")
        alerts = query(
            f"""select account_name, severity, alert_rule, reason, cast(arr as double) as arr, csm_owner, days_to_renewal
            from marts.rpt_cs_alerts where {where}
            order by case severity when 'critical' then 0 when 'high' then 1 else 2 end, arr desc, account_name""",
            *params,
        )
        st.caption(f"{len(alerts)} alerts this week.")
        st.dataframe(alerts, hide_index=True, width="stretch")

    st.subheader("Top 20 accounts by ARR")
    if segment == ALL_SEGMENTS and csm == ALL_CSMS:
        top = query("select account_id from marts.rpt_top_accounts_by_arr order by arr_rank")["account_id"]
        top_accounts = accounts.set_index("account_id").loc[top].reset_index()
    else:  # the filtered accounts' own top 20, ranked as the mart ranks (ARR, then account id)
        top_accounts = accounts.head(20)
    st.dataframe(top_accounts[["account_name", "segment", "csm_owner", "arr", "quadrant", "usage_score",
                                    "health_score", "renewal_date"]], hide_index=True, width="stretch")

    st.subheader("Features by quadrant")
    features = query(
        "select feature, quadrant, share_using, champions_lift, usage_rank_in_quadrant from marts.rpt_features_by_quadrant"
    )
    shares = features.pivot_table(index="feature", columns="quadrant", values="share_using")
    shares = shares[[q for q in quadrant_colours() if q in shares.columns]]
    shares["Champions lift"] = features.groupby("feature")["champions_lift"].first()
    st.dataframe(shares.sort_values("Champions lift", ascending=False), width="stretch")
    fpu_name = frustrated_power_users()
    fpu = features[features["quadrant"] == fpu_name].sort_values("usage_rank_in_quadrant").head(5)
    st.caption(f"Across all segments and CSMs (the filters do not apply here). What {fpu_name} use most: "
               + ", ".join(fpu["feature"]) + ".")

    issue16_overview(segment, csm)

    st.subheader("Open an account")
    names = dict(zip(accounts["account_name"] + "  ·  " + accounts["account_id"], accounts["account_id"]))
    choice = st.selectbox("Account", list(names), index=None, placeholder="Type a name", key="open_account")
    if choice:
        st.query_params["account"] = names[choice]
        st.rerun()


def account_page(account_id: str) -> None:
    if st.button("← All accounts"):
        del st.query_params["account"]
        st.rerun()
    row = query("select * from marts.rpt_account_quadrant where account_id = ?", account_id)
    if row.empty:
        st.warning(f"No scored account {account_id} in the latest week.")
        return
    account = row.iloc[0]
    st.header(f"{account['account_name']}")
    if account["insufficient_data_reason"]:
        st.info(f"Insufficient Data: {account['insufficient_data_reason']}.")
    st.markdown(
        f"**{account['quadrant']}** for {int(account['weeks_in_quadrant'])} weeks (before: {account['previous_quadrant']}) · "
        f"segment {account['segment']} · CSM {account['csm_owner'] or 'none'} · ARR {float(account['arr'] or 0):,.0f} · "
        f"renewal {str(account['renewal_date'])[:10]}"
    )
    usage, health = st.columns(2)
    for column, score in ((usage, "usage"), (health, "health")):
        value = account[f"{score}_score"]
        column.metric(f"{score.capitalize()} score", f"{value:.1f}" if pd.notna(value) else "no data",
                      help=f"coverage {account[f'{score}_coverage']:.0%}")

    components = [c for c in row.columns if c.endswith("_score") and c not in ("usage_score", "health_score")]
    scores = pd.DataFrame({"component": [c.removesuffix("_score") for c in components],
                           "score": [account[c] for c in components]})
    st.subheader("Component scores this week")
    st.table(scores.set_index("component").style.format("{:.1f}", na_rep="no data"))

    issue16_account(account_id)

    history = query(
        "select cast(week_start as varchar) as week_start, usage_score, health_score, quadrant, "
        + ", ".join(components)
        + " from marts.fct_account_scores_weekly where account_id = ? order by week_start",
        account_id,
    )
    st.subheader("History")
    st.caption(f"{len(history)} scored weeks")
    long = history.melt(id_vars=["week_start"], value_vars=["usage_score", "health_score"], var_name="score")
    st.altair_chart(alt.Chart(long).mark_line(point=True).encode(
        x="week_start:T", y=alt.Y("value:Q", scale=alt.Scale(domain=[0, 100])), color="score:N"), width="stretch")
    st.dataframe(history, hide_index=True, width="stretch")


# --- Issue 16: the 2.1x check, the CTA loop, unknown instances; use cases, seats, engagement ---


def churn_ratio_check() -> None:
    """The article's claim (Frustrated Power Users churn about 2.1x as often as Champions) with
    the interval the renewals allow (marts.rpt_churn_ratio_check, all renewals)."""
    rows = query("select * from marts.rpt_churn_ratio_check where renewal_quarter = 'all'")
    st.subheader(f"Churn: {frustrated_power_users()} against Champions")
    if rows.empty or pd.isna(rows["churn_ratio"][0]):
        st.caption("Not enough renewals yet to compare the two quadrants' churn.")
        return
    row = rows.iloc[0]
    verdict = "inside" if row["is_claim_within_interval"] else "outside"
    st.markdown(
        f"**{row['quadrant']} churn {row['churn_ratio']:.2f}x as often as {row['reference_quadrant']}** "
        f"(95% interval {row['churn_ratio_low']:.2f}-{row['churn_ratio_high']:.2f}; "
        f"{int(row['churned'])} of {int(row['renewals'])} renewals against {int(row['reference_churned'])} of "
        f"{int(row['reference_renewals'])}). The article's {row['claimed_churn_ratio']:g}x is {verdict} the interval."
    )
    if row["is_too_few_to_trust"]:
        st.caption("Too few renewals behind one of the two rates to trust this: read it as a hint.")


def open_ctas(segment: str, csm: str) -> None:
    """Open alerts with their playbook, owner, due date and escalation (marts.fct_cs_alert_history):
    escalated and overdue first."""
    where, params = account_filter_sql(segment, csm, "a")
    ctas = query(
        f"""select a.account_name, h.alert_rule, h.playbook, h.owner_role, h.escalation_role,
               cast(h.first_seen_week_start as varchar) as first_seen, h.weeks_seen,
               cast(h.due_date as varchar) as due_date, h.is_overdue, cast(a.arr as double) as arr, a.csm_owner
        from marts.fct_cs_alert_history as h
        inner join marts.rpt_account_quadrant as a on h.account_id = a.account_id
        where h.status = 'open' and {where}
        order by h.is_escalated desc, h.is_overdue desc, a.arr desc nulls last, a.account_id, h.alert_rule""",
        *params,
    )
    st.subheader("Open CTAs: playbooks, owners, due dates")
    st.caption(f"{len(ctas)} open alerts, {int(ctas['is_overdue'].sum())} overdue, "
               f"{int(ctas['escalation_role'].notna().sum())} escalated (to "
               + (", ".join(sorted(ctas["escalation_role"].dropna().unique())) or "nobody") + ").")
    st.dataframe(ctas, hide_index=True, width="stretch")


def playbook_outcomes() -> None:
    """Do the playbooks work? marts.rpt_playbook_outcomes, by rule (with its playbook)."""
    outcomes = query(
        """select alert_rule, playbook, alerts, open_alerts, overdue_alerts, resolved_alerts, judged_alerts,
               recovered_alerts, recovery_rate, recovery_rate_low, recovery_rate_high, median_weeks_to_recover,
               is_too_few_to_trust, recovery_weeks
        from marts.rpt_playbook_outcomes where grouped_by = 'alert_rule' order by alerts desc, alert_rule"""
    )
    overall = query("select judged_alerts, recovered_alerts, recovery_rate, recovery_weeks"
                    " from marts.rpt_playbook_outcomes where grouped_by = 'all'")
    st.subheader("Do playbooks work?")
    if not overall.empty and overall["judged_alerts"][0]:
        row = overall.iloc[0]
        st.markdown(f"**{row['recovery_rate']:.0%} of resolved alerts recovered within {int(row['recovery_weeks'])} weeks** "
                    f"({int(row['recovered_alerts'])} of {int(row['judged_alerts'])} judged).")
    st.dataframe(outcomes.drop(columns=["recovery_weeks"]), hide_index=True, width="stretch")
    st.caption("Recovered: back up from the quadrant the alert was raised in, or the rule's score back to where it was "
               "the week before (seeds/alert_playbooks.csv). Across all segments and CSMs.")


def unknown_instances() -> None:
    """Workspaces with no instance type, counted as production until labelled."""
    rows = query(
        """select workspace_id, scored_account_name as account, resolution_status, event_count, share_of_account_events,
               cast(last_event_at as varchar) as last_event_at
        from marts.rpt_unknown_instances order by share_of_account_events desc nulls last, event_count desc, workspace_id"""
    )
    st.subheader("Unknown instances to label")
    st.caption(f"{len(rows)} workspaces have no instance type: they count as production until labelled "
               "production, non-production or obsolete. Across all segments and CSMs.")
    st.dataframe(rows, hide_index=True, width="stretch")


def issue16_overview(segment: str, csm: str) -> None:
    churn_ratio_check()
    open_ctas(segment, csm)
    playbook_outcomes()
    unknown_instances()


def adoption_sentence(use_cases: pd.DataFrame) -> str:
    """'Strong in analytics; nothing in automation' from the bands (no logic of its own)."""
    parts = []
    strong = use_cases.loc[use_cases["adoption_band"] == "green", "use_case"].tolist()
    nothing = use_cases.loc[(use_cases["adoption_band"] == "red") & (use_cases["use_case_users"] == 0), "use_case"].tolist()
    weak = use_cases.loc[(use_cases["adoption_band"] == "red") & (use_cases["use_case_users"] > 0), "use_case"].tolist()
    for label, names in (("Strong in", strong), ("weak in", weak), ("nothing in", nothing)):
        if names:
            parts.append(f"{label} {', '.join(names)}")
    text = "; ".join(parts)
    return (text[:1].upper() + text[1:] + ".") if text else "No use-case data this week."


def issue16_account(account_id: str) -> None:
    use_cases = query(
        """select use_case, adoption_band, use_case_score, use_case_user_share, use_case_users, active_users,
               use_case_features_used, use_case_features
        from marts.fct_use_case_adoption_weekly where account_id = ? and is_latest_week order by use_case_order""",
        account_id,
    )
    st.subheader("Use-case adoption")
    st.markdown(f"**{adoption_sentence(use_cases)}**")
    st.caption("Each use case scored 0-100 against the segment's accounts (share of active users who used it in the "
               "last 28 days); bands from seeds/use_cases.csv.")
    st.dataframe(use_cases, hide_index=True, width="stretch")

    seats = query(
        """select cast(month_start as varchar) as month, licensed_seats, active_users, license_utilization,
               utilization_change, seat_status, is_month_complete
        from marts.fct_license_utilization_monthly where account_id = ? order by month_start""",
        account_id,
    )
    st.subheader("License utilization by month")
    if not seats.empty:
        latest = seats.iloc[-1]
        status = str(latest["seat_status"]).replace("_", " ") if latest["seat_status"] else "no seats on record"
        st.caption(f"Latest: {status}"
                   + (f", {latest['license_utilization']:.0%} of {int(latest['licensed_seats'])} seats"
                      if pd.notna(latest["license_utilization"]) else "") + ".")
        st.altair_chart(alt.Chart(seats).mark_line(point=True).encode(
            x="month:T", y=alt.Y("license_utilization:Q", title="Active users / licensed seats")), width="stretch")
    st.dataframe(seats, hide_index=True, width="stretch")

    engagement = query(
        """select cast(week_start as varchar) as week_start, weekly_active_users, monthly_active_users, stickiness,
               sessions, average_session_minutes
        from marts.fct_account_engagement_weekly where account_id = ? order by week_start desc limit 8""",
        account_id,
    )
    st.subheader("Engagement")
    st.caption("Weekly and monthly (28-day) active users, stickiness = WAU / MAU, sessions and their mean minutes; "
               "the last 8 weeks.")
    st.dataframe(engagement, hide_index=True, width="stretch")

    alerts = query(
        """select alert_rule, status, cast(first_seen_week_start as varchar) as first_seen,
               cast(last_seen_week_start as varchar) as last_seen, playbook, owner_role, escalation_role,
               cast(due_date as varchar) as due_date, is_overdue, is_recovered
        from marts.fct_cs_alert_history where account_id = ? order by first_seen_week_start desc, alert_rule""",
        account_id,
    )
    st.subheader("Alert history")
    st.caption(f"{len(alerts)} alerts, {int((alerts['status'] == 'open').sum())} open.")
    st.dataframe(alerts, hide_index=True, width="stretch")


def main() -> None:
    st.set_page_config(page_title="Usage-Health", layout="wide")
    st.title("Usage-Health: which accounts need us this week")
    if not SERVE_DB.exists():
        st.error(f"No published warehouse at {SERVE_DB}. Run `make demo` (demo data) or `make build` first.")
        st.stop()
    manifest = query("select max(as_of_date) as as_of_date, max(published_at) as published_at from serving.manifest")
    st.caption(f"As of {str(manifest['as_of_date'][0])[:10]} · published {manifest['published_at'][0]} · {SERVE_DB}")
    freshness_banner()
    insufficient_data_banner()
    account_id = st.query_params.get("account")
    if account_id:
        account_page(account_id)
    else:
        overview()


main()
