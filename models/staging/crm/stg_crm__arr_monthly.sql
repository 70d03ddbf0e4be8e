with arr as (
    select * from {{ ref('base_arr_monthly') }}
    where quarantine_reason is null
),

ranked as (
    select
        *,
        row_number() over (
            partition by account_id, month_start, coalesce(subscription_id, '')
            order by _landing_file desc, arr desc, licensed_seats desc
        ) as export_rank
    from arr
),

final as (
    select
        account_id,
        subscription_id,
        month_start,
        arr,
        licensed_seats
    from ranked
    where export_rank = 1
)

select * from final
