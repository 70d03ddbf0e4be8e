with source as (
    {{ landing_source(source('landing', 'nps_responses')) }}
),

typed as (
    select
        {{ clean_text('response_id') }} as response_id,
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('responded_at') }} as responded_at_text,
        {{ parse_utc_timestamp(clean_text('responded_at')) }} as responded_at,
        {{ clean_text('score') }} as score_text,
        {{ try_cast_as(clean_text('score'), 'integer') }} as score,
        _landing_file,
        _landing_problem
    from source
),

checked as (
    select
        *,
        {{ quarantine_reason([
            ('response_id is null', 'missing response_id'),
            ('account_id is null', 'missing account_id'),
            ('responded_at_text is null', 'missing responded_at'),
            ('responded_at_text is not null and responded_at is null', 'responded_at is not an ISO 8601 timestamp'),
            ('score_text is null', 'missing score'),
            ('score_text is not null and score is null', 'score is not a whole number'),
            ('score < 0 or score > 10', 'score is outside 0-10'),
        ]) }} as quarantine_reason
    from typed
)

select
    response_id,
    account_id,
    responded_at,
    score,
    _landing_file,
    quarantine_reason,
    case
        when quarantine_reason is not null then
            {{ pack_raw_values(['response_id', 'account_id', 'responded_at_text', 'score_text']) }}
    end as raw_values
from checked
