-- One row per renewal quarter (plus 'all') x quadrant the family was in `churn_lookback_days`
-- before its renewal (the five quadrants and 'Not scored'; one renewal per family and date, as
-- in fct_renewals): renewals, churns, the churn rate with its 95% Wilson interval, the rate
-- relative to Champions' in the same period, and a flag when the renewals behind the rate are
-- fewer than `min_renewals_to_trust`.
with snapshots as (
    select * from {{ ref('int_renewal_snapshots') }}
    where days_before_renewal = {{ var('churn_lookback_days') }}
),

quadrants as (
    select
        quadrant,
        display_order as quadrant_order,
        coalesce(usage_side = 'high' and health_side = 'high', false) as is_champions
    from {{ ref('quadrants') }}
),

renewals as (
    select
        {{ quarter_label('renewal_quarter_start') }} as renewal_quarter,
        renewal_quarter_start as quarter_start,
        quadrant,
        is_churned,
        outcome
    from snapshots
    union all
    select
        'all' as renewal_quarter,
        cast(null as date) as quarter_start,
        quadrant,
        is_churned,
        outcome
    from snapshots
),

periods as (
    select distinct
        renewal_quarter,
        quarter_start
    from renewals
),

counted as (
    select
        periods.renewal_quarter,
        periods.quarter_start,
        quadrants.quadrant,
        quadrants.quadrant_order,
        count(renewals.quadrant) as renewals,
        coalesce(sum(case when renewals.is_churned then 1 else 0 end), 0) as churned,
        coalesce(sum(case when renewals.outcome = 'contracted' then 1 else 0 end), 0) as contracted,
        coalesce(sum(case when renewals.outcome = 'expanded' then 1 else 0 end), 0) as expanded
    from periods
    cross join quadrants
    left join renewals
        on
            periods.renewal_quarter = renewals.renewal_quarter
            and quadrants.quadrant = renewals.quadrant
    group by periods.renewal_quarter, periods.quarter_start, quadrants.quadrant, quadrants.quadrant_order
),

rated as (
    select
        *,
        case when renewals > 0 then cast(churned as double) / renewals end as churn_rate
    from counted
),

champions as (
    select
        renewal_quarter,
        renewals as champions_renewals,
        churn_rate as champions_churn_rate
    from rated
    inner join quadrants on rated.quadrant = quadrants.quadrant
    where quadrants.is_champions
),

final as (
    select
        rated.renewal_quarter,
        rated.quarter_start,
        rated.quadrant,
        rated.quadrant_order,
        {{ var('churn_lookback_days') }} as lookback_days,
        rated.renewals,
        rated.churned,
        rated.contracted,
        rated.expanded,
        {{ round_to('rated.churn_rate', 4) }} as churn_rate,
        {{ round_to(wilson_bound('rated.churned', 'rated.renewals', 'low'), 4) }} as churn_rate_low,
        {{ round_to(wilson_bound('rated.churned', 'rated.renewals', 'high'), 4) }} as churn_rate_high,
        champions.champions_renewals,
        {{ round_to('champions.champions_churn_rate', 4) }} as champions_churn_rate,
        {{ round_to('rated.churn_rate / nullif(champions.champions_churn_rate, 0)', 2) }} as churn_rate_vs_champions,
        rated.renewals < {{ var('min_renewals_to_trust') }} as is_too_few_to_trust
    from rated
    inner join champions on rated.renewal_quarter = champions.renewal_quarter
)

select * from final
