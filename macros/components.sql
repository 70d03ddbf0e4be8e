{#-
  The component registry: every signal the SQL computes, by score. This is the list a
  component name in seeds/score_components.csv and seeds/score_weights.csv must come from
  (tested); method, direction, bands and weights are configuration, the signals are code.
-#}
{% macro score_components() %}
  {{ return({
    'usage': ['license_utilization', 'core_feature_breadth', 'core_feature_depth', 'session_frequency',
              'session_depth', 'workflow_completion', 'usage_consistency', 'active_users_trend', 'time_to_value'],
    'health': ['nps', 'nps_trend', 'tickets_opened', 'open_ticket_age', 'touchpoint_recency',
               'touchpoint_sentiment', 'renewal_risk', 'arr_trend', 'cs_platform_health', 'product_usage'],
  }) }}
{% endmacro %}

{% macro all_score_components() %}
  {{ return(score_components()['usage'] + score_components()['health']) }}
{% endmacro %}

{#- The quadrant labels, exactly as BI tools filter on them. -#}
{% macro quadrant_case(usage_score, health_score, usage_cutoff, health_cutoff, usage_coverage, health_coverage, min_coverage) -%}
  case
    when {{ usage_score }} is null or {{ health_score }} is null
      or {{ usage_coverage }} < {{ min_coverage }} or {{ health_coverage }} < {{ min_coverage }}
      then 'Insufficient Data'
    when {{ usage_score }} >= {{ usage_cutoff }} and {{ health_score }} >= {{ health_cutoff }} then 'Champions'
    when {{ usage_score }} >= {{ usage_cutoff }} then 'Frustrated Power Users'
    when {{ health_score }} >= {{ health_cutoff }} then 'Relationship-Dependent'
    else 'Churn Risk'
  end
{%- endmacro %}

{#- A composite score from its parts (weighted_sum, covered_weight, configured_weight), as a
    double on every engine (Spark would keep the decimals' quotient a decimal, DuckDB a double):
    redistribute = mean over the components with data; zero = missing components count 0. -#}
{% macro weighted_score(parts, policy) -%}
  case
    when {{ parts }}.covered_weight > 0 then
    {%- if policy == 'redistribute' %}
      cast({{ parts }}.weighted_sum as double) / {{ parts }}.covered_weight
    {%- else %}
      cast({{ parts }}.weighted_sum as double) / nullif({{ parts }}.configured_weight, 0)
    {%- endif %}
  end
{%- endmacro %}

{#- The `as_of` var as a date literal, or null when it is not set. A value that is not a
    YYYY-MM-DD date stops the build with a message saying so. -#}
{% macro as_of_literal() -%}
  {%- set as_of = var('as_of') | string | trim -%}
  {%- if as_of in ('', 'None', 'none', 'null') -%}
    cast(null as date)
  {%- elif modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', as_of) -%}
    cast('{{ as_of }}' as date)
  {%- else -%}
    {{ exceptions.raise_compiler_error("var as_of is '" ~ as_of ~ "': give a date as YYYY-MM-DD (--vars '{as_of: 2026-11-15}'), or leave it out to use the last date in the data.") }}
  {%- endif -%}
{%- endmacro %}

{#- Run a query whose first column is a failure message; if it returns rows, stop with them. -#}
{% macro raise_config_errors(failing_sql) %}
  {%- if execute and flags.WHICH in ('build', 'test') -%}
    {%- set failing = run_query(failing_sql) -%}
    {%- if failing.rows | length > 0 -%}
      {%- set messages = failing.columns[0].values() | list -%}
      {{ exceptions.raise_compiler_error("Configuration error:\n  - " ~ (messages | join("\n  - "))) }}
    {%- endif -%}
  {%- endif -%}
{% endmacro %}

{#- Per account and week, the parts of a composite score from a relation of weighted component
    scores (account_id, week_start, component_score, weight): configured weight, the weight
    with data (coverage = covered / configured) and the weighted sum of the scores with data. -#}
{% macro score_parts(components) -%}
    select
        account_id,
        week_start,
        sum(weight) as configured_weight,
        sum(case when component_score is not null then weight else 0 end) as covered_weight,
        sum(case when component_score is not null then weight * component_score else 0 end) as weighted_sum
    from {{ components }}
    group by account_id, week_start
{%- endmacro %}

{#- The trailing usage window in whole weeks (usage_window_days / 7, rounded up). -#}
{% macro usage_window_weeks() %}
  {{ return((var('usage_window_days') / 7) | round(0, 'ceil') | int) }}
{% endmacro %}

{#- The quadrant labels in reading order (Champions first); with `not_scored`, the label of a
    renewal from before the scored history too. -#}
{% macro quadrant_labels(not_scored=false) %}
  {{ return(['Champions', 'Frustrated Power Users', 'Relationship-Dependent', 'Churn Risk', 'Insufficient Data']
            + (['Not scored'] if not_scored else [])) }}
{% endmacro %}

{#- Rows of constants: `column` holds each value, `<column>_order` its position (1-based). -#}
{% macro constant_rows(column, values) -%}
  {%- for value in values %}
  select
      {{ "'" ~ value ~ "'" if value is string else value }} as {{ column }},
      {{ loop.index }} as {{ column }}_order
  {%- if not loop.last %}
  union all
  {%- endif %}
  {%- endfor %}
{%- endmacro %}
