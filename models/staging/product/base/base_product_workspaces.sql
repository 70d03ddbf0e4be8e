with source as (
    {{ landing_source(source('landing', 'product_workspaces')) }}
),

typed as (
    select
        {{ clean_text('workspace_id') }} as workspace_id,
        {{ clean_text('crm_account_id') }} as crm_account_id,
        {{ clean_text('subscription_id') }} as subscription_id,
        coalesce(lower({{ clean_text('instance_type') }}), 'unknown') as instance_type,
        {{ clean_text('created_at') }} as created_at_text,
        {{ parse_utc_timestamp(clean_text('created_at')) }} as created_at,
        _landing_file,
        _landing_problem
    from source
),

checked as (
    select
        *,
        {{ quarantine_reason([
            ('workspace_id is null', 'missing workspace_id'),
            ("instance_type not in ('production', 'non_production', 'obsolete', 'unknown')",
             'instance_type is not one of production, non_production, obsolete, unknown'),
            ('created_at_text is not null and created_at is null', 'created_at is not an ISO 8601 timestamp'),
        ]) }} as quarantine_reason
    from typed
)

select
    workspace_id,
    crm_account_id,
    subscription_id,
    instance_type,
    created_at,
    _landing_file,
    quarantine_reason,
    case
        when quarantine_reason is not null then
            {{ pack_raw_values(['workspace_id', 'crm_account_id', 'subscription_id', 'instance_type', 'created_at_text']) }}
    end as raw_values
from checked
