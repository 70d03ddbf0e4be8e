-- One row per scored account x week x user x feature used that week (feature null for events
-- outside the features seed), for the complete weeks up to as_of. The input of the distinct
-- counts over trailing windows (active users, core-feature breadth and depth), which cannot be
-- summed week by week, and of time-to-value (the first day of each row's events).
-- Built every run from the workspace-level weekly rows (int_workspace_user_events_weekly), so the
-- account mapping and the features seed are always current.
with user_events as (
    select * from {{ ref('int_workspace_user_events_weekly') }}
),

workspace_accounts as (
    select * from {{ ref('int_workspace_accounts') }}
    where
        resolution_status = 'resolved'
        and counts_toward_usage
),

features as (
    select * from {{ ref('features') }}
),

parameters as (
    select * from {{ ref('int_run_parameters') }}
),

final as (
    select
        workspace_accounts.scored_account_id,
        user_events.week_start,
        user_events.user_hash,
        features.feature,
        max(case when features.is_core then 1 else 0 end) as is_core,
        cast(sum(user_events.events) as {{ dbt.type_bigint() }}) as events,
        min(user_events.first_event_date) as first_event_date
    from user_events
    inner join workspace_accounts on user_events.workspace_id = workspace_accounts.workspace_id
    cross join parameters
    left join features on user_events.event_name = features.event_name
    where user_events.week_start <= parameters.latest_week_start
    group by
        workspace_accounts.scored_account_id,
        user_events.week_start,
        user_events.user_hash,
        features.feature
)

select * from final
