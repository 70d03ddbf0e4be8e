-- Every component configured in seeds/score_components.csv is one the SQL computes, in the
-- score it belongs to (macros/components.sql), and every computed component is configured.
-- A mismatch stops the build with the component and what to change.
{%- set known = score_components() %}
{%- set failing_sql %}
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
    case
        when known.component is null then
            'seeds/score_components.csv, row ' || configured.component || ': no ' || configured.score_name
            || ' component of that name is computed (known: {{ all_score_components() | join(", ") }}). Check the spelling or the score_name.'
        else
            'seeds/score_components.csv: component ' || known.component || ' (' || known.score_name
            || ') is computed but has no row. Add its row (method, direction, limits).'
    end as failure_message
from configured
full outer join known
    on
        configured.component = known.component
        and configured.score_name = known.score_name
where known.component is null or configured.component is null
{%- endset %}
{{ raise_config_errors(failing_sql) }}
{{ failing_sql }}
