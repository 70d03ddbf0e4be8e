with source as (
    {{ landing_source(source('landing', 'arr_monthly')) }}
),

typed as (
    select
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('subscription_id') }} as subscription_id,
        {{ clean_text('month') }} as month_text,
        {{ try_cast_as(clean_text('month'), 'date') }} as month_date,
        {{ clean_text('arr') }} as arr_text,
        {{ try_cast_as(clean_text('arr'), 'decimal(18, 2)') }} as arr,
        {{ clean_text('licensed_seats') }} as licensed_seats_text,
        {{ try_cast_as(clean_text('licensed_seats'), 'integer') }} as licensed_seats,
        _landing_file,
        _landing_problem
    from source
),

checked as (
    select
        *,
        {{ quarantine_reason([
            ('account_id is null', 'missing account_id'),
            ('month_text is null', 'missing month'),
            ('month_text is not null and month_date is null', 'month is not a date (YYYY-MM-DD)'),
            ('arr_text is null', 'missing arr'),
            ('arr_text is not null and arr is null', 'arr is not a number'),
            ('arr < 0', 'arr is negative'),
        ]) }} as quarantine_reason,
        {{ field_issue([
            ('licensed_seats_text is not null and licensed_seats is null', 'licensed_seats is not a whole number'),
            ('licensed_seats < 0', 'licensed_seats is negative'),
        ]) }} as _issue__licensed_seats
    from typed
)

select
    account_id,
    subscription_id,
    cast({{ dbt.date_trunc('month', 'month_date') }} as date) as month_start,
    arr,
    {{- optional_field_columns('arr_monthly') }}
    _landing_file,
    quarantine_reason,
    case
        when quarantine_reason is not null then
            {{ pack_raw_values(['account_id', 'month_text', 'arr_text', 'licensed_seats_text', 'subscription_id']) }}
    end as raw_values
from checked
