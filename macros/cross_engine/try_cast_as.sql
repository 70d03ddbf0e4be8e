{#- A cast that gives null instead of failing, on every engine. -#}

{#- Text to a number or date; null when it cannot be cast (the base models turn that into a
    quarantine reason). dbt.safe_cast is a plain cast on DuckDB, which fails the whole build. -#}
{% macro try_cast_as(column, type) -%}
  {{ return(adapter.dispatch('try_cast_as', 'usage_health')(column, type)) }}
{%- endmacro %}

{% macro default__try_cast_as(column, type) -%}
  {{ dbt.safe_cast(column, type) }}
{%- endmacro %}

{% macro spark__try_cast_as(column, type) -%}
  try_cast({{ column }} as {{ type }})
{%- endmacro %}

{% macro duckdb__try_cast_as(column, type) -%}
  try_cast({{ column }} as {{ type }})
{%- endmacro %}
