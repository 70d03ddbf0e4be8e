-- One row per quarter x segment (each segment, plus 'all segments'): accounts whose quadrant
-- moved up (toward Champions), down or sideways between the start of the quarter (the last
-- scored week ending before it; for an account first scored inside the quarter, its first
-- week) and its end (the last scored week ending in it, up to as_of), with net movement and
-- the ARR behind each direction. Levels: Champions 2, Frustrated Power Users and
-- Relationship-Dependent 1, Churn Risk 0; a move between the two middle quadrants is sideways.
-- Accounts in Insufficient Data at either end are counted apart, not as moves. A quarter is
-- complete once scored weeks run to its last day (a week belongs to the quarter it ends in).
with scores as (
    select * from {{ ref('fct_account_scores_weekly') }}
),

levelled as (
    select
        account_id,
        week_start,
        week_end,
        cast({{ dbt.date_trunc('quarter', 'week_end') }} as date) as quarter_start,
        segment,
        arr,
        quadrant,
        case quadrant
            when 'Champions' then 2
            when 'Frustrated Power Users' then 1
            when 'Relationship-Dependent' then 1
            when 'Churn Risk' then 0
        end as quadrant_level
    from scores
),

quarters as (
    select
        quarter_start,
        max(week_end) as last_week_end,
        max(max(week_end)) over () as latest_week_end
    from levelled
    group by quarter_start
),

-- each account's week at the quarter's start: the last week ending before it, else its first in it
start_weeks as (
    select
        quarters.quarter_start,
        levelled.account_id,
        coalesce(
            max(case when levelled.quarter_start < quarters.quarter_start then levelled.week_start end),
            min(case when levelled.quarter_start = quarters.quarter_start then levelled.week_start end)
        ) as start_week_start,
        max(case when levelled.quarter_start = quarters.quarter_start then levelled.week_start end) as end_week_start
    from quarters
    inner join levelled on levelled.quarter_start <= quarters.quarter_start
    group by quarters.quarter_start, levelled.account_id
),

moves as (
    select
        start_weeks.quarter_start,
        quarters.last_week_end,
        quarters.latest_week_end,
        end_state.segment,
        end_state.arr,
        start_state.quadrant as start_quadrant,
        end_state.quadrant as end_quadrant,
        end_state.quadrant_level - start_state.quadrant_level as level_change
    from start_weeks
    inner join quarters on start_weeks.quarter_start = quarters.quarter_start
    inner join levelled as start_state
        on start_weeks.account_id = start_state.account_id and start_weeks.start_week_start = start_state.week_start
    inner join levelled as end_state
        on start_weeks.account_id = end_state.account_id and start_weeks.end_week_start = end_state.week_start
),

segmented as (
    select * from moves
    union all
    select
        quarter_start,
        last_week_end,
        latest_week_end,
        'all segments' as segment,
        arr,
        start_quadrant,
        end_quadrant,
        level_change
    from moves
),

final as (
    select
        quarter_start,
        {{ quarter_label('quarter_start') }} as quarter_label,
        segment,
        max(last_week_end) as through_week_end,
        cast({{ dbt.last_day('quarter_start', 'quarter') }} as date) <= max(latest_week_end) as is_quarter_complete,
        count(level_change) as accounts_compared,
        count(case when level_change > 0 then 1 end) as moved_up,
        count(case when level_change < 0 then 1 end) as moved_down,
        count(case when level_change = 0 and start_quadrant != end_quadrant then 1 end) as moved_sideways,
        count(case when start_quadrant = end_quadrant and level_change is not null then 1 end) as unchanged,
        count(case when level_change > 0 then 1 end) - count(case when level_change < 0 then 1 end) as net_movement,
        coalesce(sum(case when level_change > 0 then arr end), 0) as arr_moved_up,
        coalesce(sum(case when level_change < 0 then arr end), 0) as arr_moved_down,
        coalesce(sum(case when level_change > 0 then arr end), 0)
        - coalesce(sum(case when level_change < 0 then arr end), 0) as net_arr_movement,
        count(case when level_change is null then 1 end) as accounts_with_insufficient_data
    from segmented
    group by quarter_start, segment
)

select * from final
