-- At-least-once delivery: an event_id seen twice counts once (the earliest occurrence wins,
-- ties broken on content and file so the pick is deterministic).
with events as (
    select * from {{ ref('base_product_events') }}
    where quarantine_reason is null
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
    from ranked
    where delivery_rank = 1
)

select * from final
