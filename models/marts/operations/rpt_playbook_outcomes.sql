-- One row per alert rule, per playbook and one for all alerts (`grouped_by` says which; the
-- other label is 'all'): do the playbooks work? From the alert history (fct_cs_alert_history):
-- alerts raised, still open (and overdue), resolved, and of the resolved ones judged (recovered,
-- or `playbook_recovery_weeks` passed) how many saw the account recover within that many weeks,
-- by the rule's recovery measure (its quadrant back up, or its score back to where it was).
-- The recovery rate has a 95% Wilson interval and a flag when fewer than `min_alerts_to_trust`
-- judged alerts stand behind it. Every rule and playbook of seeds/alert_playbooks.csv has its
-- row, with zeros when it never fired.
with alerts as (
    select * from {{ ref('fct_cs_alert_history') }}
),

playbooks as (
    select * from {{ ref('alert_playbooks') }}
),

labelled as (
    select
        playbooks.alert_rule,
        playbooks.playbook,
        alerts.alert_key,
        alerts.status,
        alerts.is_overdue,
        alerts.is_judged,
        alerts.is_recovered,
        alerts.weeks_to_recover
    from playbooks
    left join alerts on playbooks.alert_rule = alerts.alert_rule
),

-- each alert three times: under its rule, under its playbook, and under all
keyed as (
    select
        'alert_rule' as grouped_by,
        alert_rule as group_rule,
        playbook as group_playbook,
        alert_key,
        status,
        is_overdue,
        is_judged,
        is_recovered,
        weeks_to_recover
    from labelled
    union all
    select
        'playbook' as grouped_by,
        'all' as group_rule,
        playbook as group_playbook,
        alert_key,
        status,
        is_overdue,
        is_judged,
        is_recovered,
        weeks_to_recover
    from labelled
    union all
    select
        'all' as grouped_by,
        'all' as group_rule,
        'all' as group_playbook,
        alert_key,
        status,
        is_overdue,
        is_judged,
        is_recovered,
        weeks_to_recover
    from labelled
),

grouped as (
    select
        grouped_by,
        group_rule as alert_rule,
        group_playbook as playbook,
        count(alert_key) as alerts,
        sum(case when status = 'open' then 1 else 0 end) as open_alerts,
        sum(case when is_overdue then 1 else 0 end) as overdue_alerts,
        sum(case when status = 'resolved' then 1 else 0 end) as resolved_alerts,
        sum(case when is_judged then 1 else 0 end) as judged_alerts,
        sum(case when is_recovered then 1 else 0 end) as recovered_alerts,
        {{ percentile_cont('case when is_recovered then weeks_to_recover end', 0.5) }} as median_weeks_to_recover
    from keyed
    group by grouped_by, group_rule, group_playbook
),

final as (
    select
        grouped_by,
        alert_rule,
        playbook,
        alerts,
        open_alerts,
        overdue_alerts,
        resolved_alerts,
        judged_alerts,
        recovered_alerts,
        {{ var('playbook_recovery_weeks') }} as recovery_weeks,
        case when judged_alerts > 0 then {{ round_to('cast(recovered_alerts as double) / judged_alerts', 4) }} end as recovery_rate,
        {{ round_to(wilson_bound('recovered_alerts', 'judged_alerts', 'low'), 4) }} as recovery_rate_low,
        {{ round_to(wilson_bound('recovered_alerts', 'judged_alerts', 'high'), 4) }} as recovery_rate_high,
        median_weeks_to_recover,
        judged_alerts < {{ var('min_alerts_to_trust') }} as is_too_few_to_trust
    from grouped
)

select * from final
