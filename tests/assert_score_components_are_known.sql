-- Every component configured in seeds/score_components.csv is one the SQL computes, in the
-- score it belongs to (macros/components.sql), and every computed component is configured.
{%- set known = score_components() %}
with known as (
    {%- for score_name, components in known.items() %}
        {%- for component in components %}
            select
                '{{ score_name }}' as score_name,
                '{{ component }}' as component
            {%- if not loop.last %} union all{% endif %}
        {%- endfor %}
    {%- if not loop.last %} union all{% endif %}
    {%- endfor %}
),

configured as (
    select
        score_name,
        component
    from {{ ref('score_components') }}
)

select
    coalesce(configured.component, known.component) as component,
    case
        when known.component is null then 'configured in score_components but not computed (check the spelling, or the score_name)'
        else 'computed but missing from score_components'
    end as problem
from configured
full outer join known
    on
        configured.component = known.component
        and configured.score_name = known.score_name
where known.component is null or configured.component is null
