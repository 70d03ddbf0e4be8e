with source as (
    {{ landing_source(source('landing', 'support_tickets')) }}
),

typed as (
    select
        {{ clean_text('ticket_id') }} as ticket_id,
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('priority') }} as priority_text,
        {{ parse_priority(clean_text('priority')) }} as priority,
        lower({{ clean_text('product_area') }}) as product_area,
        {{ clean_text('opened_at') }} as opened_at_text,
        {{ parse_utc_timestamp(clean_text('opened_at')) }} as opened_at,
        {{ clean_text('closed_at') }} as closed_at_text,
        {{ parse_utc_timestamp(clean_text('closed_at')) }} as closed_at,
        {{ clean_text('fix_shipped_at') }} as fix_shipped_at_text,
        {{ parse_utc_timestamp(clean_text('fix_shipped_at')) }} as fix_shipped_at,
        _landing_file,
        _landing_problem
    from source
),

checked as (
    select
        *,
        {{ quarantine_reason([
            ('ticket_id is null', 'missing ticket_id'),
            ('account_id is null', 'missing account_id'),
            ('opened_at_text is null', 'missing opened_at'),
            ('opened_at_text is not null and opened_at is null', 'opened_at is not an ISO 8601 timestamp'),
        ]) }} as quarantine_reason,
        {{ field_issue([
            ('closed_at_text is not null and closed_at is null', 'closed_at is not an ISO 8601 timestamp'),
            ('closed_at < opened_at', 'closed_at is before opened_at'),
        ]) }} as _issue__closed_at,
        {{ field_issue([
            ('priority_text is not null and priority is null', 'priority is not ' ~ priority_expected()),
        ]) }} as _issue__priority,
        {{ field_issue([
            ('fix_shipped_at_text is not null and fix_shipped_at is null', 'fix_shipped_at is not an ISO 8601 timestamp'),
        ]) }} as _issue__fix_shipped_at
    from typed
)

select
    ticket_id,
    account_id,
    product_area,
    opened_at,
    {{- optional_field_columns('support_tickets') }}
    _landing_file,
    quarantine_reason,
    case
        when quarantine_reason is not null then
            {{ pack_raw_values(['ticket_id', 'account_id', 'opened_at_text', 'closed_at_text', 'priority_text', 'product_area', 'fix_shipped_at_text']) }}
    end as raw_values
from checked
