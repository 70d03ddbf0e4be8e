-- One row per scored account x week (the account-week spine): where the account is in its life
-- as a customer that week, which decides whether it is scored against the others and alerted:
--   churned      its own (top-level) renewal on or before the week's end was churned, and the
--                family has had no ARR in any month after that renewal's month since
--   reactivated  churned, then ARR again in a later month: for `onboarding_weeks` from the
--                first week with that ARR (a child's churn never churns the family)
--   onboarding   the first `onboarding_weeks` weeks from the account's created_at (CRM)
--   active       everything else
-- Churned accounts leave the quadrant mart and the alerts but keep their history; onboarding
-- and reactivated accounts are judged against their own history only (score drops), never
-- alerted as churn risk.
{%- set onboarding_weeks = var('onboarding_weeks') | int %}
with spine as (
    select * from {{ ref('int_account_weeks') }}
),

hierarchy as (
    select * from {{ ref('int_account_hierarchy') }}
),

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

outcomes as (
    select * from {{ ref('stg_crm__renewal_outcomes') }}
),

arr_weekly as (
    select * from {{ ref('int_account_arr_weekly') }}
),

-- the churned renewals of top-level accounts: the family's own contract
top_level_churns as (
    select
        outcomes.account_id,
        outcomes.renewal_date as churned_on
    from outcomes
    inner join hierarchy on outcomes.account_id = hierarchy.account_id
    where
        outcomes.outcome = 'churned'
        and hierarchy.scored_account_id = hierarchy.account_id
),

latest_churn as (
    select
        spine.account_id,
        spine.week_start,
        max(top_level_churns.churned_on) as churned_on
    from spine
    inner join top_level_churns
        on
            spine.account_id = top_level_churns.account_id
            and top_level_churns.churned_on <= spine.week_end
    group by spine.account_id, spine.week_start
),

weeks as (
    select
        spine.account_id,
        spine.week_start,
        spine.week_end,
        latest_churn.churned_on,
        cast(accounts.created_at as date) as created_on,
        coalesce(
            latest_churn.churned_on is not null
            and arr_weekly.arr > 0
            and cast({{ dbt.date_trunc('month', 'spine.week_end') }} as date)
            > cast({{ dbt.date_trunc('month', 'latest_churn.churned_on') }} as date),
            false
        ) as has_arr_after_churn
    from spine
    left join accounts on spine.account_id = accounts.account_id
    left join latest_churn
        on
            spine.account_id = latest_churn.account_id
            and spine.week_start = latest_churn.week_start
    left join arr_weekly
        on
            spine.account_id = arr_weekly.account_id
            and spine.week_start = arr_weekly.week_start
),

resumed as (
    select
        *,
        min(case when has_arr_after_churn then week_start end) over (
            partition by account_id, churned_on
            order by week_start
            rows between unbounded preceding and current row
        ) as arr_resumed_week_start
    from weeks
),

final as (
    select
        account_id,
        week_start,
        case
            when churned_on is not null and arr_resumed_week_start is null then 'churned'
            when
                churned_on is not null
                and week_start < {{ add_days('arr_resumed_week_start', 7 * onboarding_weeks) }}
                then 'reactivated'
            when
                created_on is not null
                and week_start < {{ add_days(week_start('created_on'), 7 * onboarding_weeks) }}
                then 'onboarding'
            else 'active'
        end as lifecycle_stage,
        churned_on,
        arr_resumed_week_start,
        created_on
    from resumed
)

select * from final
