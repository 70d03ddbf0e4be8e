-- One row per account among the 20 largest by ARR in the latest complete week (ties broken by
-- account id): the minimum viable joint view of usage, health and quadrant.
with accounts as (
    select * from {{ ref('rpt_account_quadrant') }}
),

ranked as (
    select
        *,
        row_number() over (order by arr desc nulls last, account_id asc) as arr_rank
    from accounts
),

final as (
    select
        cast(arr_rank as integer) as arr_rank,
        account_id,
        account_name,
        segment,
        arr,
        csm_owner,
        renewal_date,
        usage_score,
        health_score,
        quadrant,
        previous_quadrant,
        weeks_in_quadrant
    from ranked
    where arr_rank <= 20
)

select * from final
