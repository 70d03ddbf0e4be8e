-- One row per scored account x week with activity: the week's own usage counts, the inputs of
-- the trailing-window signals. Weekly grain so trailing windows are sums of whole weeks.
with events as (
    select * from {{ ref('int_account_events') }}
),

sessions as (
    select * from {{ ref('int_sessions') }}
),

workflows as (
    select * from {{ ref('workflows') }}
),

event_counts as (
    select
        events.scored_account_id,
        events.week_start,
        count(*) as events,
        count(distinct events.user_hash) as weekly_active_users,
        sum(case when events.event_name in (select start_event from workflows) then 1 else 0 end) as workflow_starts,
        sum(case when events.event_name in (select completion_event from workflows) then 1 else 0 end) as workflow_completions
    from events
    group by events.scored_account_id, events.week_start
),

session_counts as (
    select
        scored_account_id,
        week_start,
        count(*) as sessions,
        sum(actions) as session_actions,
        sum(duration_seconds) as session_seconds
    from sessions
    group by scored_account_id, week_start
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
