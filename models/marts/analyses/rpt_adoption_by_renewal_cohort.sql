-- One row per days before renewal (`adoption_days_before_renewal`, default 30, 60, 90) x renewal
-- cohort ('renewed': renewed, expanded or contracted; 'churned'): the renewals up to as_of, how
-- many were scored that many days before, and their mean core-feature breadth and depth (the
-- trailing usage window's share of core features used and share of active users on a core
-- feature) in the last complete week ending on or before that day. Adoption gap = renewed's
-- mean minus churned's, on both rows of a pair.
with snapshots as (
    select * from {{ ref('int_renewal_snapshots') }}
    where days_before_renewal in ({{ var('adoption_days_before_renewal') | join(', ') }})
),

cohorts as (
    select
        snapshots.*,
        case when snapshots.is_churned then 'churned' else 'renewed' end as renewal_cohort
    from snapshots
),

aggregated as (
    select
        days_before_renewal,
        renewal_cohort,
        count(*) as renewals,
        count(snapshot_week_start) as renewals_scored,
        avg(core_feature_breadth) as core_feature_breadth,
        avg(core_feature_depth) as core_feature_depth
    from cohorts
    group by days_before_renewal, renewal_cohort
),

final as (
    select
        aggregated.days_before_renewal,
        aggregated.renewal_cohort,
        aggregated.renewals,
        aggregated.renewals_scored,
        {{ round_to('aggregated.core_feature_breadth', 4) }} as core_feature_breadth,
        {{ round_to('aggregated.core_feature_depth', 4) }} as core_feature_depth,
        {{ round_to('renewed.core_feature_breadth - churned.core_feature_breadth', 4) }} as core_feature_breadth_gap,
        {{ round_to('renewed.core_feature_depth - churned.core_feature_depth', 4) }} as core_feature_depth_gap,
        aggregated.renewals_scored < {{ var('min_renewals_to_trust') }} as is_too_few_to_trust
    from aggregated
    left join aggregated as renewed
        on aggregated.days_before_renewal = renewed.days_before_renewal and renewed.renewal_cohort = 'renewed'
    left join aggregated as churned
        on aggregated.days_before_renewal = churned.days_before_renewal and churned.renewal_cohort = 'churned'
)

select * from final
