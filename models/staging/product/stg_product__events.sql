-- At-least-once delivery: an event_id seen twice counts once (the earliest occurrence wins,
-- ties broken on content and file so the pick is deterministic).
-- Incremental by week (macros/incremental.sql): a run rebuilds every week holding rows of a landing
-- file version it has not seen (a new or rewritten file, however old its events) or of a version
-- that is gone, and the weeks from the last one built minus `incremental_lookback_weeks`. A copy of
-- an event already kept in a week not rebuilt stays that copy, as a full refresh keeps the earliest.
{{ config(**incremental_by_week_config()) }}
{%- if is_incremental() %}
    {%- set first_week = incremental_first_week() %}
    {%- set changed_weeks_sql %}
        select distinct {{ week_start('occurred_at') }}
        from {{ ref('base_product_events') }}
        where
            quarantine_reason is null
            and _landing_file_version not in (select distinct previous._landing_file_version from {{ this }} as previous)
        union
        select distinct week_start
        from {{ this }}
        where _landing_file_version not in (select distinct landed._landing_file_version from {{ ref('base_product_events') }} as landed)
    {%- endset %}
    {%- set changed_weeks = incremental_changed_weeks(changed_weeks_sql) %}
{%- endif %}
{%- set in_rebuilt_weeks = is_rebuilt_week(week_start('occurred_at'), first_week, changed_weeks) if is_incremental() else '1 = 1' %}

with events as (
    select * from {{ ref('base_product_events') }}
    where
        quarantine_reason is null
        and {{ in_rebuilt_weeks }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by event_id
            order by occurred_at, workspace_id, user_id, event_name, session_id, _landing_file
        ) as delivery_rank
    from events
),

deduplicated as (
    select * from ranked
    where delivery_rank = 1
),

{%- if is_incremental() %}

kept_elsewhere as (
    select previous.event_id
    from {{ this }} as previous
    inner join deduplicated on previous.event_id = deduplicated.event_id
    where not {{ is_rebuilt_week('previous.week_start', first_week, changed_weeks) }}
),
{%- endif %}

final as (
    select
        event_id,
        workspace_id,
        {{ hash_id('user_id') }} as user_hash,
        case when session_id is not null then {{ hash_id('session_id') }} end as source_session_hash,
        event_name,
        occurred_at,
        cast(occurred_at as date) as event_date,
        {{ week_start('occurred_at') }} as week_start,
        _landing_file_version
    from deduplicated
    {%- if is_incremental() %}
        where event_id not in (select kept_elsewhere.event_id from kept_elsewhere)
    {%- endif %}
)

select * from final
