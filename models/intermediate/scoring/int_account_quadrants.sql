-- One row per scored account x week: the usage and health scores, their coverage and the
-- quadrant. Where the composite rules live, each in the CTE named for it:
--   weigh_components      each component score with its weight in the account's segment
--   usage_scores          the usage score: weighted mean of the usage components with data
--   health_scores         the health score: the same over the health components, where the
--                         product_usage component is the usage score itself (weight 0 by default)
--   rounded               scores to 2 decimals, coverage to 4, before the quadrant is decided
--   decide_sides          each score against the segment's cut-off (>= is high), and whether
--                         both axes have enough coverage; a score at least `quadrant_band`
--                         points past the cut-off decides its side for good (`*_decisive_side`)
--   hold_sides            hysteresis: each axis keeps the side of its last decisive week (before
--                         any, its first scored week's), so a score wandering inside the band
--                         does not flip the quadrant
--   decide_quadrant       the quadrant named by seeds/quadrants.csv for the held sides (the
--                         raw quadrant, from this week's sides alone, stays beside it); too
--                         little coverage (or no score) is the `insufficient_data` row
--   explain_insufficient_data  why an Insufficient Data week is one: a side with no data for
--                         any account at all (its landing sources are missing: what to add),
--                         an onboarding account, or low coverage on one side or both
--   health_band           red below the segment's health_red_below, green from health_green_at
-- Coverage = the share of the configured weight whose component had data. A component without
-- data gives its weight to the others (`missing_component_policy: redistribute`, the default)
-- or counts as 0 (`zero`): `weighted_mean` below is that rule.
{%- set policy = var('missing_component_policy') %}
{#- Why an account is Insufficient Data when a whole side has no data: what to add. #}
{%- set no_usage_data = 'no usage data in the landing folder: add product_events (and product_workspaces)' %}
{%- set no_health_data = 'no health data in the landing folder: add nps_responses, support_tickets, csm_touchpoints, cs_health_scores or arr_monthly' %}
{%- set no_usage_or_health_data = 'no usage or health data in the landing folder: add product_events and a health source' %}
{%- if policy not in ['redistribute', 'zero'] %}
  {{ exceptions.raise_compiler_error("var missing_component_policy is '" ~ policy ~ "': set it to 'redistribute' or 'zero' (dbt_project.yml or --vars).") }}
{%- endif %}
{#- The weighted mean of a score's parts (as a double on every engine: Spark would keep the
    decimals' quotient a decimal, DuckDB a double). -#}
{%- set weighted_mean -%}
    case
        when covered_weight > 0 then
            cast(weighted_sum as double) / {{ 'covered_weight' if policy == 'redistribute' else 'nullif(configured_weight, 0)' }}
    end
{%- endset %}
{#- A score's parts, per account and week: the configured weight, the weight whose component had
    data (coverage = covered / configured) and the weighted sum of the scores with data. -#}
{%- set score_parts -%}
    sum(weight) as configured_weight,
        sum(case when component_score is not null then weight else 0 end) as covered_weight,
        sum(case when component_score is not null then weight * component_score else 0 end) as weighted_sum
{%- endset %}
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

lifecycle as (
    select * from {{ ref('int_account_lifecycle') }}
),

quadrants as (
    select * from {{ ref('quadrants') }}
),

weigh_components as (
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

usage_parts as (
    select
        account_id,
        week_start,
        {{ score_parts }}
    from weigh_components
    where score_name = 'usage'
    group by account_id, week_start
),

usage_scores as (
    select
        account_id,
        week_start,
        {{ weighted_mean }} as usage_score,
        cast(covered_weight as double) / nullif(configured_weight, 0) as usage_coverage
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
    from weigh_components
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
    select
        account_id,
        week_start,
        {{ score_parts }}
    from health_components
    group by account_id, week_start
),

health_scores as (
    select
        account_id,
        week_start,
        {{ weighted_mean }} as health_score,
        cast(covered_weight as double) / nullif(configured_weight, 0) as health_coverage
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

decide_sides as (
    select
        rounded.*,
        settings.health_red_below,
        settings.health_green_at,
        coalesce(rounded.usage_score is null or rounded.usage_coverage < settings.min_coverage, false) as usage_is_short,
        coalesce(rounded.health_score is null or rounded.health_coverage < settings.min_coverage, false) as health_is_short,
        not coalesce(
            rounded.usage_score is null
            or rounded.health_score is null
            or rounded.usage_coverage < settings.min_coverage
            or rounded.health_coverage < settings.min_coverage,
            false
        ) as has_enough_data,
        case when rounded.usage_score >= settings.usage_cutoff then 'high' else 'low' end as usage_side,
        case when rounded.health_score >= settings.health_cutoff then 'high' else 'low' end as health_side,
        case
            when rounded.usage_score >= settings.usage_cutoff + settings.quadrant_band then 'high'
            when rounded.usage_score < settings.usage_cutoff - settings.quadrant_band then 'low'
        end as usage_decisive_side,
        case
            when rounded.health_score >= settings.health_cutoff + settings.quadrant_band then 'high'
            when rounded.health_score < settings.health_cutoff - settings.quadrant_band then 'low'
        end as health_decisive_side
    from rounded
    inner join settings on rounded.segment = settings.segment
),

-- a week with too little data decides nothing; before the first decisive week, the side of
-- the first week with enough data holds
hold_sides as (
    select
        *,
        coalesce(
            {{ last_non_null('case when has_enough_data then usage_decisive_side end') }} over (
                partition by account_id order by week_start rows between unbounded preceding and current row
            ),
            {{ first_non_null('case when has_enough_data then usage_side end') }} over (
                partition by account_id order by week_start rows between unbounded preceding and current row
            )
        ) as usage_held_side,
        coalesce(
            {{ last_non_null('case when has_enough_data then health_decisive_side end') }} over (
                partition by account_id order by week_start rows between unbounded preceding and current row
            ),
            {{ first_non_null('case when has_enough_data then health_side end') }} over (
                partition by account_id order by week_start rows between unbounded preceding and current row
            )
        ) as health_held_side
    from decide_sides
),

decide_quadrant as (
    select
        hold_sides.account_id,
        hold_sides.week_start,
        hold_sides.segment,
        hold_sides.usage_score,
        hold_sides.usage_coverage,
        hold_sides.health_score,
        hold_sides.health_coverage,
        coalesce(held.quadrant, insufficient.quadrant) as quadrant,
        coalesce(unheld.quadrant, insufficient.quadrant) as raw_quadrant,
        hold_sides.has_enough_data,
        hold_sides.usage_is_short,
        hold_sides.health_is_short,
        hold_sides.health_red_below,
        hold_sides.health_green_at
    from hold_sides
    inner join quadrants as insufficient on insufficient.kind = 'insufficient_data'
    left join quadrants as held
        on
            hold_sides.has_enough_data
            and held.kind = 'quadrant'
            and hold_sides.usage_held_side = held.usage_side
            and hold_sides.health_held_side = held.health_side
    left join quadrants as unheld
        on
            hold_sides.has_enough_data
            and unheld.kind = 'quadrant'
            and hold_sides.usage_side = unheld.usage_side
            and hold_sides.health_side = unheld.health_side
),

-- whether each score has a component with data for any account in any week: a side with none
-- has no landing source behind it, which explains every account at once
score_data as (
    select
        coalesce(max(case when score_name = 'usage' and component_score is not null then 1 end), 0) = 1 as has_usage_data,
        coalesce(max(case when score_name = 'health' and component_score is not null then 1 end), 0) = 1 as has_health_data
    from component_scores
),

-- a side with no data at all first (it says what to add), then onboarding (too new to have
-- enough data), then which side's coverage is under the segment's min_coverage
explain_insufficient_data as (
    select
        decide_quadrant.*,
        case
            when decide_quadrant.has_enough_data then null
            when
                decide_quadrant.usage_is_short and not score_data.has_usage_data
                and decide_quadrant.health_is_short and not score_data.has_health_data
                then '{{ no_usage_or_health_data }}'
            when decide_quadrant.usage_is_short and not score_data.has_usage_data then '{{ no_usage_data }}'
            when decide_quadrant.health_is_short and not score_data.has_health_data then '{{ no_health_data }}'
            when lifecycle.lifecycle_stage = 'onboarding' then 'onboarding: too new for enough data'
            when decide_quadrant.usage_is_short and decide_quadrant.health_is_short then 'low usage and health coverage'
            when decide_quadrant.usage_is_short then 'low usage coverage'
            else 'low health coverage'
        end as insufficient_data_reason
    from decide_quadrant
    cross join score_data
    left join lifecycle
        on
            decide_quadrant.account_id = lifecycle.account_id
            and decide_quadrant.week_start = lifecycle.week_start
),

health_band as (
    select
        account_id,
        week_start,
        segment,
        usage_score,
        usage_coverage,
        health_score,
        health_coverage,
        quadrant,
        raw_quadrant,
        insufficient_data_reason,
        case
            when health_score < health_red_below then 'red'
            when health_score >= health_green_at then 'green'
            when health_score is not null then 'yellow'
        end as health_band
    from explain_insufficient_data
)

select * from health_band
