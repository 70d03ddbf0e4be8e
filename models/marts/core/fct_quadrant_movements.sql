-- One row per scored account x week in which the account's quadrant changed from the week
-- before. Critical moves are flagged: Champions -> Frustrated Power Users,
-- Relationship-Dependent -> Churn Risk, and any other move into Churn Risk (a first
-- classification out of Insufficient Data is a move, but not a critical one).
with weekly as (
    select * from {{ ref('fct_account_scores_weekly') }}
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
        {{ dbt.hash(dbt.concat(['account_id', "'|'", 'cast(week_start as ' ~ dbt.type_string() ~ ')'])) }} as movement_key,
        account_id,
        week_start,
        segment,
        arr,
        from_quadrant,
        to_quadrant,
        case
            when from_quadrant = 'Champions' and to_quadrant = 'Frustrated Power Users' then 'Champions to Frustrated Power Users'
            when from_quadrant = 'Relationship-Dependent' and to_quadrant = 'Churn Risk' then 'Relationship-Dependent to Churn Risk'
            when to_quadrant = 'Churn Risk' and from_quadrant != 'Insufficient Data' then 'Moved into Churn Risk'
        end as critical_reason,
        (
            (from_quadrant = 'Champions' and to_quadrant = 'Frustrated Power Users')
            or (to_quadrant = 'Churn Risk' and from_quadrant != 'Insufficient Data')
        ) as is_critical,
        previous_usage_score,
        usage_score,
        previous_health_score,
        health_score,
        is_latest_week
    from moves
)

select * from final
