-- One row per family renewal up to as_of: a family (a top-level account and its children, the
-- unit that is scored) and a renewal date. The family's accounts renewing on the same day are one
-- renewal, their ARR summed. The outcome is the family's: churned only when the family leaves,
-- every account renewing that day churned and no other member is still a customer (under
-- contract in the exports, a renewal outcome or ARR, and not churned since its last renewal);
-- accounts leaving while the family stays are a contraction. Accounts with different outcomes on
-- the same day: by their summed ARR; without ARR, contracted if any churned or contracted, else
-- expanded if any expanded. DECISIONLOG.md, "One renewal per family and date".
with outcomes as (
    select * from {{ ref('stg_crm__renewal_outcomes') }}
),

hierarchy as (
    select * from {{ ref('int_account_hierarchy') }}
),

arr_monthly as (
    select * from {{ ref('stg_crm__arr_monthly') }}
),

parameters as (
    select * from {{ ref('int_run_parameters') }}
),

-- every renewal outcome up to as_of, with the family (top-level account) it belongs to
member_renewals as (
    select
        outcomes.account_id,
        coalesce(hierarchy.scored_account_id, outcomes.account_id) as scored_account_id,
        outcomes.renewal_date,
        outcomes.outcome,
        outcomes.arr_before,
        outcomes.arr_after
    from outcomes
    cross join parameters
    left join hierarchy on outcomes.account_id = hierarchy.account_id
    where outcomes.renewal_date <= parameters.as_of_date
),

-- accounts with a contract of their own in the exports up to as_of: a renewal outcome or ARR
contracted_accounts as (
    select account_id from member_renewals
    union
    select arr_monthly.account_id
    from arr_monthly
    cross join parameters
    where arr_monthly.arr > 0 and arr_monthly.month_start <= parameters.as_of_date
),

family_renewals as (
    select
        scored_account_id,
        renewal_date,
        count(*) as renewing_accounts,
        case when count(*) = 1 then min(account_id) end as renewing_account_id,
        cast(sum(case when outcome = 'churned' then 1 else 0 end) as {{ dbt.type_bigint() }}) as churned_accounts,
        sum(case when outcome in ('churned', 'contracted') then 1 else 0 end) as shrinking_accounts,
        sum(case when outcome = 'expanded' then 1 else 0 end) as expanded_accounts,
        count(distinct outcome) as distinct_outcomes,
        min(outcome) as member_outcome,
        case when count(arr_before) = count(*) then sum(arr_before) end as arr_before,
        case when count(arr_after) = count(*) then sum(arr_after) end as arr_after
    from member_renewals
    group by scored_account_id, renewal_date
),

-- each renewal's other family members under contract, with their own renewals up to that day
member_status as (
    select
        family_renewals.scored_account_id,
        family_renewals.renewal_date,
        hierarchy.account_id,
        max(case when member_renewals.renewal_date = family_renewals.renewal_date then 1 else 0 end) as renews_that_day,
        max(case when member_renewals.outcome = 'churned' then member_renewals.renewal_date end) as last_churn_date,
        max(case when member_renewals.outcome != 'churned' then member_renewals.renewal_date end) as last_kept_date
    from family_renewals
    inner join hierarchy on family_renewals.scored_account_id = hierarchy.scored_account_id
    inner join contracted_accounts on hierarchy.account_id = contracted_accounts.account_id
    left join member_renewals
        on
            hierarchy.account_id = member_renewals.account_id
            and member_renewals.renewal_date <= family_renewals.renewal_date
    group by family_renewals.scored_account_id, family_renewals.renewal_date, hierarchy.account_id
),

-- members still customers on the day: not renewing then, and not churned since their last renewal
remaining_members as (
    select
        scored_account_id,
        renewal_date,
        count(*) as remaining_accounts
    from member_status
    where
        renews_that_day = 0
        and (last_churn_date is null or last_kept_date > last_churn_date)
    group by scored_account_id, renewal_date
),

renewals as (
    select
        family_renewals.scored_account_id,
        family_renewals.renewal_date,
        family_renewals.renewing_accounts,
        family_renewals.renewing_account_id,
        family_renewals.churned_accounts,
        family_renewals.arr_before,
        family_renewals.arr_after,
        case
            when family_renewals.churned_accounts = family_renewals.renewing_accounts
                then case when coalesce(remaining_members.remaining_accounts, 0) = 0 then 'churned' else 'contracted' end
            when family_renewals.distinct_outcomes = 1 then family_renewals.member_outcome
            when family_renewals.arr_after < family_renewals.arr_before then 'contracted'
            when family_renewals.arr_after > family_renewals.arr_before then 'expanded'
            when family_renewals.arr_after = family_renewals.arr_before then 'renewed'
            when family_renewals.shrinking_accounts > 0 then 'contracted'
            when family_renewals.expanded_accounts > 0 then 'expanded'
            else 'renewed'
        end as outcome
    from family_renewals
    left join remaining_members
        on
            family_renewals.scored_account_id = remaining_members.scored_account_id
            and family_renewals.renewal_date = remaining_members.renewal_date
),

final as (
    select
        scored_account_id as account_id,
        renewal_date,
        renewing_accounts,
        renewing_account_id,
        churned_accounts,
        outcome,
        arr_before,
        arr_after
    from renewals
)

select * from final
