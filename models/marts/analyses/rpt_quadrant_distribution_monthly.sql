-- One row per month x segment (each segment, plus 'all segments') x quadrant (all five, zero
-- when empty): accounts and ARR in the quadrant at the month's snapshot, the last scored week
-- ending in the month, and their shares of the segment's accounts and ARR. The month of as_of
-- is snapshotted at the latest complete week and flagged `is_month_complete = false`.
with scores as (
    select * from {{ ref('fct_account_scores_weekly') }}
),

quadrants as (
    select
        quadrant,
        display_order as quadrant_order
    from {{ ref('quadrants') }}
    where kind in ('quadrant', 'insufficient_data')
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

snapshots as (
    select
        snapshot_weeks.month_start,
        snapshot_weeks.snapshot_week_start,
        cast({{ dbt.last_day('snapshot_weeks.month_start', 'month') }} as date) <= snapshot_weeks.latest_week_end
            as is_month_complete,
        scores.segment,
        scores.quadrant,
        scores.arr
    from snapshot_weeks
    inner join scores on snapshot_weeks.snapshot_week_start = scores.week_start
),

segmented as (
    select
        month_start,
        snapshot_week_start,
        is_month_complete,
        segment,
        quadrant,
        arr
    from snapshots
    union all
    select
        month_start,
        snapshot_week_start,
        is_month_complete,
        'all segments' as segment,
        quadrant,
        arr
    from snapshots
),

cells as (
    select distinct
        month_start,
        snapshot_week_start,
        is_month_complete,
        segment
    from segmented
),

counted as (
    select
        cells.month_start,
        cells.snapshot_week_start,
        cells.is_month_complete,
        cells.segment,
        quadrants.quadrant,
        quadrants.quadrant_order,
        count(segmented.quadrant) as account_count,
        coalesce(sum(segmented.arr), 0) as arr
    from cells
    cross join quadrants
    left join segmented
        on
            cells.month_start = segmented.month_start
            and cells.segment = segmented.segment
            and quadrants.quadrant = segmented.quadrant
    group by
        cells.month_start, cells.snapshot_week_start, cells.is_month_complete, cells.segment,
        quadrants.quadrant, quadrants.quadrant_order
),

final as (
    select
        month_start,
        segment,
        quadrant,
        quadrant_order,
        snapshot_week_start,
        is_month_complete,
        account_count,
        arr,
        {{ round_to('
            cast(account_count as double) / nullif(sum(account_count) over (partition by month_start, segment), 0)
        ', 4) }}
            as share_of_accounts,
        {{ round_to('
            cast(arr as double) / nullif(sum(arr) over (partition by month_start, segment), 0)
        ', 4) }} as share_of_arr
    from counted
)

select * from final
