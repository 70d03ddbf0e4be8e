-- One row per scored account x week: the usage and health scores (weighted means of their
-- components), their coverage (share of the configured weight that had data) and the quadrant.
-- A component without data gives its weight to the others (`missing_component_policy:
-- redistribute`, the default) or counts as 0 (`zero`). The health score's product_usage
-- component is the usage score itself (weight 0 by default). Coverage below the segment's
-- min_coverage on either axis gives `Insufficient Data`.
{%- set policy = var('missing_component_policy') %}
{%- if policy not in ['redistribute', 'zero'] %}
  {{ exceptions.raise_compiler_error("var missing_component_policy is '" ~ policy ~ "': set it to 'redistribute' or 'zero' (dbt_project.yml or --vars).") }}
{%- endif %}
with component_scores as (
    select * from {{ ref('int_component_scores') }}
),

component_config as (
    select * from {{ ref('int_segment_component_weights') }}
),

settings as (
    select * from {{ ref('int_segment_settings') }}
),

spine as (
    select * from {{ ref('int_account_weeks') }}
),

weighted_components as (
    select
        component_scores.account_id,
        component_scores.week_start,
        component_scores.score_name,
        component_scores.component_score,
        component_config.weight
    from component_scores
    inner join component_config
        on
            component_scores.segment = component_config.segment
            and component_scores.component = component_config.component
),

usage_components as (
    select * from weighted_components
    where score_name = 'usage'
),

usage_parts as (
    {{ score_parts('usage_components') }}
),

usage_scores as (
    select
        usage_parts.account_id,
        usage_parts.week_start,
        {{ weighted_score('usage_parts', policy) }} as usage_score,
        cast(usage_parts.covered_weight as double) / nullif(usage_parts.configured_weight, 0) as usage_coverage
    from usage_parts
),

-- the usage score enters the health score as its product_usage component
product_usage_component as (
    select
        usage_scores.account_id,
        usage_scores.week_start,
        'health' as score_name,
        {{ exact('usage_scores.usage_score') }} as component_score,
        component_config.weight
    from usage_scores
    inner join spine
        on
            usage_scores.account_id = spine.account_id
            and usage_scores.week_start = spine.week_start
    inner join component_config
        on
            spine.segment = component_config.segment
            and component_config.component = 'product_usage'
),

health_components as (
    select
        account_id,
        week_start,
        score_name,
        component_score,
        weight
    from weighted_components
    where score_name = 'health'
    union all
    select
        account_id,
        week_start,
        score_name,
        component_score,
        weight
    from product_usage_component
),

health_parts as (
    {{ score_parts('health_components') }}
),

health_scores as (
    select
        health_parts.account_id,
        health_parts.week_start,
        {{ weighted_score('health_parts', policy) }} as health_score,
        cast(health_parts.covered_weight as double) / nullif(health_parts.configured_weight, 0) as health_coverage
    from health_parts
),

-- scores are rounded to 2 decimals before the quadrant is decided: the score a user sees is
-- the score that was classified, and float noise cannot flip an account at the cut-off
rounded as (
    select
        spine.account_id,
        spine.week_start,
        spine.segment,
        {{ round_to('usage_scores.usage_score', 2) }} as usage_score,
        {{ round_to('coalesce(usage_scores.usage_coverage, 0)', 4) }} as usage_coverage,
        {{ round_to('health_scores.health_score', 2) }} as health_score,
        {{ round_to('coalesce(health_scores.health_coverage, 0)', 4) }} as health_coverage
    from spine
    left join usage_scores
        on
            spine.account_id = usage_scores.account_id
            and spine.week_start = usage_scores.week_start
    left join health_scores
        on
            spine.account_id = health_scores.account_id
            and spine.week_start = health_scores.week_start
),

final as (
    select
        rounded.*,
        {{ quadrant_case(
            'rounded.usage_score', 'rounded.health_score',
            'settings.usage_cutoff', 'settings.health_cutoff',
            'rounded.usage_coverage', 'rounded.health_coverage',
            'settings.min_coverage'
        ) }} as quadrant
    from rounded
    inner join settings on rounded.segment = settings.segment
)

select * from final
