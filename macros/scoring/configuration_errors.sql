{#- Stopping the build on configuration errors with every message at once. -#}

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
