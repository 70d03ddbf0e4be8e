-- One row per month a fix shipped x product area (plus 'all areas'): support tickets whose
-- product fix shipped in that month, up to as_of, and the days from the ticket being opened to
-- the fix shipping: median, 90th percentile (interpolated) and mean. A ticket without a
-- product area counts under 'unknown'. A fix recorded before its ticket was opened is left out
-- of the durations and counted in `tickets_fixed_before_opened`, for the CRM owner to correct.
with tickets as (
    select * from {{ ref('int_support_tickets') }}
),

parameters as (
    select * from {{ ref('int_run_parameters') }}
),

fixed as (
    select
        tickets.ticket_id,
        coalesce(tickets.product_area, 'unknown') as product_area,
        cast({{ dbt.date_trunc('month', 'tickets.fix_shipped_at') }} as date) as fix_month,
        cast({{ seconds_between('tickets.opened_at', 'tickets.fix_shipped_at') }} as double) / 86400 as days_to_fix
    from tickets
    cross join parameters
    where
        tickets.fix_shipped_at is not null
        and cast(tickets.fix_shipped_at as date) <= parameters.as_of_date
),

by_area as (
    select
        fix_month,
        product_area,
        days_to_fix
    from fixed
    union all
    select
        fix_month,
        'all areas' as product_area,
        days_to_fix
    from fixed
),

final as (
    select
        fix_month,
        product_area,
        count(case when days_to_fix >= 0 then 1 end) as tickets_fixed,
        {{ round_to(percentile_cont('case when days_to_fix >= 0 then days_to_fix end', 0.5), 2) }} as median_days_to_fix,
        {{ round_to(percentile_cont('case when days_to_fix >= 0 then days_to_fix end', 0.9), 2) }} as p90_days_to_fix,
        {{ round_to('avg(case when days_to_fix >= 0 then days_to_fix end)', 2) }} as mean_days_to_fix,
        count(case when days_to_fix < 0 then 1 end) as tickets_fixed_before_opened
    from by_area
    group by fix_month, product_area
)

select * from final
