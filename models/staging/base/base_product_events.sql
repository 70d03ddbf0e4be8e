with source as (
    {{ landing_source('product_events') }}
),

typed as (
    select
        {{ clean_text('event_id') }} as event_id,
        {{ clean_text('workspace_id') }} as workspace_id,
        {{ clean_text('user_id') }} as user_id,
        lower({{ clean_text('event_name') }}) as event_name,
        {{ clean_text('session_id') }} as session_id,
        {{ clean_text('occurred_at') }} as occurred_at_text,
        {{ parse_utc_timestamp(clean_text('occurred_at')) }} as occurred_at,
        _landing_file,
        _landing_problem
    from source
),

checked as (
    select
        *,
        {{ quarantine_reason([
            ('event_id is null', 'missing event_id'),
            ('workspace_id is null', 'missing workspace_id'),
            ('user_id is null', 'missing user_id'),
            ('event_name is null', 'missing event_name'),
            ('occurred_at_text is null', 'missing occurred_at'),
            ('occurred_at_text is not null and occurred_at is null', 'occurred_at is not an ISO 8601 timestamp'),
        ]) }} as quarantine_reason
    from typed
)

select
    event_id,
    workspace_id,
    user_id,
    event_name,
    session_id,
    occurred_at,
    _landing_file,
    quarantine_reason,
    case
        when quarantine_reason is not null then
            {{ pack_raw_values(['event_id', 'occurred_at_text', 'workspace_id', 'user_id', 'event_name', 'session_id']) }}
    end as raw_values
from checked
