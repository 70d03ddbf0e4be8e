-- One row: the as-of date of this build and the weeks it scores. as_of comes from the `as_of`
-- var; without it, from the last date present in the activity data (never the wall clock).
-- The latest complete week is the last Monday-Sunday week ending on or before as_of. Scoring
-- starts with the first week whose trailing usage window (4 weeks) lies inside the data.
-- Scored weeks start with the first product event (or, with no events at all, the first CS activity).
with activity_dates as (
    select
        'events' as activity,
        min(event_date) as first_date,
        max(event_date) as last_date
    from {{ ref('stg_product__events') }}
    union all
    select
        'cs' as activity,
        min(cast(responded_at as date)) as first_date,
        max(cast(responded_at as date)) as last_date
    from {{ ref('stg_crm__nps_responses') }}
    union all
    select
        'cs' as activity,
        min(cast(opened_at as date)) as first_date,
        max(cast(opened_at as date)) as last_date
    from {{ ref('stg_crm__support_tickets') }}
    union all
    select
        'cs' as activity,
        min(cast(occurred_at as date)) as first_date,
        max(cast(occurred_at as date)) as last_date
    from {{ ref('stg_crm__csm_touchpoints') }}
    union all
    select
        'cs' as activity,
        min(cast(scored_at as date)) as first_date,
        max(cast(scored_at as date)) as last_date
    from {{ ref('stg_crm__cs_health_scores') }}
),

first_activity as (
    select
        coalesce(
            min(case when activity = 'events' then first_date end),
            min(first_date)
        ) as first_event_date
    from activity_dates
),

last_activity as (
    select max(last_date) as last_activity_date from activity_dates
),

as_of as (
    select
        last_activity_date,
        coalesce({{ as_of_literal() }}, last_activity_date) as as_of_date
    from last_activity
),

final as (
    select
        as_of.as_of_date,
        as_of.last_activity_date,
        {{ add_days(week_start(add_days('as_of.as_of_date', 1)), -7) }} as latest_week_start,
        {{ add_days(week_start(add_days('as_of.as_of_date', 1)), -1) }} as latest_week_end,
        -- the first scored week is the first whose trailing usage window is full of data
        {{ add_days(week_start('first_activity.first_event_date'), 7 * (usage_window_weeks() - 1)) }} as first_week_start
    from as_of
    cross join first_activity
)

select * from final
