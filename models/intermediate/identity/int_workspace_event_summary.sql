-- One row per workspace with product events on or before as_of: its events, distinct users
-- (hashed) and first and last event. What the identity reports show beside a workspace that
-- maps to no account, or to two.
with events as (
    select * from {{ ref('stg_product__events') }}
),

parameters as (
    select * from {{ ref('int_run_parameters') }}
),

final as (
    select
        events.workspace_id,
        count(*) as event_count,
        count(distinct events.user_hash) as user_count,
        min(events.occurred_at) as first_event_at,
        max(events.occurred_at) as last_event_at
    from events
    cross join parameters
    where events.event_date <= parameters.as_of_date
    group by events.workspace_id
)

select * from final
