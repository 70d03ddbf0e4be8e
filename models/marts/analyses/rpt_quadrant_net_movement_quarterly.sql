-- One row per quarter x segment (each segment, plus 'all segments'): accounts whose quadrant
-- moved up (toward Champions), down or sideways between the start of the quarter (the last
-- scored week ending before it; for an account first scored inside the quarter, its first
-- week) and its end (the last scored week ending in it, up to as_of), with net movement and
-- the ARR behind each direction. Which move is up, down or sideways is seeds/quadrant_moves.csv
-- (toward Champions is up; between Frustrated Power Users and Relationship-Dependent sideways).
-- Accounts in Insufficient Data at either end are counted apart, not as moves. A quarter is
-- complete once scored weeks run to its last day (a week belongs to the quarter it ends in).
with scores as (
    select * from {{ ref('fct_account_scores_weekly') }}
),

quadrants as (
    select * from {{ ref('quadrants') }}
),

quadrant_moves as (
    select * from {{ ref('quadrant_moves') }}
),

levelled as (
    select
        account_id,
        week_start,
        week_end,
        cast({{ dbt.date_trunc('quarter', 'week_end') }} as date) as quarter_start,
        segment,
        arr,
        quadrant
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
        case
            when start_kind.kind != 'quadrant' or end_kind.kind != 'quadrant' then null
            when start_state.quadrant = end_state.quadrant then 'unchanged'
            else quadrant_moves.direction
        end as direction
    from start_weeks
    inner join quarters on start_weeks.quarter_start = quarters.quarter_start
    inner join levelled as start_state
        on start_weeks.account_id = start_state.account_id and start_weeks.start_week_start = start_state.week_start
    inner join levelled as end_state
        on start_weeks.account_id = end_state.account_id and start_weeks.end_week_start = end_state.week_start
    left join quadrants as start_kind on start_state.quadrant = start_kind.quadrant
    left join quadrants as end_kind on end_state.quadrant = end_kind.quadrant
    left join quadrant_moves
        on
            start_state.quadrant = quadrant_moves.from_quadrant
            and end_state.quadrant = quadrant_moves.to_quadrant
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
        direction
    from moves
),

final as (
    select
        quarter_start,
        {{ quarter_label('quarter_start') }} as quarter_label,
        segment,
        max(last_week_end) as through_week_end,
        cast({{ dbt.last_day('quarter_start', 'quarter') }} as date) <= max(latest_week_end) as is_quarter_complete,
        count(direction) as accounts_compared,
        count(case when direction = 'up' then 1 end) as moved_up,
        count(case when direction = 'down' then 1 end) as moved_down,
        count(case when direction = 'sideways' then 1 end) as moved_sideways,
        count(case when direction = 'unchanged' then 1 end) as unchanged,
        count(case when direction = 'up' then 1 end) - count(case when direction = 'down' then 1 end) as net_movement,
        coalesce(sum(case when direction = 'up' then arr end), 0) as arr_moved_up,
        coalesce(sum(case when direction = 'down' then arr end), 0) as arr_moved_down,
        coalesce(sum(case when direction = 'up' then arr end), 0)
        - coalesce(sum(case when direction = 'down' then arr end), 0) as net_arr_movement,
        count(case when direction is null then 1 end) as accounts_with_insufficient_data
    from segmented
    group by quarter_start, segment
)

select * from final
