-- One row per scored week (Monday start): from the week of the first product event to the
-- latest complete week of the as-of date.
with parameters as (
    select * from {{ ref('int_run_parameters') }}
),

weeks as (
    {{ week_series('(select first_week_start from parameters)', '(select latest_week_start from parameters)') }}
),

final as (
    select
        weeks.week_start,
        {{ add_days('weeks.week_start', 6) }} as week_end,
        weeks.week_start = parameters.latest_week_start as is_latest_week
    from weeks
    cross join parameters
    where weeks.week_start <= parameters.latest_week_start
)

select * from final
