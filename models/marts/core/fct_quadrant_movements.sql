-- One row per scored account x week in which the account's quadrant changed from the week
-- before. Which moves are critical, and why, is seeds/quadrant_moves.csv (Champions ->
-- Frustrated Power Users, Relationship-Dependent -> Churn Risk, and any other move into Churn
-- Risk); a first classification out of Insufficient Data is a move, but not a critical one.
with weekly as (
    select * from {{ ref('fct_account_scores_weekly') }}
),

quadrant_moves as (
    select * from {{ ref('quadrant_moves') }}
),

previous_week as (
    select
        account_id,
        week_start,
        usage_score,
        health_score
    from weekly
),

moves as (
    select
        weekly.account_id,
        weekly.week_start,
        weekly.segment,
        weekly.arr,
        weekly.previous_quadrant as from_quadrant,
        weekly.quadrant as to_quadrant,
        previous_week.usage_score as previous_usage_score,
        weekly.usage_score,
        previous_week.health_score as previous_health_score,
        weekly.health_score,
        weekly.is_latest_week
    from weekly
    left join previous_week
        on
            weekly.account_id = previous_week.account_id
            and {{ add_days('weekly.week_start', -7) }} = previous_week.week_start
    where
        weekly.previous_quadrant is not null
        and weekly.quadrant != weekly.previous_quadrant
),

final as (
    select
        {{ dbt.hash(dbt.concat(['moves.account_id', "'|'", 'cast(moves.week_start as ' ~ dbt.type_string() ~ ')'])) }} as movement_key,
        moves.account_id,
        moves.week_start,
        moves.segment,
        moves.arr,
        moves.from_quadrant,
        moves.to_quadrant,
        case when quadrant_moves.severity = 'critical' then quadrant_moves.critical_reason end as critical_reason,
        coalesce(quadrant_moves.severity = 'critical', false) as is_critical,
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
)

select * from final
