-- One row per family renewal up to as_of (int_family_renewals: a top-level account and a renewal
-- date, with the family's outcome) x look-back (the days before renewal the analyses read:
-- `adoption_days_before_renewal` and `churn_lookback_days`): the family's scores, quadrant and
-- core adoption in the last complete week ending on or before renewal_date - days_before_renewal.
-- One from before the scored history has no snapshot (quadrant 'Not scored', scores null).
-- Churned = the family's outcome 'churned'; renewed, expanded and contracted all count as renewed.
{%- set look_backs = (var('adoption_days_before_renewal') + [var('churn_lookback_days')]) | unique | sort %}
with renewals as (
    select * from {{ ref('int_family_renewals') }}
),

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
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
        snapshot_weeks.account_id as scored_account_id,
        snapshot_weeks.renewal_date,
        cast({{ dbt.date_trunc('quarter', 'snapshot_weeks.renewal_date') }} as date) as renewal_quarter_start,
        snapshot_weeks.renewing_accounts,
        snapshot_weeks.renewing_account_id,
        snapshot_weeks.churned_accounts,
        snapshot_weeks.outcome,
        snapshot_weeks.outcome = 'churned' as is_churned,
        snapshot_weeks.arr_before,
        snapshot_weeks.arr_after,
        snapshot_weeks.days_before_renewal,
        case when scores.account_id is not null then snapshot_weeks.snapshot_week_start end as snapshot_week_start,
        coalesce(scores.segment, family_account.segment) as segment,
        coalesce(scores.quadrant, 'Not scored') as quadrant,
        scores.usage_score,
        scores.health_score,
        signals.core_feature_breadth,
        signals.core_feature_depth
    from snapshot_weeks
    left join scores
        on
            snapshot_weeks.account_id = scores.account_id
            and snapshot_weeks.snapshot_week_start = scores.week_start
    left join signals
        on
            snapshot_weeks.account_id = signals.account_id
            and snapshot_weeks.snapshot_week_start = signals.week_start
    left join accounts as family_account on snapshot_weeks.account_id = family_account.account_id
)

select * from final
