-- One row per scored account x week x component (product_usage included, as the usage score
-- it passes through): how many points of its composite score the component contributes, its
-- weight times its score over the weight behind the composite (the weight with data under
-- `missing_component_policy: redistribute`, all configured weight under `zero`). A component
-- without data contributes 0. The contributions of a score add up to the score, so the change
-- of a component's contribution between two weeks is its share of the score's change: what
-- the movement and alert reasons rank. Weights and scores are exact decimals and contributions
-- are rounded to 4 places, so the ranking cannot change with the order rows are summed in.
{%- set policy = var('missing_component_policy') %}
with component_scores as (
    select * from {{ ref('int_component_scores') }}
),

component_config as (
    select * from {{ ref('int_segment_component_weights') }}
),

composite as (
    select * from {{ ref('int_account_quadrants') }}
),

weighted as (
    select
        component_scores.account_id,
        component_scores.week_start,
        component_scores.score_name,
        component_scores.component,
        component_scores.component_score,
        component_config.weight
    from component_scores
    inner join component_config
        on
            component_scores.segment = component_config.segment
            and component_scores.component = component_config.component
    union all
    select
        composite.account_id,
        composite.week_start,
        'health' as score_name,
        'product_usage' as component,
        {{ exact('composite.usage_score') }} as component_score,
        component_config.weight
    from composite
    inner join component_config
        on
            composite.segment = component_config.segment
            and component_config.component = 'product_usage'
),

score_weights as (
    select
        account_id,
        week_start,
        score_name,
        sum(case when component_score is not null then weight else 0 end) as covered_weight,
        sum(weight) as configured_weight
    from weighted
    group by account_id, week_start, score_name
),

final as (
    select
        weighted.account_id,
        weighted.week_start,
        weighted.score_name,
        weighted.component,
        weighted.component_score,
        weighted.weight,
        coalesce(
            {{ exact('weighted.weight * weighted.component_score / nullif(' ~ ('score_weights.covered_weight' if policy == 'redistribute' else 'score_weights.configured_weight') ~ ', 0)') }},
            0
        ) as contribution
    from weighted
    inner join score_weights
        on
            weighted.account_id = score_weights.account_id
            and weighted.week_start = score_weights.week_start
            and weighted.score_name = score_weights.score_name
)

select * from final
