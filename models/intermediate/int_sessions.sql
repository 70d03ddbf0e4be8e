-- One row per session: a user's burst of activity in one workspace (start, end, actions, seconds). Where the product sent a
-- session_id it is used as is; otherwise a new session starts after more than
-- `session_timeout_minutes` (default 30) of inactivity.
with events as (
    select * from {{ ref('int_account_events') }}
),

unsessioned as (
    select
        scored_account_id,
        workspace_id,
        user_hash,
        event_id,
        occurred_at,
        lag(occurred_at) over (
            partition by workspace_id, user_hash
            order by occurred_at, event_id
        ) as previous_occurred_at
    from events
    where source_session_hash is null
),

inferred as (
    select
        scored_account_id,
        workspace_id,
        user_hash,
        occurred_at,
        'inferred' as session_source,
        cast(sum(
            case
                when previous_occurred_at is null then 1
                when {{ seconds_between('previous_occurred_at', 'occurred_at') }} > 60 * {{ var('session_timeout_minutes') }} then 1
                else 0
            end
        ) over (
            partition by workspace_id, user_hash
            order by occurred_at, event_id
            rows between unbounded preceding and current row
        ) as {{ dbt.type_string() }}) as session_marker
    from unsessioned
),

provided as (
    select
        scored_account_id,
        workspace_id,
        user_hash,
        occurred_at,
        'provided' as session_source,
        source_session_hash as session_marker
    from events
    where source_session_hash is not null
),

session_events as (
    select * from inferred
    union all
    select * from provided
),

final as (
    select
        {{ dbt.hash(dbt.concat(['workspace_id', "'|'", 'user_hash', "'|'", 'session_source', "'|'", 'session_marker'])) }} as session_key,
        scored_account_id,
        workspace_id,
        user_hash,
        session_source,
        min(occurred_at) as session_start,
        max(occurred_at) as session_end,
        {{ week_start('min(occurred_at)') }} as week_start,
        count(*) as actions,
        {{ seconds_between('min(occurred_at)', 'max(occurred_at)') }} as duration_seconds
    from session_events
    group by scored_account_id, workspace_id, user_hash, session_source, session_marker
)

select * from final
