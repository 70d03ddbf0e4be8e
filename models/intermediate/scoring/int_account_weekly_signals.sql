-- One row per scored account x week: every usage and health signal side by side (the evidence
-- behind the scores), with the account's segment, ARR and seats.
with spine as (
    select * from {{ ref('int_account_weeks') }}
),

usage as (
    select * from {{ ref('int_account_usage_signals') }}
),

health as (
    select * from {{ ref('int_account_health_signals') }}
),

arr as (
    select * from {{ ref('int_account_arr_weekly') }}
),

final as (
    select
        spine.account_id,
        spine.week_start,
        spine.week_end,
        spine.is_latest_week,
        spine.segment,
        arr.arr,
        arr.arr_before,
        usage.licensed_seats,
        usage.active_users,
        usage.license_utilization,
        usage.core_feature_breadth,
        usage.core_feature_depth,
        usage.session_frequency,
        usage.session_depth,
        usage.session_minutes,
        usage.workflow_completion,
        usage.usage_consistency,
        usage.active_users_trend,
        usage.time_to_value,
        health.nps_responses,
        health.nps,
        health.nps_trend,
        health.tickets_opened,
        health.open_ticket_age,
        health.touchpoint_recency,
        health.touchpoint_sentiment,
        health.last_touchpoint_sentiment,
        health.renewal_risk,
        health.arr_trend,
        health.cs_platform_health,
        health.renewal_date,
        health.days_to_renewal
    from spine
    left join usage
        on
            spine.account_id = usage.account_id
            and spine.week_start = usage.week_start
    left join health
        on
            spine.account_id = health.account_id
            and spine.week_start = health.week_start
    left join arr
        on
            spine.account_id = arr.account_id
            and spine.week_start = arr.week_start
)

select * from final
