-- Current state: when several exports hold the same account, the last file (by name) wins.
with accounts as (
    select * from {{ ref('base_crm_accounts') }}
    where quarantine_reason is null
),

ranked as (
    select
        *,
        row_number() over (
            partition by account_id
            order by _landing_file desc, account_name asc, segment asc, parent_account_id asc, csm_owner asc, email_domain asc, created_at asc, renewal_date asc
        ) as export_rank
    from accounts
),

final as (
    select
        account_id,
        account_name,
        segment,
        parent_account_id,
        csm_owner,
        email_domain,
        created_at,
        renewal_date
    from ranked
    where export_rank = 1
)

select * from final
