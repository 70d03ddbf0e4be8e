-- One row per renewal outcome up to as_of x look-back (the days before renewal the analyses read:
-- `adoption_days_before_renewal` and `churn_lookback_days`): the account's scores, quadrant and
-- core adoption in the last complete week ending on or before renewal_date - days_before_renewal.
-- A renewal is scored under the account it rolls up to; one from before the scored history has
-- no snapshot (quadrant 'Not scored', scores null). Churned = outcome 'churned'; renewed,
-- expanded and contracted all count as renewed.
{%- set look_backs = (var('adoption_days_before_renewal') + [var('churn_lookback_days')]) | unique | sort %}
with outcomes as (
    select * from {{ ref('stg_crm__renewal_outcomes') }}
),

hierarchy as (
    select * from {{ ref('int_account_hierarchy') }}
),

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

parameters as (
    select * from {{ ref('int_run_parameters') }}
),

scores as (
    select * from {{ ref('int_account_quadrants') }}
),

signals as (
    select * from {{ ref('int_account_weekly_signals') }}
),

look_backs as (
    {{ constant_rows('days_before_renewal', look_backs) }}
),

renewals as (
    select
        outcomes.account_id,
        coalesce(hierarchy.scored_account_id, outcomes.account_id) as scored_account_id,
        outcomes.renewal_date,
        outcomes.outcome,
        outcomes.outcome = 'churned' as is_churned,
        outcomes.arr_before,
        outcomes.arr_after
    from outcomes
    cross join parameters
    left join hierarchy on outcomes.account_id = hierarchy.account_id
    where outcomes.renewal_date <= parameters.as_of_date
),

snapshot_weeks as (
    select
        renewals.*,
        look_backs.days_before_renewal,
        -- the Monday-Sunday week whose Sunday is the last on or before the look-back date
        {{ add_days(week_start(add_days(add_days('renewals.renewal_date', '-look_backs.days_before_renewal'), 1)), -7) }}
            as snapshot_week_start
    from renewals
    cross join look_backs
),

final as (
    select
        snapshot_weeks.account_id,
        snapshot_weeks.scored_account_id,
        snapshot_weeks.renewal_date,
        cast({{ dbt.date_trunc('quarter', 'snapshot_weeks.renewal_date') }} as date) as renewal_quarter_start,
        snapshot_weeks.outcome,
        snapshot_weeks.is_churned,
        snapshot_weeks.arr_before,
        snapshot_weeks.arr_after,
        snapshot_weeks.days_before_renewal,
        case when scores.account_id is not null then snapshot_weeks.snapshot_week_start end as snapshot_week_start,
        coalesce(scores.segment, top_account.segment, own_account.segment) as segment,
        coalesce(scores.quadrant, 'Not scored') as quadrant,
        scores.usage_score,
        scores.health_score,
        signals.core_feature_breadth,
        signals.core_feature_depth
    from snapshot_weeks
    left join scores
        on
            snapshot_weeks.scored_account_id = scores.account_id
            and snapshot_weeks.snapshot_week_start = scores.week_start
    left join signals
        on
            snapshot_weeks.scored_account_id = signals.account_id
            and snapshot_weeks.snapshot_week_start = signals.week_start
    left join accounts as top_account on snapshot_weeks.scored_account_id = top_account.account_id
    left join accounts as own_account on snapshot_weeks.account_id = own_account.account_id
)

select * from final
