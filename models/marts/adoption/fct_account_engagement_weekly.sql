-- One row per scored account x week, churned weeks left out: the engagement figures the
-- documents name beside the scores. Weekly active users (distinct users with an event in the
-- week), monthly active users (distinct users in the trailing `usage_window_days`, the active
-- users of license utilization), their ratio (stickiness: the share of the month's users who
-- came back this week; the weekly form of DAU / MAU, as the events are aggregated by week),
-- and the week's sessions with their mean duration in minutes. Only workspaces that count
-- toward usage (production and unknown instances) count.
with weekly as (
    select * from {{ ref('fct_account_scores_weekly') }}
),

usage_weekly as (
    select * from {{ ref('int_account_usage_weekly') }}
),

usage_signals as (
    select * from {{ ref('int_usage_signals') }}
),

final as (
    select
        {{ dbt.hash(dbt.concat(['weekly.account_id', "'|'", 'cast(weekly.week_start as ' ~ dbt.type_string() ~ ')'])) }} as account_week_key,
        weekly.account_id,
        weekly.week_start,
        weekly.is_latest_week,
        weekly.segment,
        weekly.lifecycle_stage,
        coalesce(usage_weekly.weekly_active_users, 0) as weekly_active_users,
        usage_signals.active_users as monthly_active_users,
        case
            when usage_signals.active_users > 0
                then {{ round_to('cast(coalesce(usage_weekly.weekly_active_users, 0) as double) / usage_signals.active_users', 4) }}
        end as stickiness,
        coalesce(usage_weekly.events, 0) as events,
        coalesce(usage_weekly.sessions, 0) as sessions,
        coalesce(usage_weekly.session_seconds, 0) as session_seconds,
        case
            when usage_weekly.sessions > 0
                then {{ round_to('cast(usage_weekly.session_seconds as double) / 60 / usage_weekly.sessions', 2) }}
        end as average_session_minutes
    from weekly
    left join usage_weekly
        on
            weekly.account_id = usage_weekly.scored_account_id
            and weekly.week_start = usage_weekly.week_start
    left join usage_signals
        on
            weekly.account_id = usage_signals.account_id
            and weekly.week_start = usage_signals.week_start
    where weekly.lifecycle_stage != 'churned'
)

select * from final
