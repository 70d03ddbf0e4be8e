-- One row per scored account x week: ARR and licensed seats of the month containing the week's
-- end, and ARR of the month containing the day `arr_trend_days` (90) before, summed over the
-- account's subscriptions and its child accounts.
with arr as (
    select * from {{ ref('stg_crm__arr_monthly') }}
),

hierarchy as (
    select * from {{ ref('int_account_hierarchy') }}
),

spine as (
    select * from {{ ref('int_account_weeks') }}
),

account_months as (
    select
        hierarchy.scored_account_id,
        arr.account_id,
        arr.month_start,
        sum(arr.arr) as arr,
        sum(arr.licensed_seats) as licensed_seats
    from arr
    inner join hierarchy on arr.account_id = hierarchy.account_id
    group by hierarchy.scored_account_id, arr.account_id, arr.month_start
),

family_months as (
    select
        scored_account_id,
        month_start,
        sum(arr) as arr,
        sum(licensed_seats) as licensed_seats
    from account_months
    group by scored_account_id, month_start
),

final as (
    select
        spine.account_id,
        spine.week_start,
        now_month.arr,
        now_month.licensed_seats,
        before_month.arr as arr_before
    from spine
    left join family_months as now_month
        on
            spine.account_id = now_month.scored_account_id
            and cast({{ dbt.date_trunc('month', 'spine.week_end') }} as date) = now_month.month_start
    left join family_months as before_month
        on
            spine.account_id = before_month.scored_account_id
            and cast({{ dbt.date_trunc('month', add_days('spine.week_end', -var('arr_trend_days'))) }} as date) = before_month.month_start
)

select * from final
