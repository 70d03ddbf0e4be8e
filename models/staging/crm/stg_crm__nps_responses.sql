with responses as (
    select * from {{ ref('base_nps_responses') }}
    where quarantine_reason is null
),

ranked as (
    select
        *,
        row_number() over (
            partition by response_id
            order by _landing_file desc, account_id asc, responded_at asc, score asc
        ) as export_rank
    from responses
),

final as (
    select
        response_id,
        account_id,
        responded_at,
        score,
        case
            when score >= 9 then 'promoter'
            when score >= 7 then 'passive'
            else 'detractor'
        end as nps_category
    from ranked
    where export_rank = 1
)

select * from final
