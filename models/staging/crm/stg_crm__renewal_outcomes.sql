with outcomes as (
    select * from {{ ref('base_renewal_outcomes') }}
    where quarantine_reason is null
),

ranked as (
    select
        *,
        row_number() over (
            partition by account_id, renewal_date
            order by _landing_file desc, outcome asc, arr_before asc, arr_after asc
        ) as export_rank
    from outcomes
),

final as (
    select
        account_id,
        renewal_date,
        outcome,
        arr_before,
        arr_after
    from ranked
    where export_rank = 1
)

select * from final
