-- One row per scored account x week (the account-week spine): ARR and the renewal as of the
-- week's end. `arr` and `arr_before` are the family's ARR in the month of the week's end and
-- `arr_trend_days` (90) before (int_account_arr_weekly); `arr_trend` their relative change
-- (null without ARR before). `renewal_date` is the family's next renewal on or after the
-- week's end (a parent's past date must not hide a child's coming one), `days_to_renewal` the
-- days until it.
with spine as (
    select * from {{ ref('int_account_weeks') }}
),

hierarchy as (
    select * from {{ ref('int_account_hierarchy') }}
),

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

arr_weekly as (
    select * from {{ ref('int_account_arr_weekly') }}
),

renewals as (
    select
        spine.account_id,
        spine.week_start,
        min(accounts.renewal_date) as renewal_date
    from spine
    inner join hierarchy on spine.account_id = hierarchy.scored_account_id
    inner join accounts on hierarchy.account_id = accounts.account_id
    where accounts.renewal_date >= spine.week_end
    group by spine.account_id, spine.week_start
),

final as (
    select
        spine.account_id,
        spine.week_start,
        arr_weekly.arr,
        arr_weekly.arr_before,
        case
            when arr_weekly.arr_before > 0 then
                cast(arr_weekly.arr - arr_weekly.arr_before as double) / arr_weekly.arr_before
        end as arr_trend,
        renewals.renewal_date,
        case
            when renewals.renewal_date >= spine.week_end then
                {{ days_between('spine.week_end', 'renewals.renewal_date') }}
        end as days_to_renewal
    from spine
    left join arr_weekly
        on
            spine.account_id = arr_weekly.account_id
            and spine.week_start = arr_weekly.week_start
    left join renewals
        on
            spine.account_id = renewals.account_id
            and spine.week_start = renewals.week_start
)

select * from final
