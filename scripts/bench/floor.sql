-- The floor: the unavoidable work behind the usage aggregates, by hand, on the landing files the
-- warehouse reads. One scan of the events (timestamps parsed, rows without a key or time
-- dropped, exact duplicates removed), sessionization by 30 minutes of inactivity, and the
-- account-week group-by (events, weekly active users, sessions, actions and seconds in sessions).
-- No quarantine, no identity resolution beyond the product's own CRM id, no tests, no scoring.
-- {landing} is replaced by the landing folder.
create table floor_account_weeks as
with workspaces as (
    select
        workspace_id,
        crm_account_id as account_id
    from read_csv('{landing}/product_workspaces.csv', all_varchar = true)
    where crm_account_id is not null and crm_account_id != ''
),

events as (
    select distinct
        event_id,
        try_cast(occurred_at as timestamp) as occurred_at,
        workspace_id,
        user_id,
        event_name
    from read_parquet('{landing}/product_events/*.parquet', union_by_name = true)
    where event_id is not null and try_cast(occurred_at as timestamp) is not null
),

gaps as (
    select
        *,
        case
            when occurred_at - lag(occurred_at) over by_user <= interval 30 minute then 0
            else 1
        end as is_new_session
    from events
    window by_user as (partition by workspace_id, user_id order by occurred_at, event_id)
),

numbered as (
    select
        *,
        sum(is_new_session) over (
            partition by workspace_id, user_id order by occurred_at, event_id
            rows between unbounded preceding and current row
        ) as session_no
    from gaps
),

sessions as (
    select
        workspace_id,
        date_trunc('week', min(occurred_at)) as week_start,
        count(*) as actions,
        date_diff('second', min(occurred_at), max(occurred_at)) as seconds
    from numbered
    group by workspace_id, user_id, session_no
),

event_weeks as (
    select
        workspaces.account_id,
        date_trunc('week', events.occurred_at) as week_start,
        count(*) as events,
        count(distinct events.user_id) as weekly_active_users
    from events
    inner join workspaces on events.workspace_id = workspaces.workspace_id
    group by all
),

session_weeks as (
    select
        workspaces.account_id,
        sessions.week_start,
        count(*) as sessions,
        sum(sessions.actions) as session_actions,
        sum(sessions.seconds) as session_seconds
    from sessions
    inner join workspaces on sessions.workspace_id = workspaces.workspace_id
    group by all
)

select *
from event_weeks
left join session_weeks using (account_id, week_start);
