-- One row per week with events: how many, and a fingerprint of them (count and a sum of row
-- hashes). The weekly incremental models keep the fingerprint of the events they were built
-- from; a week whose fingerprint has changed since (a late event, a rewritten file) is rebuilt.
with events as (
    select * from {{ ref('stg_product__events') }}
),

final as (
    select
        week_start,
        count(*) as events,
        {{ events_fingerprint() }} as events_fingerprint
    from events
    group by week_start
)

select * from final
