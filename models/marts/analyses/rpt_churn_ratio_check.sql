-- One row per renewal quarter (plus 'all'): the article's claim (002) put to the data, that
-- high-usage, low-health accounts (Frustrated Power Users) churn about `claimed_churn_ratio`
-- (2.1) times as often as high-usage, high-health ones (Champions). The two quadrants are read
-- from seeds/quadrants.csv by their sides, their renewals and churns from
-- rpt_churn_rate_by_quadrant (the quadrant `churn_lookback_days` before renewal). The ratio of
-- the two churn rates comes with its 95% interval (Katz log method, macro risk_ratio_bound),
-- whether the claim lies inside it and whether the whole interval is above 1 (they do churn
-- more often), and a flag when either side rests on fewer than `min_renewals_to_trust` renewals.
with churn_rates as (
    select * from {{ ref('rpt_churn_rate_by_quadrant') }}
),

quadrants as (
    select * from {{ ref('quadrants') }}
    where kind = 'quadrant'
),

compared as (
    select churn_rates.*
    from churn_rates
    inner join quadrants on churn_rates.quadrant = quadrants.quadrant
    where
        quadrants.usage_side = 'high'
        and quadrants.health_side = 'low'
),

reference as (
    select churn_rates.*
    from churn_rates
    inner join quadrants on churn_rates.quadrant = quadrants.quadrant
    where
        quadrants.usage_side = 'high'
        and quadrants.health_side = 'high'
),

ratios as (
    select
        compared.renewal_quarter,
        compared.quarter_start,
        compared.lookback_days,
        compared.quadrant,
        compared.renewals,
        compared.churned,
        compared.churn_rate,
        reference.quadrant as reference_quadrant,
        reference.renewals as reference_renewals,
        reference.churned as reference_churned,
        reference.churn_rate as reference_churn_rate,
        case
            when compared.renewals > 0 and reference.churned > 0
                then
                    (cast(compared.churned as double) / compared.renewals)
                    / (cast(reference.churned as double) / reference.renewals)
        end as churn_ratio,
        {{ risk_ratio_bound('compared.churned', 'compared.renewals', 'reference.churned', 'reference.renewals', 'low') }} as churn_ratio_low,
        {{ risk_ratio_bound('compared.churned', 'compared.renewals', 'reference.churned', 'reference.renewals', 'high') }} as churn_ratio_high
    from compared
    inner join reference on compared.renewal_quarter = reference.renewal_quarter
),

final as (
    select
        renewal_quarter,
        quarter_start,
        lookback_days,
        quadrant,
        renewals,
        churned,
        churn_rate,
        reference_quadrant,
        reference_renewals,
        reference_churned,
        reference_churn_rate,
        {{ round_to('churn_ratio', 2) }} as churn_ratio,
        {{ round_to('churn_ratio_low', 2) }} as churn_ratio_low,
        {{ round_to('churn_ratio_high', 2) }} as churn_ratio_high,
        cast({{ var('claimed_churn_ratio') }} as double) as claimed_churn_ratio,
        case
            when churn_ratio_low is not null
                then {{ var('claimed_churn_ratio') }} between {{ round_to('churn_ratio_low', 2) }} and {{ round_to('churn_ratio_high', 2) }}
        end as is_claim_within_interval,
        case when churn_ratio_low is not null then {{ round_to('churn_ratio_low', 2) }} > 1 end as is_above_one,
        renewals < {{ var('min_renewals_to_trust') }} or reference_renewals < {{ var('min_renewals_to_trust') }} as is_too_few_to_trust
    from ratios
)

select * from final
