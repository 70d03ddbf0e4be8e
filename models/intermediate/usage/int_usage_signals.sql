-- One row per scored account x week (the account-week spine): the usage signals over the
-- trailing window of `usage_window_days` (28 days = the 4 weeks ending with the week), usage
-- consistency over the last `consistency_weeks` (8), and time-to-value. Null = no data.
{%- set window_weeks = usage_window_weeks() %}
{%- set consistency_weeks = var('consistency_weeks') | int %}
with spine as (
    select * from {{ ref('int_account_weeks') }}
),

weekly as (
    select * from {{ ref('int_account_usage_weekly') }}
),

user_features as (
    select * from {{ ref('int_account_user_features_weekly') }}
),

core_features as (
    select count(distinct feature) as core_feature_count
    from {{ ref('features') }}
    where is_core
),

window_offsets as (
    {{ integer_rows(window_weeks) }}
),

consistency_offsets as (
    {{ integer_rows(consistency_weeks) }}
),

-- each week's rows are fanned out to the windows that contain it
user_window as (
    select
        user_features.scored_account_id,
        {{ add_days('user_features.week_start', '7 * window_offsets.offset_n') }} as week_start,
        count(distinct user_features.user_hash) as active_users,
        count(distinct case when user_features.is_core = 1 then user_features.user_hash end) as core_users,
        count(distinct case when user_features.is_core = 1 then user_features.feature end) as core_features_used
    from user_features
    cross join window_offsets
    group by 1, 2
),

activity_window as (
    select
        weekly.scored_account_id,
        {{ add_days('weekly.week_start', '7 * window_offsets.offset_n') }} as week_start,
        sum(weekly.sessions) as sessions,
        sum(weekly.session_actions) as session_actions,
        sum(weekly.session_seconds) as session_seconds,
        sum(weekly.workflow_starts) as workflow_starts,
        sum(weekly.workflow_completions) as workflow_completions
    from weekly
    cross join window_offsets
    group by 1, 2
),

consistency_window as (
    select
        weekly.scored_account_id,
        {{ add_days('weekly.week_start', '7 * consistency_offsets.offset_n') }} as week_start,
        count(*) as active_weeks
    from weekly
    cross join consistency_offsets
    group by 1, 2
),

seats as (
    select * from {{ ref('int_account_arr_weekly') }}
),

event_source as (
    select count(*) as event_rows from {{ ref('stg_product__events') }}
),

first_events as (
    select
        scored_account_id,
        min(first_event_date) as first_event_date,
        min(case when is_core = 1 then first_event_date end) as first_core_event_date
    from user_features
    group by 1
),

final as (
    select
        spine.account_id,
        spine.week_start,
        coalesce(user_window.active_users, 0) as active_users,
        seats.licensed_seats,
        -- no product events at all (no usage integration): no data, not zero usage
        case
            when event_source.event_rows > 0 then
                cast(coalesce(user_window.active_users, 0) as double)
                / nullif(seats.licensed_seats, 0)
        end as license_utilization,
        case
            when event_source.event_rows > 0 then
                cast(coalesce(user_window.core_features_used, 0) as double)
                / nullif(core_features.core_feature_count, 0)
        end as core_feature_breadth,
        cast(user_window.core_users as double)
        / nullif(user_window.active_users, 0) as core_feature_depth,
        cast(activity_window.sessions as double)
        / nullif(user_window.active_users, 0) / {{ window_weeks }} as session_frequency,
        cast(activity_window.session_actions as double)
        / nullif(activity_window.sessions, 0) as session_depth,
        cast(activity_window.session_seconds as double) / 60
        / nullif(activity_window.sessions, 0) as session_minutes,
        least(
            cast(activity_window.workflow_completions as double)
            / nullif(activity_window.workflow_starts, 0),
            1.0
        ) as workflow_completion,
        -- active weeks of the last 8, scaled to 8 when the account has been seen for fewer weeks
        -- (a new account active every week it has existed is consistent)
        case
            when first_events.first_event_date <= spine.week_end
                then {{ consistency_weeks }} * coalesce(consistency_window.active_weeks, 0) / cast(least(
                    {{ consistency_weeks }},
                    {{ days_between(week_start('first_events.first_event_date'), 'spine.week_start') }} / 7 + 1
                ) as double)
        end as usage_consistency,
        case
            when first_events.first_event_date <= spine.week_end
                then coalesce(user_window.active_users, 0)
        end as active_users_trend,
        case
            when first_events.first_event_date <= spine.week_end
                then {{ days_between(
                    'first_events.first_event_date',
                    'case when first_events.first_core_event_date <= spine.week_end then first_events.first_core_event_date else spine.week_end end'
                ) }}
        end as time_to_value
    from spine
    cross join core_features
    cross join event_source
    left join user_window
        on
            spine.account_id = user_window.scored_account_id
            and spine.week_start = user_window.week_start
    left join activity_window
        on
            spine.account_id = activity_window.scored_account_id
            and spine.week_start = activity_window.week_start
    left join consistency_window
        on
            spine.account_id = consistency_window.scored_account_id
            and spine.week_start = consistency_window.week_start
    left join seats
        on
            spine.account_id = seats.account_id
            and spine.week_start = seats.week_start
    left join first_events on spine.account_id = first_events.scored_account_id
)

select * from final
