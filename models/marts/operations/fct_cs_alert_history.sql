-- One row per alert: an account x alert rule x run of consecutive judged weeks in which the
-- rule's condition held (fct_cs_alert_conditions_weekly; for critical_movement, one run per
-- critical move). The CTA loop (Gainsight, 004): when the alert was first and last seen, its
-- state at as_of, the playbook that answers it, who owns it and by when, where it escalates,
-- and whether the account recovered. Deterministic for the same input and as_of: every date
-- comes from the scored weeks and the as-of date, never the wall clock.
--   episodes:    first seen, last seen and weeks seen of each run.
--   decide_status: `resolved` when the next judged week no longer holds it (resolved_week_start
--              is that week), `superseded` when a new critical move replaced it, `churned` when
--              the account churned with it open, `open` otherwise.
--   route:       the rule's playbook, owner role and days to act (seeds/alert_playbooks.csv); due
--              at the end of the week it was first seen plus days_to_act, overdue when still open
--              after that at as_of. Rules marked is_escalated go to the escalation role of the
--              account's quadrant when first seen (seeds/alert_escalations.csv), else to the
--              `default` row's.
--   recovery:    within `playbook_recovery_weeks` weeks after it was first seen, the first week the
--              account recovered by the rule's recovery_measure: `quadrant` = in a quadrant above
--              the one it was in when the alert was raised (a move `up` in
--              seeds/quadrant_moves.csv); `usage_score` / `health_score` = the score back to at
--              least its value the week before the alert. A resolved alert is judged once it
--              recovered or its window has passed (`is_judged`); `is_recovered` is null until then.
{%- set recovery_weeks = var('playbook_recovery_weeks') | int %}
with conditions as (
    select * from {{ ref('fct_cs_alert_conditions_weekly') }}
),

weekly as (
    select * from {{ ref('fct_account_scores_weekly') }}
),

quadrant_moves as (
    select * from {{ ref('quadrant_moves') }}
),

playbooks as (
    select * from {{ ref('alert_playbooks') }}
),

escalations as (
    select * from {{ ref('alert_escalations') }}
),

parameters as (
    select * from {{ ref('int_run_parameters') }}
),

sequenced as (
    select
        account_id,
        week_start,
        segment,
        last_known_quadrant,
        alert_rule,
        holds,
        condition_key,
        row_number() over (partition by account_id, alert_rule order by week_start) as judged_n,
        row_number() over (partition by account_id, alert_rule, holds, condition_key order by week_start) as state_n
    from conditions
    where is_evaluable
),

episodes as (
    select
        account_id,
        alert_rule,
        condition_key,
        min(week_start) as first_seen_week_start,
        max(week_start) as last_seen_week_start,
        count(*) as weeks_seen,
        max(judged_n) as last_judged_n
    from sequenced
    where holds
    group by account_id, alert_rule, condition_key, judged_n - state_n
),

latest_stage as (
    select
        account_id,
        lifecycle_stage
    from weekly
    where is_latest_week
),

decide_status as (
    select
        episodes.*,
        first_week.segment,
        first_week.last_known_quadrant as quadrant_at_first_seen,
        next_week.week_start as next_judged_week_start,
        case
            when next_week.week_start is not null and not next_week.holds then 'resolved'
            when next_week.week_start is not null then 'superseded'
            when latest_stage.lifecycle_stage = 'churned' then 'churned'
            else 'open'
        end as status
    from episodes
    inner join sequenced as first_week
        on
            episodes.account_id = first_week.account_id
            and episodes.alert_rule = first_week.alert_rule
            and episodes.first_seen_week_start = first_week.week_start
    left join sequenced as next_week
        on
            episodes.account_id = next_week.account_id
            and episodes.alert_rule = next_week.alert_rule
            and episodes.last_judged_n + 1 = next_week.judged_n
    left join latest_stage on episodes.account_id = latest_stage.account_id
),

route as (
    select
        decide_status.*,
        playbooks.playbook,
        playbooks.owner_role,
        playbooks.days_to_act,
        playbooks.recovery_measure,
        coalesce(playbooks.is_escalated, false) as is_escalated,
        case
            when playbooks.is_escalated then coalesce(by_quadrant.escalation_role, by_default.escalation_role)
        end as escalation_role,
        {{ add_days(add_days('decide_status.first_seen_week_start', 6), 'playbooks.days_to_act') }} as due_date
    from decide_status
    left join playbooks on decide_status.alert_rule = playbooks.alert_rule
    left join escalations as by_quadrant on decide_status.quadrant_at_first_seen = by_quadrant.quadrant
    left join escalations as by_default on by_default.quadrant = 'default'
),

week_before as (
    select
        route.account_id,
        route.alert_rule,
        route.first_seen_week_start,
        prior_week.usage_score as usage_score_before,
        prior_week.health_score as health_score_before
    from route
    inner join weekly as prior_week
        on
            route.account_id = prior_week.account_id
            and {{ add_days('route.first_seen_week_start', -7) }} = prior_week.week_start
),

recovery as (
    select
        route.account_id,
        route.alert_rule,
        route.first_seen_week_start,
        min(later.week_start) as recovery_week_start
    from route
    inner join weekly as later
        on
            route.account_id = later.account_id
            and later.week_start > route.first_seen_week_start
            and later.week_start <= {{ add_days('route.first_seen_week_start', 7 * recovery_weeks) }}
    left join week_before
        on
            route.account_id = week_before.account_id
            and route.alert_rule = week_before.alert_rule
            and route.first_seen_week_start = week_before.first_seen_week_start
    left join quadrant_moves
        on
            route.quadrant_at_first_seen = quadrant_moves.from_quadrant
            and later.quadrant = quadrant_moves.to_quadrant
            and quadrant_moves.direction = 'up'
    where
        (route.recovery_measure = 'quadrant' and quadrant_moves.to_quadrant is not null)
        or (route.recovery_measure = 'usage_score' and later.usage_score >= week_before.usage_score_before)
        or (route.recovery_measure = 'health_score' and later.health_score >= week_before.health_score_before)
    group by route.account_id, route.alert_rule, route.first_seen_week_start
),

judge_recovery as (
    select
        route.*,
        week_before.usage_score_before,
        week_before.health_score_before,
        recovery.recovery_week_start,
        {{ add_days('route.first_seen_week_start', 7 * recovery_weeks) }} <= parameters.latest_week_start
            as is_recovery_window_complete,
        route.status = 'open' and parameters.as_of_date > route.due_date as is_overdue,
        route.status = 'resolved'
        and (
            recovery.recovery_week_start is not null
            or {{ add_days('route.first_seen_week_start', 7 * recovery_weeks) }} <= parameters.latest_week_start
        ) as is_judged
    from route
    cross join parameters
    left join week_before
        on
            route.account_id = week_before.account_id
            and route.alert_rule = week_before.alert_rule
            and route.first_seen_week_start = week_before.first_seen_week_start
    left join recovery
        on
            route.account_id = recovery.account_id
            and route.alert_rule = recovery.alert_rule
            and route.first_seen_week_start = recovery.first_seen_week_start
),

final as (
    select
        {{ dbt.hash(dbt.concat([
            'account_id', "'|'",
            'alert_rule', "'|'",
            'cast(first_seen_week_start as ' ~ dbt.type_string() ~ ')'
        ])) }} as alert_key,
        account_id,
        segment,
        alert_rule,
        first_seen_week_start,
        last_seen_week_start,
        weeks_seen,
        status,
        case when status = 'resolved' then next_judged_week_start end as resolved_week_start,
        quadrant_at_first_seen,
        playbook,
        owner_role,
        days_to_act,
        due_date,
        is_overdue,
        is_escalated,
        escalation_role,
        recovery_measure,
        usage_score_before,
        health_score_before,
        recovery_week_start,
        case
            when recovery_week_start is not null
                then cast({{ days_between('first_seen_week_start', 'recovery_week_start') }} / 7 as integer)
        end as weeks_to_recover,
        is_recovery_window_complete,
        is_judged,
        case when is_judged then recovery_week_start is not null end as is_recovered
    from judge_recovery
)

select * from final
