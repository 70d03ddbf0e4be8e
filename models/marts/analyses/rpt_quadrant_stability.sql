-- One row per quarter x segment (each segment, plus 'all segments'): how often accounts change
-- quadrant, with the hysteresis band (the stable `quadrant`) and without it (`raw_quadrant`).
-- A move is a week whose quadrant differs from the account's last known one (Insufficient Data
-- weeks skipped, as in fct_quadrant_movements). A move "inside the band" is one where both
-- scores were within `quadrant_band` points of their cut-offs; a move "crossing inside the
-- band" one where every score that changed side is within the band: noise around the median,
-- not a change of state. The stable quadrant should have few of either; the raw one shows what
-- the band removes. A week belongs to the quarter its Sunday falls in.
with weekly as (
    select * from {{ ref('fct_account_scores_weekly') }}
),

segments as (
    select * from {{ ref('dim_segments') }}
),

quadrants as (
    select * from {{ ref('quadrants') }}
),

banded_weeks as (
    select
        weekly.account_id,
        weekly.week_start,
        weekly.segment,
        cast({{ dbt.date_trunc('quarter', 'weekly.week_end') }} as date) as quarter_start,
        weekly.quadrant,
        weekly.raw_quadrant,
        coalesce(abs(weekly.usage_score - segments.usage_cutoff) < segments.quadrant_band, false) as is_usage_inside_band,
        coalesce(abs(weekly.health_score - segments.health_cutoff) < segments.quadrant_band, false) as is_health_inside_band
    from weekly
    inner join segments on weekly.segment = segments.segment
),

-- each flavour of the quadrant over the weeks it names one of the four quadrants
stable_weeks as (
    select
        banded_weeks.*,
        lag(banded_weeks.quadrant) over (partition by banded_weeks.account_id order by banded_weeks.week_start) as last_known
    from banded_weeks
    inner join quadrants on banded_weeks.quadrant = quadrants.quadrant
    where quadrants.kind = 'quadrant'
),

raw_weeks as (
    select
        banded_weeks.*,
        lag(banded_weeks.raw_quadrant) over (partition by banded_weeks.account_id order by banded_weeks.week_start) as last_known
    from banded_weeks
    inner join quadrants on banded_weeks.raw_quadrant = quadrants.quadrant
    where quadrants.kind = 'quadrant'
),

week_moves as (
    select
        quarter_start,
        segment,
        account_id,
        'stable' as flavour,
        last_known as from_quadrant,
        quadrant as to_quadrant,
        is_usage_inside_band,
        is_health_inside_band
    from stable_weeks
    where last_known is not null and quadrant != last_known
    union all
    select
        quarter_start,
        segment,
        account_id,
        'raw' as flavour,
        last_known as from_quadrant,
        raw_quadrant as to_quadrant,
        is_usage_inside_band,
        is_health_inside_band
    from raw_weeks
    where last_known is not null and raw_quadrant != last_known
),

moves as (
    select
        week_moves.quarter_start,
        week_moves.segment,
        week_moves.account_id,
        week_moves.flavour,
        week_moves.is_usage_inside_band and week_moves.is_health_inside_band as is_inside_band,
        (from_sides.usage_side = to_sides.usage_side or week_moves.is_usage_inside_band)
        and (from_sides.health_side = to_sides.health_side or week_moves.is_health_inside_band) as is_crossing_inside_band
    from week_moves
    inner join quadrants as from_sides on week_moves.from_quadrant = from_sides.quadrant
    inner join quadrants as to_sides on week_moves.to_quadrant = to_sides.quadrant
),

account_quarters as (
    select
        quarter_start,
        segment,
        count(distinct account_id) as account_quarters
    from banded_weeks
    group by quarter_start, segment
),

move_counts as (
    select
        quarter_start,
        segment,
        sum(case when flavour = 'stable' then 1 else 0 end) as moves,
        sum(case when flavour = 'stable' and is_inside_band then 1 else 0 end) as moves_inside_band,
        sum(case when flavour = 'stable' and is_crossing_inside_band then 1 else 0 end) as moves_crossing_inside_band,
        sum(case when flavour = 'raw' then 1 else 0 end) as raw_moves,
        sum(case when flavour = 'raw' and is_inside_band then 1 else 0 end) as raw_moves_inside_band,
        sum(case when flavour = 'raw' and is_crossing_inside_band then 1 else 0 end) as raw_moves_crossing_inside_band,
        count(distinct case when flavour = 'stable' then account_id end) as accounts_moving
    from moves
    group by quarter_start, segment
),

by_segment as (
    select
        account_quarters.quarter_start,
        account_quarters.segment,
        account_quarters.account_quarters,
        coalesce(move_counts.accounts_moving, 0) as accounts_moving,
        coalesce(move_counts.moves, 0) as moves,
        coalesce(move_counts.moves_inside_band, 0) as moves_inside_band,
        coalesce(move_counts.moves_crossing_inside_band, 0) as moves_crossing_inside_band,
        coalesce(move_counts.raw_moves, 0) as raw_moves,
        coalesce(move_counts.raw_moves_inside_band, 0) as raw_moves_inside_band,
        coalesce(move_counts.raw_moves_crossing_inside_band, 0) as raw_moves_crossing_inside_band
    from account_quarters
    left join move_counts
        on
            account_quarters.quarter_start = move_counts.quarter_start
            and account_quarters.segment = move_counts.segment
),

with_all as (
    select * from by_segment
    union all
    select
        quarter_start,
        'all segments' as segment,
        sum(account_quarters) as account_quarters,
        sum(accounts_moving) as accounts_moving,
        sum(moves) as moves,
        sum(moves_inside_band) as moves_inside_band,
        sum(moves_crossing_inside_band) as moves_crossing_inside_band,
        sum(raw_moves) as raw_moves,
        sum(raw_moves_inside_band) as raw_moves_inside_band,
        sum(raw_moves_crossing_inside_band) as raw_moves_crossing_inside_band
    from by_segment
    group by quarter_start
),

final as (
    select
        quarter_start,
        {{ quarter_label('quarter_start') }} as quarter_label,
        segment,
        cast(account_quarters as bigint) as accounts_scored,
        cast(accounts_moving as bigint) as accounts_moving,
        cast(moves as bigint) as moves,
        {{ round_to('cast(moves as double) / nullif(account_quarters, 0)', 3) }} as moves_per_account_quarter,
        cast(moves_inside_band as bigint) as moves_inside_band,
        {{ round_to('cast(moves_inside_band as double) / nullif(moves, 0)', 4) }} as share_of_moves_inside_band,
        {{ round_to('cast(moves_crossing_inside_band as double) / nullif(moves, 0)', 4) }} as share_of_moves_crossing_inside_band,
        cast(raw_moves as bigint) as raw_moves,
        {{ round_to('cast(raw_moves as double) / nullif(account_quarters, 0)', 3) }} as raw_moves_per_account_quarter,
        cast(raw_moves_inside_band as bigint) as raw_moves_inside_band,
        {{ round_to('cast(raw_moves_inside_band as double) / nullif(raw_moves, 0)', 4) }} as raw_share_of_moves_inside_band,
        {{ round_to('cast(raw_moves_crossing_inside_band as double) / nullif(raw_moves, 0)', 4) }} as raw_share_of_moves_crossing_inside_band
    from with_all
)

select * from final
