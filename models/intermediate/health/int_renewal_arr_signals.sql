-- One row per scored account x week (the account-week spine): ARR and the renewal as of the
-- week's end. `arr` and `arr_before` are the family's ARR in the month of the week's end and
-- `arr_trend_days` (90) before (int_account_arr_weekly); `arr_trend` their relative change
-- (null without ARR before). `renewal_date` is the family's next renewal on or after the
-- week's end as it was known that week: the earliest of the renewals that did happen on or
-- after it (renewal_outcomes: a past week sees the renewal that was coming, not the one the
-- CRM shows today, after it renewed) and the CRM's renewal dates on or after it as the CRM had
-- them at the week's end (int_crm_accounts_weekly; a parent's past date must not hide a child's
-- coming one). `renewal_date_source` says which: `renewal_outcomes`, `crm_snapshot` (the CRM's
-- date as recorded for that week) or `crm_accounts` (the export: the latest week, or a week
-- older than any recorded version); `days_to_renewal` is the days until it.
with spine as (
    select * from {{ ref('int_account_weeks') }}
),

hierarchy as (
    select * from {{ ref('int_account_hierarchy') }}
),

crm_weekly as (
    select * from {{ ref('int_crm_accounts_weekly') }}
),

arr_weekly as (
    select * from {{ ref('int_account_arr_weekly') }}
),

outcomes as (
    select * from {{ ref('stg_crm__renewal_outcomes') }}
),

crm_renewals as (
    select
        spine.account_id,
        spine.week_start,
        min(crm_weekly.renewal_date) as renewal_date,
        -- recorded for the week when the earliest date is
        min(case when crm_weekly.crm_state_source = 'as_recorded' then crm_weekly.renewal_date end)
        = min(crm_weekly.renewal_date) as is_recorded
    from spine
    inner join hierarchy on spine.account_id = hierarchy.scored_account_id
    inner join crm_weekly
        on
            hierarchy.account_id = crm_weekly.account_id
            and spine.week_start = crm_weekly.week_start
    where crm_weekly.renewal_date >= spine.week_end
    group by spine.account_id, spine.week_start
),

outcome_renewals as (
    select
        spine.account_id,
        spine.week_start,
        min(outcomes.renewal_date) as renewal_date
    from spine
    inner join hierarchy on spine.account_id = hierarchy.scored_account_id
    inner join outcomes on hierarchy.account_id = outcomes.account_id
    where outcomes.renewal_date >= spine.week_end
    group by spine.account_id, spine.week_start
),

-- the earlier of the two; a renewal that happened wins a tie
renewals as (
    select
        spine.account_id,
        spine.week_start,
        case
            when outcome_renewals.renewal_date <= coalesce(crm_renewals.renewal_date, outcome_renewals.renewal_date)
                then outcome_renewals.renewal_date
            else crm_renewals.renewal_date
        end as renewal_date,
        case
            when outcome_renewals.renewal_date <= coalesce(crm_renewals.renewal_date, outcome_renewals.renewal_date)
                then 'renewal_outcomes'
            when crm_renewals.is_recorded then 'crm_snapshot'
            when crm_renewals.renewal_date is not null then 'crm_accounts'
        end as renewal_date_source
    from spine
    left join crm_renewals
        on
            spine.account_id = crm_renewals.account_id
            and spine.week_start = crm_renewals.week_start
    left join outcome_renewals
        on
            spine.account_id = outcome_renewals.account_id
            and spine.week_start = outcome_renewals.week_start
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
        renewals.renewal_date_source,
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
