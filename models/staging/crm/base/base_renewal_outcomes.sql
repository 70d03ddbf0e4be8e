with source as (
    {{ landing_source(source('landing', 'renewal_outcomes')) }}
),

typed as (
    select
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('outcome') }} as outcome_text,
        {{ parse_outcome(clean_text('outcome')) }} as outcome,
        {{ clean_text('renewal_date') }} as renewal_date_text,
        {{ try_cast_as(clean_text('renewal_date'), 'date') }} as renewal_date,
        {{ clean_text('arr_before') }} as arr_before_text,
        {{ try_cast_as(clean_text('arr_before'), 'decimal(18, 2)') }} as arr_before,
        {{ clean_text('arr_after') }} as arr_after_text,
        {{ try_cast_as(clean_text('arr_after'), 'decimal(18, 2)') }} as arr_after,
        _landing_file,
        _landing_problem
    from source
),

checked as (
    select
        *,
        {{ quarantine_reason([
            ('account_id is null', 'missing account_id'),
            ('renewal_date_text is null', 'missing renewal_date'),
            ('renewal_date_text is not null and renewal_date is null', 'renewal_date is not a date (YYYY-MM-DD)'),
            ('outcome_text is null', 'missing outcome'),
            ('outcome_text is not null and outcome is null', 'outcome is not one of renewed, churned, contracted, expanded'),
        ]) }} as quarantine_reason,
        {{ field_issue([
            ('arr_before_text is not null and arr_before is null', 'arr_before is not a number'),
            ('arr_before < 0', 'arr_before is negative'),
        ]) }} as _issue__arr_before,
        {{ field_issue([
            ('arr_after_text is not null and arr_after is null', 'arr_after is not a number'),
            ('arr_after < 0', 'arr_after is negative'),
        ]) }} as _issue__arr_after
    from typed
)

select
    account_id,
    renewal_date,
    outcome,
    {{- optional_field_columns('renewal_outcomes') }}
    _landing_file,
    quarantine_reason,
    case
        when quarantine_reason is not null then
            {{ pack_raw_values(['account_id', 'renewal_date_text', 'outcome_text', 'arr_before_text', 'arr_after_text']) }}
    end as raw_values
from checked
