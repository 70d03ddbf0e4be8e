-- One row per scored account x week with activity, for the complete weeks up to as_of: the week's
-- own usage counts, the inputs of the trailing-window signals. Weekly grain so trailing windows
-- are sums of whole weeks. Built every run from the workspace-level weekly rows and sessions
-- (incremental), joined to the current account mapping and workflows seed.
with user_events as (
    select * from {{ ref('int_workspace_user_events_weekly') }}
),

sessions as (
    select * from {{ ref('int_sessions') }}
),

workspace_accounts as (
    select * from {{ ref('int_workspace_accounts') }}
    where
        resolution_status = 'resolved'
        and counts_toward_usage
),

workflows as (
    select * from {{ ref('workflows') }}
),

parameters as (
    select * from {{ ref('int_run_parameters') }}
),

event_counts as (
    select
        workspace_accounts.scored_account_id,
        user_events.week_start,
        cast(sum(user_events.events) as {{ dbt.type_bigint() }}) as events,
        count(distinct user_events.user_hash) as weekly_active_users,
        sum(case when user_events.event_name in (select start_event from workflows) then user_events.events else 0 end) as workflow_starts,
        sum(case when user_events.event_name in (select completion_event from workflows) then user_events.events else 0 end) as workflow_completions
    from user_events
    inner join workspace_accounts on user_events.workspace_id = workspace_accounts.workspace_id
    cross join parameters
    where user_events.week_start <= parameters.latest_week_start
    group by workspace_accounts.scored_account_id, user_events.week_start
),

session_counts as (
    select
        workspace_accounts.scored_account_id,
        sessions.week_start,
        count(*) as sessions,
        sum(sessions.actions) as session_actions,
        sum(sessions.duration_seconds) as session_seconds
    from sessions
    inner join workspace_accounts on sessions.workspace_id = workspace_accounts.workspace_id
    cross join parameters
    where sessions.week_start <= parameters.latest_week_start
    group by workspace_accounts.scored_account_id, sessions.week_start
),

final as (
    select
        event_counts.scored_account_id,
        event_counts.week_start,
        event_counts.events,
        event_counts.weekly_active_users,
        coalesce(session_counts.sessions, 0) as sessions,
        coalesce(session_counts.session_actions, 0) as session_actions,
        coalesce(session_counts.session_seconds, 0) as session_seconds,
        event_counts.workflow_starts,
        event_counts.workflow_completions
    from event_counts
    left join session_counts
        on
            event_counts.scored_account_id = session_counts.scored_account_id
            and event_counts.week_start = session_counts.week_start
)

select * from final
