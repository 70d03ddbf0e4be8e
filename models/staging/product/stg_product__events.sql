-- At-least-once delivery: an event_id seen twice counts once (the earliest occurrence wins,
-- ties broken on content and file so the pick is deterministic).
-- Incremental by week (macros/incremental.sql): a run rebuilds the weeks from the last one built
-- minus `incremental_lookback_weeks`; a copy of an event already kept in an earlier week stays
-- that copy, exactly as a full refresh would keep the earliest.
{{ config(**incremental_by_week_config()) }}
{%- if is_incremental() %}
    {%- set first_week = incremental_first_week() %}
{%- endif %}

with events as (
    select * from {{ ref('base_product_events') }}
    where
        quarantine_reason is null
        {%- if is_incremental() %}
            and occurred_at >= cast({{ first_week }} as timestamp)
        {%- endif %}
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

kept_earlier as (
    select previous.event_id
    from {{ this }} as previous
    inner join deduplicated on previous.event_id = deduplicated.event_id
    where previous.week_start < {{ first_week }}
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
        {{ week_start('occurred_at') }} as week_start
    from deduplicated
    {%- if is_incremental() %}
        where event_id not in (select kept_earlier.event_id from kept_earlier)
    {%- endif %}
)

select * from final
