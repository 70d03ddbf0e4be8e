-- One row per scored account x week x user x feature used that week (feature null for events
-- outside the features seed). The input of the distinct counts over trailing windows (active
-- users, core-feature breadth and depth), which cannot be summed week by week.
with events as (
    select * from {{ ref('int_account_events') }}
),

final as (
    select
        scored_account_id,
        week_start,
        user_hash,
        feature,
        max(case when is_core then 1 else 0 end) as is_core,
        count(*) as events
    from events
    group by scored_account_id, week_start, user_hash, feature
)

select * from final
