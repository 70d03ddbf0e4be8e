with source as (
    {{ landing_source(source('landing', 'cs_health_scores')) }}
),

typed as (
    select
        {{ clean_text('account_id') }} as account_id,
        lower({{ clean_text('renewal_risk') }}) as renewal_risk,
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
            ("renewal_risk not in ('low', 'medium', 'high')", 'renewal_risk is not one of low, medium, high'),
        ]) }} as quarantine_reason
    from typed
)

select
    account_id,
    scored_at,
    health_score,
    renewal_risk,
    _landing_file,
    quarantine_reason,
    case
        when quarantine_reason is not null then
            {{ pack_raw_values(['account_id', 'scored_at_text', 'health_score_text', 'renewal_risk']) }}
    end as raw_values
from checked
