-- One row per day from the Monday of the earliest scored week or renewal to the end of the
-- latest complete week: the time spine MetricFlow needs for the semantic layer's metrics.
with parameters as (
    select * from {{ ref('int_run_parameters') }}
),

renewals as (
    select min(renewal_date) as first_renewal_date from {{ ref('fct_renewals') }}
),

bounds as (
    select
        {{ week_start('coalesce(least(renewals.first_renewal_date, parameters.first_week_start), parameters.first_week_start)') }}
            as first_week_start,
        parameters.latest_week_start
    from parameters
    cross join renewals
),

weeks as (
    {{ week_series('(select first_week_start from bounds)', '(select latest_week_start from bounds)') }}
),

days_of_week as (
    {{ integer_rows(7) }}
),

final as (
    select {{ add_days('weeks.week_start', 'days_of_week.offset_n') }} as date_day
    from weeks
    cross join days_of_week
)

select * from final
