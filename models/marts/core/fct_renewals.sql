-- One row per family renewal on or before as_of (the top-level account and a renewal date:
-- members renewing the same day are one renewal): the family's outcome, the ARR at stake and the
-- family's quadrant and scores `churn_lookback_days` before the renewal (int_renewal_snapshots).
-- The grain of the churn-rate metric in the semantic layer.
with snapshots as (
    select * from {{ ref('int_renewal_snapshots') }}
),

final as (
    select
        account_id,
        scored_account_id,
        renewal_date,
        renewal_quarter_start,
        segment,
        renewing_accounts,
        renewing_account_id,
        churned_accounts,
        outcome,
        is_churned,
        case when is_churned then 1 else 0 end as churned_count,
        arr_before,
        arr_after,
        days_before_renewal as lookback_days,
        snapshot_week_start,
        quadrant as quadrant_before_renewal,
        usage_score,
        health_score
    from snapshots
    where days_before_renewal = {{ var('churn_lookback_days') }}
)

select * from final
