-- Current state: when several exports hold the same workspace, the last file (by name) wins. An
-- instance type that is missing, or that could not be read (stg_landing__field_issues), is unknown.
with workspaces as (
    select
        workspace_id,
        crm_account_id,
        subscription_id,
        coalesce(instance_type, 'unknown') as instance_type,
        created_at,
        _landing_file
    from {{ ref('base_product_workspaces') }}
    where quarantine_reason is null
),

ranked as (
    select
        *,
        row_number() over (
            partition by workspace_id
            order by _landing_file desc, crm_account_id asc, subscription_id asc, instance_type asc, created_at asc
        ) as export_rank
    from workspaces
),

final as (
    select
        workspace_id,
        crm_account_id,
        subscription_id,
        instance_type,
        instance_type in ('production', 'unknown') as counts_toward_usage,
        created_at
    from ranked
    where export_rank = 1
)

select * from final
