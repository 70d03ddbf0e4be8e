{#- Weights of each score in each segment must sum to 1. Fails with one row per segment and
    score whose weights do not, and logs a message naming the segment and the sum. -#}
{% test weights_sum_to_one(model, column_name, group_by, tolerance=0.000001) %}
{%- set failing_sql -%}
    select
        {{ group_by | join(', ') }},
        sum({{ column_name }}) as weight_sum
    from {{ model }}
    group by {{ group_by | join(', ') }}
    having abs(sum({{ column_name }}) - 1) > {{ tolerance }}
{%- endset -%}
{%- if execute and flags.WHICH in ('build', 'test') -%}
  {%- set failing = run_query(failing_sql) -%}
  {%- for row in failing.rows -%}
    {%- set where = [] -%}
    {%- for column in group_by -%}{%- do where.append(column ~ " '" ~ row[column] ~ "'") -%}{%- endfor -%}
    {{ log("weights_sum_to_one: in " ~ model.identifier ~ ", the " ~ column_name ~ "s of " ~ (where | join(', ')) ~ " sum to " ~ row['weight_sum'] ~ ", not 1. Edit that group's rows so they add up to 1.", info=true) }}
  {%- endfor -%}
{%- endif %}
select
    *,
    'weights of ' || {{ group_by | join(" || ' / ' || ") }}
    || ' sum to ' || cast(weight_sum as {{ dbt.type_string() }}) || ', not 1' as failure_message
from ({{ failing_sql }}) as failing
{% endtest %}
