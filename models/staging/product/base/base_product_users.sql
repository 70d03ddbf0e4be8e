-- Personal data ends here: the email becomes its domain and the user id is hashed in staging;
-- even the quarantine keeps only the domain.
with source as (
    {{ landing_source(source('landing', 'product_users')) }}
),

typed as (
    select
        {{ clean_text('user_id') }} as user_id,
        {{ clean_text('workspace_id') }} as workspace_id,
        lower({{ clean_text(dbt.split_part('email', "'@'", 2)) }}) as email_domain,
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
            ('user_id is null', 'missing user_id'),
            ('workspace_id is null', 'missing workspace_id'),
        ]) }} as quarantine_reason,
        {{ field_issue([
            ('created_at_text is not null and created_at is null', 'created_at is not an ISO 8601 timestamp'),
        ]) }} as _issue__created_at
    from typed
)

select
    user_id,
    workspace_id,
    email_domain,
    {{- optional_field_columns('product_users') }}
    _landing_file,
    quarantine_reason,
    case
        when quarantine_reason is not null then
            {{ pack_raw_values(['user_id', 'workspace_id', 'email_domain', 'created_at_text']) }}
    end as raw_values
from checked
