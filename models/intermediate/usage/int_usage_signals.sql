-- One row per scored account x week (the account-week spine): the usage signals over the
-- trailing window of `usage_window_days` (28 days = the 4 weeks ending with the week), usage
-- consistency over the last `consistency_weeks` (8), and time-to-value. Null = no data; an
-- account seen before with no active user in the window gets the worst values (see `final`).
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

-- A user's week (and a core feature's week) once, before the fan-out: a tenth of the rows of
-- user x feature x week to multiply by the window.
user_weeks as (
    select
        scored_account_id,
        week_start,
        user_hash,
        max(is_core) as is_core
    from user_features
    group by 1, 2, 3
),

core_feature_weeks as (
    select distinct
        scored_account_id,
        week_start,
        feature
    from user_features
    where is_core = 1
),

-- each week's rows are fanned out to the windows that contain it
user_window as (
    select
        user_weeks.scored_account_id,
        {{ add_days('user_weeks.week_start', '7 * window_offsets.offset_n') }} as week_start,
        count(distinct user_weeks.user_hash) as active_users,
        count(distinct case when user_weeks.is_core = 1 then user_weeks.user_hash end) as core_users
    from user_weeks
    cross join window_offsets
    group by 1, 2
),

core_feature_window as (
    select
        core_feature_weeks.scored_account_id,
        {{ add_days('core_feature_weeks.week_start', '7 * window_offsets.offset_n') }} as week_start,
        count(distinct core_feature_weeks.feature) as core_features_used
    from core_feature_weeks
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

-- every window beside the spine, with the account's state that week: `is_seen` = it has sent
-- an event by the week's end; `is_idle` = seen, but no active user in the trailing window
windowed as (
    select
        spine.account_id,
        spine.week_start,
        spine.week_end,
        event_source.event_rows,
        core_features.core_feature_count,
        seats.licensed_seats,
        coalesce(user_window.active_users, 0) as active_users,
        coalesce(user_window.core_users, 0) as core_users,
        coalesce(core_feature_window.core_features_used, 0) as core_features_used,
        coalesce(activity_window.sessions, 0) as sessions,
        coalesce(activity_window.session_actions, 0) as session_actions,
        coalesce(activity_window.session_seconds, 0) as session_seconds,
        coalesce(activity_window.workflow_starts, 0) as workflow_starts,
        coalesce(activity_window.workflow_completions, 0) as workflow_completions,
        coalesce(consistency_window.active_weeks, 0) as active_weeks,
        first_events.first_event_date,
        first_events.first_core_event_date,
        coalesce(first_events.first_event_date <= spine.week_end, false) as is_seen,
        coalesce(first_events.first_event_date <= spine.week_end, false)
        and coalesce(user_window.active_users, 0) = 0 as is_idle
    from spine
    cross join core_features
    cross join event_source
    left join user_window
        on
            spine.account_id = user_window.scored_account_id
            and spine.week_start = user_window.week_start
    left join core_feature_window
        on
            spine.account_id = core_feature_window.scored_account_id
            and spine.week_start = core_feature_window.week_start
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
),

-- Zero is not null. An idle account (seen before, no active user in the window) gets each
-- ratio's worst value: 0 where higher is better, and time to value runs on to the week's end
-- as if no value had been reached, so it cannot score well on any component nor hide behind
-- the weight of components without data. An active account for which a ratio does not apply
-- (no workflow started) has no data for it (null: its weight goes to the other components),
-- never a perfect score. An account never seen and the case of no events at all (no usage
-- integration) keep null (no data) for everything but utilization and breadth.
final as (
    select
        account_id,
        week_start,
        active_users,
        licensed_seats,
        -- no product events at all (no usage integration): no data, not zero usage
        case
            when event_rows > 0 then cast(active_users as double) / nullif(licensed_seats, 0)
        end as license_utilization,
        case
            when event_rows > 0 then cast(core_features_used as double) / nullif(core_feature_count, 0)
        end as core_feature_breadth,
        case
            when is_idle then 0.0
            else cast(core_users as double) / nullif(active_users, 0)
        end as core_feature_depth,
        case
            when is_idle then 0.0
            else cast(sessions as double) / nullif(active_users, 0) / {{ window_weeks }}
        end as session_frequency,
        case
            when is_idle then 0.0
            else cast(session_actions as double) / nullif(sessions, 0)
        end as session_depth,
        case
            when is_idle then 0.0
            else cast(session_seconds as double) / 60 / nullif(sessions, 0)
        end as session_minutes,
        case
            when is_idle then 0.0
            when workflow_starts > 0 then least(cast(workflow_completions as double) / workflow_starts, 1.0)
        end as workflow_completion,
        -- active weeks of the last 8, scaled to 8 when the account has been seen for fewer weeks
        -- (a new account active every week it has existed is consistent)
        case
            when is_seen
                then {{ consistency_weeks }} * active_weeks / cast(least(
                    {{ consistency_weeks }},
                    {{ days_between(week_start('first_event_date'), 'week_start') }} / 7 + 1
                ) as double)
        end as usage_consistency,
        case when is_seen then active_users end as active_users_trend,
        -- days from the first event to the first core event; while there is none, or while the
        -- account is idle, to the week's end (no value reached, or none being realised now)
        case
            when is_seen
                then {{ days_between(
                    'first_event_date',
                    'case when first_core_event_date <= week_end and not is_idle then first_core_event_date else week_end end'
                ) }}
        end as time_to_value
    from windowed
)

select * from final
