with scores as (
    select * from {{ ref('base_cs_health_scores') }}
    where quarantine_reason is null
),

ranked as (
    select
        *,
        row_number() over (
            partition by account_id, scored_at
            order by _landing_file desc, health_score asc, renewal_risk asc
        ) as export_rank
    from scores
),

final as (
    select
        account_id,
        scored_at,
        health_score,
        renewal_risk
    from ranked
    where export_rank = 1
)

select * from final
