-- One row per scored account x week in which the account's quadrant differs from its last
-- known quadrant: the last earlier week it was in one of the four quadrants (Insufficient Data
-- weeks are skipped, not a reset: an account coming back from a week without enough data is
-- compared with where it was). The quadrant is the stable one (hysteresis band). Each move's
-- direction, severity and reason come from seeds/quadrant_moves.csv: every move toward lower
-- usage or lower health is flagged, `critical` (into Churn Risk, Champions -> Frustrated Power
-- Users) or `warning`. `change_reasons` names the three components that moved the scores most
-- since the last known week.
with weekly as (
    select * from {{ ref('fct_account_scores_weekly') }}
),

quadrants as (
    select * from {{ ref('quadrants') }}
),

quadrant_moves as (
    select * from {{ ref('quadrant_moves') }}
),

known_weeks as (
    select
        weekly.account_id,
        weekly.week_start,
        weekly.segment,
        weekly.arr,
        weekly.quadrant,
        weekly.usage_score,
        weekly.health_score,
        weekly.is_latest_week,
        lag(weekly.quadrant) over (partition by weekly.account_id order by weekly.week_start) as last_known_quadrant,
        lag(weekly.week_start) over (partition by weekly.account_id order by weekly.week_start) as last_known_week_start,
        lag(weekly.usage_score) over (partition by weekly.account_id order by weekly.week_start) as last_known_usage_score,
        lag(weekly.health_score) over (partition by weekly.account_id order by weekly.week_start) as last_known_health_score
    from weekly
    inner join quadrants on weekly.quadrant = quadrants.quadrant
    where quadrants.kind = 'quadrant'
),

moves as (
    select
        account_id,
        week_start,
        last_known_week_start as comparison_week_start,
        segment,
        arr,
        last_known_quadrant as from_quadrant,
        quadrant as to_quadrant,
        last_known_usage_score as previous_usage_score,
        usage_score,
        last_known_health_score as previous_health_score,
        health_score,
        is_latest_week
    from known_weeks
    where
        last_known_quadrant is not null
        and quadrant != last_known_quadrant
),

reasons as (
    {{ change_reasons('moves') }}
),

final as (
    select
        {{ dbt.hash(dbt.concat(['moves.account_id', "'|'", 'cast(moves.week_start as ' ~ dbt.type_string() ~ ')'])) }} as movement_key,
        moves.account_id,
        moves.week_start,
        moves.comparison_week_start,
        moves.segment,
        moves.arr,
        moves.from_quadrant,
        moves.to_quadrant,
        quadrant_moves.direction,
        quadrant_moves.severity,
        quadrant_moves.severity is not null as is_downward,
        coalesce(quadrant_moves.severity = 'critical', false) as is_critical,
        case when quadrant_moves.severity = 'critical' then quadrant_moves.reason end as critical_reason,
        quadrant_moves.reason as move_reason,
        reasons.change_reasons,
        moves.previous_usage_score,
        moves.usage_score,
        moves.previous_health_score,
        moves.health_score,
        moves.is_latest_week
    from moves
    left join quadrant_moves
        on
            moves.from_quadrant = quadrant_moves.from_quadrant
            and moves.to_quadrant = quadrant_moves.to_quadrant
    left join reasons
        on
            moves.account_id = reasons.account_id
            and moves.week_start = reasons.week_start
)

select * from final
