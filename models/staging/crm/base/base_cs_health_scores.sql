with source as (
    {{ landing_source(source('landing', 'cs_health_scores')) }}
),

typed as (
    select
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('renewal_risk') }} as renewal_risk_text,
        {{ parse_renewal_risk(clean_text('renewal_risk')) }} as renewal_risk,
        {{ clean_text('scored_at') }} as scored_at_text,
        {{ parse_utc_timestamp(clean_text('scored_at')) }} as scored_at,
        {{ clean_text('health_score') }} as health_score_text,
        {{ try_cast_as(clean_text('health_score'), "double") }} as health_score,
        _landing_file,
        _landing_problem
    from source
),

checked as (
    select
        *,
        {{ quarantine_reason([
            ('account_id is null', 'missing account_id'),
            ('scored_at_text is null', 'missing scored_at'),
            ('scored_at_text is not null and scored_at is null', 'scored_at is not an ISO 8601 timestamp'),
            ('health_score_text is null', 'missing health_score'),
            ('health_score_text is not null and health_score is null', 'health_score is not a number'),
            ('health_score < 0 or health_score > 100', 'health_score is outside 0-100'),
        ]) }} as quarantine_reason,
        {{ field_issue([
            ('renewal_risk_text is not null and renewal_risk is null', 'renewal_risk is not ' ~ renewal_risk_expected()),
        ]) }} as _issue__renewal_risk
    from typed
)

select
    account_id,
    scored_at,
    health_score,
    {{- optional_field_columns('cs_health_scores') }}
    _landing_file,
    quarantine_reason,
    case
        when quarantine_reason is not null then
            {{ pack_raw_values(['account_id', 'scored_at_text', 'health_score_text', 'renewal_risk_text']) }}
    end as raw_values
from checked
