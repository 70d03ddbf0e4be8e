-- One row per session: a user's burst of activity in one workspace (start, end, actions, seconds),
-- in the week it starts. Where the product sent a session_id it is used as is; otherwise a new
-- session starts after more than `session_timeout_minutes` (default 30) of inactivity.
-- Workspace level, from every deduplicated event: which account a workspace belongs to is joined
-- later (int_account_usage_weekly), so a change of mapping never invalidates built weeks.
-- Incremental by week: a run reads one week more than it rebuilds, so a session that starts in a
-- rebuilt week sees the event before it (a gap of a week is always a new session).
{{ config(**incremental_by_week_config()) }}
{%- if is_incremental() %}
    {%- set first_week = incremental_first_week() %}
{%- endif %}

with events as (
    select
        workspace_id,
        user_hash,
        source_session_hash,
        event_id,
        occurred_at
    from {{ ref('stg_product__events') }}
    {%- if is_incremental() %}
        where week_start >= {{ add_days(first_week, -7) }}
    {%- endif %}
),

unsessioned as (
    select
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

sessions as (
    select
        workspace_id,
        user_hash,
        session_source,
        -- an inferred session is named by its first moment (two sessions of a user cannot start
        -- at the same time), so its key does not depend on how much history a run read
        case
            when session_source = 'inferred' then cast(min(occurred_at) as {{ dbt.type_string() }})
            else min(session_marker)
        end as session_name,
        min(occurred_at) as session_start,
        max(occurred_at) as session_end,
        count(*) as actions
    from session_events
    group by workspace_id, user_hash, session_source, session_marker
),

final as (
    select
        {{ dbt.hash(dbt.concat(['workspace_id', "'|'", 'user_hash', "'|'", 'session_source', "'|'", 'session_name'])) }} as session_key,
        workspace_id,
        user_hash,
        session_source,
        session_start,
        session_end,
        {{ week_start('session_start') }} as week_start,
        actions,
        {{ seconds_between('session_start', 'session_end') }} as duration_seconds
    from sessions
    {%- if is_incremental() %}
        where session_start >= cast({{ first_week }} as timestamp)
    {%- endif %}
)

select * from final
