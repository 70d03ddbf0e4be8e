-- One row per segment x component: the component's score (usage or health), method, direction,
-- bands (seeds/score_components.csv) and its weight in that segment (seeds/score_weights.csv).
-- A segment with no weights of its own uses the `default` segment's weights.
with components as (
    select * from {{ ref('score_components') }}
),

weights as (
    select * from {{ ref('score_weights') }}
),

segments as (
    select segment from {{ ref('int_segment_settings') }}
),

segments_with_own_weights as (
    select distinct segment from weights
),

weight_source as (
    select
        segments.segment,
        case when own.segment is not null then segments.segment else 'default' end as weights_segment
    from segments
    left join segments_with_own_weights as own on segments.segment = own.segment
),

final as (
    select
        weight_source.segment,
        weight_source.weights_segment,
        components.score_name,
        components.component,
        components.method,
        components.direction,
        components.red_limit,
        components.green_limit,
        {{ exact('coalesce(weights.weight, 0)', 6) }} as weight
    from weight_source
    cross join components
    left join weights
        on
            weight_source.weights_segment = weights.segment
            and components.component = weights.component
            and components.score_name = weights.score_name
)

select * from final
