with source as (
    {{ landing_source(source('landing', 'crm_accounts')) }}
),

typed as (
    select
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('account_name') }} as account_name,
        lower({{ clean_text('segment') }}) as segment,
        {{ clean_text('parent_account_id') }} as parent_account_id_text,
        {{ clean_text('parent_account_id') }} as parent_account_id,
        {{ clean_text('csm_owner') }} as csm_owner,
        lower({{ clean_text('email_domain') }}) as email_domain,
        {{ clean_text('created_at') }} as created_at_text,
        {{ parse_utc_timestamp(clean_text('created_at')) }} as created_at,
        {{ clean_text('renewal_date') }} as renewal_date_text,
        {{ try_cast_as(clean_text('renewal_date'), 'date') }} as renewal_date,
        _landing_file,
        _landing_problem
    from source
),

checked as (
    select
        *,
        {{ quarantine_reason([
            ('account_id is null', 'missing account_id'),
            ('account_name is null', 'missing account_name'),
            ('segment is null', 'missing segment'),
        ]) }} as quarantine_reason,
        {{ field_issue([('parent_account_id = account_id', 'account is its own parent')]) }} as _issue__parent_account_id,
        {{ field_issue([
            ('created_at_text is not null and created_at is null', 'created_at is not an ISO 8601 timestamp'),
        ]) }} as _issue__created_at,
        {{ field_issue([
            ('renewal_date_text is not null and renewal_date is null', 'renewal_date is not a date (YYYY-MM-DD)'),
        ]) }} as _issue__renewal_date
    from typed
)

select
    account_id,
    account_name,
    segment,
    csm_owner,
    email_domain,
    {{- optional_field_columns('crm_accounts') }}
    _landing_file,
    quarantine_reason,
    case
        when quarantine_reason is not null then
            {{ pack_raw_values(['account_id', 'account_name', 'segment', 'parent_account_id_text', 'csm_owner', 'email_domain', 'created_at_text', 'renewal_date_text']) }}
    end as raw_values
from checked
