-- One row per scored account x month with a scored week, churned months left out: license
-- utilization month over month (GitLab's "billable users / licensed seats", 003). A month is
-- read at its snapshot, the last scored week ending in the month (as the monthly quadrant
-- distribution is): active users in the trailing `usage_window_days` and the licensed seats of
-- the ARR month, as fct_account_scores_weekly has them. The month of as_of is read at the
-- latest complete week and flagged `is_month_complete = false`.
--   compare_months: utilization against the previous calendar month's (null when the account
--              had no snapshot that month).
--   decide_seat_status: `past_seats` (utilization above 1) and `nearing_seats` (at or above
--              var license_nearing_share) are expansion candidates; `dropping` (down by var
--              license_drop_share or more since the previous month) is a contraction risk;
--              `steady` otherwise; null without seats or without usage data. Expansion wins
--              when both apply (is_contraction_risk still says the fall).
with scores as (
    select * from {{ ref('fct_account_scores_weekly') }}
),

weeks as (
    select distinct
        week_start,
        week_end,
        cast({{ dbt.date_trunc('month', 'week_end') }} as date) as month_start
    from scores
),

snapshot_weeks as (
    select
        month_start,
        max(week_start) as snapshot_week_start,
        max(week_end) as snapshot_week_end,
        max(max(week_end)) over () as latest_week_end
    from weeks
    group by month_start
),

monthly as (
    select
        snapshot_weeks.month_start,
        snapshot_weeks.snapshot_week_start,
        cast({{ dbt.last_day('snapshot_weeks.month_start', 'month') }} as date) <= snapshot_weeks.latest_week_end
            as is_month_complete,
        snapshot_weeks.snapshot_week_end = snapshot_weeks.latest_week_end as is_latest_month,
        scores.account_id,
        scores.segment,
        scores.lifecycle_stage,
        scores.arr,
        scores.licensed_seats,
        scores.active_users,
        {{ round_to('scores.license_utilization', 4) }} as license_utilization
    from snapshot_weeks
    inner join scores on snapshot_weeks.snapshot_week_start = scores.week_start
    where scores.lifecycle_stage != 'churned'
),

compare_months as (
    select
        this_month.*,
        previous_month.license_utilization as previous_month_utilization,
        {{ round_to('this_month.license_utilization - previous_month.license_utilization', 4) }} as utilization_change
    from monthly as this_month
    left join monthly as previous_month
        on
            this_month.account_id = previous_month.account_id
            and cast({{ dbt.dateadd('month', -1, 'this_month.month_start') }} as date) = previous_month.month_start
),

decide_seat_status as (
    select
        *,
        coalesce(license_utilization >= {{ var('license_nearing_share') }}, false) as is_expansion_candidate,
        coalesce(-utilization_change >= {{ var('license_drop_share') }}, false) as is_contraction_risk,
        case
            when license_utilization is null then null
            when license_utilization > 1 then 'past_seats'
            when license_utilization >= {{ var('license_nearing_share') }} then 'nearing_seats'
            when -utilization_change >= {{ var('license_drop_share') }} then 'dropping'
            else 'steady'
        end as seat_status
    from compare_months
),

final as (
    select
        {{ dbt.hash(dbt.concat(['account_id', "'|'", 'cast(month_start as ' ~ dbt.type_string() ~ ')'])) }} as account_month_key,
        account_id,
        month_start,
        snapshot_week_start,
        is_month_complete,
        is_latest_month,
        segment,
        lifecycle_stage,
        arr,
        licensed_seats,
        active_users,
        license_utilization,
        previous_month_utilization,
        utilization_change,
        seat_status,
        is_expansion_candidate,
        is_contraction_risk
    from decide_seat_status
)

select * from final
