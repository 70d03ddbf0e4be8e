-- One row: the as-of date of this build and the weeks it scores. as_of comes from the `as_of`
-- var; without it, from the last date present in the activity data (never the wall clock).
-- The latest complete week is the last Monday-Sunday week ending on or before as_of.
with activity_dates as (
    select max(event_date) as last_date from {{ ref('stg_product__events') }}
    union all
    select max(cast(responded_at as date)) from {{ ref('stg_crm__nps_responses') }}
    union all
    select max(cast(opened_at as date)) from {{ ref('stg_crm__support_tickets') }}
    union all
    select max(cast(occurred_at as date)) from {{ ref('stg_crm__csm_touchpoints') }}
    union all
    select max(cast(scored_at as date)) from {{ ref('stg_crm__cs_health_scores') }}
),

first_activity as (
    select min(event_date) as first_event_date from {{ ref('stg_product__events') }}
),

as_of as (
    select
        {% if var('as_of') | string | trim != '' -%}
        cast('{{ var("as_of") }}' as date)
        {%- else -%}
        max(last_date)
        {%- endif %} as as_of_date
    from activity_dates
),

final as (
    select
        as_of.as_of_date,
        {{ add_days(week_start(add_days('as_of.as_of_date', 1)), -7) }} as latest_week_start,
        {{ add_days(week_start(add_days('as_of.as_of_date', 1)), -1) }} as latest_week_end,
        {{ week_start('first_activity.first_event_date') }} as first_week_start
    from as_of
    cross join first_activity
)

select * from final
