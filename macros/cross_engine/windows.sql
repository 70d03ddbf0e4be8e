{#- The last non-null value of an expression in a window (write the `over (...)` after it):
    DuckDB spells it `ignore nulls`, Spark takes a flag. -#}
{% macro last_non_null(expression) -%}
  {{ return(adapter.dispatch('last_non_null', 'usage_health')(expression)) }}
{%- endmacro %}

{% macro default__last_non_null(expression) -%}
  last_value({{ expression }}, true)
{%- endmacro %}

{% macro duckdb__last_non_null(expression) -%}
  last_value({{ expression }} ignore nulls)
{%- endmacro %}

{#- The first non-null value of an expression in a window (write the `over (...)` after it). -#}
{% macro first_non_null(expression) -%}
  {{ return(adapter.dispatch('first_non_null', 'usage_health')(expression)) }}
{%- endmacro %}

{% macro default__first_non_null(expression) -%}
  first_value({{ expression }}, true)
{%- endmacro %}

{% macro duckdb__first_non_null(expression) -%}
  first_value({{ expression }} ignore nulls)
{%- endmacro %}
