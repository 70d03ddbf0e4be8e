-- One row per scored (top-level) account x scored week, from the week the account was created
-- (or the first scored week) to the latest complete week. The spine every signal joins onto,
-- so an account with no data still gets a row (and `Insufficient Data`). `segment` and
-- `csm_owner` are the CRM's at the week's end (int_crm_accounts_weekly), not today's.
with accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

hierarchy as (
    select * from {{ ref('int_account_hierarchy') }}
),

weeks as (
    select * from {{ ref('int_weeks') }}
),

crm_weekly as (
    select * from {{ ref('int_crm_accounts_weekly') }}
),

scored_accounts as (
    select accounts.*
    from accounts
    inner join hierarchy on accounts.account_id = hierarchy.account_id
    where hierarchy.scored_account_id = hierarchy.account_id
),

final as (
    select
        scored_accounts.account_id,
        crm_weekly.segment,
        crm_weekly.csm_owner,
        weeks.week_start,
        weeks.week_end,
        weeks.is_latest_week
    from scored_accounts
    cross join weeks
    inner join crm_weekly
        on
            scored_accounts.account_id = crm_weekly.account_id
            and weeks.week_start = crm_weekly.week_start
    where
        scored_accounts.created_at is null
        or cast(scored_accounts.created_at as date) <= weeks.week_end
)

select * from final
