-- One row per score: the usage and health composites and every usage and health component
-- (not the product_usage passthrough). How well the score, `churn_lookback_days` before
-- renewal, separated the renewals that churned from those that renewed, over every scored
-- renewal up to as_of:
--   auc: the chance a renewed account scored above a churned one (ties count half): 1.0 = a
--        perfect separation, 0.5 = no better than a coin (a constant score), below 0.5 = reversed;
--   top_decile_lift: the churn rate of the `validation_top_fraction` lowest-scored renewals
--        over the churn rate of all; accounts tied at the cut share the places left;
-- beside each component its configured weight (the mean over the renewals' segments) and the
-- weight a logistic regression of churn on the score's components suggests (int_score_weight_fit).
-- Rows whose renewals are fewer than `min_renewals_to_trust` are flagged.
with snapshots as (
    select * from {{ ref('int_renewal_snapshots') }}
    where days_before_renewal = {{ var('churn_lookback_days') }} and snapshot_week_start is not null
),

component_scores as (
    select * from {{ ref('int_component_scores') }}
),

weights as (
    select * from {{ ref('int_segment_component_weights') }}
),

fit as (
    select * from {{ ref('int_score_weight_fit') }}
),

scored as (
    select
        'usage' as score_name,
        'usage_score' as score,
        'composite' as score_kind,
        account_id,
        renewal_date,
        segment,
        is_churned,
        cast(usage_score as double) as score_value
    from snapshots
    union all
    select
        'health' as score_name,
        'health_score' as score,
        'composite' as score_kind,
        account_id,
        renewal_date,
        segment,
        is_churned,
        cast(health_score as double) as score_value
    from snapshots
    union all
    select
        component_scores.score_name,
        component_scores.component as score,
        'component' as score_kind,
        snapshots.account_id,
        snapshots.renewal_date,
        snapshots.segment,
        snapshots.is_churned,
        cast(component_scores.component_score as double) as score_value
    from snapshots
    inner join component_scores
        on
            snapshots.scored_account_id = component_scores.account_id
            and snapshots.snapshot_week_start = component_scores.week_start
    where component_scores.component != 'product_usage'
),

-- mid-ranks: tied scores share the mean of their ranks
ranked as (
    select
        score_name,
        score,
        score_kind,
        is_churned,
        score_value,
        rank() over (partition by score order by score_value)
        + cast(count(*) over (partition by score, score_value) - 1 as double) / 2 as mid_rank
    from scored
    where score_value is not null
),

separation as (
    select
        score_name,
        score,
        score_kind,
        count(*) as renewals,
        sum(case when is_churned then 1 else 0 end) as churned,
        sum(case when is_churned then 0 else 1 end) as renewed,
        sum(case when is_churned then 0 else mid_rank end) as renewed_rank_sum
    from ranked
    group by score_name, score, score_kind
),

-- per distinct score value: how many renewals score below it, how many at it, how many churned
value_groups as (
    select
        score,
        score_value,
        count(*) as at_value,
        sum(case when is_churned then 1 else 0 end) as churned_at_value
    from ranked
    group by score, score_value
),

value_positions as (
    select
        value_groups.*,
        coalesce(sum(value_groups.at_value) over (
            partition by value_groups.score
            order by value_groups.score_value
            rows between unbounded preceding and 1 preceding
        ), 0) as below_value
    from value_groups
),

top_fraction as (
    select
        value_positions.score,
        sum(
            value_positions.churned_at_value
            * greatest(
                least(
                    cast(separation.renewals * {{ var('validation_top_fraction') }} - value_positions.below_value as double)
                    / value_positions.at_value,
                    1.0
                ),
                0.0
            )
        ) / (separation.renewals * {{ var('validation_top_fraction') }}) as top_churn_rate
    from value_positions
    inner join separation on value_positions.score = separation.score
    group by value_positions.score, separation.renewals
),

configured as (
    select
        scored.score,
        avg(weights.weight) as configured_weight
    from scored
    inner join weights
        on
            scored.segment = weights.segment
            and scored.score = weights.component
    where scored.score_kind = 'component'
    group by scored.score
),

final as (
    select
        separation.score_name,
        separation.score,
        separation.score_kind,
        {{ var('churn_lookback_days') }} as lookback_days,
        separation.renewals,
        separation.churned,
        {{ round_to('cast(separation.churned as double) / separation.renewals', 4) }} as churn_rate,
        {{ round_to('
            (separation.renewed_rank_sum - cast(separation.renewed * (separation.renewed + 1) as double) / 2)
            / nullif(separation.renewed * separation.churned, 0)
        ', 4) }} as auc,
        {{ round_to('top_fraction.top_churn_rate', 4) }} as top_decile_churn_rate,
        {{ round_to('
            top_fraction.top_churn_rate / nullif(cast(separation.churned as double) / separation.renewals, 0)
        ', 2) }}
            as top_decile_lift,
        {{ round_to('configured.configured_weight', 4) }} as configured_weight,
        fit.suggested_weight,
        fit.coefficient as fit_coefficient,
        separation.renewals < {{ var('min_renewals_to_trust') }} as is_too_few_to_trust
    from separation
    inner join top_fraction on separation.score = top_fraction.score
    left join configured on separation.score = configured.score
    left join fit on separation.score = fit.component
)

select * from final
