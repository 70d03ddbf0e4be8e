-- One row per CRM account with its name and CSM owner and the account it is scored under: its
-- top-level parent (children roll up to their parent; up to four levels; a parent missing from
-- the CRM export, or a loop, stops the climb at the last known account). Parent and CSM owner are
-- the CRM's as of the latest scored week (int_crm_accounts_weekly), so a rebuild at a past as_of
-- groups families as they were then; with no scored week yet (too little activity), the export's.
with exported as (
    select * from {{ ref('stg_crm__accounts') }}
),

crm_weekly as (
    select * from {{ ref('int_crm_accounts_weekly') }}
),

weeks as (
    select * from {{ ref('int_weeks') }}
),

latest_state as (
    select crm_weekly.*
    from crm_weekly
    inner join weeks on crm_weekly.week_start = weeks.week_start
    where weeks.is_latest_week
),

-- no scored week yet (too little activity): the export as it is
accounts as (
    select
        exported.account_id,
        exported.account_name,
        case when latest_state.account_id is null then exported.csm_owner else latest_state.csm_owner end as csm_owner,
        case
            when latest_state.account_id is null then exported.parent_account_id else latest_state.parent_account_id
        end as parent_account_id
    from exported
    left join latest_state on exported.account_id = latest_state.account_id
),

climbed as (
    select
        a0.account_id,
        a0.account_name,
        a0.csm_owner,
        a1.account_id as parent_1,
        a2.account_id as parent_2,
        a3.account_id as parent_3,
        a4.account_id as parent_4
    from accounts as a0
    left join accounts as a1 on a0.parent_account_id = a1.account_id and a1.account_id != a0.account_id
    left join accounts as a2 on a1.parent_account_id = a2.account_id and a2.account_id not in (a0.account_id, a1.account_id)
    left join accounts as a3 on a2.parent_account_id = a3.account_id and a3.account_id not in (a0.account_id, a1.account_id, a2.account_id)
    left join accounts as a4 on a3.parent_account_id = a4.account_id and a4.account_id not in (a0.account_id, a1.account_id, a2.account_id, a3.account_id)
),

final as (
    select
        account_id,
        account_name,
        csm_owner,
        coalesce(parent_4, parent_3, parent_2, parent_1, account_id) as scored_account_id,
        case
            when parent_4 is not null then 4
            when parent_3 is not null then 3
            when parent_2 is not null then 2
            when parent_1 is not null then 1
            else 0
        end as hierarchy_depth
    from climbed
)

select * from final
