{#- Date arithmetic and week/quarter labels, the same on DuckDB and Spark. -#}

{#- Date arithmetic in whole days, returning dates. -#}
{% macro add_days(date_expr, days) -%}
  {{ return(adapter.dispatch('add_days', 'usage_health')(date_expr, days)) }}
{%- endmacro %}

{% macro default__add_days(date_expr, days) -%}
  date_add({{ date_expr }}, {{ days }})
{%- endmacro %}

{% macro duckdb__add_days(date_expr, days) -%}
  cast({{ date_expr }} + cast({{ days }} as integer) as date)
{%- endmacro %}

{#- Whole days from start to end (end - start). -#}
{% macro days_between(start_date, end_date) -%}
  {{ return(adapter.dispatch('days_between', 'usage_health')(start_date, end_date)) }}
{%- endmacro %}

{% macro default__days_between(start_date, end_date) -%}
  datediff(cast({{ end_date }} as date), cast({{ start_date }} as date))
{%- endmacro %}

{% macro duckdb__days_between(start_date, end_date) -%}
  date_diff('day', cast({{ start_date }} as date), cast({{ end_date }} as date))
{%- endmacro %}

{#- Whole seconds between two timestamps (an integer: sums of it are exact in any order). -#}
{% macro seconds_between(start_ts, end_ts) -%}
  {{ return(adapter.dispatch('seconds_between', 'usage_health')(start_ts, end_ts)) }}
{%- endmacro %}

{% macro default__seconds_between(start_ts, end_ts) -%}
  (unix_timestamp({{ end_ts }}) - unix_timestamp({{ start_ts }}))
{%- endmacro %}

{% macro duckdb__seconds_between(start_ts, end_ts) -%}
  date_diff('second', {{ start_ts }}, {{ end_ts }})
{%- endmacro %}

{#- The Monday starting the week of a date or timestamp. -#}
{% macro week_start(column) -%}
  cast({{ dbt.date_trunc('week', column) }} as date)
{%- endmacro %}

{#- One row per Monday from start_date to end_date (inclusive), column `week_start`. -#}
{% macro week_series(start_date, end_date) -%}
  {{ return(adapter.dispatch('week_series', 'usage_health')(start_date, end_date)) }}
{%- endmacro %}

{% macro default__week_series(start_date, end_date) -%}
  select explode(sequence(cast({{ start_date }} as date), cast({{ end_date }} as date), interval 7 days)) as week_start
{%- endmacro %}

{% macro duckdb__week_series(start_date, end_date) -%}
  select cast(range as date) as week_start
  from range(cast({{ start_date }} as date), cast({{ end_date }} as date) + 1, interval 7 day)
{%- endmacro %}

{#- A quarter's label, e.g. '2026-Q3', from a date. -#}
{% macro quarter_label(date_expr) -%}
  concat(
    cast(extract(year from {{ date_expr }}) as {{ dbt.type_string() }}),
    '-Q',
    cast(extract(quarter from {{ date_expr }}) as {{ dbt.type_string() }})
  )
{%- endmacro %}
