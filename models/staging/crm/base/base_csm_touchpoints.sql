with source as (
    {{ landing_source(source('landing', 'csm_touchpoints')) }}
),

typed as (
    select
        {{ clean_text('touchpoint_id') }} as touchpoint_id,
        {{ clean_text('account_id') }} as account_id,
        lower({{ clean_text('touchpoint_type') }}) as touchpoint_type,
        {{ clean_text('sentiment') }} as sentiment_text,
        {{ parse_sentiment(clean_text('sentiment')) }} as sentiment,
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
            ('touchpoint_id is null', 'missing touchpoint_id'),
            ('account_id is null', 'missing account_id'),
            ('occurred_at_text is null', 'missing occurred_at'),
            ('occurred_at_text is not null and occurred_at is null', 'occurred_at is not an ISO 8601 timestamp'),
        ]) }} as quarantine_reason,
        {{ field_issue([
            ('sentiment_text is not null and sentiment is null', 'sentiment is not ' ~ sentiment_expected()),
        ]) }} as _issue__sentiment
    from typed
)

select
    touchpoint_id,
    account_id,
    touchpoint_type,
    {{- optional_field_columns('csm_touchpoints') }}
    occurred_at,
    _landing_file,
    quarantine_reason,
    case
        when quarantine_reason is not null then
            {{ pack_raw_values(['touchpoint_id', 'account_id', 'occurred_at_text', 'touchpoint_type', 'sentiment_text']) }}
    end as raw_values
from checked
