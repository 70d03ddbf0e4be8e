-- One row per support ticket (every ticket in staging): the ticket with the account it is scored
-- under (its top-level parent; null for an account missing from the CRM export). The ticket
-- signals and the complaint-to-fix analysis both read tickets from here.
with tickets as (
    select * from {{ ref('stg_crm__support_tickets') }}
),

hierarchy as (
    select * from {{ ref('int_account_hierarchy') }}
),

final as (
    select
        tickets.*,
        hierarchy.scored_account_id
    from tickets
    left join hierarchy on tickets.account_id = hierarchy.account_id
)

select * from final
