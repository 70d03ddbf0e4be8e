with source as (
    {{ landing_source(source('landing', 'product_workspaces')) }}
),

typed as (
    select
        {{ clean_text('workspace_id') }} as workspace_id,
        {{ clean_text('crm_account_id') }} as crm_account_id,
        {{ clean_text('subscription_id') }} as subscription_id,
        {{ clean_text('instance_type') }} as instance_type_text,
        {{ parse_instance_type(clean_text('instance_type')) }} as instance_type,
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
        ]) }} as quarantine_reason,
        {{ field_issue([
            ('instance_type_text is not null and instance_type is null', 'instance_type is not ' ~ instance_type_expected()),
        ]) }} as _issue__instance_type,
        {{ field_issue([
            ('created_at_text is not null and created_at is null', 'created_at is not an ISO 8601 timestamp'),
        ]) }} as _issue__created_at
    from typed
)

select
    workspace_id,
    crm_account_id,
    subscription_id,
    {{- optional_field_columns('product_workspaces') }}
    _landing_file,
    quarantine_reason,
    case
        when quarantine_reason is not null then
            {{ pack_raw_values(['workspace_id', 'crm_account_id', 'subscription_id', 'instance_type_text', 'created_at_text']) }}
    end as raw_values
from checked
