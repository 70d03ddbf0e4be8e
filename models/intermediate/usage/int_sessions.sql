-- One row per session: a user's burst of activity in one workspace (start, end, actions, seconds),
-- in the week it starts. Where the product sent a session_id it is used as is; otherwise a new
-- session starts after more than `session_timeout_minutes` (default 30) of inactivity.
-- Workspace level, from every deduplicated event: which account a workspace belongs to is joined
-- later (int_account_usage_weekly), so a change of mapping never invalidates built weeks.
-- Incremental by week: a run rebuilds the look-back and, around every week whose events changed
-- (their fingerprint), the week before and after (a session can start before a late event or run
-- on past it). It reads a week either side of what it rebuilds, so a rebuilt session sees the
-- event before it (a gap of a week is always a new session) and its events in the next week.
{{ config(**incremental_by_week_config()) }}
{%- if is_incremental() %}
    {%- set first_week = incremental_first_week(['events_fingerprint']) %}
    {%- set changed_weeks = incremental_changed_weeks(weeks_with_new_fingerprints(ref('int_event_week_fingerprints'))) %}
    {%- set rebuilt_weeks = shift_weeks(changed_weeks, [-1, 0, 1]) %}
    {%- set read_weeks = shift_weeks(changed_weeks, [-2, -1, 0, 1, 2]) %}
{%- endif %}
{%- do record_rebuilt_rows(is_rebuilt_week('week_start', first_week, rebuilt_weeks) if is_incremental() else none) %}

with events as (
    select
        workspace_id,
        user_hash,
        source_session_hash,
        event_id,
        occurred_at
    from {{ ref('stg_product__events') }}
    {%- if is_incremental() %}
        where {{ is_rebuilt_week('week_start', add_days(first_week, -7), read_weeks) }}
    {%- endif %}
),

fingerprints as (
    select * from {{ ref('int_event_week_fingerprints') }}
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

in_weeks as (
    select
        *,
        {{ week_start('session_start') }} as week_start
    from sessions
),

final as (
    select
        {{ dbt.hash(dbt.concat(['in_weeks.workspace_id', "'|'", 'in_weeks.user_hash', "'|'", 'in_weeks.session_source', "'|'", 'in_weeks.session_name'])) }} as session_key,
        in_weeks.workspace_id,
        in_weeks.user_hash,
        in_weeks.session_source,
        in_weeks.session_start,
        in_weeks.session_end,
        in_weeks.week_start,
        in_weeks.actions,
        {{ seconds_between('in_weeks.session_start', 'in_weeks.session_end') }} as duration_seconds,
        fingerprints.events_fingerprint
    from in_weeks
    inner join fingerprints on in_weeks.week_start = fingerprints.week_start
    {%- if is_incremental() %}
        where {{ is_rebuilt_week('in_weeks.week_start', first_week, rebuilt_weeks) }}
    {%- endif %}
)

select * from final
