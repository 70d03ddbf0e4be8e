with touchpoints as (
    select * from {{ ref('base_csm_touchpoints') }}
    where quarantine_reason is null
),

ranked as (
    select
        *,
        row_number() over (
            partition by touchpoint_id
            order by _landing_file desc, account_id asc, occurred_at asc, touchpoint_type asc, sentiment asc
        ) as export_rank
    from touchpoints
),

final as (
    select
        touchpoint_id,
        account_id,
        touchpoint_type,
        {{ sentiment_word('sentiment') }} as sentiment,
        sentiment as sentiment_score,
        occurred_at
    from ranked
    where export_rank = 1
)

select * from final
